import type { ComponentChildren, RefObject } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { capital } from './shape';
import { bandCentres, compact, horizontalBars, labelIndices, linear, niceTicks, pathOf, seriesPoints, stackSegments } from './geometry';

/**
 * Small SVG charts drawn at the pixel width of their box (so text keeps its
 * size on a phone and on a tablet). Each is an image with a title and a
 * description for screen readers; the figures themselves are in the table
 * every report shows below its chart.
 */

export const PALETTE = ['#0a58ca', '#0f766e', '#a15c07', '#6d28d9', '#c2410c', '#15803d', '#9d174d', '#334155', '#0891b2', '#65a30d'];

let uid = 0;
function useId(prefix: string): string {
  const ref = useRef<string | null>(null);
  if (ref.current === null) ref.current = `${prefix}-${++uid}`;
  return ref.current;
}

/** The content width of the chart's box, following resizes. */
function useWidth(fallback = 640): [RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setWidth(Math.max(240, Math.floor(el.clientWidth)));
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width];
}

/** Roughly how wide a label is at 13 px (CJK glyphs are about twice a Latin one). */
function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u2E80-\u9FFF\uFF00-\uFFEF]/.test(ch) ? 13 : 7.4;
  return w;
}

function clip(s: string, max: number): string {
  if (textWidth(s) <= max) return s;
  let out = '';
  for (const ch of s) {
    if (textWidth(`${out}${ch}…`) > max) break;
    out += ch;
  }
  return `${out}…`;
}

interface Frame {
  title: string;
  desc: string;
}

function Figure({ title, children, legend, testid }: { title: string; children: ComponentChildren; legend?: ComponentChildren; testid?: string }) {
  return (
    <figure class="chart" data-testid={testid}>
      <figcaption class="chart-title">{capital(title)}</figcaption>
      {children}
      {legend}
    </figure>
  );
}

export interface BarRow {
  key: string;
  label: string;
  value: number;
  /** The value as printed after the bar (defaults to a compact number). */
  text?: string;
  colour?: string;
}

/** Horizontal bars on a shared axis from zero, labelled on the left, the value after each bar. */
export function BarChart({ title, desc, rows, axisFormat = compact, testid }: Frame & { rows: BarRow[]; axisFormat?: (v: number) => string; testid?: string }) {
  const [ref, width] = useWidth();
  const id = useId('bar');
  const longest = rows.reduce((m, r) => Math.max(m, textWidth(r.label)), 0);
  const labelWidth = Math.min(Math.round(width * 0.34), Math.ceil(longest) + 14);
  const valueWidth = Math.min(110, 14 + rows.reduce((m, r) => Math.max(m, textWidth(r.text ?? compact(r.value))), 0));
  const layout = horizontalBars(rows, { width, labelWidth, valueWidth, barHeight: 22, gap: 10, axisHeight: 26, ticks: width < 480 ? 3 : 5 });
  const plotBottom = layout.height - 26;
  return (
    <Figure title={title} testid={testid}>
      <div ref={ref} class="chart-box">
        <svg width={width} height={layout.height} role="img" aria-labelledby={`${id}-t ${id}-d`} class="chart-svg">
          <title id={`${id}-t`}>{capital(title)}</title>
          <desc id={`${id}-d`}>{desc}</desc>
          {layout.ticks.map((tk) => (
            <g>
              <line x1={tk.x} x2={tk.x} y1={0} y2={plotBottom} class="chart-grid" />
              <text x={tk.x} y={plotBottom + 18} text-anchor="middle" class="chart-tick">
                {axisFormat(tk.value)}
              </text>
            </g>
          ))}
          {layout.bars.map((b, i) => {
            const r = rows[i];
            return (
              <g class="chart-bar" data-key={r.key} data-value={r.value}>
                <title>{`${r.label}: ${r.text ?? compact(r.value)}`}</title>
                <text x={labelWidth - 8} y={b.y + b.height / 2} dy="0.35em" text-anchor="end" class="chart-label">
                  {clip(r.label, labelWidth - 12)}
                </text>
                <rect x={b.x} y={b.y} width={Math.max(b.width, r.value > 0 ? 2 : 0)} height={b.height} rx={3} fill={r.colour ?? PALETTE[0]} />
                <text x={b.x + b.width + 6} y={b.y + b.height / 2} dy="0.35em" class="chart-value">
                  {r.text ?? compact(r.value)}
                </text>
              </g>
            );
          })}
          <line x1={layout.plotLeft} x2={layout.plotLeft} y1={0} y2={plotBottom} class="chart-axis" />
        </svg>
      </div>
    </Figure>
  );
}

