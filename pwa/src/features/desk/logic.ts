import type { DeskPo, DeskReceipt, Discrepancy, PoLine } from './types';
import { can } from './access';

/** Units ordered and received over all lines (base units, so cases and pieces add up). */
export function poUnits(lines: readonly PoLine[]): { ordered: number; received: number } {
  return lines.reduce((s, l) => ({ ordered: s.ordered + l.quantity, received: s.received + l.received }), { ordered: 0, received: 0 });
}

/** Received over ordered as 0..1 for a progress bar (an over-receipt fills it, no more). */
export function share(received: number, ordered: number): number {
  if (ordered <= 0) return received > 0 ? 1 : 0;
  return Math.min(1, Math.max(0, received / ordered));
}

/** A date as YYYY-MM-DD in the device's time zone (due dates are calendar days). */
export function localIsoDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** The earliest due date of a line still waiting for goods, or null. */
export function nextDue(lines: readonly PoLine[]): string | null {
  let best: string | null = null;
  for (const l of lines) {
    if (l.remaining > 0 && l.dueDate && (best === null || l.dueDate < best)) best = l.dueDate;
  }
  return best;
}

/** Goods still expected after their due day. */
export function isLate(line: Pick<PoLine, 'dueDate' | 'remaining'>, today: string): boolean {
  return line.remaining > 0 && line.dueDate !== null && line.dueDate < today;
}

export interface PoActions {
  submit: boolean;
  approve: boolean;
  reject: boolean;
  close: boolean;
  cancel: boolean;
}

/** What this user may do to the order in its state (the server's rules in backend/inbound/purchasing.py). */
export function poActions(po: Pick<DeskPo, 'state'>, roles: readonly string[]): PoActions {
  const decide = po.state === 'SUBMITTED' && can(roles, 'purchase.approve');
  const manage = can(roles, 'purchase.manage');
  return {
    submit: manage && po.state === 'DRAFT',
    approve: decide,
    reject: decide,
    close: manage && ['APPROVED', 'PARTIALLY_RECEIVED', 'RECEIVED'].includes(po.state),
    cancel: manage && ['DRAFT', 'SUBMITTED', 'APPROVED'].includes(po.state),
  };
}

/** Whether the user may switch "items not on the order" for this receipt. */
export function mayAllowUnplanned(r: Pick<DeskReceipt, 'state' | 'kind'>, roles: readonly string[]): boolean {
  return r.state === 'OPEN' && r.kind === 'PURCHASE' && can(roles, 'purchase.approve');
}

/** Where a receipt's goods come from: the PO, the returning customer, or the sending warehouse. */
export function receiptSource(r: Pick<DeskReceipt, 'poNumber' | 'customerCode' | 'sourceWarehouseCode'>): string {
  return r.poNumber ?? r.customerCode ?? r.sourceWarehouseCode ?? '';
}

export const DISCREPANCY_KINDS = ['OVER', 'UNDER', 'NOT_ON_ORDER', 'DAMAGED', 'EXPIRED', 'QC_FAILED'] as const;

/** How many discrepancies of each kind, known kinds first in a fixed order, then any new ones. */
export function countByKind(list: readonly Discrepancy[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const d of list) counts.set(d.kind, (counts.get(d.kind) ?? 0) + 1);
  const known = DISCREPANCY_KINDS.filter((k) => counts.has(k)).map((k) => [k, counts.get(k)!] as [string, number]);
  const other = [...counts].filter(([k]) => !(DISCREPANCY_KINDS as readonly string[]).includes(k)).sort();
  return [...known, ...other];
}

/** Received minus expected, when the discrepancy has an expectation (over and under). */
export function difference(d: Pick<Discrepancy, 'expected' | 'quantity'>): number | null {
  return d.expected === null ? null : d.quantity - d.expected;
}

/** The start of a look-back window of `days` days, or null for all time. */
export function sinceOf(days: number | null, now: Date): string | null {
  return days === null ? null : new Date(now.getTime() - days * 86_400_000).toISOString();
}

/** Replace the item with the same id, keeping the list's order. */
export function replaced<T extends { id: string }>(list: readonly T[], item: T): T[] {
  return list.map((x) => (x.id === item.id ? item : x));
}
