import { AuthError, NetworkError, RequestError, gql, isUserError, sendText } from '../../graphql/client';
import { MoveSourceDocument, MoveStockDocument, type MoveSourceQuery } from '../../graphql/generated/graphql';
import { kvGet, kvSet } from '../../offline/db';
import { readScan } from '../../offline/scan';
import { queueChange, syncOutbox, syncStore } from '../../offline/sync';
import { uuid } from '../../offline/uuid';
import type { Success } from '../../ui/flow/mutate';
import type { MoveStockMutation } from '../../graphql/generated/graphql';
import { moveInput, type MoveDraft, type MoveItem } from './logic';

/**
 * A move without the network. When a source bin is scanned online the device
 * keeps what it holds (lines, items with their GTINs and tracking); a move
 * from that bin then goes on offline against the copy: the item must lie
 * there with free units, a lot-tracked item asks its lot, and (for a person
 * who may read stock; the floor's book stays blind) the quantity may not
 * pass what is free. The move waits in the outbox with its idempotency key (group
 * `moves`, in order) and the copy is lowered at once, so the next offline
 * move from the bin sees what is left. On replay the server judges again:
 * a move the world no longer allows comes back as a conflict on the sync
 * strip, nothing is applied twice.
 */

export type MoveSource = Extract<MoveSourceQuery['moveSource'], { __typename: 'MoveSource' }>;
export type SourceLine = MoveSource['lines'][number];
type MoveStockSuccess = Success<MoveStockMutation>;

export const MOVE_GROUP = 'moves';

/** One key per bin, whatever dashes or case the scan came with. */
export const sourceKey = (code: string) => `moveSource:${code.replace(/-/g, '').trim().toUpperCase()}`;

export type SourceRead = { ok: true; source: MoveSource; fromDevice: boolean } | { ok: false; code: string };

/**
 * What a source bin holds: asked from the server and kept on the device; the
 * kept copy when the server cannot be reached (or moves from the bin still wait).
 */
export async function readSource(code: string): Promise<SourceRead> {
  const saved = await kvGet<MoveSource>(sourceKey(code)).catch(() => undefined);
  const waiting = syncStore.get().items.some((m) => m.group === MOVE_GROUP);
  if (saved && waiting) return { ok: true, source: saved, fromDevice: true };
  try {
    const r = (await gql(MoveSourceDocument, { code })).moveSource;
    if (r.__typename !== 'MoveSource') return { ok: false, code: r.code };
    await kvSet(sourceKey(code), r).catch(() => {});
    await kvSet(sourceKey(r.bin.code), r).catch(() => {});
    return { ok: true, source: r, fromDevice: false };
  } catch (err) {
    if (err instanceof NetworkError || err instanceof AuthError) {
      return saved ? { ok: true, source: saved, fromDevice: true } : { ok: false, code: 'NETWORK' };
    }
    return { ok: false, code: 'REQUEST_FAILED' };
  }
}

export type LocalItem = { ok: true; item: MoveItem; lot: string | null } | { ok: false; code: string };

/** An item scan read against the copy: a SKU as printed, or a GTIN / GS1 code (with its lot). */
export function itemOnSource(source: MoveSource, raw: string): LocalItem {
  const code = raw.trim();
  let found = source.items.find((i) => i.sku.toUpperCase() === code.toUpperCase());
  let lot: string | null = null;
  if (!found) {
    const s = readScan(code);
    if (s.kind === 'error') return { ok: false, code: s.code === 'SCAN_UNKNOWN_FORMAT' ? 'ITEM_NOT_FOUND' : s.code };
    if (s.kind !== 'gs1' || !s.gtin) return { ok: false, code: 'SCAN_WRONG_KIND' };
    found = source.items.find((i) => i.gtins.includes(s.gtin as string));
    lot = s.lot;
  }
  if (!found) return { ok: false, code: 'INSUFFICIENT_STOCK' };
  const item: MoveItem = { code, sku: found.sku, name: found.name, lotTracked: found.tracking === 'LOT' };
  if (lot && !source.lines.some((l) => l.itemSku === found.sku && l.lotNumber === lot)) return { ok: false, code: 'WRONG_LOT' };
  return { ok: true, item, lot };
}

const freeLines = (source: MoveSource, sku: string, lot: string | null) =>
  source.lines.filter((l) => l.itemSku === sku && l.status === 'AVAILABLE' && l.hasFree && (lot == null || l.lotNumber === lot));

/** Free units of the item (and lot) on the copy; null when this person is not shown the book. */
export function freeOf(source: MoveSource, sku: string, lot: string | null): number | null {
  const lines = freeLines(source, sku, lot);
  if (lines.some((l) => l.free == null)) return null;
  return lines.reduce((s, l) => s + (l.free ?? 0), 0);
}

