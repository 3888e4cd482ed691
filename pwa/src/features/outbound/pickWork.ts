import { AuthError, NetworkError, gql, isUserError } from '../../graphql/client';
import {
  PickConfirmDocument,
  PickRouteDocument,
  PickScanBinDocument,
  PickScanItemDocument,
  PickShortDocument,
  PickSkipDocument,
  type PickConfirmMutation,
  type PickShortMutation,
  type PickSkipMutation,
  type PickScanBinMutation,
  type PickScanItemMutation,
} from '../../graphql/generated/graphql';
import { kvGet, kvSet, type PendingMutation } from '../../offline/db';
import { queueChange, refreshOutboxCount, syncOutbox, syncStore } from '../../offline/sync';
import { uuid } from '../../offline/uuid';
import { applyAction, fromServer, progressOf, type PickAction, type PickCopy, type PickProgress } from './offlinePick';

/**
 * Pick work that goes on without the network. The device keeps a copy of a
 * claimed task (every open stop); while the server can be reached and
 * nothing of this task waits in the outbox, each scan goes straight to the
 * server. Otherwise the scan is checked against the copy, the copy moves on,
 * and the mutation waits in the outbox (with its idempotency key, in order,
 * written together with the copy) until the link is back.
 */

export const groupFor = (taskId: string) => `task:${taskId}`;
const copyKey = (taskId: string) => `pick:${taskId}`;

export type Loaded =
  | { ok: true; progress: PickProgress; fromDevice: boolean }
  | { ok: false; code: string };

export type ActResult =
  | { status: 'ok'; progress: PickProgress }
  /** Checked and kept on this device; sent when the link is back. */
  | { status: 'queued'; progress: PickProgress }
  | { status: 'refused'; code: string; message: string | null };

export function waitingFor(taskId: string): PendingMutation[] {
  return syncStore.get().items.filter((m) => m.group === groupFor(taskId));
}

export async function savedCopy(taskId: string): Promise<PickCopy | undefined> {
  return kvGet<PickCopy>(copyKey(taskId)).catch(() => undefined);
}

/**
 * The task from the server, unless changes of it still wait on this device:
 * then the device's copy is ahead of the server and is what the picker sees.
 */
export async function loadPick(taskId: string): Promise<Loaded> {
  await refreshOutboxCount();
  const saved = await savedCopy(taskId);
  const behind = waitingFor(taskId).length > 0;
  if (behind && saved) return { ok: true, progress: progressOf(saved), fromDevice: true };
  try {
    const r = (await gql(PickRouteDocument, { taskId })).pickTaskProgress;
    if (r.__typename !== 'PickProgress') {
      return saved ? { ok: true, progress: progressOf(saved), fromDevice: true } : { ok: false, code: r.code };
    }
    const copy = fromServer(r);
    await kvSet(copyKey(taskId), copy).catch(() => {});
    return { ok: true, progress: progressOf(copy), fromDevice: false };
  } catch (err) {
    if (saved && (err instanceof NetworkError || err instanceof AuthError)) return { ok: true, progress: progressOf(saved), fromDevice: true };
    return { ok: false, code: err instanceof NetworkError ? 'NETWORK' : 'REQUEST_FAILED' };
  }
}

/** Every pick scan answers the same union: the progress, or a UserError. */
type PickAnswer =
  | PickScanBinMutation['pickScanBin']
  | PickScanItemMutation['pickScanItem']
  | PickConfirmMutation['pickConfirm']
  | PickShortMutation['pickShort']
  | PickSkipMutation['pickSkip'];

interface PickRequest {
  /** The outbox's name for it, and the text and variables it keeps for replay. */
  name: string;
  query: string;
  variables: Record<string, unknown>;
  send: () => Promise<PickAnswer>;
}

function request(taskId: string, a: PickAction, idempotencyKey: string): PickRequest {
  const base = { taskId, lineId: a.lineId, idempotencyKey };
  switch (a.kind) {
    case 'bin': {
      const variables = { input: { ...base, code: a.code } };
      return { name: 'pickScanBin', query: PickScanBinDocument.toString(), variables, send: async () => (await gql(PickScanBinDocument, variables)).pickScanBin };
    }
    case 'item': {
      const variables = { input: { ...base, code: a.code } };
      return { name: 'pickScanItem', query: PickScanItemDocument.toString(), variables, send: async () => (await gql(PickScanItemDocument, variables)).pickScanItem };
    }
    case 'confirm': {
      const variables = { input: { ...base, toteCode: a.toteCode, quantity: a.quantity } };
      return { name: 'pickConfirm', query: PickConfirmDocument.toString(), variables, send: async () => (await gql(PickConfirmDocument, variables)).pickConfirm };
    }
    case 'short': {
      const variables = { input: { ...base, reportedQuantity: a.reportedQuantity } };
      return { name: 'pickShort', query: PickShortDocument.toString(), variables, send: async () => (await gql(PickShortDocument, variables)).pickShort };
    }
    case 'skip': {
      const variables = { input: base };
      return { name: 'pickSkip', query: PickSkipDocument.toString(), variables, send: async () => (await gql(PickSkipDocument, variables)).pickSkip };
    }
  }
}

