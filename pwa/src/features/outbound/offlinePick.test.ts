import { describe, expect, it } from 'vitest';
import { checkChar } from '../../offline/scan';
import { applyAction, fromServer, progressOf, type PickAction, type PickCopy, type RouteStop, type ServerRoute } from './offlinePick';

const code = (kind: string, body: string) => `${kind}-${body}-${checkChar(`${kind}-${body}`)}`;
const BIN = (n: number) => code('BIN', `A01-00${n}-1`);
const TOTE = (n: string) => code('TOTE', n);
/** GTIN-13 with its check digit. */
function gtin13(body12: string): string {
  let sum = 0;
  [...body12].reverse().forEach((d, i) => (sum += Number(d) * (i % 2 === 0 ? 3 : 1)));
  return body12 + ((10 - (sum % 10)) % 10);
}
const G1 = gtin13('400638133393');
const G2 = gtin13('590123412345');
const G3 = gtin13('761234567890');

function stop(n: number, over: Partial<RouteStop> = {}): RouteStop {
  const gtin = [G1, G2, G3][n - 1];
  return {
    lineId: String(10 + n),
    binCode: BIN(n),
    binLabel: `A01-00${n}-1`,
    aisle: 1,
    bay: n,
    level: 1,
    itemSku: `SKU-${n}`,
    itemName: `Item ${n}`,
    gtin: gtin.padStart(14, '0'),
    gtins: [gtin.padStart(14, '0')],
    lotNumber: null,
    quantity: 1,
    askQuantity: false,
    orderNumber: n === 3 ? 'SO-2' : 'SO-1',
    toteSlot: n === 3 ? 2 : 1,
    toteCode: null,
    arriveMetres: n * 10,
    ...over,
  };
}

function route(stops: RouteStop[], over: Partial<ServerRoute> = {}): PickCopy {
  return fromServer({
    __typename: 'PickProgress',
    taskId: '7',
    taskState: 'CLAIMED',
    waveCode: 'W-1',
    step: 'SCAN_BIN',
    instruction: '',
    next: stops[0] ?? null,
    stops,
    linesTotal: stops.length,
    linesDone: 0,
    unitsTotal: stops.reduce((n, s) => n + s.quantity, 0),
    unitsPicked: 0,
    metresTotal: 50,
    metresLeft: 50,
    ...over,
  });
}

/** Apply and insist it went through. */
function must(c: PickCopy, a: PickAction): PickCopy {
  const r = applyAction(c, a);
  if (!r.ok) throw new Error(`refused ${r.code} for ${JSON.stringify(a)}`);
  return r.copy;
}
const refusal = (c: PickCopy, a: PickAction) => {
  const r = applyAction(c, a);
  return r.ok ? 'accepted' : r.code;
};