export interface StackPart {
  key: string;
  label: string;
  value: number;
  text: string;
  colour: string;
}

/** One 100 % bar split by share, with a legend of labels, values and shares. */
export function StackedBar({ title, desc, parts, pct, testid }: Frame & { parts: StackPart[]; pct: (share: number) => string; testid?: string }) {
  const [ref, width] = useWidth();
  const id = useId('stack');
  const segs = stackSegments(parts, width);
  const byKey = new Map(parts.map((p) => [p.key, p]));
  return (
    <Figure
      title={title}
      testid={testid}
      legend={
        <ul class="chart-legend">
          {segs.map((s) => {
            const p = byKey.get(s.key)!;
            return (
              <li>
                <span class="chart-swatch" style={{ background: p.colour }} />
                {p.label}: <strong>{p.text}</strong> <span class="muted">({pct(s.share)})</span>
              </li>
            );
          })}
        </ul>
      }
    >
      <div ref={ref} class="chart-box">
        <svg width={width} height={30} role="img" aria-labelledby={`${id}-t ${id}-d`} class="chart-svg">
          <title id={`${id}-t`}>{capital(title)}</title>
          <desc id={`${id}-d`}>{desc}</desc>
          {segs.map((s) => {
            const p = byKey.get(s.key)!;
            return (
              <g class="chart-seg" data-key={s.key}>
                <title>{`${p.label}: ${p.text} (${pct(s.share)})`}</title>
                <rect x={s.x} y={0} width={s.width} height={30} fill={p.colour} stroke="#fff" stroke-width={1} />
                {s.width > 44 ? (
                  <text x={s.x + s.width / 2} y={15} dy="0.35em" text-anchor="middle" class="chart-seg-text">
                    {pct(s.share)}
                  </text>
                ) : null}
              </g>
            );
          })}
        </svg>
      </div>
    </Figure>
  );
}

export interface Series {
  key: string;
  label: string;
  values: number[];
  colour: string;
}

const PAD = { left: 52, right: 16, top: 12, bottom: 30 };

/** Lines over categories (days or weeks) on a shared axis from zero, with a legend. */
export function LineChart({ title, desc, categories, series, height = 260, testid }: Frame & { categories: string[]; series: Series[]; height?: number; testid?: string }) {
  const [ref, width] = useWidth();
  const id = useId('line');
  const plot = { left: PAD.left, right: width - PAD.right, top: PAD.top, bottom: height - PAD.bottom };
  const max = series.reduce((m, s) => s.values.reduce((a, v) => Math.max(a, v), m), 0);
  const ticks = niceTicks(max, 4);
  const yMax = ticks[ticks.length - 1];
  const y = linear(0, yMax, plot.bottom, plot.top);
  const xs = bandCentres(categories.length, plot);
  const shownLabels = labelIndices(categories.length, Math.max(2, Math.floor((plot.right - plot.left) / 84)));
  const dots = categories.length <= 45;
  return (
    <Figure
      title={title}
      testid={testid}
      legend={
        <ul class="chart-legend">
          {series.map((s) => (
            <li>
              <span class="chart-swatch chart-swatch-line" style={{ background: s.colour }} />
              {s.label}
            </li>
          ))}
        </ul>
      }
    >
      <div ref={ref} class="chart-box">
        <svg width={width} height={height} role="img" aria-labelledby={`${id}-t ${id}-d`} class="chart-svg">
          <title id={`${id}-t`}>{capital(title)}</title>
          <desc id={`${id}-d`}>{desc}</desc>
          {ticks.map((v) => (
            <g>
              <line x1={plot.left} x2={plot.right} y1={y(v)} y2={y(v)} class={v === 0 ? 'chart-axis' : 'chart-grid'} />
              <text x={plot.left - 8} y={y(v)} dy="0.35em" text-anchor="end" class="chart-tick">
                {compact(v)}
              </text>
            </g>
          ))}
          {shownLabels.map((i) => (
            <text x={xs[i]} y={plot.bottom + 20} text-anchor="middle" class="chart-tick">
              {categories[i]}
            </text>
          ))}
          {series.map((s) => {
            const pts = seriesPoints(s.values, plot, yMax);
            return (
              <g class="chart-series" data-key={s.key}>
                <path d={pathOf(pts)} fill="none" stroke={s.colour} stroke-width={2.5} stroke-linejoin="round" />
                {dots
                  ? pts.map((p, i) => (
                      <circle cx={p.x} cy={p.y} r={3.5} fill={s.colour}>
                        <title>{`${s.label}, ${categories[i]}: ${s.values[i]}`}</title>
                      </circle>
                    ))
                  : null}
              </g>
            );
          })}
        </svg>
      </div>
    </Figure>
  );
}

