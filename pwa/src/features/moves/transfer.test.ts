import { describe, expect, it } from 'vitest';
import { MAX_TRANSFER_LINES, addLine, checkShipment, removeLine, totalUnits, transferInput, type TransferDraftLine } from './transfer';

const line = (over: Partial<TransferDraftLine> = {}): TransferDraftLine => ({
  binCode: 'BIN-W1-A01-001-1-X',
  binLabel: 'A01-001-1',
  itemCode: '04012345678901',
  sku: 'SKU-1',
  lot: null,
  quantity: 2,
  ...over,
});

describe('transfer lines', () => {
  it('adds the same bin, item and lot up; another lot or bin is its own line', () => {
    let lines = addLine([], line());
    lines = addLine(lines, line({ quantity: 3, binCode: 'bin-w1-a01-001-1-x' }));
    expect(lines).toHaveLength(1);
    expect(lines[0].quantity).toBe(5);
    lines = addLine(lines, line({ lot: 'L1' }));
    lines = addLine(lines, line({ binCode: 'BIN-W1-A02-001-1-Y' }));
    expect(lines).toHaveLength(3);
    expect(totalUnits(lines)).toBe(9);
    expect(removeLine(lines, 1).map((l) => l.lot)).toEqual([null, null]);
  });

  it('checks the shipment before it is sent', () => {
    expect(checkShipment([], 'W2', 'W1')).toEqual({ ok: false, reason: 'noLines' });
    expect(checkShipment([line()], '  ', 'W1')).toEqual({ ok: false, reason: 'noWarehouse' });
    expect(checkShipment([line()], ' w1 ', 'W1')).toEqual({ ok: false, reason: 'sameWarehouse' });
    const many = Array.from({ length: MAX_TRANSFER_LINES + 1 }, (_, i) => line({ binCode: `BIN-${i}` }));
    expect(checkShipment(many, 'W2', 'W1')).toEqual({ ok: false, reason: 'tooMany' });
    expect(checkShipment([line()], 'w2', null)).toEqual({ ok: true });
  });

  it('makes the createTransfer input', () => {
    expect(transferInput([line({ lot: 'L1' })], ' w2 ', '  ')).toEqual({
      toWarehouseCode: 'W2',
      reference: null,
      lines: [{ binCode: 'BIN-W1-A01-001-1-X', itemCode: '04012345678901', quantity: 2, lotNumber: 'L1' }],
    });
    expect(transferInput([line()], 'W2', ' TR-7 ').reference).toBe('TR-7');
  });
});
