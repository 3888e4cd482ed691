import { db, type PendingMutation } from './db';
import { uuid } from './uuid';

/**
 * The outbox: mutations made while offline (or whose answer got lost), each
 * with its idempotency key, replayed in order. The server returns the first
 * answer for a replayed key, so sending twice is safe.
 */

export type SendResult = 'done' | 'retry' | 'drop';

let lastStamp = 0;

/** Strictly increasing, so the outbox keeps the order of same-millisecond mutations. */
function stamp(): number {
  lastStamp = Math.max(Date.now(), lastStamp + 1);
  return lastStamp;
}

export async function enqueue(
  name: string,
  query: string,
  variables: Record<string, unknown>,
  idempotencyKey: string = uuid(),
): Promise<PendingMutation> {
  const item: PendingMutation = {
    idempotencyKey,
    name,
    query,
    variables,
    createdAt: stamp(),
    attempts: 0,
  };
  await (await db()).put('outbox', item);
  return item;
}

export async function pending(): Promise<PendingMutation[]> {
  return (await db()).getAllFromIndex('outbox', 'byCreatedAt');
}

export async function pendingCount(): Promise<number> {
  return (await db()).count('outbox');
}

export async function remove(idempotencyKey: string): Promise<void> {
  await (await db()).delete('outbox', idempotencyKey);
}

let flushing: Promise<number> | null = null;

/**
 * Send the queue in creation order. `send` says what became of each item:
 * done (answered, even with a business error the user will see), retry
 * (network trouble: stop and keep the rest for later) or drop. Returns how
 * many were sent. Concurrent calls share one run.
 */
export function flush(send: (item: PendingMutation) => Promise<SendResult>): Promise<number> {
  flushing ??= (async () => {
    let sent = 0;
    try {
      for (const item of await pending()) {
        let result: SendResult;
        try {
          result = await send(item);
        } catch (err) {
          result = 'retry';
          item.lastError = err instanceof Error ? err.message : String(err);
        }
        if (result === 'retry') {
          item.attempts += 1;
          await (await db()).put('outbox', item);
          break;
        }
        await remove(item.idempotencyKey);
        sent += 1;
      }
    } finally {
      flushing = null;
    }
    return sent;
  })();
  return flushing;
}