export interface ParetoRow {
  key: string;
  label: string;
  share: number;
  cumulative: number;
  colour: string;
}

/** Columns of each item's share, most first, and the cumulative share as a line on a 0–100 % axis. */
export function ParetoChart({
  title,
  desc,
  rows,
  pct,
  lineLabel,
  keys = [],
  height = 260,
  testid,
}: Frame & { rows: ParetoRow[]; pct: (v: number) => string; lineLabel: string; keys?: { label: string; colour: string }[]; height?: number; testid?: string }) {
  const [ref, width] = useWidth();
  const id = useId('pareto');
  const plot = { left: PAD.left, right: width - 52, top: PAD.top, bottom: height - PAD.bottom };
  const maxShare = rows.reduce((m, r) => Math.max(m, r.share), 0);
  const ticks = niceTicks(maxShare, 4);
  const yMax = ticks[ticks.length - 1];
  const y = linear(0, yMax, plot.bottom, plot.top);
  const yCum = linear(0, 1, plot.bottom, plot.top);
  const xs = bandCentres(rows.length, plot);
  const band = rows.length ? (plot.right - plot.left) / rows.length : 0;
  const colW = Math.max(1, band * 0.72);
  const cum = seriesPoints(
    rows.map((r) => r.cumulative),
    plot,
    1,
  );
  const shownLabels = labelIndices(rows.length, Math.max(2, Math.floor((plot.right - plot.left) / 90)));
  return (
    <Figure
      title={title}
      testid={testid}
      legend={
        <ul class="chart-legend">
          {keys.map((k) => (
            <li>
              <span class="chart-swatch" style={{ background: k.colour }} />
              {k.label}
            </li>
          ))}
          <li>
            <span class="chart-swatch chart-swatch-line" style={{ background: 'var(--ink)' }} />
            {lineLabel}
          </li>
        </ul>
      }
    >
      <div ref={ref} class="chart-box">
        <svg width={width} height={height} role="img" aria-labelledby={`${id}-t ${id}-d`} class="chart-svg">
          <title id={`${id}-t`}>{capital(title)}</title>
          <desc id={`${id}-d`}>{desc}</desc>
          {ticks.map((v) => (
            <g>
              <line x1={plot.left} x2={plot.right} y1={y(v)} y2={y(v)} class={v === 0 ? 'chart-axis' : 'chart-grid'} />
              <text x={plot.left - 8} y={y(v)} dy="0.35em" text-anchor="end" class="chart-tick">
                {pct(v)}
              </text>
            </g>
          ))}
          {[0, 0.5, 1].map((v) => (
            <text x={plot.right + 8} y={yCum(v)} dy="0.35em" class="chart-tick">
              {pct(v)}
            </text>
          ))}
          {rows.map((r, i) => (
            <rect x={xs[i] - colW / 2} y={y(r.share)} width={colW} height={Math.max(0, plot.bottom - y(r.share))} fill={r.colour} class="chart-bar" data-key={r.key}>
              <title>{`${r.label}: ${pct(r.share)} (${pct(r.cumulative)})`}</title>
            </rect>
          ))}
          {shownLabels.map((i) => (
            <text x={xs[i]} y={plot.bottom + 20} text-anchor="middle" class="chart-tick">
              {clip(rows[i].label, 86)}
            </text>
          ))}
          <path d={pathOf(cum)} fill="none" stroke="var(--ink)" stroke-width={2} stroke-linejoin="round" />
        </svg>
      </div>
    </Figure>
  );
}
