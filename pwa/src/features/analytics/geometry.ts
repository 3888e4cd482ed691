/**
 * Chart geometry: pure functions from numbers to SVG coordinates. The chart
 * components only draw what these return, so the arithmetic (nice axis steps,
 * bar and segment sizes, line paths) is tested without a browser.
 */

export interface Point {
  x: number;
  y: number;
}

/** A map from [d0, d1] onto [r0, r1]; a zero-width domain maps to r0. */
export function linear(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const span = d1 - d0;
  if (span === 0 || !Number.isFinite(span)) return () => r0;
  const k = (r1 - r0) / span;
  return (v) => r0 + (v - d0) * k;
}

/** The step of a "nice" axis (1, 2 or 5 × 10^k) that cuts `span` into about `count` parts. */
export function niceStep(span: number, count: number): number {
  if (!(span > 0) || !Number.isFinite(span)) return 1;
  const raw = span / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const f = raw / power;
  const nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
  return nice * power;
}

/**
 * Ticks for an axis from 0 (or from `min` when it is below 0) to at least
 * `max`: multiples of a nice step. The last tick is the axis's end, so the
 * largest value never touches the frame's edge unlabelled.
 */
export function niceTicks(max: number, count = 5, min = 0): number[] {
  const lo = Math.min(0, min);
  const hi = Math.max(lo, max);
  if (hi === lo) return [lo, lo + 1];
  const step = niceStep(hi - lo, count);
  const first = Math.floor(lo / step) * step;
  const ticks: number[] = [];
  // Rounded to the step's precision: 0.1 + 0.2 is not 0.3 in floating point.
  const digits = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  for (let v = first; v < hi + step * 0.999; v += step) ticks.push(Number(v.toFixed(digits)));
  if (ticks[ticks.length - 1] < hi) ticks.push(Number((ticks[ticks.length - 1] + step).toFixed(digits)));
  return ticks;
}

export interface HBar {
  key: string;
  value: number;
  /** Top edge of the bar. */
  y: number;
  /** Left edge (the zero line) and length; negative values are clamped to 0. */
  x: number;
  width: number;
  height: number;
}

export interface HBarLayout {
  bars: HBar[];
  ticks: { value: number; x: number }[];
  /** Left and right edge of the plot (the zero line and the axis's end). */
  plotLeft: number;
  plotRight: number;
  /** Total height of the drawing, axis labels included. */
  height: number;
}

export interface HBarOptions {
  width: number;
  labelWidth: number;
  /** Room right of the plot for the value printed after the longest bar. */
  valueWidth: number;
  barHeight: number;
  gap: number;
  /** Room for the axis labels below the bars. */
  axisHeight: number;
  ticks?: number;
}

/** Horizontal bars, one row per value, on a shared nice axis starting at 0. */
export function horizontalBars(rows: readonly { key: string; value: number }[], o: HBarOptions): HBarLayout {
  const max = rows.reduce((m, r) => Math.max(m, r.value), 0);
  const plotLeft = o.labelWidth;
  const plotRight = Math.max(plotLeft + 1, o.width - o.valueWidth);
  const tickValues = niceTicks(max, o.ticks ?? 4);
  const end = tickValues[tickValues.length - 1];
  const x = linear(0, end, plotLeft, plotRight);
  const bars = rows.map((r, i) => ({
    key: r.key,
    value: r.value,
    y: i * (o.barHeight + o.gap),
    x: plotLeft,
    width: Math.max(0, x(Math.max(0, r.value)) - plotLeft),
    height: o.barHeight,
  }));
  const plotHeight = rows.length === 0 ? 0 : rows.length * (o.barHeight + o.gap) - o.gap;
  return {
    bars,
    ticks: tickValues.map((value) => ({ value, x: x(value) })),
    plotLeft,
    plotRight,
    height: plotHeight + o.axisHeight,
  };
}

export interface Segment {
  key: string;
  value: number;
  share: number;
  x: number;
  width: number;
}

/**
 * A 100 % stacked bar: each value's share of the total as a run of `width`.
 * Negative values count as 0; an all-zero row has no segments. The widths
 * add up to `width` exactly (the last segment takes the rounding rest).
 */
export function stackSegments(values: readonly { key: string; value: number }[], width: number): Segment[] {
  const positive = values.map((v) => ({ key: v.key, value: Math.max(0, v.value) }));
  const total = positive.reduce((s, v) => s + v.value, 0);
  if (total <= 0) return [];
  const out: Segment[] = [];
  let x = 0;
  let seen = 0;
  for (const v of positive) {
    if (v.value === 0) continue;
    seen += v.value;
    const end = seen === total ? width : (seen / total) * width;
    out.push({ key: v.key, value: v.value, share: v.value / total, x, width: end - x });
    x = end;
  }
  return out;
}

export interface Plot {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/**
 * x positions of `n` evenly spaced categories inside the plot: centres of
 * equal bands, so the first and last points sit half a band in from the edges
 * and columns drawn at the same positions never overflow.
 */
export function bandCentres(n: number, plot: Plot): number[] {
  if (n <= 0) return [];
  const band = (plot.right - plot.left) / n;
  return Array.from({ length: n }, (_, i) => plot.left + band * (i + 0.5));
}

/** Points of one series: x from `bandCentres`, y on a 0 → `yMax` scale (SVG y grows downwards). */
export function seriesPoints(values: readonly number[], plot: Plot, yMax: number): Point[] {
  const xs = bandCentres(values.length, plot);
  const y = linear(0, yMax, plot.bottom, plot.top);
  return values.map((v, i) => ({ x: xs[i], y: y(v) }));
}

/** An SVG path through the points ("M x y L x y …"), rounded to 0.1 px. */
export function pathOf(points: readonly Point[]): string {
  const r = (v: number) => Math.round(v * 10) / 10;
  return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${r(p.x)} ${r(p.y)}`).join(' ');
}

/**
 * Which of `n` category labels to print so that at most `max` fit: every
 * k-th from the first, and always the last one.
 */
export function labelIndices(n: number, max: number): number[] {
  if (n <= 0) return [];
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const k = Math.ceil(n / Math.max(1, max - 1));
  const out: number[] = [];
  for (let i = 0; i < n - 1; i += k) out.push(i);
  // Drop the label before the last one when it would crowd it.
  if (out.length > 0 && n - 1 - out[out.length - 1] < k / 2) out.pop();
  out.push(n - 1);
  return out;
}

/** A compact axis label: 950, 1.2k, 34k, 1.5M. */
export function compact(v: number): string {
  const a = Math.abs(v);
  const strip = (s: string) => s.replace(/\.0$/, '');
  if (a >= 1e9) return `${strip((v / 1e9).toFixed(1))}G`;
  if (a >= 1e6) return `${strip((v / 1e6).toFixed(1))}M`;
  if (a >= 1e4) return `${Math.round(v / 1e3)}k`;
  if (a >= 1e3) return `${strip((v / 1e3).toFixed(1))}k`;
  if (Number.isInteger(v)) return String(v);
  return strip(v.toFixed(a < 1 ? 2 : 1));
}
