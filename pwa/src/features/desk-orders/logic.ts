import type { SalesOrder } from './ops';

export interface OrderDraft {
  number: string;
  customerCode: string;
  channel: string;
  priority: string;
  cutoff: string; // datetime-local, the device's time
  carrierCode: string;
  promised?: string; // YYYY-MM-DD
  lines: { sku: string; quantity: string }[];
}

/** The createSalesOrder input, or the first field that is wrong. Lines of the same item are added up. */
export type OrderField = 'number' | 'customer' | 'priority' | 'lines' | 'cutoff' | 'promised';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Lines of the same item added up; null when a line is wrong or none is given. */
function linesOf(lines: OrderDraft['lines']): { itemSku: string; quantity: number }[] | null {
  const qty = new Map<string, number>();
  for (const l of lines) {
    const sku = l.sku.trim();
    if (!sku && !l.quantity.trim()) continue;
    const n = Number(l.quantity);
    if (!sku || !Number.isInteger(n) || n <= 0) return null;
    qty.set(sku, (qty.get(sku) ?? 0) + n);
  }
  return qty.size ? [...qty].map(([itemSku, quantity]) => ({ itemSku, quantity })) : null;
}

export interface EditDraft {
  priority: string;
  promised: string;
  city: string;
  lines: { sku: string; quantity: string }[];
}

export function editDraftOf(o: SalesOrder): EditDraft {
  return {
    priority: String(o.priority),
    promised: o.promisedDate ?? '',
    city: o.shipTo.city ?? '',
    lines: o.lines.map((l) => ({ sku: l.itemSku, quantity: String(l.quantity) })),
  };
}

/** The updateSalesOrder input (every field sent: the lines are the order's lines from now on). */
export function editInput(orderId: string, d: EditDraft): { ok: true; input: Record<string, unknown> } | { ok: false; field: OrderField } {
  const priority = Number(d.priority);
  if (!Number.isInteger(priority) || priority < 1 || priority > 9) return { ok: false, field: 'priority' };
  const promised = d.promised.trim();
  if (promised && !DAY.test(promised)) return { ok: false, field: 'promised' };
  const lines = linesOf(d.lines);
  if (!lines) return { ok: false, field: 'lines' };
  return {
    ok: true,
    input: {
      orderId,
      priority,
      lines,
      ...(promised ? { promisedDate: promised } : { clearPromisedDate: true }),
      ...(d.city.trim() ? { shipTo: { city: d.city.trim() } } : {}),
    },
  };
}

export function orderInput(d: OrderDraft, warehouseId: string | null): { ok: true; input: Record<string, unknown> } | { ok: false; field: OrderField } {
  const number = d.number.trim();
  if (!number) return { ok: false, field: 'number' };
  if (!d.customerCode.trim()) return { ok: false, field: 'customer' };
  const priority = Number(d.priority);
  if (!Number.isInteger(priority) || priority < 1 || priority > 9) return { ok: false, field: 'priority' };
  const lines = linesOf(d.lines);
  if (!lines) return { ok: false, field: 'lines' };
  const promised = (d.promised ?? '').trim();
  if (promised && !DAY.test(promised)) return { ok: false, field: 'promised' };
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
      lines,
      ...(promised ? { promisedDate: promised } : {}),
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

export interface ListFilters {
  state: string;
  priority: string;
  channel: string;
  customer: string;
  promisedFrom: string;
  promisedTo: string;
  search: string;
}

/** Does an order this desk changed still match the list's filters (as the server would decide)? */
export function matches(o: SalesOrder, f: ListFilters): boolean {
  if (f.state && o.state !== f.state) return false;
  if (f.priority && o.priority !== Number(f.priority)) return false;
  if (f.channel.trim() && o.channel !== f.channel.trim().toUpperCase()) return false;
  if (f.customer.trim() && o.customerCode !== f.customer.trim()) return false;
  if ((f.promisedFrom || f.promisedTo) && !o.promisedDate) return false;
  if (f.promisedFrom && (o.promisedDate ?? '') < f.promisedFrom) return false;
  if (f.promisedTo && (o.promisedDate ?? '') > f.promisedTo) return false;
  if (f.search.trim() && !o.number.toLowerCase().includes(f.search.trim().toLowerCase())) return false;
  return true;
}
