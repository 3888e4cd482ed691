import { describe, expect, it } from 'vitest';
import type { PendingMutation } from './db';
import { reportOf, sameReport } from './report';

const item = (createdAt: number, conflict?: string): PendingMutation => ({
  idempotencyKey: `k${createdAt}`,
  name: 'pickScanBin',
  query: '',
  variables: {},
  createdAt,
  attempts: 0,
  ...(conflict ? { conflict: { code: conflict, message: '', field: null, at: createdAt } } : {}),
});

describe('device outbox report', () => {
  it('counts waiting and refused changes and dates the oldest', () => {
    const r = reportOf([item(2_000, 'INVALID_STATE'), item(1_000), item(3_000, 'WRONG_BIN'), item(4_000, 'INVALID_STATE')]);
    expect(r.waiting).toBe(4);
    expect(r.conflicts).toBe(3);
    expect(r.conflictCodes).toEqual(['INVALID_STATE', 'WRONG_BIN']);
    expect(r.oldestWaitingAt).toBe(new Date(1_000).toISOString());
  });

  it('an empty outbox has no oldest change', () => {
    expect(reportOf([])).toMatchObject({ waiting: 0, conflicts: 0, conflictCodes: [], oldestWaitingAt: null });
  });

  it('a report is sent again only when the outbox changed', () => {
    const a = reportOf([item(1_000)]);
    expect(sameReport(null, a)).toBe(false);
    expect(sameReport(a, reportOf([item(1_000)]))).toBe(true);
    expect(sameReport(a, reportOf([item(1_000), item(2_000)]))).toBe(false);
    expect(sameReport(a, reportOf([item(1_000, 'INVALID_STATE')]))).toBe(false);
  });
});