describe('offline pick steps', () => {
  it('walks three lines bin → item → tote, three scans a line, to the end', () => {
    let c = route([stop(1), stop(2), stop(3)]);
    let scans = 0;
    for (const [n, tote] of [
      [1, TOTE('A1')],
      [2, TOTE('A1')],
      [3, TOTE('B2')],
    ] as const) {
      const lineId = String(10 + n);
      expect(progressOf(c).next?.lineId).toBe(lineId);
      c = must(c, { kind: 'bin', lineId, code: BIN(n) });
      expect(c.step).toBe('SCAN_ITEM');
      c = must(c, { kind: 'item', lineId, code: [G1, G2, G3][n - 1] });
      expect(c.step).toBe('CONFIRM');
      c = must(c, { kind: 'confirm', lineId, toteCode: tote, quantity: null });
      scans += 3;
    }
    const p = progressOf(c);
    expect(scans).toBe(9);
    expect(p.step).toBe('DONE');
    expect(p).toMatchObject({ linesDone: 3, unitsPicked: 3, metresLeft: 0, next: null });
  });

  it('refuses what the server would refuse, with the same codes, and changes nothing', () => {
    const c = route([stop(1), stop(2)]);
    expect(refusal(c, { kind: 'bin', lineId: '11', code: BIN(2) })).toBe('WRONG_BIN');
    expect(refusal(c, { kind: 'bin', lineId: '11', code: TOTE('A1') })).toBe('SCAN_WRONG_KIND');
    expect(refusal(c, { kind: 'bin', lineId: '11', code: BIN(1).slice(0, -1) + (BIN(1).endsWith('0') ? '1' : '0') })).toBe('SCAN_BAD_CHECK_DIGIT');
    expect(refusal(c, { kind: 'item', lineId: '11', code: G1 })).toBe('PICK_STEP_OUT_OF_ORDER');
    expect(refusal(c, { kind: 'bin', lineId: '12', code: BIN(2) })).toBe('PICK_STEP_OUT_OF_ORDER');
    const atItem = must(c, { kind: 'bin', lineId: '11', code: BIN(1) });
    expect(refusal(atItem, { kind: 'item', lineId: '11', code: G2 })).toBe('WRONG_ITEM');
    expect(refusal(atItem, { kind: 'item', lineId: '11', code: BIN(1) })).toBe('SCAN_WRONG_KIND');
    expect(refusal(atItem, { kind: 'confirm', lineId: '11', toteCode: TOTE('A1'), quantity: null })).toBe('PICK_STEP_OUT_OF_ORDER');
    expect(c.step).toBe('SCAN_BIN');
  });

  it('reads the item from a GS1-128 with its lot, and wants the reserved lot', () => {
    const c = must(route([stop(1, { lotNumber: 'L42' })]), { kind: 'bin', lineId: '11', code: BIN(1) });
    const gs1 = (lot: string) => `]C101${G1.padStart(14, '0')}17271231${'\x1d'}10${lot}`.replace(`17271231\x1d`, '17271231');
    expect(refusal(c, { kind: 'item', lineId: '11', code: G1 })).toBe('LOT_REQUIRED');
    expect(refusal(c, { kind: 'item', lineId: '11', code: gs1('L43') })).toBe('WRONG_LOT');
    expect(refusal(c, { kind: 'item', lineId: '11', code: gs1('L42') })).toBe('accepted');
    expect(refusal(c, { kind: 'item', lineId: '11', code: `(01)${G1.padStart(14, '0')}(10)L42` })).toBe('accepted');
  });

  it('asks for the quantity when more than one is wanted, and refuses over-picks', () => {
    let c = route([stop(1, { quantity: 3 })]);
    c = must(must(c, { kind: 'bin', lineId: '11', code: BIN(1) }), { kind: 'item', lineId: '11', code: G1 });
    expect(progressOf(c).next?.askQuantity).toBe(true);
    expect(refusal(c, { kind: 'confirm', lineId: '11', toteCode: TOTE('A1'), quantity: null })).toBe('INVALID_QUANTITY');
    expect(refusal(c, { kind: 'confirm', lineId: '11', toteCode: TOTE('A1'), quantity: 4 })).toBe('OVER_PICK');
    c = must(c, { kind: 'confirm', lineId: '11', toteCode: TOTE('A1'), quantity: 2 });
    // Part taken: the same line, still at the tote, one left.
    expect(progressOf(c)).toMatchObject({ step: 'CONFIRM', unitsPicked: 2, next: { lineId: '11', quantity: 1 } });
    c = must(c, { kind: 'confirm', lineId: '11', toteCode: TOTE('A1'), quantity: null });
    expect(progressOf(c).step).toBe('DONE');
  });

  it('keeps one tote per order on the cart', () => {
    let c = route([stop(1), stop(3), stop(2)]);
    const pick = (cc: PickCopy, n: number, tote: string) =>
      applyAction(must(must(cc, { kind: 'bin', lineId: String(10 + n), code: BIN(n) }), { kind: 'item', lineId: String(10 + n), code: [G1, G2, G3][n - 1] }), {
        kind: 'confirm',
        lineId: String(10 + n),
        toteCode: tote,
        quantity: null,
      });
    c = (pick(c, 1, TOTE('A1')) as { copy: PickCopy }).copy;
    expect(pick(c, 3, TOTE('A1'))).toMatchObject({ ok: false, code: 'WRONG_TOTE' }); // another order's tote
    c = (pick(c, 3, TOTE('B2')) as { copy: PickCopy }).copy;
    expect(progressOf(c).next?.toteCode).toBe(TOTE('A1')); // SO-1 again: its tote is known
    expect(pick(c, 2, TOTE('B2'))).toMatchObject({ ok: false, code: 'WRONG_TOTE' });
    expect(pick(c, 2, TOTE('A1'))).toMatchObject({ ok: true });
  });

  it('skips a line to the end and short-picks like the server', () => {
    let c = route([stop(1), stop(2, { quantity: 3 })]);
    c = must(c, { kind: 'bin', lineId: '11', code: BIN(1) });
    c = must(c, { kind: 'skip', lineId: '11' });
    expect(c.stops.map((s) => s.lineId)).toEqual(['12', '11']);
    expect(c.step).toBe('SCAN_BIN');
    expect(refusal(c, { kind: 'short', lineId: '12', reportedQuantity: 3 })).toBe('INVALID_QUANTITY');
    c = must(c, { kind: 'short', lineId: '12', reportedQuantity: 1 });
    expect(progressOf(c)).toMatchObject({ unitsTotal: 2, next: { lineId: '12', quantity: 1 } });
    c = must(c, { kind: 'short', lineId: '12', reportedQuantity: 0 });
    // Nothing taken from it: the line is closed and keeps its units in the totals.
    expect(progressOf(c)).toMatchObject({ linesDone: 1, unitsTotal: 2, next: { lineId: '11' } });
  });

  it('follows the server on the step it was at when the copy was made', () => {
    const c = route([stop(1)], { step: 'CONFIRM' });
    expect(refusal(c, { kind: 'confirm', lineId: '11', toteCode: TOTE('A1'), quantity: null })).toBe('accepted');
    expect(refusal(route([stop(1)], { step: 'CLAIM' }), { kind: 'bin', lineId: '11', code: BIN(1) })).toBe('INVALID_STATE');
  });
});
