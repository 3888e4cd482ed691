import { describe, expect, it } from 'vitest';
import { DEFAULT_DRAFT, layoutErrorParams, layoutInput, mapFrame, rackCells } from './logic';
import type { LayoutPreview } from './ops';

describe('layout generator form', () => {
  it('builds the server input from the typed numbers', () => {
    const built = layoutInput({ ...DEFAULT_DRAFT, aisles: '3', nBlocks: '2', cellLengthM: '1,4', pickZoneCode: 'pf' }, '7');
    expect(built).toEqual({
      ok: true,
      input: expect.objectContaining({ warehouseId: '7', aisles: 3, bays: 10, levels: 3, sides: 2, nBlocks: 2, cellLengthM: 1.4, pickZoneCode: 'PF', replace: false }),
    });
  });

  it('names the first field that is not a number in range', () => {
    expect(layoutInput({ ...DEFAULT_DRAFT, bays: '0' }, '1')).toEqual({ ok: false, field: 'bays' });
    expect(layoutInput({ ...DEFAULT_DRAFT, levels: '2.5' }, '1')).toEqual({ ok: false, field: 'levels' });
    expect(layoutInput({ ...DEFAULT_DRAFT, aislePitchM: '-3' }, '1')).toEqual({ ok: false, field: 'aislePitchM' });
    expect(layoutInput({ ...DEFAULT_DRAFT, pattern: ' ' }, '1')).toEqual({ ok: false, field: 'pattern' });
  });
});

const preview: LayoutPreview = {
  warehouseCode: 'NW',
  binCount: 4,
  existingCodes: ['BIN-NW-A01-001-2L-X'],
  geometry: { nAisles: 1, cellsPerAisle: 1, nBlocks: 1, aisleXM: [1.5], crossAisleYM: [0, 4], depotXM: 1.5, depotYM: 0, widthM: 3, lengthM: 4 },
  bins: [
    { code: 'BIN-NW-A01-001-1L-K', label: 'A01-001-1L', zoneCode: 'PF', aisle: 0, bay: 0, level: 1, side: 'L', xM: 0.75, yM: 2, pickFace: true },
    { code: 'BIN-NW-A01-001-2L-X', label: 'A01-001-2L', zoneCode: 'RSV', aisle: 0, bay: 0, level: 2, side: 'L', xM: 0.75, yM: 2, pickFace: false },
    { code: 'BIN-NW-A01-001-1R-M', label: 'A01-001-1R', zoneCode: 'PF', aisle: 0, bay: 0, level: 1, side: 'R', xM: 2.25, yM: 2, pickFace: true },
    { code: 'BIN-NW-A01-001-2R-Q', label: 'A01-001-2R', zoneCode: 'RSV', aisle: 0, bay: 0, level: 2, side: 'R', xM: 2.25, yM: 2, pickFace: false },
  ],
};

describe('layout map', () => {
  it('draws one rack cell per bay and side, with its levels', () => {
    const cells = rackCells(preview);
    expect(cells.map((c) => [c.side, c.levels, c.pickLevels, c.existing])).toEqual([
      ['L', 2, 1, true],
      ['R', 2, 1, false],
    ]);
  });

  it('frames the aisles, cross aisles and depot with a margin', () => {
    const f = mapFrame(preview.geometry, 1.3);
    expect(f.minX).toBeLessThan(0);
    expect(f.minY).toBeLessThan(0);
    expect(f.minX + f.width).toBeGreaterThan(3);
    expect(f.minY + f.height).toBeGreaterThan(4);
  });
});

describe('layout refusals', () => {
  it('reads which bin and how many from the server message', () => {
    expect(layoutErrorParams('LAYOUT_HOLDS_STOCK', '3 bins this layout would retire or move hold stock (first: A01-002-1L); move the stock out first.')).toEqual({ count: 3, bin: 'A01-002-1L' });
    expect(layoutErrorParams('LAYOUT_HOLDS_STOCK', 'Bin A01-001-1L holds 12 units: move them out first.')).toEqual({ count: 1, bin: 'A01-001-1L', units: 12 });
    expect(layoutErrorParams('BIN_CODE_COLLISION', 'The pattern makes A1-1 twice.')).toEqual({ bin: 'A1-1' });
    expect(layoutErrorParams('BIN_CODE_COLLISION', 'Bin code BIN-W1-A1-K belongs to another warehouse.')).toEqual({ bin: 'BIN-W1-A1-K' });
    expect(layoutErrorParams('BIN_CODE_COLLISION', 'Two sides need {side} in the pattern, or codes collide.')).toEqual({});
  });
});
