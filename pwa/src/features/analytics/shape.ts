import type { AbcRow, StockValueRow, TurnoverRow } from './types';

/** Sums of a stock-value report: its total row. */
export function valueTotals(rows: readonly StockValueRow[]): { quantity: number; valueCents: number; items: number } {
  return rows.reduce((s, r) => ({ quantity: s.quantity + r.quantity, valueCents: s.valueCents + r.valueCents, items: s.items + r.items }), {
    quantity: 0,
    valueCents: 0,
    items: 0,
  });
}

/** Largest first, at most `limit`: a bar chart stays readable, the table keeps every row. */
export function topBy<T>(rows: readonly T[], value: (r: T) => number | null, limit: number): T[] {
  return rows
    .filter((r) => value(r) !== null)
    .slice()
    .sort((a, b) => (value(b) ?? 0) - (value(a) ?? 0))
    .slice(0, limit);
}

export type TurnoverMetric = 'annualTurns' | 'daysOfSupply';

/** The chart's figure of a turnover row; null when it has none (no demand: supply lasts for ever). */
export function turnoverValue(r: TurnoverRow, metric: TurnoverMetric): number | null {
  return metric === 'annualTurns' ? r.annualTurns : r.daysOfSupply;
}

export interface AbcSummary {
  /** Items per proposed class. */
  classes: { A: number; B: number; C: number };
  /** Items whose proposed class differs from the current one. */
  changes: number;
  /** Whether anything was picked at all: without demand every share is 0 and nothing is ranked. */
  anyDemand: boolean;
}

export function abcSummary(rows: readonly AbcRow[]): AbcSummary {
  const classes = { A: 0, B: 0, C: 0 };
  let changes = 0;
  let anyDemand = false;
  for (const r of rows) {
    if (r.proposedClass === 'A' || r.proposedClass === 'B' || r.proposedClass === 'C') classes[r.proposedClass] += 1;
    if (r.proposedClass !== r.currentClass) changes += 1;
    if (r.measure > 0) anyDemand = true;
  }
  return { classes, changes, anyDemand };
}

/** Whether a set of series has anything but zeros to draw. */
export function hasSignal(values: readonly number[][]): boolean {
  return values.some((vs) => vs.some((v) => v !== 0));
}

/** A short label of a day (or a week's Monday) from the server's YYYY-MM-DD. */
export function periodLabel(iso: string, locale: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric' }).format(new Date(y, m - 1, d));
}

/** A title that starts a sentence: a placeholder put first ("{metric} per picker") may be lower case. */
export function capital(s: string): string {
  return s.charAt(0).toLocaleUpperCase() + s.slice(1);
}
