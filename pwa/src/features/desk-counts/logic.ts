import type { CountReview } from './ops';

/** Units and value a review would change if accepted (pending lines only). */
export function reviewTotals(r: Pick<CountReview, 'lines'>): { units: number; valueCents: number; lines: number } {
  const pending = r.lines.filter((l) => l.state === 'PENDING');
  return {
    units: pending.reduce((s, l) => s + l.variance, 0),
    valueCents: pending.reduce((s, l) => s + l.valueCents, 0),
    lines: pending.length,
  };
}

/** The counter may not decide their own count (the server says SELF_APPROVAL). */
export function mayDecideCount(r: Pick<CountReview, 'state' | 'countedBy'>, userId: string | null): 'decide' | 'own' | 'decided' {
  if (r.state !== 'PENDING_APPROVAL') return 'decided';
  if (userId !== null && r.countedBy === userId) return 'own';
  return 'decide';
}

export type PlanInput = {
  name: string;
  kind: 'ABC' | 'ZONE' | 'FLAGGED' | 'ADHOC';
  abcClass: string;
  zoneCode: string;
  binCodes: string;
  intervalDays: string;
};

/**
 * The createCountPlan input from the form, or the field that is missing. The
 * server checks again (unknown zone, bins); this only saves a round trip.
 */
export function planInput(f: PlanInput, warehouseId: string | null): { ok: true; input: Record<string, unknown> } | { ok: false; field: keyof PlanInput } {
  const name = f.name.trim();
  if (!name) return { ok: false, field: 'name' };
  const input: Record<string, unknown> = { name, kind: f.kind, warehouseId };
  if (f.kind === 'ABC') {
    if (!/^[ABC]$/.test(f.abcClass)) return { ok: false, field: 'abcClass' };
    input.abcClass = f.abcClass;
  }
  if (f.kind === 'ZONE') {
    if (!f.zoneCode.trim()) return { ok: false, field: 'zoneCode' };
    input.zoneCode = f.zoneCode.trim();
  }
  if (f.kind === 'ADHOC') {
    const bins = f.binCodes.split(/[\s,;]+/).map((b) => b.trim()).filter(Boolean);
    if (bins.length === 0) return { ok: false, field: 'binCodes' };
    input.binCodes = [...new Set(bins)];
  }
  if (f.intervalDays.trim()) {
    const n = Number(f.intervalDays);
    if (!Number.isInteger(n) || n < 0) return { ok: false, field: 'intervalDays' };
    input.intervalDays = n;
  }
  return { ok: true, input };
}
