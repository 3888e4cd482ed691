import type { PickProgressFieldsFragment, PickRouteQuery, PickStep } from '../../graphql/generated/graphql';
import { readScan } from '../../offline/scan';

/**
 * A claimed pick task as the device holds it: every open stop in walking
 * order, and where the picker is. Scans are checked against it the way
 * backend/outbound/picking.py checks them (same codes), so the screen moves
 * on without the server; the server still judges every scan when the queue
 * is replayed. What only the server can decide (another lot under FEFO, a
 * tote busy on another cart, where a short pick finds more stock) it decides
 * then.
 */

/** Where the picker is, as every pick query and scan answers (fragment PickProgressFields). */
export type PickProgress = PickProgressFieldsFragment;
export type PickStop = NonNullable<PickProgress['next']>;
export type PickStepName = PickStep;

/** The task with every open stop (query PickRoute): what the device keeps. */
export type ServerRoute = Extract<PickRouteQuery['pickTaskProgress'], { __typename: 'PickProgress' }>;

export type RouteStop = ServerRoute['stops'][number] & {
  /** Units of this line put in a tote on this device (the server's count is not sent). */
  pickedHere?: number;
};

export interface PickCopy {
  taskId: string;
  waveCode: string;
  taskState: string;
  /** Step at stops[0]. */
  step: PickStepName;
  /** Open stops, the current one first. */
  stops: RouteStop[];
  linesTotal: number;
  linesDone: number;
  unitsTotal: number;
  unitsPicked: number;
  metresTotal: number;
  /** Route metres walked (the farthest finished stop). */
  walked: number;
  /** Order number → tote code, as bound on this cart. */
  totes: Record<string, string>;
}

export type PickAction =
  | { kind: 'bin'; lineId: string; code: string }
  | { kind: 'item'; lineId: string; code: string }
  | { kind: 'confirm'; lineId: string; toteCode: string; quantity: number | null }
  | { kind: 'short'; lineId: string; reportedQuantity: number }
  | { kind: 'skip'; lineId: string };

export type Applied = { ok: true; copy: PickCopy } | { ok: false; code: string };

export function fromServer(p: ServerRoute): PickCopy {
  const totes: Record<string, string> = {};
  for (const s of p.stops) if (s.toteCode) totes[s.orderNumber] = s.toteCode;
  return {
    taskId: p.taskId,
    waveCode: p.waveCode,
    taskState: p.taskState,
    step: p.step,
    stops: p.stops.map((s) => ({ ...s, gtins: s.gtins ?? [] })),
    linesTotal: p.linesTotal,
    linesDone: p.linesDone,
    unitsTotal: p.unitsTotal,
    unitsPicked: p.unitsPicked,
    metresTotal: p.metresTotal,
    walked: Math.max(0, p.metresTotal - p.metresLeft),
    totes,
  };
}

/** The same shape the server answers, so one screen shows both. */
export function progressOf(c: PickCopy): PickProgress {
  const next = c.stops[0] ?? null;
  const step: PickStepName = next ? c.step : 'DONE';
  return {
    taskId: c.taskId,
    taskState: next ? c.taskState : 'DONE',
    waveCode: c.waveCode,
    step,
    instruction: '',
    next: next ? { ...next, askQuantity: next.quantity > 1 } : null,
    linesTotal: c.linesTotal,
    linesDone: c.linesDone,
    unitsTotal: c.unitsTotal,
    unitsPicked: c.unitsPicked,
    metresLeft: next ? Math.round(Math.max(0, c.metresTotal - c.walked) * 10) / 10 : 0,
  };
}

const refuse = (code: string): Applied => ({ ok: false, code });

/** The line finished: leave it behind and go on to the next stop. */
function closeCurrent(c: PickCopy, stops: RouteStop[]): PickCopy {
  const [done, ...rest] = stops;
  return {
    ...c,
    stops: rest,
    step: rest.length ? 'SCAN_BIN' : 'DONE',
    linesDone: c.linesDone + 1,
    walked: Math.max(c.walked, done.arriveMetres ?? 0),
  };
}

