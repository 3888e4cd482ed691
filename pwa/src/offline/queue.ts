import { db, type Conflict, type PendingMutation } from './db';
import { uuid } from './uuid';

/**
 * The outbox: mutations made while offline (or whose answer got lost), each
 * with its idempotency key, replayed in order. The server returns the first
 * answer for a replayed key, so sending twice is safe. A change the server
 * refuses on replay is kept with the server's answer (a conflict) and holds
 * back the later changes of its group until the person retries or discards
 * it: nothing is dropped without them seeing it.
 */

export type SendResult = 'done' | 'retry' | { conflict: Omit<Conflict, 'at'> };

let lastStamp = 0;

/** Strictly increasing, so the outbox keeps the order of same-millisecond mutations. */
function stamp(): number {
  lastStamp = Math.max(Date.now(), lastStamp + 1);
  return lastStamp;
}

export interface EnqueueOptions {
  group?: string;
  summary?: string;
  /** Written in the same transaction as the change (e.g. the task as the device now sees it). */
  kv?: { key: string; value: unknown };
}

export async function enqueue(
  name: string,
  query: string,
  variables: Record<string, unknown>,
  idempotencyKey: string = uuid(),
  opts: EnqueueOptions = {},
): Promise<PendingMutation> {
  const item: PendingMutation = {
    idempotencyKey,
    name,
    query,
    variables,
    createdAt: stamp(),
    attempts: 0,
    ...(opts.group ? { group: opts.group } : {}),
    ...(opts.summary ? { summary: opts.summary } : {}),
  };
  const tx = (await db()).transaction(['outbox', 'kv'], 'readwrite');
  await Promise.all([
    tx.objectStore('outbox').put(item),
    opts.kv ? tx.objectStore('kv').put(opts.kv.value, opts.kv.key) : Promise.resolve(),
    tx.done,
  ]);
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

export const groupOf = (m: PendingMutation): string => m.group ?? m.idempotencyKey;

/** Send a refused change again (the world may have changed: the task was claimed back). */
export async function clearConflict(idempotencyKey: string): Promise<void> {
  const d = await db();
  const item = await d.get('outbox', idempotencyKey);
  if (!item) return;
  delete item.conflict;
  await d.put('outbox', item);
}

/** The person chose to give these changes up. */
export async function discard(keys: string[]): Promise<void> {
  const tx = (await db()).transaction('outbox', 'readwrite');
  await Promise.all([...keys.map((k) => tx.store.delete(k)), tx.done]);
}

let flushing: Promise<number> | null = null;

/**
 * Send the queue in creation order. `send` says what became of each item:
 * done (answered), retry (network trouble: stop and keep the rest for later)
 * or a conflict (refused: kept with the answer, its group held back, other
 * groups go on). Returns how many were sent. Concurrent calls share one run.
 */
export function flush(send: (item: PendingMutation) => Promise<SendResult>): Promise<number> {
  flushing ??= (async () => {
    let sent = 0;
    const held = new Set<string>();
    try {
      for (const item of await pending()) {
        const group = groupOf(item);
        if (item.conflict) held.add(group);
        if (held.has(group)) continue;
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
        if (result !== 'done') {
          item.attempts += 1;
          item.conflict = { ...result.conflict, at: Date.now() };
          await (await db()).put('outbox', item);
          held.add(group);
          continue;
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
