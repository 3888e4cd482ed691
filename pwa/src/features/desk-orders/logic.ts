import type { SalesOrder } from './ops';

export interface OrderDraft {
  number: string;
  customerCode: string;
  channel: string;
  priority: string;
  cutoff: string; // datetime-local, the device's time
  carrierCode: string;
  lines: { sku: string; quantity: string }[];
}

/** The createSalesOrder input, or the first field that is wrong. Lines of the same item are added up. */
export type OrderField = 'number' | 'customer' | 'priority' | 'lines' | 'cutoff';

export function orderInput(d: OrderDraft, warehouseId: string | null): { ok: true; input: Record<string, unknown> } | { ok: false; field: OrderField } {
  const number = d.number.trim();
  if (!number) return { ok: false, field: 'number' };
  if (!d.customerCode.trim()) return { ok: false, field: 'customer' };
  const priority = Number(d.priority);
  if (!Number.isInteger(priority) || priority < 1 || priority > 9) return { ok: false, field: 'priority' };
  const qty = new Map<string, number>();
  for (const l of d.lines) {
    const sku = l.sku.trim();
    if (!sku && !l.quantity.trim()) continue;
    const n = Number(l.quantity);
    if (!sku || !Number.isInteger(n) || n <= 0) return { ok: false, field: 'lines' };
    qty.set(sku, (qty.get(sku) ?? 0) + n);
  }
  if (qty.size === 0) return { ok: false, field: 'lines' };
  let cutoffAt: string | null = null;
  if (d.cutoff.trim()) {
    const at = new Date(d.cutoff);
    if (Number.isNaN(at.getTime())) return { ok: false, field: 'cutoff' };
    cutoffAt = at.toISOString();
  }
  return {
    ok: true,
    input: {
      number,
      customerCode: d.customerCode.trim(),
      channel: d.channel.trim().toUpperCase() || 'DEFAULT',
      priority,
      cutoffAt,
      carrierCode: d.carrierCode.trim() || null,
      warehouseId,
      lines: [...qty].map(([itemSku, quantity]) => ({ itemSku, quantity })),
    },
  };
}

/** Units ordered and reserved, for the list's figure. */
export function orderUnits(o: Pick<SalesOrder, 'lines'>): { ordered: number; reserved: number } {
  return o.lines.reduce((s, l) => ({ ordered: s.ordered + l.quantity, reserved: s.reserved + l.reserved }), { ordered: 0, reserved: 0 });
}

/** Most urgent first: priority (1 is the most urgent), then the earliest cut-off, then the oldest. */
export function byUrgency(list: readonly SalesOrder[]): SalesOrder[] {
  return [...list].sort((a, b) => a.priority - b.priority || (a.cutoffAt ?? '9').localeCompare(b.cutoffAt ?? '9') || a.createdAt.localeCompare(b.createdAt));
}

/** Merge orders seen on this desk (created, looked up, cancelled) into the pool's list, the newest answer winning. */
export function merged(pool: readonly SalesOrder[], seen: readonly SalesOrder[]): SalesOrder[] {
  const byId = new Map(pool.map((o) => [o.id, o]));
  for (const o of seen) byId.set(o.id, o);
  return [...byId.values()];
}
