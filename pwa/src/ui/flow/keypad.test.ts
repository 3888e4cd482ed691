import { describe, expect, it } from 'vitest';
import { padHardwareKey, padTyping, type PadTyping } from './logic';

/** Type `keys` (one every `gap` ms) on a pad pre-filled with `start`. */
function type(start: string, keys: string[], gap: number, max = 99) {
  let s: PadTyping = padTyping(start);
  let confirmed: string | null = null;
  let at = 1000;
  for (const k of keys) {
    const r = padHardwareKey(s, k, at, max);
    expect(r.handled, k).toBe(true);
    s = r.state;
    if (r.confirm) confirmed = s.value;
    at += gap;
  }
  return { value: s.value, confirmed };
}

describe('quantity pad on hardware keys', () => {
  it('Enter alone confirms the quantity asked for (no tap)', () => {
    expect(type('6', ['Enter'], 200)).toEqual({ value: '6', confirmed: '6' });
  });

  it('the first digit replaces the pre-filled quantity, then digits append', () => {
    expect(type('6', ['1', '2', 'Enter'], 180)).toEqual({ value: '12', confirmed: '12' });
  });

  it('Backspace and Delete edit; nothing above the limit', () => {
    expect(type('6', ['4', 'Backspace', '5', 'Enter'], 150)).toEqual({ value: '5', confirmed: '5' });
    expect(type('6', ['Delete'], 150)).toEqual({ value: '', confirmed: null });
    expect(type('6', ['Delete', 'Enter'], 150)).toEqual({ value: '', confirmed: null });
    expect(type('3', ['4', 'Enter'], 150, 3).value).toBe('');
  });

  it('a scanner burst on the pad changes nothing and confirms nothing', () => {
    expect(type('6', ['4', '0', '1', '2', '3', 'Enter'], 5)).toEqual({ value: '6', confirmed: null });
  });

  it('leaves other keys alone', () => {
    expect(padHardwareKey(padTyping('2'), 'a', 0, 9).handled).toBe(false);
    expect(padHardwareKey(padTyping('2'), 'Tab', 0, 9).handled).toBe(false);
  });
});
