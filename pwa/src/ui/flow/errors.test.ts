import { describe, expect, it } from 'vitest';
import { errorMessage } from './errors';
import { en } from '../../i18n/en';
import { zhCN } from '../../i18n/zh-CN';

const wrongItem = { code: 'WRONG_ITEM', message: 'Wrong item (SKU-10009): take SKU-10001 Fresh Juice 500', field: 'code' };

describe('errorMessage', () => {
  it('keeps the server specifics under the translated headline', () => {
    const m = errorMessage(wrongItem, 'en');
    expect(m.text).toBe(en['error.WRONG_ITEM']);
    expect(m.detail).toBe('Wrong item (SKU-10009): take SKU-10001 Fresh Juice 500');
  });

  it('translates the specifics from the screen facts when it knows them all', () => {
    const params = { scanned: 'SKU-10009', expected: 'SKU-10001', name: 'Fresh Juice 500' };
    const m = errorMessage(wrongItem, 'zh-CN', params);
    expect(m.text).toBe(zhCN['error.WRONG_ITEM']);
    expect(m.detail).toContain('SKU-10009');
    expect(m.detail).toContain('SKU-10001');
    expect(m.detail).toContain('Fresh Juice 500');
    expect(m.detail).not.toContain('take');
    expect(errorMessage(wrongItem, 'en', params).detail).toBe('You scanned SKU-10009. Take SKU-10001 Fresh Juice 500.');
  });

  it('falls back to the server message when a fact is missing', () => {
    const m = errorMessage(wrongItem, 'zh-CN', { scanned: 'SKU-10009' });
    expect(m.detail).toBe(wrongItem.message);
  });

  it('names the next action in the headline', () => {
    expect(errorMessage({ code: 'NOT_ON_ORDER', message: 'X is not on order PO-1.' }, 'en').text).toMatch(/nothing was recorded/i);
    expect(errorMessage({ code: 'OVER_PACK', message: 'Only 0 more' }, 'en').text).toMatch(/set it aside/i);
  });

  it('uses the server words for a code this build does not know', () => {
    expect(errorMessage({ code: 'BRAND_NEW', message: 'Dock 3 is closed today.' }, 'en')).toEqual({ text: 'Dock 3 is closed today.', detail: null });
    expect(errorMessage({ code: 'BRAND_NEW', message: '' }, 'en').text).toContain('BRAND_NEW');
  });

  it('does not repeat a message equal to the headline', () => {
    expect(errorMessage({ code: 'WRONG_BIN', message: en['error.WRONG_BIN'] }, 'en').detail).toBeNull();
  });
});
