import type { AgeBucket, LotTraceData } from './ops';

/** "0–30", "31–60", "> 365": a bucket's span in days. */
export function bucketLabel(b: Pick<AgeBucket, 'fromDays' | 'toDays'>): string {
  return b.toDays === null ? `> ${b.fromDays - 1}` : `${b.fromDays}–${b.toDays}`;
}

/** Bucket edges typed as "30, 60, 90": whole days, increasing; null if not. */
export function parseEdges(text: string): number[] | null {
  const parts = text.split(/[\s,;，]+/).filter(Boolean);
  if (parts.length === 0 || parts.length > 12) return null;
  const edges = parts.map(Number);
  if (edges.some((e) => !Number.isInteger(e) || e <= 0)) return null;
  for (let i = 1; i < edges.length; i++) if (edges[i] <= edges[i - 1]) return null;
  return edges;
}

/** The x offsets and widths of one bar's stacked parts, scaled so `max` fills `width`. */
export function stackParts(values: readonly number[], max: number, width: number): { x: number; w: number }[] {
  let x = 0;
  return values.map((v) => {
    const w = max > 0 ? (v / max) * width : 0;
    const part = { x, w };
    x += w;
    return part;
  });
}

function cell(v: string | number | null): string {
  const s = v === null ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The lot trace as one CSV: each receipt, bin and shipment a row, in that order. */
export function lotTraceCsv(t: LotTraceData): string {
  const head = ['section', 'date', 'sku', 'lot', 'quantity', 'warehouse', 'party', 'document', 'detail'];
  const rows: (string | number | null)[][] = [head];
  for (const r of t.received)
    rows.push(['RECEIPT', r.receivedAt, t.item.sku, t.lot.lotNumber, r.quantity, r.warehouseCode, r.supplierCode ?? '', r.poNumber ?? `receipt ${r.receiptId}`, r.reference]);
  for (const s of t.onHand) rows.push(['ON_HAND', '', t.item.sku, t.lot.lotNumber, s.onHand, s.warehouseCode, '', s.binCode, s.status]);
  for (const s of t.shipped)
    rows.push(['SHIPMENT', s.shippedAt ?? s.packedAt ?? '', t.item.sku, t.lot.lotNumber, s.quantity, s.warehouseCode, s.customerCode, s.orderNumber, s.waybillNo ?? s.cartonSscc ?? '']);
  return rows.map((r) => r.map(cell).join(',')).join('\n') + '\n';
}
