import { describe, expect, it } from 'vitest';
import { checkChar, gs1CheckOk, readScan } from './scan';

describe('reading a scan on the device', () => {
  it('checks our own codes like backend/scan/internal.py', () => {
    // BIN-A01-003-2's check character is the one of BINA010032.
    expect(checkChar('BIN-A01-003-2')).toBe(checkChar('BINA010032'));
    const bin = `BIN-A01-003-2-${checkChar('BIN-A01-003-2')}`;
    expect(readScan(` ${bin.toLowerCase()} `)).toEqual({ kind: 'internal', prefix: 'BIN', code: bin });
    expect(readScan(`]C0${bin}`)).toMatchObject({ kind: 'internal' });
    const wrong = bin.slice(0, -1) + (bin.endsWith('A') ? 'B' : 'A');
    expect(readScan(wrong)).toEqual({ kind: 'error', code: 'SCAN_BAD_CHECK_DIGIT' });
    expect(readScan('FOO-1-X')).toEqual({ kind: 'error', code: 'SCAN_UNKNOWN_FORMAT' });
    expect(readScan('BIN-')).toEqual({ kind: 'error', code: 'SCAN_MALFORMED' });
    expect(readScan('   ')).toEqual({ kind: 'error', code: 'SCAN_EMPTY' });
  });

  it('widens GTINs to 14 digits and checks the digit', () => {
    expect(gs1CheckOk('4006381333931')).toBe(true);
    expect(readScan('4006381333931')).toEqual({ kind: 'gs1', gtin: '04006381333931', contentGtin: null, lot: null });
    expect(readScan('4006381333932')).toEqual({ kind: 'error', code: 'SCAN_BAD_CHECK_DIGIT' });
  });

  it('reads GTIN and lot from element strings with FNC1, <GS> text or brackets', () => {
    const want = { kind: 'gs1', gtin: '04006381333931', contentGtin: null, lot: 'AB12' };
    expect(readScan('0104006381333931\x1d10AB12\x1d17271231')).toEqual({ ...want });
    expect(readScan(']C1010400638133393117271231<GS>10AB12')).toEqual({ ...want });
    expect(readScan('(01)04006381333931(17)271231(10)AB12')).toEqual({ ...want });
    expect(readScan('(02)04006381333931(37)12')).toEqual({ kind: 'gs1', gtin: null, contentGtin: '04006381333931', lot: null });
  });

  it('says when it cannot be sure instead of guessing', () => {
    expect(readScan('https://id.gs1.org/01/04006381333931')).toEqual({ kind: 'error', code: 'SCAN_NOT_READ_OFFLINE' });
    expect(readScan('9912345')).toEqual({ kind: 'error', code: 'SCAN_NOT_READ_OFFLINE' });
  });
});