/** Apply one action to the copy, or refuse it with the code the server would give. */
export function applyAction(c: PickCopy, a: PickAction): Applied {
  const stop = c.stops[0];
  if (c.step === 'CLAIM') return refuse('INVALID_STATE');
  if (!stop || c.step === 'DONE') return refuse('PICK_LINE_CLOSED');
  if (a.lineId !== stop.lineId) {
    return refuse(c.stops.some((s) => s.lineId === a.lineId) ? 'PICK_STEP_OUT_OF_ORDER' : 'PICK_LINE_CLOSED');
  }

  switch (a.kind) {
    case 'bin': {
      const s = readScan(a.code);
      if (s.kind === 'error') return refuse(s.code === 'SCAN_NOT_READ_OFFLINE' ? 'SCAN_WRONG_KIND' : s.code);
      if (s.kind !== 'internal' || s.prefix !== 'BIN') return refuse('SCAN_WRONG_KIND');
      if (s.code !== stop.binCode) return refuse('WRONG_BIN');
      // The server accepts a bin scan again at any step of the line.
      return { ok: true, copy: { ...c, step: c.step === 'SCAN_BIN' ? 'SCAN_ITEM' : c.step } };
    }
    case 'item': {
      if (c.step === 'SCAN_BIN') return refuse('PICK_STEP_OUT_OF_ORDER');
      const s = readScan(a.code);
      if (s.kind === 'error') return refuse(s.code);
      if (s.kind !== 'gs1' || (!s.gtin && !s.contentGtin)) return refuse('SCAN_WRONG_KIND');
      const gtin = (s.gtin ?? s.contentGtin) as string;
      if (!stop.gtins.includes(gtin)) return refuse('WRONG_ITEM');
      if (stop.lotNumber) {
        if (!s.lot) return refuse('LOT_REQUIRED');
        // Another lot may do under FEFO, but only the server knows the dates and stock.
        if (s.lot !== stop.lotNumber) return refuse('WRONG_LOT');
      }
      return { ok: true, copy: { ...c, step: 'CONFIRM' } };
    }
    case 'confirm': {
      if (c.step !== 'CONFIRM') return refuse('PICK_STEP_OUT_OF_ORDER');
      const remaining = stop.quantity;
      let q = a.quantity;
      if (q == null) {
        if (remaining > 1) return refuse('INVALID_QUANTITY');
        q = remaining;
      }
      if (q < 1) return refuse('INVALID_QUANTITY');
      if (q > remaining) return refuse('OVER_PICK');
      const s = readScan(a.toteCode);
      if (s.kind === 'error') return refuse(s.code === 'SCAN_NOT_READ_OFFLINE' ? 'SCAN_WRONG_KIND' : s.code);
      if (s.kind !== 'internal' || s.prefix !== 'TOTE') return refuse('SCAN_WRONG_KIND');
      const bound = c.totes[stop.orderNumber] ?? stop.toteCode;
      if (bound && bound !== s.code) return refuse('WRONG_TOTE');
      if (!bound && Object.entries(c.totes).some(([order, tote]) => tote === s.code && order !== stop.orderNumber)) {
        return refuse('WRONG_TOTE');
      }
      const totes = { ...c.totes, [stop.orderNumber]: s.code };
      const stops = c.stops.map((x) => (x.orderNumber === stop.orderNumber ? { ...x, toteCode: s.code } : x));
      stops[0] = { ...stops[0], quantity: remaining - q, pickedHere: (stop.pickedHere ?? 0) + q };
      const next: PickCopy = { ...c, totes, stops, unitsPicked: c.unitsPicked + q };
      return { ok: true, copy: remaining - q === 0 ? closeCurrent(next, stops) : next };
    }
    case 'short': {
      const found = a.reportedQuantity;
      const remaining = stop.quantity;
      if (!Number.isInteger(found) || found < 0 || found >= remaining) return refuse('INVALID_QUANTITY');
      const missing = remaining - found;
      // The server shrinks the line to what is found (or closes it when
      // nothing is) and looks for the rest on other bins: those stops arrive
      // with the next answer from the server. A line closed with nothing
      // taken keeps its quantity in the server's totals; one partly taken
      // shrinks to what was taken.
      if (found === 0) {
        const units = stop.pickedHere ? c.unitsTotal - missing : c.unitsTotal;
        return { ok: true, copy: closeCurrent({ ...c, unitsTotal: units }, c.stops) };
      }
      const stops = c.stops.slice();
      stops[0] = { ...stop, quantity: found };
      return { ok: true, copy: { ...c, stops, unitsTotal: c.unitsTotal - missing } };
    }
    case 'skip': {
      const [first, ...rest] = c.stops;
      return { ok: true, copy: { ...c, stops: [...rest, first], step: 'SCAN_BIN' } };
    }
  }
}
