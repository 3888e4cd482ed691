import { describe, expect, it } from 'vitest';
import type { AbcRow, TurnoverRow } from './types';
import { csvFilename } from './csv';
import { abcSummary, capital, hasSignal, periodLabel, topBy, turnoverValue, valueTotals } from './shape';

const abc = (sku: string, proposedClass: string, currentClass: string, measure = 1): AbcRow => ({
  itemId: sku,
  sku,
  lines: measure,
  units: measure,
  measure,
  share: 0,
  cumulativeShare: 0,
  proposedClass,
  currentClass,
});

describe('report shapes', () => {
  it('totals a stock-value report', () => {
    expect(
      valueTotals([
        { key: 'Dairy', quantity: 366, valueCents: 912561, items: 3 },
        { key: 'Frozen', quantity: 353, valueCents: 1648821, items: 3 },
      ]),
    ).toEqual({ quantity: 719, valueCents: 2561382, items: 6 });
    expect(valueTotals([])).toEqual({ quantity: 0, valueCents: 0, items: 0 });
  });

  it('keeps the largest rows with a figure for a chart', () => {
    const rows = [{ v: 3 }, { v: null }, { v: 9 }, { v: 1 }];
    expect(topBy(rows, (r) => r.v, 2)).toEqual([{ v: 9 }, { v: 3 }]);
    // The input is left in its order.
    expect(rows[0]).toEqual({ v: 3 });
  });

  it('picks the turnover figure and knows when there is none', () => {
    const r: TurnoverRow = { key: 'SKU-1', demand: 0, onHand: 5, averageOnHand: 5, turns: 0, annualTurns: 0, daysOfSupply: null };
    expect(turnoverValue(r, 'annualTurns')).toBe(0);
    expect(turnoverValue(r, 'daysOfSupply')).toBeNull();
  });

  it('counts proposed classes and changes', () => {
    const s = abcSummary([abc('a', 'A', 'A', 5), abc('b', 'B', 'A', 2), abc('c', 'C', 'C', 0), abc('d', 'C', 'B', 0)]);
    expect(s).toEqual({ classes: { A: 1, B: 1, C: 2 }, changes: 2, anyDemand: true });
    expect(abcSummary([abc('c', 'C', 'C', 0)]).anyDemand).toBe(false);
  });

  it('tells an all-zero chart from one with something to show', () => {
    expect(hasSignal([[0, 0], [0]])).toBe(false);
    expect(hasSignal([[0, 2]])).toBe(true);
    expect(hasSignal([])).toBe(false);
  });

  it('labels days in the reader language', () => {
    expect(periodLabel('2026-11-22', 'en')).toBe('Nov 22');
    expect(periodLabel('2026-11-22', 'zh-CN')).toBe('11月22日');
  });

  it('starts chart titles with a capital, and leaves Chinese alone', () => {
    expect(capital('lines per hour per picker')).toBe('Lines per hour per picker');
    expect(capital('每位拣货员的每小时行数')).toBe('每位拣货员的每小时行数');
    expect(capital('')).toBe('');
  });

  it('names CSV files after what is in them', () => {
    const p = { days: 90, warehouseId: null, valueGroup: 'CATEGORY', turnoverGroup: 'ITEM', bucket: 'WEEK' } as const;
    expect(csvFilename({ ...p, kind: 'STOCK_VALUE' }, '2026-11-22')).toBe('wms-stock-value-category-2026-11-22.csv');
    expect(csvFilename({ ...p, kind: 'TRENDS' }, '2026-11-22')).toBe('wms-trends-week-90d-2026-11-22.csv');
    expect(csvFilename({ ...p, kind: 'PRODUCTIVITY', days: 30 }, '2026-11-22')).toBe('wms-productivity-30d-2026-11-22.csv');
  });
});
