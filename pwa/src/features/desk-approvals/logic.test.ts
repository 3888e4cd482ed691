import { describe, expect, it } from 'vitest';
import { byUrgency, decisionFor } from './logic';
import type { Adjustment } from './ops';

const adj = (id: string, state: string, createdAt: string, decidedAt: string | null = null): Adjustment => ({
  id, state, createdAt, decidedAt, requestedBy: '7', binCode: 'A', itemSku: 'X', lotNumber: null, status: 'AVAILABLE',
  quantity: -5, reason: 'DAMAGE', note: '', valueCents: 0, decidedBy: null, countId: null, moveId: null,
});

describe('adjustment decisions', () => {
  it('hides the decision from the requester and on decided ones', () => {
    expect(decisionFor({ state: 'PENDING', requestedBy: '7' }, '7')).toBe('own');
    expect(decisionFor({ state: 'PENDING', requestedBy: '7' }, '8')).toBe('decide');
    expect(decisionFor({ state: 'PENDING', requestedBy: '7' }, null)).toBe('decide');
    expect(decisionFor({ state: 'APPROVED', requestedBy: '7' }, '8')).toBe('decided');
  });

  it('lists the longest waiting first, then the latest decisions', () => {
    const list = [adj('1', 'APPROVED', '2026-01-01', '2026-01-02'), adj('2', 'PENDING', '2026-01-05'), adj('3', 'PENDING', '2026-01-03'), adj('4', 'REJECTED', '2026-01-01', '2026-01-04')];
    expect(byUrgency(list).map((a) => a.id)).toEqual(['3', '2', '4', '1']);
  });
});
