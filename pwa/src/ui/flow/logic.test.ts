import { describe, expect, it } from 'vitest';
import { metresText, needsKeypad, padKey, progressFraction, sameCode } from './logic';
import { classify } from './mutate';

describe('flow logic', () => {
  it('progress follows units when known, else lines', () => {
    expect(progressFraction({ lines: { done: 1, total: 4 } })).toBe(0.25);
    expect(progressFraction({ lines: { done: 1, total: 4 }, units: { done: 6, total: 8 } })).toBe(0.75);
    expect(progressFraction({})).toBe(0);
    expect(progressFraction({ units: { done: 9, total: 8 } })).toBe(1);
  });

  it('keypad keeps a plausible number', () => {
    expect(padKey('', '0', 50)).toBe('0');
    expect(padKey('0', '7', 50)).toBe('7');
    expect(padKey('4', '9', 50)).toBe('49'); // 49 is fine…
    expect(padKey('4', '0', 50)).toBe('40');
    expect(padKey('5', '1', 50)).toBe('5'); // …51 is over the maximum
    expect(padKey('12', 'back', 50)).toBe('1');
    expect(padKey('12', 'clear', 50)).toBe('');
    expect(padKey('12', 'x', 50)).toBe('12');
  });

  it('keypad only when more than one unit', () => {
    expect(needsKeypad(1)).toBe(false);
    expect(needsKeypad(2)).toBe(true);
  });

  it('metres', () => {
    expect(metresText(0.4)).toBe('<1');
    expect(metresText(12.6)).toBe('13');
    expect(metresText(-1)).toBe('0');
  });

  it('codes compare without case or stray spaces', () => {
    expect(sameCode(' bin-a01 ', 'BIN-A01')).toBe(true);
    expect(sameCode('BIN-A01', 'BIN-A02')).toBe(false);
    expect(sameCode(null, 'X')).toBe(false);
  });

  it('sorts a result union into success and refusal', () => {
    expect(classify({ __typename: 'StockError', code: 'WRONG_BIN', message: 'no', field: 'binCode' })).toEqual({
      status: 'refused',
      code: 'WRONG_BIN',
      message: 'no',
      field: 'binCode',
    });
    expect(classify({ __typename: 'PickSuccess', done: true })).toEqual({ status: 'ok', data: { __typename: 'PickSuccess', done: true } });
    expect(classify(null)).toEqual({ status: 'failed', code: 'REQUEST_FAILED' });
  });
});
