import { AuthError, NetworkError, RequestError, gqlText, isUserError } from '../graphql/client';
import { kvGet, kvSet, type PendingMutation } from './db';
import { queueChange, refreshOutboxCount, syncOutbox, syncStore } from './sync';
import { uuid } from './uuid';

/**
 * What every offline task flow shares (the pick's design, pickWork.ts, for
 * the flows with a single change or a few): the device keeps a copy of the
 * claimed task under its own key; while the server can be reached and
 * nothing of the task waits, a change goes straight to the server;
 * otherwise it waits in the outbox in the task's group (`task:<id>`, in
 * order, with its idempotency key), written in one transaction with the
 * copy as it now stands. The server judges each change on replay; a refusal
 * comes back as a conflict on the sync strip.
 */

export const taskGroup = (taskId: string) => `task:${taskId}`;

export function waitingForTask(taskId: string): PendingMutation[] {
  return syncStore.get().items.filter((m) => m.group === taskGroup(taskId));
}

export type CopyLoaded<T> = { ok: true; value: T; fromDevice: boolean } | { ok: false; code: string };

/**
 * The task as the server has it (kept on the device), unless changes of it
 * still wait here: then the device's copy is ahead and is what is shown.
 * Without a network the copy is shown too.
 */
export async function loadTaskCopy<T>(
  key: string,
  taskId: string,
  fromServer: () => Promise<{ ok: true; value: T } | { ok: false; code: string }>,
): Promise<CopyLoaded<T>> {
  await refreshOutboxCount();
  const saved = await kvGet<T>(key).catch(() => undefined);
  if (saved && waitingForTask(taskId).length > 0) return { ok: true, value: saved, fromDevice: true };
  try {
    const r = await fromServer();
    if (!r.ok) return saved ? { ok: true, value: saved, fromDevice: true } : r;
    await kvSet(key, r.value).catch(() => {});
    return { ok: true, value: r.value, fromDevice: false };
  } catch (err) {
    if (saved && (err instanceof NetworkError || err instanceof AuthError)) return { ok: true, value: saved, fromDevice: true };
    return { ok: false, code: err instanceof NetworkError ? 'NETWORK' : 'REQUEST_FAILED' };
  }
}

export async function saveTaskCopy(key: string, value: unknown): Promise<void> {
  await kvSet(key, value).catch(() => {});
}

export type TaskChange<T> =
  | { status: 'ok'; data: T }
  /** Kept on this device; sent when the link is back. */
  | { status: 'queued'; key: string }
  | { status: 'refused'; code: string; message: string; field: string | null }
  | { status: 'failed'; code: string };

export interface TaskChangeOptions {
  /** What the change was, for the person resolving a conflict. */
  summary: string;
  /**
   * The copy as it stands after the change, if it is kept; or why it may not be
   * kept offline (the code the server would give).
   */
  offline: { ok: true; key: string; value: unknown } | { ok: false; code: string };
  /** The input to keep when the change waits, if it differs from the one sent now. */
  queuedInput?: Record<string, unknown>;
}

/** Send one change of a task now, or keep it in the task's group for later. */
export async function sendTaskChange<T>(
  taskId: string,
  name: string,
  query: string,
  input: Record<string, unknown>,
  opts: TaskChangeOptions,
): Promise<TaskChange<T>> {
  const key = uuid();
  const variables = { input: { ...input, idempotencyKey: key } };
  const online = typeof navigator === 'undefined' || navigator.onLine;
  if (online && waitingForTask(taskId).length === 0) {
    try {
      const data = await gqlText<Record<string, unknown>>(query, variables);
      const payload = Object.values(data)[0];
      if (isUserError(payload)) return { status: 'refused', code: payload.code, message: payload.message, field: payload.field ?? null };
      return { status: 'ok', data: payload as T };
    } catch (err) {
      if (err instanceof AuthError) return { status: 'failed', code: 'UNAUTHENTICATED' };
      if (err instanceof RequestError) return { status: 'failed', code: /^[A-Z_]+$/.test(err.code) ? err.code : 'REQUEST_FAILED' };
      if (!(err instanceof NetworkError)) return { status: 'failed', code: 'REQUEST_FAILED' };
      // The answer may be lost after the server acted: the same key is replayed, so nothing lands twice.
    }
  }
  if (!opts.offline.ok) return { status: 'refused', code: opts.offline.code, message: '', field: null };
  const kept = opts.queuedInput ? { input: { ...opts.queuedInput, idempotencyKey: key } } : variables;
  await queueChange(name, query, kept, key, {
    group: taskGroup(taskId),
    summary: opts.summary,
    kv: { key: opts.offline.key, value: opts.offline.value },
  });
  if (online) void syncOutbox();
  return { status: 'queued', key };
}
