import { describe, expect, it } from 'vitest';
import { checkChar } from '../../offline/scan';
import { scanBinLocally, scanItemLocally, setQuantity, type CountCopy } from './offlineCount';

const code = `BIN-A01011-${checkChar('BIN-A01011')}`;
const copy: CountCopy = {
  sheet: { __typename: 'CountSheet', taskId: '9', taskState: 'CLAIMED', binCode: code, binLabel: code, lines: [] },
  inBin: false,
  counted: [],
  submitted: false,
};

describe('a count kept on the device', () => {
  it('the bin must be the sheet’s', () => {
    expect(scanBinLocally(copy, code)).toMatchObject({ ok: true, copy: { inBin: true } });
    const other = `BIN-A01012-${checkChar('BIN-A01012')}`;
    expect(scanBinLocally(copy, other)).toEqual({ ok: false, code: 'WRONG_BIN' });
  });

  it('each item scan counts one; keyed quantities replace the count', () => {
    let c = { ...copy, inBin: true };
    for (let i = 0; i < 3; i++) {
      const r = scanItemLocally(c, '4006381333931');
      if (!r.ok) throw new Error(r.code);
      c = r.copy;
    }
    expect(c.counted).toEqual([{ code: '4006381333931', quantity: 3 }]);
    expect(setQuantity(c, '4006381333931', 12).counted).toEqual([{ code: '4006381333931', quantity: 12 }]);
  });

  it('a broken code or a bin label is not counted', () => {
    expect(scanItemLocally(copy, '4006381333932')).toEqual({ ok: false, code: 'SCAN_BAD_CHECK_DIGIT' });
    expect(scanItemLocally(copy, code)).toEqual({ ok: false, code: 'SCAN_WRONG_KIND' });
  });
});
