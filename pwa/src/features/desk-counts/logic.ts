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

export type ScheduleForm = { aDays: string; bDays: string; cDays: string; dueDays: string };

/**
 * The setCountSchedule input from the form, or the field that is wrong: whole days of
 * 1–3660, and a class counted at least as often as the classes below it (the server
 * checks the same and answers INVALID_INPUT).
 */
export function scheduleInput(f: ScheduleForm, warehouseId: string | null): { ok: true; input: Record<string, unknown> } | { ok: false; field: keyof ScheduleForm } {
  const days: Partial<Record<keyof ScheduleForm, number>> = {};
  for (const k of ['aDays', 'bDays', 'cDays', 'dueDays'] as const) {
    const n = Number(f[k].trim());
    if (!f[k].trim() || !Number.isInteger(n) || n < 1 || n > (k === 'dueDays' ? 365 : 3660)) return { ok: false, field: k };
    days[k] = n;
  }
  if (days.aDays! > days.bDays!) return { ok: false, field: 'aDays' };
  if (days.bDays! > days.cDays!) return { ok: false, field: 'bDays' };
  return { ok: true, input: { ...days, warehouseId } };
}

/** The decision input of a review: the cause only when one was chosen. */
export function decisionInput(countId: string, cause: string): Record<string, unknown> {
  return cause ? { countId, cause } : { countId };
}
