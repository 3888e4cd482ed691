import { describe, expect, it } from 'vitest';
import { historyOf, isPrimary, itemKey, kindCounts, splitActions } from './logic';

describe('exception inbox logic', () => {
  it('finds an item’s history entity, or none', () => {
    expect(historyOf({ kind: 'ADJUSTMENT', id: '7' })).toEqual({ entity: 'adjustment', entityId: '7' });
    expect(historyOf({ kind: 'SHORT_PICK', id: '7' })).toBeNull();
  });
  it('splits the actions the inbox runs from those done on another screen', () => {
    expect(splitActions({ actions: ['recordQc'] })).toEqual({ here: [], elsewhere: ['recordQc'] });
    expect(splitActions({ actions: ['unblockBin', 'changeStockStatus'] })).toEqual({ here: ['unblockBin'], elsewhere: ['changeStockStatus'] });
  });
  it('leads with the settling action', () => {
    expect(isPrimary('approveAdjustment')).toBe(true);
    expect(isPrimary('rejectCountVariance')).toBe(false);
  });
  it('lists every kind with a count', () => {
    const all = kindCounts([{ kind: 'QC_HOLD', count: 3 }]);
    expect(all).toHaveLength(12);
    expect(all.find((c) => c.kind === 'QC_HOLD')?.count).toBe(3);
    expect(all.find((c) => c.kind === 'ADJUSTMENT')?.count).toBe(0);
    expect(itemKey({ kind: 'QC_HOLD', id: '1' })).toBe('QC_HOLD:1');
  });
});