/** The device's check of a lot scanned for the item; the code the server would give. */
export function checkLot(source: MoveSource, sku: string, lot: string | null): string | null {
  const lots = new Set(freeLines(source, sku, null).map((l) => l.lotNumber));
  if (lot == null) return lots.size > 1 ? 'LOT_REQUIRED' : null;
  return lots.has(lot) ? null : 'WRONG_LOT';
}

/** The device's check of the whole move; null when it may wait for the server. */
export function checkMove(source: MoveSource, d: MoveDraft): string | null {
  if (d.wholeBin || !d.item) return source.lines.some((l) => l.status === 'AVAILABLE' && l.hasFree) ? null : 'INSUFFICIENT_STOCK';
  const lotProblem = d.item.lotTracked ? checkLot(source, d.item.sku, d.lot) : null;
  if (lotProblem) return lotProblem;
  if (freeLines(source, d.item.sku, d.lot).length === 0) return 'INSUFFICIENT_STOCK';
  const free = freeOf(source, d.item.sku, d.lot);
  if (free != null && d.quantity != null && d.quantity > free) return 'INSUFFICIENT_STOCK';
  return null;
}

/**
 * The copy after the move: the free units taken off (first lines first, as
 * listed). Where the person is not shown how many, "all" empties the lines
 * and a quantity leaves them as they were (the server knows).
 */
export function afterMove(source: MoveSource, d: MoveDraft): MoveSource {
  let left = d.wholeBin || !d.item || d.quantity == null ? Infinity : d.quantity;
  const lines = source.lines.map((l) => {
    const mine = d.wholeBin || !d.item ? true : l.itemSku === d.item.sku && (d.lot == null || l.lotNumber === d.lot);
    if (!mine || l.status !== 'AVAILABLE' || !l.hasFree || left <= 0) return l;
    if (l.free == null) return left === Infinity ? { ...l, hasFree: false } : l;
    const take = Math.min(l.free, left);
    left -= take;
    return { ...l, free: l.free - take, hasFree: l.free - take > 0 };
  });
  return { ...source, lines };
}

export type MoveSent =
  | { status: 'ok'; data: MoveStockSuccess }
  | { status: 'queued'; key: string }
  | { status: 'refused'; code: string; message: string; field: string | null }
  | { status: 'failed'; code: string };

/**
 * Send the move now, or keep it (with the copy lowered, in one write) when
 * the server cannot be reached or earlier moves still wait.
 */
export async function sendMove(d: MoveDraft, toBin: string, source: MoveSource | null): Promise<MoveSent> {
  const key = uuid();
  const variables = { input: { ...moveInput(d, toBin), idempotencyKey: key } };
  const query = MoveStockDocument.toString();
  const online = typeof navigator === 'undefined' || navigator.onLine;
  const waiting = syncStore.get().items.some((m) => m.group === MOVE_GROUP);
  if (online && !waiting) {
    try {
      const data = await sendText(query, variables);
      const payload = Object.values(data as Record<string, unknown>)[0];
      if (isUserError(payload)) return { status: 'refused', code: payload.code, message: payload.message, field: payload.field ?? null };
      // The copy is the server's no longer: read again at the next scan of the bin.
      if (source) await kvSet(sourceKey(source.bin.code), afterMove(source, d)).catch(() => {});
      return { status: 'ok', data: payload as MoveStockSuccess };
    } catch (err) {
      if (err instanceof AuthError) return { status: 'failed', code: 'UNAUTHENTICATED' };
      if (err instanceof RequestError) return { status: 'failed', code: /^[A-Z_]+$/.test(err.code) ? err.code : 'REQUEST_FAILED' };
      if (!(err instanceof NetworkError)) return { status: 'failed', code: 'REQUEST_FAILED' };
      // The answer may be lost after the server acted: the same key is replayed, nothing lands twice.
    }
  }
  if (source) {
    const problem = checkMove(source, d);
    if (problem) return { status: 'refused', code: problem, message: '', field: null };
  }
  const what = d.wholeBin || !d.item ? '*' : `${d.quantity ?? '*'} × ${d.item.sku}${d.lot ? ` (${d.lot})` : ''}`;
  await queueChange('moveStock', query, variables, key, {
    group: MOVE_GROUP,
    summary: `${what}: ${d.fromBin} → ${toBin}`,
    ...(source ? { kv: { key: sourceKey(source.bin.code), value: afterMove(source, d) } } : {}),
  });
  if (online) void syncOutbox();
  return { status: 'queued', key };
}
