import { describe, expect, it } from 'vitest';
import { daysLeft, retryAsBin, signed, targetOf } from './logic';

describe('targetOf', () => {
  it('takes a bin barcode as a bin', () => {
    expect(targetOf(' B:W1-A-01 ', { kind: 'BIN', gtin: null, lot: null })).toEqual({ kind: 'bin', code: 'B:W1-A-01' });
  });
  it('takes a GS1 barcode as its item and lot', () => {
    expect(targetOf('(01)…', { kind: 'GTIN', gtin: '05012345678900', lot: 'L7' })).toEqual({ kind: 'item', code: '05012345678900', lot: 'L7' });
  });
  it('takes an unknown code as a SKU, and a SKU that names nothing as a bin label', () => {
    const t = targetOf('SKU-1', null);
    expect(t).toEqual({ kind: 'item', code: 'SKU-1', lot: null });
    expect(retryAsBin(t, 'ITEM_NOT_FOUND')).toBe(true);
    expect(retryAsBin(t, 'REQUEST_FAILED')).toBe(false);
    expect(retryAsBin({ kind: 'item', code: '1', lot: 'L' }, 'ITEM_NOT_FOUND')).toBe(false);
  });
});

describe('signed', () => {
  it('is seen from the bin when there is one', () => {
    expect(signed({ fromBin: 'A', toBin: 'B', quantity: 3 }, 'B')).toBe('+3');
    expect(signed({ fromBin: 'A', toBin: 'B', quantity: 3 }, 'A')).toBe('−3');
  });
  it('is seen from the item otherwise', () => {
    expect(signed({ fromBin: null, toBin: 'B', quantity: 3 }, null)).toBe('+3');
    expect(signed({ fromBin: 'A', toBin: null, quantity: 3 }, null)).toBe('−3');
    expect(signed({ fromBin: 'A', toBin: 'B', quantity: 3 }, null)).toBe('3');
  });
});

describe('daysLeft', () => {
  it('counts whole days, negative once past', () => {
    const today = new Date(2026, 0, 10, 18, 30);
    expect(daysLeft('2026-01-10', today)).toBe(0);
    expect(daysLeft('2026-01-20', today)).toBe(10);
    expect(daysLeft('2026-01-01', today)).toBe(-9);
  });
});
