/**
 * A REPLENISH task on the handheld (pure, tested without a DOM): scan the
 * reserve bin, the item, confirm the quantity, scan the pick face; then the
 * task is completed on the server with those scans, which it checks again.
 */

import type { ReplenishTaskQuery } from '../../graphql/generated/graphql';
import { sameCode } from '../../ui/flow/logic';

/** What a REPLENISH task asks for (query ReplenishTask). */
export type ReplenishDetails = NonNullable<ReplenishTaskQuery['replenishTask']>;

/** What a REPLENISH task asks for, as far as the task itself tells. */
export interface ReplenishPlan {
  /** Null when the task's title does not name the item. */
  sku: string | null;
  /** The pick face's label (e.g. A01-003-1). */
  toLabel: string;
  quantity: number;
  /** The reserve bin's label, when the title names it. */
  fromLabel: string | null;
}

/** The plan from the server's task details (`replenishTask`). */
export function planOfDetails(d: ReplenishDetails): ReplenishPlan {
  return { sku: d.itemSku, toLabel: d.toBinLabel, quantity: d.quantity, fromLabel: d.sources[0]?.binLabel ?? null };
}

/**
 * Offline fallback: the task list carries no payload, only a title the server writes in one of
 * two shapes: "Replenish SKU to FACE: N" (pick face below its minimum) and
 * "Replenish FACE with N from BIN" (a wave that would run a face short).
 */
export function parseReplenishTitle(title: string): ReplenishPlan | null {
  const text = title.trim();
  let m = /^Replenish (\S+) to (\S+): (\d+)$/.exec(text);
  if (m) return { sku: m[1], toLabel: m[2], quantity: Number(m[3]), fromLabel: null };
  m = /^Replenish (\S+) with (\d+) from (\S+)$/.exec(text);
  if (m) return { sku: null, toLabel: m[1], quantity: Number(m[2]), fromLabel: m[3] };
  return null;
}

export type ReplenishStep = 'from' | 'item' | 'qty' | 'to' | 'sending';

export interface ReplenishState {
  step: ReplenishStep;
  /** The SKU the worker scanned (when the plan did not name one, the first accepted). */
  sku: string | null;
  /** A lot the item's barcode carried. */
  lot: string | null;
}

export const REPLENISH_START: ReplenishState = { step: 'from', sku: null, lot: null };

export type ReplenishEvent =
  | { type: 'from' }
  | { type: 'item'; sku: string; lot: string | null }
  | { type: 'qty' }
  | { type: 'to' }
  /** The server refused: scan the pick face again (nothing moved). */
  | { type: 'refused' };

export function replenishReducer(s: ReplenishState, e: ReplenishEvent): ReplenishState {
  switch (e.type) {
    case 'from':
      return s.step === 'from' ? { ...s, step: 'item' } : s;
    case 'item':
      return s.step === 'item' ? { step: 'qty', sku: e.sku, lot: e.lot } : s;
    case 'qty':
      return s.step === 'qty' ? { ...s, step: 'to' } : s;
    case 'to':
      return s.step === 'to' ? { ...s, step: 'sending' } : s;
    case 'refused':
      return s.step === 'sending' ? { ...s, step: 'to' } : s;
  }
}

/** The scanned item must be the task's (any item when the task does not say which). */
export function itemMatches(plan: ReplenishPlan, sku: string): boolean {
  return plan.sku == null || sameCode(plan.sku, sku);
}

/**
 * A bin matches a label when the label the server resolved for it is that
 * label; offline, when its code carries the label between dashes (bin codes
 * are BIN-<warehouse>-<label>-<check>).
 */
export function binMatchesLabel(code: string, label: string, resolvedLabel: string | null): boolean {
  if (resolvedLabel != null) return sameCode(resolvedLabel, label);
  return code.trim().toUpperCase().includes(`-${label.trim().toUpperCase()}-`);
}
