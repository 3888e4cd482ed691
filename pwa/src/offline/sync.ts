import { AuthError, NetworkError, RequestError, gql, isUserError, sendText } from '../graphql/client';
import type { TypedDocumentString } from '../graphql/generated/graphql';
import { createStore } from '../store';
import type { PendingMutation } from './db';
import { enqueue, flush, pending, type EnqueueOptions, type SendResult } from './queue';

/** What the person sees of the outbox: on every screen. */
export interface SyncState {
  /** Changes on this device the server has not taken yet (conflicts included). */
  waiting: number;
  /** The outbox is being sent now. */
  syncing: boolean;
  /** Changes the server refused on replay, waiting for the person to decide. */
  conflicts: PendingMutation[];
  /** Every change that waits, oldest first (screens ask what waits for their task). */
  items: PendingMutation[];
  /** Bumped after every run: screens reconcile their copies with the server then. */
  runs: number;
}

export const syncStore = createStore<SyncState>({ waiting: 0, syncing: false, conflicts: [], items: [], runs: 0 });

/** How many mutations wait in the outbox (shown to the user). */
export const outboxCount = createStore(0);

export async function refreshOutboxCount(): Promise<void> {
  const items = await pending().catch(() => null);
  if (!items) return;
  outboxCount.set(items.length);
  syncStore.set((s) => ({ ...s, waiting: items.length, items, conflicts: items.filter((m) => m.conflict) }));
}

/** The first field of a GraphQL answer (`{ pickConfirm: {...} }` → `{...}`). */
function payloadOf(data: unknown): unknown {
  if (!data || typeof data !== 'object') return null;
  const values = Object.values(data as Record<string, unknown>);
  return values.length === 1 ? values[0] : data;
}

async function send(item: PendingMutation): Promise<SendResult> {
  try {
    const payload = payloadOf(await sendText(item.query, item.variables));
    // Refused on replay: the world changed while this device was offline.
    // Kept, with the server's code and words, for the person to resolve.
    if (isUserError(payload)) {
      return { conflict: { code: payload.code, message: payload.message, field: payload.field ?? null } };
    }
    return 'done';
  } catch (err) {
    if (err instanceof NetworkError || err instanceof AuthError) return 'retry';
    if (err instanceof RequestError) return { conflict: { code: err.code, message: err.message, field: null } };
    throw err;
  }
}

/** Send what waits in the outbox; call when the link comes back. */
export async function syncOutbox(): Promise<number> {
  let total = 0;
  syncStore.set((s) => ({ ...s, syncing: true }));
  try {
    // Changes made while a run was under way are sent by one more run.
    for (let round = 0; round < 5; round++) {
      const sent = await flush(send);
      total += sent;
      await refreshOutboxCount();
      const s = syncStore.get();
      if (sent === 0 || s.items.every((m) => m.conflict)) break;
    }
  } finally {
    syncStore.set((s) => ({ ...s, syncing: false, runs: s.runs + 1 }));
    await refreshOutboxCount();
  }
  return total;
}

/** Keep a change for later (offline work), with what the screen now shows in the same write. */
export async function queueChange(
  name: string,
  query: string,
  variables: Record<string, unknown>,
  idempotencyKey: string,
  opts: EnqueueOptions = {},
): Promise<void> {
  await enqueue(name, query, variables, idempotencyKey, opts);
  await refreshOutboxCount();
}

/**
 * Send a handheld mutation now if possible; if the network is down, keep it
 * (with its idempotency key) for later. The variables must already carry
 * `input.idempotencyKey === idempotencyKey`.
 */
export async function sendOrQueue<R, V extends Record<string, unknown>>(
  name: string,
  document: TypedDocumentString<R, V>,
  variables: V,
  idempotencyKey: string,
): Promise<{ queued: false; data: R } | { queued: true }> {
  try {
    return { queued: false, data: await gql(document, variables) };
  } catch (err) {
    if (!(err instanceof NetworkError)) throw err;
    // The outbox keeps the operation's text: it is replayed as it was sent.
    await queueChange(name, document.toString(), variables, idempotencyKey, { summary: name });
    return { queued: true };
  }
}
