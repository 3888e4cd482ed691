import { AuthError, NetworkError, gql } from '../graphql/client';
import { createStore } from '../store';
import type { PendingMutation } from './db';
import { enqueue, flush, pendingCount } from './queue';

/** How many mutations wait in the outbox (shown to the user). */
export const outboxCount = createStore(0);

export async function refreshOutboxCount(): Promise<void> {
  outboxCount.set(await pendingCount().catch(() => outboxCount.get()));
}

async function send(item: PendingMutation) {
  try {
    await gql(item.query, item.variables);
    // Answered, possibly with a business error: the key is spent either way
    // and a replay would only get the same answer.
    return 'done' as const;
  } catch (err) {
    if (err instanceof NetworkError || err instanceof AuthError) return 'retry' as const;
    throw err;
  }
}

/** Send what waits in the outbox; call when the link comes back. */
export async function syncOutbox(): Promise<number> {
  try {
    return await flush(send);
  } finally {
    await refreshOutboxCount();
  }
}

/**
 * Send a handheld mutation now if possible; if the network is down, keep it
 * (with its idempotency key) for later. The variables must already carry
 * `input.idempotencyKey === idempotencyKey`.
 */
export async function sendOrQueue<T>(
  name: string,
  query: string,
  variables: Record<string, unknown>,
  idempotencyKey: string,
): Promise<{ queued: false; data: T } | { queued: true }> {
  try {
    return { queued: false, data: await gql<T>(query, variables) };
  } catch (err) {
    if (!(err instanceof NetworkError)) throw err;
    await enqueue(name, query, variables, idempotencyKey);
    await refreshOutboxCount();
    return { queued: true };
  }
}
