import { describe, expect, it } from 'vitest';
import {
  bandCentres,
  compact,
  horizontalBars,
  labelIndices,
  linear,
  niceStep,
  niceTicks,
  pathOf,
  seriesPoints,
  stackSegments,
} from './geometry';

describe('axes', () => {
  it('maps a domain onto a range, and a zero-width domain onto its start', () => {
    const f = linear(0, 200, 10, 110);
    expect(f(0)).toBe(10);
    expect(f(100)).toBe(60);
    expect(f(200)).toBe(110);
    expect(linear(0, 0, 5, 50)(3)).toBe(5);
    // Reversed range: SVG y grows downwards.
    expect(linear(0, 10, 100, 0)(10)).toBe(0);
  });

  it('picks 1, 2 or 5 times a power of ten', () => {
    expect(niceStep(100, 5)).toBe(20);
    expect(niceStep(1648821, 4)).toBe(500000);
    expect(niceStep(0.9, 3)).toBeCloseTo(0.5);
    expect(niceStep(7, 7)).toBe(1);
    expect(niceStep(0, 5)).toBe(1);
  });

  it('ends the axis at or above the largest value, from zero', () => {
    expect(niceTicks(1648821, 4)).toEqual([0, 500000, 1000000, 1500000, 2000000]);
    expect(niceTicks(1000, 4)).toEqual([0, 500, 1000]);
    expect(niceTicks(0.93, 4)).toEqual([0, 0.5, 1]);
    expect(niceTicks(0.3, 3)).toEqual([0, 0.1, 0.2, 0.3]);
    // Nothing to show: still a usable 0..1 axis, never a division by zero.
    expect(niceTicks(0)).toEqual([0, 1]);
    // Negative values reach below zero.
    expect(niceTicks(10, 4, -5)).toEqual([-5, 0, 5, 10]);
  });

  it('prints compact labels', () => {
    expect(compact(950)).toBe('950');
    expect(compact(1200)).toBe('1.2k');
    expect(compact(2000)).toBe('2k');
    expect(compact(34_400)).toBe('34k');
    expect(compact(1_500_000)).toBe('1.5M');
    expect(compact(0.25)).toBe('0.25');
    expect(compact(12.5)).toBe('12.5');
  });
});

describe('horizontal bars', () => {
  const opts = { width: 500, labelWidth: 100, valueWidth: 60, barHeight: 20, gap: 10, axisHeight: 24 };

  it('draws each value to scale from the zero line on one nice axis', () => {
    const layout = horizontalBars(
      [
        { key: 'Frozen', value: 1648821 },
        { key: 'Dairy', value: 912561 },
        { key: 'Empty', value: 0 },
      ],
      opts,
    );
    expect(layout.plotLeft).toBe(100);
    expect(layout.plotRight).toBe(440);
    // Axis 0..2,000,000 over 340 px.
    expect(layout.ticks.map((t) => t.value)).toEqual([0, 500000, 1000000, 1500000, 2000000]);
    expect(layout.ticks[0].x).toBe(100);
    expect(layout.ticks[4].x).toBe(440);
    const [frozen, dairy, empty] = layout.bars;
    expect(frozen.x).toBe(100);
    expect(frozen.width).toBeCloseTo((1648821 / 2000000) * 340, 6);
    expect(dairy.width).toBeCloseTo((912561 / 2000000) * 340, 6);
    expect(empty.width).toBe(0);
    // Rows stacked with the gap between them; the axis below the last one.
    expect(layout.bars.map((b) => b.y)).toEqual([0, 30, 60]);
    expect(layout.height).toBe(3 * 20 + 2 * 10 + 24);
  });

  it('never draws a bar backwards or past the axis', () => {
    const layout = horizontalBars(
      [
        { key: 'a', value: -5 },
        { key: 'b', value: 7 },
      ],
      opts,
    );
    expect(layout.bars[0].width).toBe(0);
    for (const b of layout.bars) expect(b.x + b.width).toBeLessThanOrEqual(layout.plotRight);
  });

  it('has only the axis when there are no rows', () => {
    const layout = horizontalBars([], opts);
    expect(layout.bars).toEqual([]);
    expect(layout.height).toBe(24);
  });
});

describe('stacked segments', () => {
  it('splits the width by share, end to end, exactly', () => {
    const segs = stackSegments(
      [
        { key: 'A', value: 1 },
        { key: 'B', value: 0 },
        { key: 'C', value: 2 },
      ],
      300,
    );
    expect(segs.map((s) => s.key)).toEqual(['A', 'C']);
    expect(segs[0]).toMatchObject({ x: 0, width: 100, share: 1 / 3 });
    expect(segs[1].x).toBe(100);
    expect(segs[1].x + segs[1].width).toBe(300);
  });

  it('closes the bar at the full width despite rounding', () => {
    const segs = stackSegments(
      Array.from({ length: 7 }, (_, i) => ({ key: String(i), value: 1 })),
      100,
    );
    const last = segs[segs.length - 1];
    expect(last.x + last.width).toBe(100);
    for (let i = 1; i < segs.length; i++) expect(segs[i].x).toBe(segs[i - 1].x + segs[i - 1].width);
  });

  it('has nothing to draw for an all-zero or negative row', () => {
    expect(stackSegments([{ key: 'a', value: 0 }], 100)).toEqual([]);
    expect(stackSegments([{ key: 'a', value: -3 }], 100)).toEqual([]);
  });
});

describe('series', () => {
  const plot = { left: 40, right: 440, top: 10, bottom: 210 };

  it('puts points in the middle of equal bands on a 0..max scale', () => {
    expect(bandCentres(4, plot)).toEqual([90, 190, 290, 390]);
    expect(bandCentres(0, plot)).toEqual([]);
    const pts = seriesPoints([0, 50, 100, 25], plot, 100);
    expect(pts.map((p) => p.y)).toEqual([210, 110, 10, 160]);
    expect(pts.map((p) => p.x)).toEqual([90, 190, 290, 390]);
  });

  it('writes an SVG path', () => {
    expect(pathOf([])).toBe('');
    expect(
      pathOf([
        { x: 1.234, y: 5 },
        { x: 10, y: 20.06 },
      ]),
    ).toBe('M1.2 5 L10 20.1');
  });

  it('labels every k-th category and always the last one', () => {
    expect(labelIndices(5, 8)).toEqual([0, 1, 2, 3, 4]);
    expect(labelIndices(90, 7)).toEqual([0, 15, 30, 45, 60, 75, 89]);
    const some = labelIndices(31, 6);
    expect(some[0]).toBe(0);
    expect(some[some.length - 1]).toBe(30);
    expect(some.length).toBeLessThanOrEqual(6);
    expect(labelIndices(0, 5)).toEqual([]);
  });
});
