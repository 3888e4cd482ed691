import { describe, expect, it } from 'vitest';
import { dispositionInput, statusChange } from './logic';

const q = { status: 'AVAILABLE', onHand: 10, reserved: 3, available: 7, item: { sku: 'SKU-1', name: 'x' }, bin: { code: 'A-01', blocked: false }, lot: { lotNumber: 'L9', expiry: null } };

describe('status change input', () => {
  it('freezes the free units of one quant, with the reason', () => {
    expect(statusChange(q, 'BLOCKED', 'quant', ' leaking ', '2')).toEqual({
      itemCode: 'SKU-1', fromStatus: 'AVAILABLE', toStatus: 'BLOCKED', lotNumber: 'L9', binCode: 'A-01', quantity: 7, warehouseId: '2', reason: 'leaking',
    });
  });
  it('freezes a lot on every bin by leaving the bin out', () => {
    expect(statusChange(q, 'BLOCKED', 'lot', '', null)).toMatchObject({ binCode: null, quantity: null, lotNumber: 'L9', reason: null });
  });
  it('refuses what would change nothing', () => {
    expect(statusChange(q, 'AVAILABLE', 'quant', '', null)).toBeNull();
    expect(statusChange({ ...q, lot: null }, 'BLOCKED', 'lot', '', null)).toBeNull();
    expect(statusChange({ ...q, reserved: 10 }, 'BLOCKED', 'quant', '', null)).toBeNull();
  });
});

describe('rework and scrap', () => {
  const q = { status: 'AVAILABLE', onHand: 10, reserved: 4, item: { sku: 'SKU-1', name: 'x' }, bin: { code: 'A-01', blocked: false }, lot: null };
  it('sends free units with a reason', () => {
    expect(dispositionInput(q, 'SCRAP', '6', ' crushed ')).toEqual({
      ok: true,
      input: { kind: 'SCRAP', binCode: 'A-01', itemCode: 'SKU-1', lotNumber: null, status: 'AVAILABLE', quantity: 6, reason: 'crushed' },
    });
  });
  it('refuses reserved units and a missing reason', () => {
    expect(dispositionInput(q, 'REWORK', '7', 'x')).toEqual({ ok: false, field: 'quantity' });
    expect(dispositionInput(q, 'REWORK', '2', '  ')).toEqual({ ok: false, field: 'reason' });
  });
});