/** What the change was, for the person resolving a conflict. */
function summary(copy: PickCopy, a: PickAction): string {
  const stop = copy.stops.find((s) => s.lineId === a.lineId);
  const where = stop ? `${stop.binLabel} · ${stop.itemSku}` : `line ${a.lineId}`;
  switch (a.kind) {
    case 'bin':
      return `bin ${a.code} · ${where}`;
    case 'item':
      return `item ${a.code} · ${where}`;
    case 'confirm':
      return `${a.quantity ?? stop?.quantity ?? 1} → ${a.toteCode} · ${where}`;
    case 'short':
      return `short, ${a.reportedQuantity} found · ${where}`;
    case 'skip':
      return `skip · ${where}`;
  }
}

/** Refusals the device makes only because it cannot ask: online the server decides. */
const SERVER_MAY_ACCEPT = new Set(['WRONG_LOT', 'SCAN_NOT_READ_OFFLINE', 'WRONG_TOTE']);

export async function act(taskId: string, a: PickAction): Promise<ActResult> {
  const copy = (await savedCopy(taskId)) ?? null;
  const local = copy ? applyAction(copy, a) : null;
  const key = uuid();
  const { name, query, variables, send } = request(taskId, a, key);
  const online = typeof navigator === 'undefined' || navigator.onLine;

  if (online && waitingFor(taskId).length === 0) {
    if (local && !local.ok && !SERVER_MAY_ACCEPT.has(local.code)) return { status: 'refused', code: local.code, message: null };
    try {
      const progress = await send();
      if (isUserError(progress)) return { status: 'refused', code: progress.code, message: progress.message };
      await keepInStep(taskId, local?.ok ? local.copy : null, progress);
      return { status: 'ok', progress };
    } catch (err) {
      if (!(err instanceof NetworkError)) return { status: 'refused', code: err instanceof AuthError ? 'UNAUTHENTICATED' : 'REQUEST_FAILED', message: null };
      // The answer may be lost after the server acted: the same key is replayed, so nothing lands twice.
    }
  }

  if (!copy || !local) return { status: 'refused', code: 'OFFLINE_NO_COPY', message: null };
  if (!local.ok) return { status: 'refused', code: local.code, message: null };
  await queueChange(name, query, variables, key, {
    group: groupFor(taskId),
    summary: summary(copy, a),
    kv: { key: copyKey(taskId), value: local.copy },
  });
  if (online) void syncOutbox();
  return { status: 'queued', progress: progressOf(local.copy) };
}

/**
 * After an online answer: the copy moves on the same way if it agrees with
 * the server; if not (a short found stock elsewhere, a line was cancelled),
 * the route is read again.
 */
async function keepInStep(taskId: string, next: PickCopy | null, server: PickProgress): Promise<void> {
  const agrees =
    next &&
    (next.stops[0]?.lineId ?? null) === (server.next?.lineId ?? null) &&
    (server.step === 'DONE' || next.step === server.step) &&
    next.linesTotal === server.linesTotal;
  if (agrees && next) {
    const merged: PickCopy = { ...next, linesDone: server.linesDone, unitsTotal: server.unitsTotal, unitsPicked: server.unitsPicked, taskState: server.taskState };
    await kvSet(copyKey(taskId), merged).catch(() => {});
    return;
  }
  await loadPick(taskId);
}

/**
 * The tote a one-unit line goes into without scanning it: a cart of one
 * order whose tote was already scanned once on this cart. The server still
 * wants the tote in pickConfirm (and checks it); the device sends the one it
 * knows, so the picker scans the bin and the item and walks on.
 */
export async function knownSingleTote(taskId: string, lineId: string): Promise<string | null> {
  const copy = await savedCopy(taskId);
  const stop = copy?.stops[0];
  if (!copy || !stop || stop.lineId !== lineId || stop.quantity !== 1) return null;
  const orders = new Set(copy.stops.map((s) => s.orderNumber));
  if (orders.size !== 1 || Object.keys(copy.totes).some((o) => o !== stop.orderNumber)) return null;
  return copy.totes[stop.orderNumber] ?? stop.toteCode ?? null;
}
