import { describe, expect, it } from 'vitest';
import { decisionInput, mayDecideCount, planInput, reviewTotals, scheduleInput } from './logic';

describe('count review', () => {
  it('totals only the lines still to decide', () => {
    const lines = [
      { itemSku: 'A', lotNumber: null, book: 10, counted: 7, variance: -3, valueCents: -300, state: 'PENDING' },
      { itemSku: 'B', lotNumber: null, book: 5, counted: 5, variance: 0, valueCents: 0, state: 'MATCH' },
      { itemSku: 'C', lotNumber: 'L1', book: 0, counted: 2, variance: 2, valueCents: 500, state: 'PENDING' },
    ];
    expect(reviewTotals({ lines })).toEqual({ units: -1, valueCents: 200, lines: 2 });
  });

  it('keeps the counter from deciding their own count', () => {
    expect(mayDecideCount({ state: 'PENDING_APPROVAL', countedBy: '4' }, '4')).toBe('own');
    expect(mayDecideCount({ state: 'PENDING_APPROVAL', countedBy: '4' }, '5')).toBe('decide');
    expect(mayDecideCount({ state: 'CLOSED', countedBy: '4' }, '5')).toBe('decided');
  });
});

describe('count plan form', () => {
  const base = { name: 'A monthly', kind: 'ABC' as const, abcClass: 'A', zoneCode: '', binCodes: '', intervalDays: '' };
  it('builds the input per kind', () => {
    expect(planInput(base, '1')).toEqual({ ok: true, input: { name: 'A monthly', kind: 'ABC', abcClass: 'A', warehouseId: '1' } });
    expect(planInput({ ...base, kind: 'ADHOC', binCodes: 'A-01, A-02\nA-01' }, null)).toEqual({
      ok: true,
      input: { name: 'A monthly', kind: 'ADHOC', binCodes: ['A-01', 'A-02'], warehouseId: null },
    });
    expect(planInput({ ...base, kind: 'FLAGGED', intervalDays: '14' }, null)).toEqual({ ok: true, input: { name: 'A monthly', kind: 'FLAGGED', intervalDays: 14, warehouseId: null } });
  });
  it('names the field that is missing or wrong', () => {
    expect(planInput({ ...base, name: ' ' }, null)).toEqual({ ok: false, field: 'name' });
    expect(planInput({ ...base, abcClass: 'D' }, null)).toEqual({ ok: false, field: 'abcClass' });
    expect(planInput({ ...base, kind: 'ZONE' }, null)).toEqual({ ok: false, field: 'zoneCode' });
    expect(planInput({ ...base, kind: 'ADHOC' }, null)).toEqual({ ok: false, field: 'binCodes' });
    expect(planInput({ ...base, intervalDays: '-2' }, null)).toEqual({ ok: false, field: 'intervalDays' });
  });
});

describe('count schedule', () => {
  const form = { aDays: '30', bDays: '90', cDays: '365', dueDays: '7' };
  it('builds the input with whole days', () => {
    expect(scheduleInput(form, '1')).toEqual({ ok: true, input: { aDays: 30, bDays: 90, cDays: 365, dueDays: 7, warehouseId: '1' } });
  });
  it('names the wrong field', () => {
    expect(scheduleInput({ ...form, bDays: '0' }, null)).toEqual({ ok: false, field: 'bDays' });
    expect(scheduleInput({ ...form, aDays: '100' }, null)).toEqual({ ok: false, field: 'aDays' });
    expect(scheduleInput({ ...form, dueDays: '1.5' }, null)).toEqual({ ok: false, field: 'dueDays' });
  });
  it('sends a cause only when one is chosen', () => {
    expect(decisionInput('4', '')).toEqual({ countId: '4' });
    expect(decisionInput('4', 'THEFT')).toEqual({ countId: '4', cause: 'THEFT' });
  });
});
