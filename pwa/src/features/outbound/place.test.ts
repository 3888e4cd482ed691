import { describe, expect, it } from 'vitest';
import { binPlace } from './place';

describe('binPlace', () => {
  it('reads aisle, bay and level as printed on the label', () => {
    expect(binPlace('A07-025-1')).toEqual({ aisle: '07', bay: '025', level: '1' });
    expect(binPlace('A01-001-2')).toEqual({ aisle: '01', bay: '001', level: '2' });
    expect(binPlace('a10-045-4')).toEqual({ aisle: '10', bay: '045', level: '4' });
  });

  it('takes a label without a level', () => {
    expect(binPlace('B12-003')).toEqual({ aisle: '12', bay: '003', level: null });
  });

  it('says nothing for bins that are not rack positions', () => {
    expect(binPlace('RCV-01')).toBeNull();
    expect(binPlace('PACK-02')).toBeNull();
    expect(binPlace('')).toBeNull();
    expect(binPlace(null)).toBeNull();
  });
});
