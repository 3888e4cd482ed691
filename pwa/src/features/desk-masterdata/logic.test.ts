import { describe, expect, it } from 'vitest';
import { byLine, cents, creditUse, draftOf, emptyItem, emptyParty, fieldLabel, gtinCheckDigit, importLine, itemInput, looksLikeGtin, partyInput, splitLines, valueAt } from './logic';
import type { Item } from './ops';

const ITEM: Item = {
  id: '7',
  sku: 'TEA-1',
  name: 'Green tea',
  specification: '500 g',
  brand: 'Longjing',
  category: 'Tea',
  baseUnit: 'EA',
  tracking: 'LOT',
  expiryTracked: true,
  shelfLifeDays: 365,
  minRemainingLifeDays: 90,
  lengthMm: 120,
  widthMm: 80,
  heightMm: 60,
  weightG: 520,
  storageClass: 'AMBIENT',
  abcClass: 'B',
  unitCostCents: 450,
  active: true,
  retiredAt: null,
  gtins: ['04006381333931', '14006381333938'],
  packagings: [{ level: 'CASE', quantity: 12, gtin: '14006381333938', lengthMm: 0, widthMm: 0, heightMm: 0, weightG: 6000 }],
};

describe('item form', () => {
  it('round-trips an item through the form into the same input', () => {
    const built = itemInput(draftOf(ITEM));
    expect(built.ok).toBe(true);
    if (!built.ok) return;
    expect(built.input).toMatchObject({ sku: 'TEA-1', gtin: '04006381333931', unitCostCents: 450, shelfLifeDays: 365, minRemainingLifeDays: 90, weightG: 520 });
    expect(built.input.packagings).toEqual([{ level: 'CASE', quantity: 12, gtin: '14006381333938', lengthMm: 0, widthMm: 0, heightMm: 0, weightG: 6000 }]);
  });

  it('names the first wrong field with the server’s field names', () => {
    const d = { ...emptyItem(), sku: 'A', name: 'B' };
    expect(itemInput({ ...d, sku: ' ' })).toEqual({ ok: false, field: 'sku' });
    expect(itemInput({ ...d, shelfLifeDays: 'x' })).toEqual({ ok: false, field: 'shelfLifeDays' });
    expect(itemInput({ ...d, unitCost: '4.555' })).toEqual({ ok: false, field: 'unitCostCents' });
    const levels = { ...d.levels, PALLET: { ...d.levels.PALLET, on: true, quantity: '' } };
    expect(itemInput({ ...d, levels })).toEqual({ ok: false, field: 'packagings.PALLET.quantity' });
    const sized = { ...d.levels, CASE: { ...d.levels.CASE, on: true, quantity: '6', weightG: '-1' } };
    expect(itemInput({ ...d, levels: sized })).toEqual({ ok: false, field: 'packagings.CASE.weightG' });
  });

  it('leaves levels that are switched off out of the input', () => {
    const d = emptyItem();
    d.sku = 'A';
    d.name = 'B';
    d.levels.INNER = { ...d.levels.INNER, on: false, quantity: '4' };
    const built = itemInput(d);
    expect(built.ok && built.input.packagings).toEqual([]);
  });

  it('reads amounts and field values for refusals', () => {
    expect(cents('4,5')).toBe(450);
    expect(cents('')).toBe(0);
    expect(cents('abc')).toBeUndefined();
    const d = draftOf(ITEM);
    expect(valueAt(d, 'packagings.CASE.gtin')).toBe('14006381333938');
    expect(valueAt(d, 'baseUnit')).toBe('EA');
    expect(fieldLabel('packagings.CASE.gtin')).toEqual({ key: 'gtin', level: 'CASE' });
    expect(fieldLabel('packagings.PALLET')).toEqual({ key: 'quantity', level: 'PALLET' });
  });

  it('computes GTIN check digits and tells a GTIN search', () => {
    expect(gtinCheckDigit('4006381333931')).toBe(1);
    expect(gtinCheckDigit('4006381333932')).toBe(1);
    expect(gtinCheckDigit('14006381333938')).toBe(8);
    expect(gtinCheckDigit('96385074')).toBe(4);
    expect(gtinCheckDigit('abc')).toBeNull();
    expect(looksLikeGtin(' 4006381333931 ')).toBe(true);
    expect(looksLikeGtin('SKU-1')).toBe(false);
  });
});

describe('party form', () => {
  it('builds the input and refuses a rating out of range', () => {
    const d = { ...emptyParty(), code: 'sup-1', name: 'Supplier', rating: '4', creditLimit: '1000', country: 'cn' };
    const built = partyInput('CUSTOMER', d);
    expect(built.ok && built.input).toMatchObject({ kind: 'CUSTOMER', code: 'SUP-1', rating: 4, creditLimitCents: 100000, country: 'CN', leadTimeDays: 7 });
    expect(partyInput('SUPPLIER', { ...d, rating: '6' })).toEqual({ ok: false, field: 'rating' });
    expect(partyInput('SUPPLIER', { ...d, creditLimit: '' }).ok && partyInput('SUPPLIER', { ...d, creditLimit: '' })).toMatchObject({ input: { creditLimitCents: null } });
  });

  it('shows credit use only under a limit', () => {
    expect(creditUse({ creditLimitCents: 1000, exposureCents: 1500 })).toBe(1.5);
    expect(creditUse({ creditLimitCents: null, exposureCents: 1500 })).toBeNull();
  });
});

describe('import stream', () => {
  it('reads progress, the report and a refusal', () => {
    expect(importLine('{"done":1000,"total":100000}')).toEqual({ type: 'progress', done: 1000, total: 100000 });
    const report = importLine('{"kind":"items","dryRun":true,"rows":3,"errorRows":1,"applied":false,"seconds":0.1,"errors":[],"errorsTruncated":false}');
    expect(report?.type).toBe('report');
    expect(importLine('{"code":"IMPORT_BAD_COLUMNS","message":"x","field":"header"}')).toEqual({ type: 'refused', code: 'IMPORT_BAD_COLUMNS', message: 'x', field: 'header' });
    expect(importLine('  ')).toBeNull();
  });

  it('keeps a line cut between chunks for the next one', () => {
    const a = splitLines('', '{"done":0}\n{"do');
    expect(a).toEqual({ lines: ['{"done":0}'], rest: '{"do' });
    expect(splitLines(a.rest, 'ne":1}\n')).toEqual({ lines: ['{"done":1}'], rest: '' });
  });

  it('groups errors by line', () => {
    const e = (line: number, column: string) => ({ line, column, code: 'X', message: '' });
    expect(byLine([e(4, 'a'), e(2, 'b'), e(4, 'c')]).map((r) => [r.line, r.errors.length])).toEqual([
      [2, 1],
      [4, 2],
    ]);
  });
});
