import type { ErrorParams } from '../../ui/flow/errors';
import type { LayoutGeometry, LayoutPreview } from './ops';

/** The generator form as typed: every number a string until it is checked. */
export interface LayoutDraft {
  aisles: string;
  bays: string;
  levels: string;
  sides: '1' | '2';
  firstAisle: string;
  pattern: string;
  pickFaceLevels: string;
  pickZoneCode: string;
  reserveZoneCode: string;
  storageClass: string;
  nBlocks: string;
  cellLengthM: string;
  aislePitchM: string;
  crossAisleWidthM: string;
  depotAisle: string;
  replace: boolean;
}

export const DEFAULT_DRAFT: LayoutDraft = {
  aisles: '4',
  bays: '10',
  levels: '3',
  sides: '2',
  firstAisle: '0',
  pattern: 'A{aisle:02d}-{bay:03d}-{level}{side}',
  pickFaceLevels: '2',
  pickZoneCode: 'PF',
  reserveZoneCode: 'RSV',
  storageClass: 'AMBIENT',
  nBlocks: '1',
  cellLengthM: '1.3',
  aislePitchM: '3.0',
  crossAisleWidthM: '3.0',
  depotAisle: '0',
  replace: false,
};

type IntField = 'aisles' | 'bays' | 'levels' | 'firstAisle' | 'pickFaceLevels' | 'nBlocks' | 'depotAisle';
type MetreField = 'cellLengthM' | 'aislePitchM' | 'crossAisleWidthM';

const INT_BOUNDS: Record<IntField, [number, number]> = {
  aisles: [1, 500],
  bays: [1, 1000],
  levels: [1, 50],
  firstAisle: [0, 999],
  pickFaceLevels: [0, 50],
  nBlocks: [1, 50],
  depotAisle: [0, 999],
};

export type Built<T> = { ok: true; input: T } | { ok: false; field: string };

/**
 * The LayoutInput for the server, or the first field that is not a number in
 * range. The server checks everything again (and more: the pattern, codes that
 * collide); this only keeps typos from costing a round trip.
 */
export function layoutInput(d: LayoutDraft, warehouseId: string): Built<Record<string, unknown>> {
  const ints: Partial<Record<IntField, number>> = {};
  for (const [name, [lo, hi]] of Object.entries(INT_BOUNDS) as [IntField, [number, number]][]) {
    const raw = d[name].trim();
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < lo || n > hi) return { ok: false, field: name };
    ints[name] = n;
  }
  const metres: Partial<Record<MetreField, number>> = {};
  for (const name of ['cellLengthM', 'aislePitchM', 'crossAisleWidthM'] as MetreField[]) {
    const n = Number(d[name].trim().replace(',', '.'));
    if (!Number.isFinite(n) || n <= 0 || n > 100) return { ok: false, field: name };
    metres[name] = n;
  }
  if (!d.pattern.trim()) return { ok: false, field: 'pattern' };
  if (!d.pickZoneCode.trim()) return { ok: false, field: 'pickZoneCode' };
  if (!d.reserveZoneCode.trim()) return { ok: false, field: 'reserveZoneCode' };
  return {
    ok: true,
    input: {
      warehouseId,
      ...ints,
      ...metres,
      sides: Number(d.sides),
      pattern: d.pattern.trim(),
      pickZoneCode: d.pickZoneCode.trim().toUpperCase(),
      reserveZoneCode: d.reserveZoneCode.trim().toUpperCase(),
      storageClass: d.storageClass.trim().toUpperCase() || 'AMBIENT',
      replace: d.replace,
    },
  };
}

/** One rack position on the map: a bay on one side of an aisle, all its levels. */
export interface RackCell {
  key: string;
  aisle: number;
  bay: number;
  side: string | null;
  x: number;
  y: number;
  labels: string[];
  pickLevels: number;
  levels: number;
  /** Some of its codes exist already (saving updates them). */
  existing: boolean;
}

export function rackCells(preview: LayoutPreview): RackCell[] {
  const existing = new Set(preview.existingCodes);
  const cells = new Map<string, RackCell>();
  for (const b of preview.bins) {
    const key = `${b.aisle}/${b.bay}/${b.side ?? ''}`;
    let cell = cells.get(key);
    if (!cell) {
      cell = { key, aisle: b.aisle, bay: b.bay, side: b.side, x: b.xM, y: b.yM, labels: [], pickLevels: 0, levels: 0, existing: false };
      cells.set(key, cell);
    }
    cell.labels.push(b.label);
    cell.levels += 1;
    if (b.pickFace) cell.pickLevels += 1;
    if (existing.has(b.code)) cell.existing = true;
  }
  return [...cells.values()];
}

/** The drawing's frame in metres, with a margin for the depot and the cross aisles' ends. */
export function mapFrame(g: LayoutGeometry, cellLengthM: number) {
  const margin = Math.max(1.5, cellLengthM);
  const minX = Math.min(0, ...g.aisleXM) - margin;
  const maxX = Math.max(g.widthM, ...g.aisleXM) + margin;
  const minY = Math.min(0, g.depotYM) - margin * 1.5;
  const maxY = Math.max(g.lengthM, ...g.crossAisleYM) + margin;
  return { minX, minY, width: maxX - minX, height: maxY - minY };
}

/**
 * The specifics of a layout refusal, read from the server's message so that
 * the translated detail (`errorDetail.CODE`) can name them: which bin, how
 * many. A message that does not match leaves them out, and the server's own
 * sentence is shown instead.
 */
export function layoutErrorParams(code: string, message: string): ErrorParams {
  if (code === 'LAYOUT_HOLDS_STOCK') {
    const many = /^(\d+) bins .*\(first: ([^)]+)\)/.exec(message);
    if (many) return { count: Number(many[1]), bin: many[2] };
    const one = /^Bin (\S+) holds (\d+) units/.exec(message);
    if (one) return { count: 1, bin: one[1], units: Number(one[2]) };
  }
  if (code === 'BIN_CODE_COLLISION') {
    const twice = /^The pattern makes (\S+) twice/.exec(message);
    if (twice) return { bin: twice[1] };
    const taken = /^Bin code (\S+) (?:belongs to another warehouse|is taken)/.exec(message);
    if (taken) return { bin: taken[1] };
  }
  return {};
}
