import { describe, expect, it } from 'vitest';
import { EMPTY_USER, newPassword, newPin, newUserInput, toggled } from './logic';

describe('new user form', () => {
  const good = { ...EMPTY_USER, username: 'li.na', displayName: 'Li Na', roles: ['picker'], warehouseIds: ['2'], password: 'longenough', pin: '2468' };

  it('builds the input the server takes', () => {
    expect(newUserInput(good, 'zh-CN')).toEqual({
      ok: true,
      input: { username: 'li.na', displayName: 'Li Na', roles: ['picker'], warehouseIds: ['2'], locale: 'zh-CN', password: 'longenough', pin: '2468' },
    });
    expect(newUserInput({ ...good, pin: '' }, 'en')).toMatchObject({ ok: true, input: { pin: null } });
  });

  it('names the field the server would refuse', () => {
    expect(newUserInput({ ...good, username: 'li na' }, 'en')).toEqual({ ok: false, field: 'username' });
    expect(newUserInput({ ...good, roles: [] }, 'en')).toEqual({ ok: false, field: 'roles' });
    expect(newUserInput({ ...good, password: 'short' }, 'en')).toEqual({ ok: false, field: 'password' });
    expect(newUserInput({ ...good, pin: '12a4' }, 'en')).toEqual({ ok: false, field: 'pin' });
  });

  it('keeps the home warehouse first when ticking', () => {
    expect(toggled(['3'], '1', true)).toEqual(['3', '1']);
    expect(toggled(['3', '1'], '3', false)).toEqual(['1']);
    expect(toggled(['3'], '3', true)).toEqual(['3']);
  });
});

describe('new secrets', () => {
  it('makes a six-digit PIN and a twelve-character password without look-alikes', () => {
    expect(newPin()).toMatch(/^\d{6}$/);
    const p = newPassword();
    expect(p).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{12}$/);
  });

  it('rejects random values that would favour some characters', () => {
    // 0xFFFFFFFF is above the largest multiple of 10: skipped, not folded onto a digit.
    const values = [[0xffffffff, 3, 4, 5, 6, 7], [8, 9, 0, 0, 0, 0]];
    let call = 0;
    const random = (n: number) => new Uint32Array(values[call++].slice(0, n));
    expect(newPin(random)).toBe('345678');
  });
});
