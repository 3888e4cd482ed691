import { AuthError, NetworkError, RequestError, gql, isUserError, sendText } from '../../graphql/client';
import { ReceiveItemDocument, ScanReceiveDocument, type ReceiveItemQuery } from '../../graphql/generated/graphql';
import { kvGet, kvSet } from '../../offline/db';
import { readScan } from '../../offline/scan';
import { queueChange, syncOutbox, syncStore } from '../../offline/sync';
import { uuid } from '../../offline/uuid';
import type { Success } from '../../ui/flow/mutate';
import type { ScanReceiveMutation } from '../../graphql/generated/graphql';
import type { ReceiptStep } from './types';

/**
 * Receiving without the network, on a receipt opened online. When the
 * receipt is opened the device keeps it (its PO lines) and the ordered items
 * (SKU, GTINs of each packaging, what they track). Scans then go on offline:
 * an item not on the order is refused on the spot ("not on this order",
 * nothing kept), a lot, expiry or serial is asked as the server would, and
 * each receipt waits in the outbox with its idempotency key (group
 * `receipt:<id>`, in order) with the copy raised in the same write. Over
 * tolerance, expired lots and the like are the server's to judge on replay;
 * a refusal comes back as a conflict on the sync strip.
 */

export type ReceiveItem = NonNullable<ReceiveItemQuery['item']>;

export interface ReceiptCopy {
  /** The PO code scanned to open it: the copy is found again by the same scan. */
  scanned: string;
  step: ReceiptStep;
  items: ReceiveItem[];
}

export interface ReceiveScan {
  code: string;
  quantity?: number;
  lotNumber?: string;
  expiry?: string;
  serialNumber?: string;
}

const norm = (code: string) => code.replace(/-/g, '').trim().toUpperCase();
const copyKey = (poCode: string) => `receipt:${norm(poCode)}`;
export const receiptGroup = (receiptId: string) => `receipt:${receiptId}`;

/** Keep the receipt just opened, with its items, under the PO code scanned. */
export async function keepReceipt(scanned: string, step: ReceiptStep): Promise<ReceiptCopy> {
  const skus = [...new Set(step.receipt.expected.map((e) => e.itemSku))];
  const items: ReceiveItem[] = [];
  for (const sku of skus) {
    try {
      const { item } = await gql(ReceiveItemDocument, { sku });
      if (item) items.push(item);
    } catch {
      // Without the item the device cannot read its scans offline; the server still can.
    }
  }
  const copy = { scanned, step, items };
  await saveReceipt(copy);
  return copy;
}

async function saveReceipt(copy: ReceiptCopy): Promise<void> {
  await kvSet(copyKey(copy.scanned), copy).catch(() => {});
}

export async function loadReceipt(poCode: string): Promise<ReceiptCopy | null> {
  return (await kvGet<ReceiptCopy>(copyKey(poCode)).catch(() => undefined)) ?? null;
}

/** The step with the server's newer receipt, the items kept. */
export async function refreshReceipt(copy: ReceiptCopy, step: ReceiptStep): Promise<ReceiptCopy> {
  const next = { ...copy, step };
  await saveReceipt(next);
  return next;
}

type Identified = { ok: true; item: ReceiveItem; per: number; lot: string | null } | { ok: false; code: string };

/** A scan read against the kept items: a SKU as printed, or a GTIN / GS1 code (its packaging and lot). */
export function identify(copy: ReceiptCopy, raw: string): Identified {
  const code = raw.trim();
  const bySku = copy.items.find((i) => i.sku.toUpperCase() === code.toUpperCase());
  if (bySku) return { ok: true, item: bySku, per: 1, lot: null };
  const s = readScan(code);
  if (s.kind === 'error') return { ok: false, code: s.code === 'SCAN_UNKNOWN_FORMAT' ? 'NOT_ON_ORDER' : s.code };
  if (s.kind !== 'gs1' || !(s.gtin ?? s.contentGtin)) return { ok: false, code: 'SCAN_WRONG_KIND' };
  const gtin = (s.gtin ?? s.contentGtin) as string;
  const item = copy.items.find((i) => i.gtins.includes(gtin) || i.packagings.some((p) => p.gtin === gtin));
  if (!item) return { ok: false, code: 'NOT_ON_ORDER' };
  const per = item.packagings.find((p) => p.gtin === gtin)?.quantity ?? 1;
  return { ok: true, item, per: Math.max(1, per), lot: s.lot };
}

/** How many of the scanned unit are still expected (for the keypad), from the copy. */
export function expectedOnCopy(copy: ReceiptCopy, code: string): number | null {
  const id = identify(copy, code);
  if (!id.ok) return null;
  const line = copy.step.receipt.expected.find((e) => e.itemSku === id.item.sku);
  if (!line || line.remaining <= 0) return null;
  return Math.max(1, Math.floor(line.remaining / id.per));
}

