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
