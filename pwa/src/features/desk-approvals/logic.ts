import type { Adjustment } from './ops';

/**
 * Four eyes: who filed an adjustment may not decide it (the server answers
 * SELF_APPROVAL). The desk hides the decision on one's own request and says
 * why; without a known user it offers it and shows the server's answer.
 */
export function decisionFor(a: Pick<Adjustment, 'state' | 'requestedBy'>, userId: string | null): 'decide' | 'own' | 'decided' {
  if (a.state !== 'PENDING') return 'decided';
  if (userId !== null && a.requestedBy === userId) return 'own';
  return 'decide';
}

/** Pending first (oldest first: they have waited longest), then the decided, newest first. */
export function byUrgency(list: readonly Adjustment[]): Adjustment[] {
  return [...list].sort((a, b) => {
    const pa = a.state === 'PENDING' ? 0 : 1;
    const pb = b.state === 'PENDING' ? 0 : 1;
    if (pa !== pb) return pa - pb;
    return pa === 0 ? a.createdAt.localeCompare(b.createdAt) : (b.decidedAt ?? b.createdAt).localeCompare(a.decidedAt ?? a.createdAt);
  });
}