export type LocalReceive =
  | { ok: true; copy: ReceiptCopy; sku: string; quantity: number }
  /** LOT_REQUIRED, EXPIRY_REQUIRED, SERIAL_REQUIRED: ask and scan again; anything else: refused, nothing kept. */
  | { ok: false; code: string };

/** The device's reading of one receiving scan, with the copy after it. */
export function receiveLocally(copy: ReceiptCopy, scan: ReceiveScan, key: string): LocalReceive {
  const id = identify(copy, scan.code);
  if (!id.ok) return id;
  const line = copy.step.receipt.expected.find((e) => e.itemSku === id.item.sku);
  if (!line) return { ok: false, code: 'NOT_ON_ORDER' };
  const quantity = (scan.quantity ?? 1) * id.per;
  if (!Number.isInteger(quantity) || quantity <= 0) return { ok: false, code: 'INVALID_QUANTITY' };
  const lot = scan.lotNumber ?? id.lot;
  if (id.item.tracking === 'LOT' && !lot) return { ok: false, code: 'LOT_REQUIRED' };
  if (id.item.tracking === 'LOT' && id.item.expiryTracked && !scan.expiry) return { ok: false, code: 'EXPIRY_REQUIRED' };
  if (id.item.tracking === 'SERIAL' && !scan.serialNumber) return { ok: false, code: 'SERIAL_REQUIRED' };
  const expected = copy.step.receipt.expected.map((e) =>
    e.itemSku === line.itemSku ? { ...e, received: e.received + quantity, remaining: Math.max(0, e.remaining - quantity) } : e,
  );
  const lines = [
    ...copy.step.receipt.lines,
    {
      id: `device-${key}`,
      itemSku: id.item.sku,
      itemName: id.item.name,
      lotNumber: lot ?? null,
      expiry: scan.expiry ?? null,
      status: 'WAITING',
      quantity,
      qcResult: null,
    },
  ];
  const open = expected.find((e) => e.remaining > 0);
  const next = open
    ? { action: 'SCAN_ITEM', message: '', itemSku: open.itemSku }
    : { action: 'CLOSE_RECEIPT', message: '', itemSku: null };
  return { ok: true, copy: { ...copy, step: { receipt: { ...copy.step.receipt, expected, lines }, next } }, sku: id.item.sku, quantity };
}

type ScanReceiveSuccess = Success<ScanReceiveMutation>;

export type ReceiveSent =
  | { status: 'ok'; data: ScanReceiveSuccess }
  | { status: 'queued'; key: string; copy: ReceiptCopy; sku: string; quantity: number }
  | { status: 'refused'; code: string; message: string; field: string | null }
  | { status: 'failed'; code: string };

/** Send one receiving scan now, or keep it on the device against the copy. */
export async function sendReceive(copy: ReceiptCopy | null, receiptId: string, scan: ReceiveScan): Promise<ReceiveSent> {
  const key = uuid();
  const input = {
    receiptId,
    code: scan.code,
    quantity: scan.quantity ?? null,
    lotNumber: scan.lotNumber ?? null,
    expiry: scan.expiry ?? null,
    serialNumber: scan.serialNumber ?? null,
    idempotencyKey: key,
  };
  const query = ScanReceiveDocument.toString();
  const online = typeof navigator === 'undefined' || navigator.onLine;
  const waiting = syncStore.get().items.some((m) => m.group === receiptGroup(receiptId));
  if (online && !waiting) {
    try {
      const data = await sendText(query, { input });
      const payload = Object.values(data as Record<string, unknown>)[0];
      if (isUserError(payload)) return { status: 'refused', code: payload.code, message: payload.message, field: payload.field ?? null };
      const ok = payload as ScanReceiveSuccess;
      if (copy) await refreshReceipt(copy, { receipt: ok.receipt, next: ok.next });
      return { status: 'ok', data: ok };
    } catch (err) {
      if (err instanceof AuthError) return { status: 'failed', code: 'UNAUTHENTICATED' };
      if (err instanceof RequestError) return { status: 'failed', code: /^[A-Z_]+$/.test(err.code) ? err.code : 'REQUEST_FAILED' };
      if (!(err instanceof NetworkError)) return { status: 'failed', code: 'REQUEST_FAILED' };
      // The answer may be lost after the server acted: the same key is replayed, nothing lands twice.
    }
  }
  if (!copy) return { status: 'failed', code: 'NETWORK' };
  const local = receiveLocally(copy, scan, key);
  if (!local.ok) return { status: 'refused', code: local.code, message: '', field: null };
  await queueChange('scanReceive', query, { input }, key, {
    group: receiptGroup(receiptId),
    summary: `${local.quantity} × ${local.sku} · ${copy.step.receipt.poNumber ?? copy.step.receipt.poCode}`,
    kv: { key: copyKey(copy.scanned), value: local.copy },
  });
  if (online) void syncOutbox();
  return { status: 'queued', key, copy: local.copy, sku: local.sku, quantity: local.quantity };
}
