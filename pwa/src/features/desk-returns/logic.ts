import type { ReturnableLine } from './ops';

/** What the clerk picked for one line: a quantity, or for serialised goods the serials. */
export interface LineChoice {
  quantity: number;
  serials: string[];
}

export const lineKey = (l: Pick<ReturnableLine, 'sku' | 'lotNumber'>) => `${l.sku}|${l.lotNumber ?? ''}`;

/** The authorise input's lines: only lines with something chosen, never more than returnable. */
export function returnLines(lines: readonly ReturnableLine[], chosen: Record<string, LineChoice | undefined>) {
  return lines.flatMap((l) => {
    const c = chosen[lineKey(l)];
    if (!c) return [];
    if (l.serials.length > 0 && c.serials.length > 0) {
      const serials = c.serials.filter((s) => l.serials.includes(s));
      return serials.length ? [{ sku: l.sku, lotNumber: l.lotNumber, quantity: serials.length, serials }] : [];
    }
    const quantity = Math.min(Math.max(0, Math.trunc(c.quantity)), l.returnable);
    return quantity > 0 ? [{ sku: l.sku, lotNumber: l.lotNumber, quantity }] : [];
  });
}

/** Units decided out of units authorised, for the list. */
export function progress(r: { lines: { quantity: number }[]; units: { disposition: string | null }[] }): { decided: number; authorised: number } {
  return { decided: r.units.filter((u) => u.disposition).length, authorised: r.lines.reduce((n, l) => n + l.quantity, 0) };
}
