import { describe, expect, it } from 'vitest';
import { START, checkToBin, labelFromBinCode, looksLikeBin, moveInput, moveReducer, stepForRefusal, type MoveDraft, type MoveEvent } from './logic';

const FROM = 'BIN-WH1-A01-001-1-X';
const TO = 'BIN-WH1-A01-002-1-Y';
const plain = { code: 'SKU-1', sku: 'SKU-1', name: 'Plain', lotTracked: false };
const lotted = { code: '0104012345678901', sku: 'SKU-2', name: 'Milk', lotTracked: true };

function run(...events: MoveEvent[]): MoveDraft {
  return events.reduce(moveReducer, START);
}

describe('move steps', () => {
  it('a quantity of an item: from, item, quantity, to', () => {
    const d = run({ type: 'from', bin: FROM }, { type: 'item', item: plain, lot: null }, { type: 'qty', quantity: 7 });
    expect(d.step).toBe('to');
    expect(moveInput(d, TO)).toEqual({ fromBinCode: FROM, toBinCode: TO, itemCode: 'SKU-1', lotNumber: null, quantity: 7 });
  });

  it('a whole bin sends neither item nor quantity', () => {
    const d = run({ type: 'from', bin: FROM }, { type: 'wholeBin' });
    expect(d.step).toBe('to');
    expect(moveInput(d, TO)).toEqual({ fromBinCode: FROM, toBinCode: TO, itemCode: null, lotNumber: null, quantity: null });
  });

  it('asks for the lot of a lot-tracked item unless the barcode carried it', () => {
    expect(run({ type: 'from', bin: FROM }, { type: 'item', item: lotted, lot: null }).step).toBe('lot');
    const withLot = run({ type: 'from', bin: FROM }, { type: 'item', item: lotted, lot: 'L1' });
    expect(withLot.step).toBe('qty');
    expect(withLot.lot).toBe('L1');
    const onlyLot = run({ type: 'from', bin: FROM }, { type: 'item', item: lotted, lot: null }, { type: 'lot', lot: null }, { type: 'qty', quantity: null });
    expect(onlyLot.step).toBe('to');
    expect(moveInput(onlyLot, TO)).toMatchObject({ itemCode: lotted.code, lotNumber: null, quantity: null });
  });

  it('ignores steps out of order', () => {
    expect(run({ type: 'wholeBin' })).toEqual(START);
    expect(run({ type: 'item', item: plain, lot: null }).step).toBe('from');
    expect(run({ type: 'from', bin: FROM }, { type: 'qty', quantity: 3 }).step).toBe('what');
  });

  it('a new source bin forgets what was chosen before', () => {
    const d = run({ type: 'from', bin: FROM }, { type: 'item', item: plain, lot: null }, { type: 'from', bin: TO });
    expect(d).toEqual({ ...START, step: 'what', fromBin: TO });
  });

  it('a refusal goes back to the step the server did not accept', () => {
    const qty = run({ type: 'from', bin: FROM }, { type: 'item', item: lotted, lot: null }, { type: 'lot', lot: null }, { type: 'qty', quantity: 5 });
    expect(stepForRefusal(qty, 'lotNumber', 'LOT_REQUIRED')).toBe('lot');
    expect(stepForRefusal(qty, 'fromBinCode', 'INSUFFICIENT_STOCK')).toBe('qty');
    expect(stepForRefusal(qty, 'fromBinCode', 'BIN_BLOCKED')).toBe('from');
    expect(stepForRefusal(qty, 'itemCode', 'ITEM_NOT_FOUND')).toBe('what');
    expect(stepForRefusal(qty, 'toBinCode', 'BIN_BLOCKED')).toBe('to');
    expect(stepForRefusal(qty, null, 'TASK_HELD_BY_OTHER')).toBe('to');
    const whole = run({ type: 'from', bin: FROM }, { type: 'wholeBin' });
    expect(stepForRefusal(whole, 'fromBinCode', 'INSUFFICIENT_STOCK')).toBe('what');
    expect(moveReducer(whole, { type: 'refused', field: 'toBinCode', code: 'COUNT_IN_PROGRESS' }).step).toBe('to');
  });

  it('the destination is another bin', () => {
    const d = run({ type: 'from', bin: FROM }, { type: 'wholeBin' });
    expect(checkToBin(d, TO)).toEqual({ ok: true });
    expect(checkToBin(d, ` ${FROM.toLowerCase()} `)).toEqual({ ok: false, reason: 'sameBin' });
    expect(checkToBin(d, 'SKU-1')).toEqual({ ok: false, reason: 'notBin' });
    expect(looksLikeBin('bin-wh1-a')).toBe(true);
    expect(looksLikeBin('TOTE-0001-X')).toBe(false);
  });

  it('reads a bin label from its code when offline', () => {
    expect(labelFromBinCode(FROM)).toBe('A01-001-1');
    expect(labelFromBinCode(' bin-w1-rcv-01-7 ')).toBe('RCV-01');
    expect(labelFromBinCode('TOTE-0001-X')).toBeNull();
    expect(labelFromBinCode('BIN-W1-X')).toBeNull();
  });
});
