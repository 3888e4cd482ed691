import type { StockQuant } from './ops';

/**
 * What a status change on a quant (or a whole lot) sends: free stock only;
 * reserved units keep their status on the server and come back as reservedLeft.
 * Freezing turns free stock BLOCKED; releasing turns it AVAILABLE again.
 */
export function statusChange(
  q: Pick<StockQuant, 'status' | 'available' | 'onHand' | 'reserved' | 'item' | 'bin' | 'lot'>,
  to: string,
  scope: 'quant' | 'lot',
  reason: string,
  warehouseId: string | null,
): Record<string, unknown> | null {
  if (q.status === to) return null;
  const free = q.onHand - q.reserved;
  if (scope === 'quant' && free <= 0) return null;
  if (scope === 'lot' && !q.lot) return null;
  return {
    itemCode: q.item.sku,
    fromStatus: q.status,
    toStatus: to,
    lotNumber: q.lot?.lotNumber ?? null,
    // Omitting the bin changes the lot on every bin of the warehouse.
    binCode: scope === 'quant' ? q.bin.code : null,
    quantity: scope === 'quant' ? free : null,
    warehouseId,
    reason: reason.trim() || null,
  };
}

/**
 * The createDisposition input for rework or scrap of free stock of one quant, or the
 * field that is wrong: a whole quantity within the free units, and a reason.
 */
export function dispositionInput(
  q: Pick<StockQuant, 'status' | 'onHand' | 'reserved' | 'item' | 'bin' | 'lot'>,
  kind: 'REWORK' | 'SCRAP',
  quantity: string,
  reason: string,
): { ok: true; input: Record<string, unknown> } | { ok: false; field: 'quantity' | 'reason' } {
  const n = Number(quantity.trim());
  if (!quantity.trim() || !Number.isInteger(n) || n < 1 || n > q.onHand - q.reserved) return { ok: false, field: 'quantity' };
  if (!reason.trim()) return { ok: false, field: 'reason' };
  return {
    ok: true,
    input: { kind, binCode: q.bin.code, itemCode: q.item.sku, lotNumber: q.lot?.lotNumber ?? null, status: q.status, quantity: n, reason: reason.trim() },
  };
}
