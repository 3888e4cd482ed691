import { describe, expect, it } from 'vitest';
import type { Discrepancy, PoLine } from './types';
import { countByKind, difference, isLate, localIsoDate, mayAllowUnplanned, nextDue, poActions, poUnits, receiptSource, replaced, share, sinceOf } from './logic';

const line = (over: Partial<PoLine>): PoLine => ({
  lineNo: 1,
  itemSku: 'SKU-1',
  itemName: 'Item',
  packaging: null,
  orderedUnits: 1,
  quantity: 10,
  received: 0,
  remaining: 10,
  unitPriceCents: 100,
  dueDate: null,
  ...over,
});

describe('purchase order figures', () => {
  it('adds base units over lines and shows progress from 0 to 1', () => {
    const lines = [line({ quantity: 24, received: 6 }), line({ quantity: 96, received: 96, remaining: 0 })];
    expect(poUnits(lines)).toEqual({ ordered: 120, received: 102 });
    expect(share(6, 24)).toBe(0.25);
    expect(share(30, 24)).toBe(1);
    expect(share(0, 0)).toBe(0);
    expect(share(2, 0)).toBe(1);
  });

  it('finds the next due day of lines still open and the late ones', () => {
    const lines = [
      line({ dueDate: '2026-11-20', remaining: 0 }),
      line({ dueDate: '2026-11-24' }),
      line({ dueDate: '2026-11-22' }),
      line({ dueDate: null }),
    ];
    expect(nextDue(lines)).toBe('2026-11-22');
    expect(nextDue([line({})])).toBeNull();
    expect(isLate(lines[2], '2026-11-23')).toBe(true);
    expect(isLate(lines[2], '2026-11-22')).toBe(false);
    // Fully received: never late.
    expect(isLate(lines[0], '2026-11-23')).toBe(false);
    expect(localIsoDate(new Date(2026, 0, 5))).toBe('2026-01-05');
  });
});

describe('what a user may do', () => {
  it('lets supervisors decide submitted orders and close or cancel in the states the server allows', () => {
    expect(poActions({ state: 'DRAFT' }, ['supervisor'])).toEqual({ submit: true, approve: false, reject: false, close: false, cancel: true });
    expect(poActions({ state: 'SUBMITTED' }, ['supervisor'])).toEqual({ submit: false, approve: true, reject: true, close: false, cancel: true });
    expect(poActions({ state: 'PARTIALLY_RECEIVED' }, ['admin'])).toEqual({ submit: false, approve: false, reject: false, close: true, cancel: false });
    expect(poActions({ state: 'CLOSED' }, ['supervisor'])).toEqual({ submit: false, approve: false, reject: false, close: false, cancel: false });
    // Planners and viewers read the desk but decide nothing.
    for (const roles of [['planner'], ['viewer']]) {
      expect(Object.values(poActions({ state: 'SUBMITTED' }, roles)).some(Boolean)).toBe(false);
      expect(Object.values(poActions({ state: 'DRAFT' }, roles)).some(Boolean)).toBe(false);
    }
  });

  it('lets supervisors allow unplanned items on open purchase receipts only', () => {
    expect(mayAllowUnplanned({ state: 'OPEN', kind: 'PURCHASE' }, ['supervisor'])).toBe(true);
    expect(mayAllowUnplanned({ state: 'CLOSED', kind: 'PURCHASE' }, ['supervisor'])).toBe(false);
    expect(mayAllowUnplanned({ state: 'OPEN', kind: 'RETURN' }, ['supervisor'])).toBe(false);
    expect(mayAllowUnplanned({ state: 'OPEN', kind: 'PURCHASE' }, ['planner'])).toBe(false);
  });
});

describe('lists', () => {
  const d = (kind: string, expected: number | null = null, quantity = 1): Discrepancy => ({ kind, poNumber: null, receiptId: null, itemSku: 'S', expected, quantity });

  it('counts discrepancies by kind in a fixed order, unknown kinds last', () => {
    expect(countByKind([d('QC_FAILED'), d('OVER'), d('NEW_KIND'), d('OVER'), d('UNDER')])).toEqual([
      ['OVER', 2],
      ['UNDER', 1],
      ['QC_FAILED', 1],
      ['NEW_KIND', 1],
    ]);
    expect(countByKind([])).toEqual([]);
  });

  it('gives the over or under quantity', () => {
    expect(difference(d('OVER', 10, 12))).toBe(2);
    expect(difference(d('UNDER', 10, 4))).toBe(-6);
    expect(difference(d('DAMAGED', null, 3))).toBeNull();
  });

  it('names the source of a receipt and windows back in time', () => {
    expect(receiptSource({ poNumber: 'W1-000001', customerCode: null, sourceWarehouseCode: null })).toBe('W1-000001');
    expect(receiptSource({ poNumber: null, customerCode: 'CUST-1', sourceWarehouseCode: null })).toBe('CUST-1');
    expect(receiptSource({ poNumber: null, customerCode: null, sourceWarehouseCode: 'W2' })).toBe('W2');
    expect(sinceOf(null, new Date())).toBeNull();
    expect(sinceOf(30, new Date('2026-11-22T00:00:00Z'))).toBe('2026-10-23T00:00:00.000Z');
    expect(replaced([{ id: '1', v: 1 }, { id: '2', v: 2 }], { id: '2', v: 3 })).toEqual([{ id: '1', v: 1 }, { id: '2', v: 3 }]);
  });
});
