import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { en } from './en';
import { zhCN } from './zh-CN';
import { errorText, matchLocale, translate } from './index';

const errorsPy = fileURLToPath(new URL('../../../backend/core/errors.py', import.meta.url));

function backendErrorCodes(): string[] {
  const src = readFileSync(errorsPy, 'utf8');
  const body = src.slice(src.indexOf('class ErrorCode'), src.indexOf('class ErrorCategory'));
  return [...body.matchAll(/^\s+([A-Z_]+)\s*=\s*"([A-Z_]+)"/gm)].map((m) => m[2]);
}

describe('i18n', () => {
  it('translates every backend error code in every language', () => {
    const codes = backendErrorCodes();
    expect(codes.length).toBeGreaterThan(10);
    for (const code of codes) {
      expect(en, code).toHaveProperty(`error.${code}`);
      expect(zhCN, code).toHaveProperty(`error.${code}`);
    }
  });

  it('Chinese covers every English key with non-empty text and the same placeholders', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(zhCN[key], key).toBeTruthy();
      const ph = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(ph(zhCN[key]), key).toEqual(ph(en[key]));
    }
  });

  it('matches browser locales', () => {
    expect(matchLocale(['zh-CN'])).toBe('zh-CN');
    expect(matchLocale(['zh-Hans-CN', 'en'])).toBe('zh-CN');
    expect(matchLocale(['de-DE', 'en-GB'])).toBe('en');
    expect(matchLocale(['fr'])).toBe('en');
    expect(matchLocale([])).toBe('en');
  });

  it('fills placeholders and falls back for unknown codes', () => {
    expect(translate('en', 'tasks.count', { n: 3 })).toBe('3 open');
    expect(errorText('NO_SUCH_CODE', 'en')).toBe('Something went wrong (NO_SUCH_CODE).');
    expect(errorText('WRONG_BIN', 'zh-CN')).toBe('库位错误：请到显示的库位并扫描其标签。');
  });
});
