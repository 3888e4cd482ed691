import { describe, expect, it } from 'vitest';
import { lineKey, progress, returnLines } from './logic';

const plain = { sku: 'CASE', itemName: 'Case', lotNumber: null, shipped: 4, authorised: 1, returnable: 3, serials: [] };
const phone = { sku: 'PHONE', itemName: 'Phone', lotNumber: null, shipped: 2, authorised: 0, returnable: 2, serials: ['S1', 'S2'] };

describe('return authorisation lines', () => {
  it('keeps chosen lines, caps at what may still return, uses chosen serials', () => {
    const lines = returnLines([plain, phone], { [lineKey(plain)]: { quantity: 9, serials: [] }, [lineKey(phone)]: { quantity: 0, serials: ['S2', 'S9'] } });
    expect(lines).toEqual([
      { sku: 'CASE', lotNumber: null, quantity: 3 },
      { sku: 'PHONE', lotNumber: null, quantity: 1, serials: ['S2'] },
    ]);
  });
  it('drops lines with nothing chosen', () => {
    expect(returnLines([plain], { [lineKey(plain)]: { quantity: 0, serials: [] } })).toEqual([]);
    expect(returnLines([plain], {})).toEqual([]);
  });
  it('counts decided units', () => {
    expect(progress({ lines: [{ quantity: 2 }], units: [{ disposition: 'SCRAP' }, { disposition: null }] })).toEqual({ decided: 1, authorised: 2 });
  });
});
