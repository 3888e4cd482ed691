import { describe, expect, it } from 'vitest';
import { checkChar } from '../../offline/scan';
import { OFFLINE_SUGGESTED, putLocally, type PutawayCopy } from './offlinePutaway';

const bin = (body: string) => `BIN-${body}-${checkChar(`BIN-${body}`)}`;

const plan: PutawayCopy = {
  __typename: 'PutawayPlan',
  taskId: '7',
  taskState: 'CLAIMED',
  itemSku: 'SKU-1',
  itemName: 'Juice',
  lotNumber: null,
  status: 'AVAILABLE',
  fromBinCode: bin('RCV01'),
  quantity: 4,
  putAway: 0,
  remaining: 4,
  suggestions: [{ binCode: bin('A01011'), score: 1, reasons: [] }],
};

describe('putaway checked on the device', () => {
  it('a suggested bin is kept with all that is left, the server settles it on sync', () => {
    const r = putLocally(plan, bin('A01011'), null);
    expect(r.ok && r.copy).toMatchObject({ remaining: 0, putAway: 4, keptBin: bin('A01011') });
    expect(r.ok && r.reason).toBe(OFFLINE_SUGGESTED);
  });

  it('another bin needs a reason, as the server asks', () => {
    expect(putLocally(plan, bin('B02022'), null)).toEqual({ ok: false, code: 'OVERRIDE_REASON_REQUIRED' });
    const r = putLocally(plan, bin('B02022'), 'Bin full');
    expect(r.ok && r.reason).toBe('Bin full');
  });

  it('what is not a bin label is refused with the server’s code', () => {
    expect(putLocally(plan, 'BIN-A01011-Z', null)).toMatchObject({ ok: false });
    expect(putLocally(plan, `TOTE-T1-${checkChar('TOTE-T1')}`, null)).toEqual({ ok: false, code: 'SCAN_WRONG_KIND' });
    expect(putLocally({ ...plan, keptBin: bin('A01011') }, bin('A01011'), null)).toEqual({ ok: false, code: 'INVALID_STATE' });
  });
});
