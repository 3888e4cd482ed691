import { describe, expect, it } from 'vitest';
import { START, moveReducer } from './logic';
import { afterMove, checkMove, itemOnSource, type MoveSource } from './offlineMove';

const source: MoveSource = {
  __typename: 'MoveSource',
  bin: { code: 'BIN-1-A01-X', label: 'A01' },
  lines: [
    { itemSku: 'SKU-1', lotNumber: null, status: 'AVAILABLE', hasFree: true, free: 3 },
    { itemSku: 'SKU-2', lotNumber: 'L1', status: 'AVAILABLE', hasFree: true, free: 4 },
    { itemSku: 'SKU-2', lotNumber: 'L2', status: 'AVAILABLE', hasFree: true, free: 1 },
  ],
  items: [
    { sku: 'SKU-1', name: 'Juice', tracking: 'NONE', gtins: ['04012345000016'] },
    { sku: 'SKU-2', name: 'Milk', tracking: 'LOT', gtins: ['04012345000023'] },
  ],
};

const draft = (code: string, quantity: number | null, lot: string | null = null) => {
  let d = moveReducer(START, { type: 'from', bin: source.bin.code });
  const r = itemOnSource(source, code);
  if (!r.ok) throw new Error(r.code);
  d = moveReducer(d, { type: 'item', item: r.item, lot: r.lot ?? lot });
  if (d.step === 'lot') d = moveReducer(d, { type: 'lot', lot });
  return moveReducer(d, { type: 'qty', quantity });
};

describe('offline move against the kept source bin', () => {
  it('reads an item by SKU or GTIN, and refuses one the bin does not hold', () => {
    expect(itemOnSource(source, 'sku-1')).toMatchObject({ ok: true, item: { sku: 'SKU-1', lotTracked: false } });
    expect(itemOnSource(source, '4012345000023')).toMatchObject({ ok: true, item: { sku: 'SKU-2', lotTracked: true } });
    expect(itemOnSource(source, '(01)04012345000023(10)L9')).toEqual({ ok: false, code: 'WRONG_LOT' });
    expect(itemOnSource(source, 'SKU-9')).toEqual({ ok: false, code: 'ITEM_NOT_FOUND' });
  });

  it('allows no more than is free, and asks the lot where several lie', () => {
    expect(checkMove(source, draft('SKU-1', 3))).toBeNull();
    expect(checkMove(source, draft('SKU-1', 4))).toBe('INSUFFICIENT_STOCK');
    expect(checkMove(source, draft('SKU-2', 2, null))).toBe('LOT_REQUIRED');
    expect(checkMove(source, draft('SKU-2', 2, 'L1'))).toBeNull();
  });

  it('lowers the copy by what was moved, so the next offline move sees what is left', () => {
    const after = afterMove(source, draft('SKU-1', 2));
    expect(after.lines[0]).toMatchObject({ free: 1, hasFree: true });
    expect(checkMove(after, draft('SKU-1', 2))).toBe('INSUFFICIENT_STOCK');
    const all = afterMove(source, draft('SKU-2', null, 'L1'));
    expect(all.lines.filter((l) => l.hasFree).map((l) => l.lotNumber)).toEqual([null, 'L2']);
  });

  it('keeps the book blind to the floor: without quantities only "nothing free" is refused', () => {
    const blind: MoveSource = { ...source, lines: source.lines.map((l) => ({ ...l, free: null })) };
    expect(checkMove(blind, draft('SKU-1', 50))).toBeNull();
    const emptied = afterMove(blind, draft('SKU-1', null));
    expect(checkMove(emptied, draft('SKU-1', 1))).toBe('INSUFFICIENT_STOCK');
    expect(afterMove(blind, draft('SKU-1', 2)).lines[0]).toMatchObject({ hasFree: true });
  });
});
