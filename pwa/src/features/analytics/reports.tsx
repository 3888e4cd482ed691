import type { ComponentChildren } from 'preact';
import { AbcAnalysisDocument, InventoryAccuracyDocument, MovementTrendsDocument, PackerProductivityDocument, PickerProductivityDocument, ReclassifyAbcDocument, StockValueDocument, TurnoverDocument, type PackerProductivityQuery, type PickerProductivityQuery, type PickerProductivityQueryVariables } from '../../graphql/generated/graphql';
import { useState } from 'preact/hooks';
import { gql } from '../../graphql/client';
import { useI18n } from '../../i18n';
import type { useFlowFeedback } from '../../ui/flow/Flow';
import { classify } from '../../ui/flow/mutate';
import { can } from '../desk/access';
import { failureCode, formats, labelOf } from '../desk/common';
import { BarChart, LineChart, PALETTE, ParetoChart, StackedBar } from './charts';
import { abcSummary, hasSignal, periodLabel, topBy, turnoverValue, valueTotals, type TurnoverMetric } from './shape';
import type { AbcMeasure, TrendBucket, TurnoverGroup, ValueGroup } from './types';
import { useReport } from './useReport';

/** Bars beyond this many make a chart a list; the table below has every row. */
const CHART_ROWS = 20;
const CLASS_COLOUR: Record<string, string> = { A: '#0a58ca', B: '#0f766e', C: '#a15c07' };
const SERIES_COLOUR = { received: '#0a58ca', shipped: '#15803d', demand: '#c2410c' };

function Loading({ error, onRetry }: { error: string | null; onRetry: () => void }) {
  const { t, err } = useI18n();
  if (!error) return <p class="muted">{t('desk.loading')}</p>;
  return (
    <div class="alert alert-error an-error">
      {err(error)}{' '}
      <button type="button" class="btn btn-secondary btn-small" onClick={onRetry}>
        {t('desk.refresh')}
      </button>
    </div>
  );
}

function NoData() {
  const { t } = useI18n();
  return (
    <p class="card an-empty muted" data-testid="an-empty">
      {t('an.noData')}
    </p>
  );
}

/** A data table in a card; `num` columns are right-aligned. */
function Table({ head, children, foot, testid }: { head: [string, boolean?][]; children: ComponentChildren; foot?: ComponentChildren; testid?: string }) {
  return (
    <div class="card desk-card desk-table-wrap">
      <table class="desk-table" data-testid={testid}>
        <thead>
          <tr>
            {head.map(([h, num]) => (
              <th scope="col" class={num ? 'num' : undefined}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
        {foot ? <tfoot>{foot}</tfoot> : null}
      </table>
    </div>
  );
}

/** A stock status or warehouse code, translated where it is a status. */
function keyLabel(locale: 'en' | 'zh-CN', group: ValueGroup, key: string): string {
  return group === 'STATUS' ? labelOf(locale, 'desk.stockStatus', key) : key;
}

export function ValueReport({ group, warehouseId }: { group: ValueGroup; warehouseId: string | null }) {
  const { t, locale } = useI18n();
  const f = formats(locale);
  const r = useReport(StockValueDocument, { groupBy: group, warehouseId });
  if (!r.data) return <Loading error={r.error} onRetry={r.reload} />;
  const rows = r.data.stockValue;
  if (rows.length === 0) return <NoData />;
  const total = valueTotals(rows);
  const groupName = t(`an.group.${group}`);
  const groupInTitle = groupName.toLocaleLowerCase(locale);
  const chartRows = topBy(rows, (x) => x.valueCents, CHART_ROWS);
  return (
    <div class="stack">
      <div class="an-charts">
        <BarChart
          testid="chart-value"
          title={t('an.value.chart', { group: groupInTitle })}
          desc={t('an.chartDesc', { n: rows.length })}
          rows={chartRows.map((x, i) => ({ key: x.key, label: keyLabel(locale, group, x.key), value: x.valueCents / 100, text: f.money(x.valueCents), colour: PALETTE[i % PALETTE.length] }))}
        />
        <StackedBar
          testid="chart-structure"
          title={t('an.value.structure', { group: groupInTitle })}
          desc={t('an.chartDesc', { n: rows.length })}
          pct={f.pct}
          parts={chartRows.map((x, i) => ({ key: x.key, label: keyLabel(locale, group, x.key), value: x.valueCents, text: f.money(x.valueCents), colour: PALETTE[i % PALETTE.length] }))}
        />
      </div>
      <Table
        testid="table-value"
        head={[[groupName], [t('an.col.items'), true], [t('an.col.quantity'), true], [t('an.col.value'), true], [t('an.col.share'), true]]}
        foot={
          <tr>
            <th scope="row">{t('an.total')}</th>
            <td class="num">{f.int(total.items)}</td>
            <td class="num">{f.int(total.quantity)}</td>
            <td class="num">{f.money(total.valueCents)}</td>
            <td class="num">{f.pct(1)}</td>
          </tr>
        }
      >
        {rows.map((x) => (
          <tr>
            <th scope="row">{keyLabel(locale, group, x.key)}</th>
            <td class="num">{f.int(x.items)}</td>
            <td class="num">{f.int(x.quantity)}</td>
            <td class="num">{f.money(x.valueCents)}</td>
            <td class="num">{f.pct(total.valueCents ? x.valueCents / total.valueCents : 0)}</td>
          </tr>
        ))}
      </Table>
    </div>
  );
}

export function TurnoverReport({ group, metric, days, warehouseId }: { group: TurnoverGroup; metric: TurnoverMetric; days: number; warehouseId: string | null }) {
  const { t, locale } = useI18n();
  const f = formats(locale);
  const r = useReport(TurnoverDocument, { days, groupBy: group, warehouseId });
  if (!r.data) return <Loading error={r.error} onRetry={r.reload} />;
  const rows = r.data.turnover;
  if (rows.length === 0) return <NoData />;
  const metricName = metric === 'annualTurns' ? t('an.to.annualTurns') : t('an.to.daysOfSupply');
  const chartRows = topBy(rows, (x) => turnoverValue(x, metric), CHART_ROWS);
  const signal = hasSignal([chartRows.map((x) => turnoverValue(x, metric) ?? 0)]);
  const num = (v: number | null) => (v === null ? <span class="muted">{t('an.to.noDemand')}</span> : f.dec(v));
  return (
    <div class="stack">
      {signal ? (
        <BarChart
          testid="chart-turnover"
          title={t('an.to.chart', { metric: metricName, group: t(`an.group.${group}`).toLocaleLowerCase(locale) })}
          desc={t('an.chartDesc', { n: chartRows.length })}
          rows={chartRows.map((x) => ({ key: x.key, label: x.key, value: turnoverValue(x, metric) ?? 0, text: f.dec(turnoverValue(x, metric) ?? 0) }))}
        />
      ) : (
        <NoData />
      )}
      <Table
        testid="table-turnover"
        head={[
          [t(`an.group.${group}`)],
          [t('an.col.demand'), true],
          [t('an.col.onHand'), true],
          [t('an.col.averageOnHand'), true],
          [t('an.col.turns'), true],
          [t('an.to.annualTurns'), true],
          [t('an.to.daysOfSupply'), true],
        ]}
      >
        {rows.map((x) => (
          <tr>
            <th scope="row" class={group === 'ITEM' ? 'code' : undefined}>
              {x.key}
            </th>
            <td class="num">{f.int(x.demand)}</td>
            <td class="num">{f.int(x.onHand)}</td>
            <td class="num">{f.dec(x.averageOnHand)}</td>
            <td class="num">{num(x.turns)}</td>
            <td class="num">{num(x.annualTurns)}</td>
            <td class="num">{num(x.daysOfSupply)}</td>
          </tr>
        ))}
      </Table>
    </div>
  );
}

type Feedback = ReturnType<typeof useFlowFeedback>;

export function AbcReport({ measure, days, warehouseId, roles, fb }: { measure: AbcMeasure; days: number; warehouseId: string | null; roles: readonly string[]; fb: Feedback }) {
  const { t, locale } = useI18n();
  const f = formats(locale);
  const r = useReport(AbcAnalysisDocument, { days, measure, warehouseId });
  const [confirm, setConfirm] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!r.data) return <Loading error={r.error} onRetry={r.reload} />;
  const rows = r.data.abcAnalysis;
  if (rows.length === 0) return <NoData />;
  const summary = abcSummary(rows);
  const measureName = t(`an.measure.${measure}`);
  const mayWrite = can(roles, 'master.write');

  const reclass = async () => {
    setBusy(true);
    fb.clear();
    try {
      // Not a handheld mutation: no idempotency key, never queued offline.
      const data = await gql(ReclassifyAbcDocument, { input: { days, measure, warehouseId } });
      const out = classify(data.reclassifyAbc);
      if (fb.outcome(out) && out.status === 'ok') {
        fb.ok(t('an.abc.done', { changed: out.data.changed, a: out.data.aItems, b: out.data.bItems, c: out.data.cItems }));
        setConfirm(false);
        r.reload();
      }
    } catch (e) {
      fb.errorCode(failureCode(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="stack">
      <div class="an-charts">
        {summary.anyDemand ? (
          <ParetoChart
            testid="chart-abc"
            title={t('an.abc.chart', { measure: measureName.toLocaleLowerCase(locale) })}
            desc={t('an.chartDesc', { n: rows.length })}
            pct={f.pct}
            lineLabel={t('an.abc.cumulative')}
            keys={(['A', 'B', 'C'] as const).map((c) => ({ label: t('an.abc.class', { c }), colour: CLASS_COLOUR[c] }))}
            rows={rows.map((x) => ({ key: x.sku, label: x.sku, share: x.share, cumulative: x.cumulativeShare, colour: CLASS_COLOUR[x.proposedClass] ?? PALETTE[7] }))}
          />
        ) : (
          <NoData />
        )}
        <div class="stack">
          <StackedBar
            testid="chart-abc-classes"
            title={t('an.abc.classes')}
            desc={t('an.chartDesc', { n: 3 })}
            pct={f.pct}
            parts={(['A', 'B', 'C'] as const).map((c) => ({ key: c, label: t('an.abc.class', { c }), value: summary.classes[c], text: f.int(summary.classes[c]), colour: CLASS_COLOUR[c] }))}
          />
          <p>{t('an.abc.changes', { n: summary.changes })}</p>
          {mayWrite ? (
            confirm ? (
              <div class="desk-confirm" role="group">
                <p>{t('an.abc.confirm')}</p>
                <div class="desk-confirm-buttons">
                  <button type="button" class="btn btn-primary" disabled={busy} data-testid="abc-confirm" onClick={() => void reclass()}>
                    {t('an.abc.reclass')}
                  </button>
                  <button type="button" class="btn btn-secondary" disabled={busy} onClick={() => setConfirm(false)}>
                    {t('desk.keep')}
                  </button>
                </div>
              </div>
            ) : (
              <button type="button" disabled={busy || !summary.anyDemand} class="btn btn-primary an-reclass" data-testid="abc-reclass" onClick={() => setConfirm(true)}>
                {t('an.abc.reclass')}
              </button>
            )
          ) : null}
        </div>
      </div>
      <Table
        testid="table-abc"
        head={[
          [t('an.col.sku')],
          [t('an.col.lines'), true],
          [t('an.col.units'), true],
          [t('an.col.measure'), true],
          [t('an.col.share'), true],
          [t('an.col.cumulative'), true],
          [t('an.col.current')],
          [t('an.col.proposed')],
        ]}
      >
        {rows.map((x) => (
          <tr class={x.proposedClass !== x.currentClass ? 'an-changed' : undefined}>
            <th scope="row" class="code">
              {x.sku}
            </th>
            <td class="num">{f.int(x.lines)}</td>
            <td class="num">{f.int(x.units)}</td>
            <td class="num">{measure === 'VALUE' ? f.money(x.measure) : f.int(x.measure)}</td>
            <td class="num">{f.pct(x.share)}</td>
            <td class="num">{f.pct(x.cumulativeShare)}</td>
            <td>
              <span class={`chip an-class an-class-${x.currentClass}`}>{x.currentClass}</span>
            </td>
            <td>
              <span class={`chip an-class an-class-${x.proposedClass}`}>{x.proposedClass}</span>
            </td>
          </tr>
        ))}
      </Table>
    </div>
  );
}

export function TrendsReport({ bucket, days, warehouseId }: { bucket: TrendBucket; days: number; warehouseId: string | null }) {
  const { t, locale } = useI18n();
  const f = formats(locale);
  const r = useReport(MovementTrendsDocument, { days, bucket, warehouseId });
  if (!r.data) return <Loading error={r.error} onRetry={r.reload} />;
  const rows = r.data.movementTrends;
  const series = [
    { key: 'received', label: t('an.tr.received'), values: rows.map((x) => x.received), colour: SERIES_COLOUR.received },
    { key: 'shipped', label: t('an.tr.shipped'), values: rows.map((x) => x.shipped), colour: SERIES_COLOUR.shipped },
    { key: 'demand', label: t('an.tr.demand'), values: rows.map((x) => x.demand), colour: SERIES_COLOUR.demand },
  ];
  if (rows.length === 0 || !hasSignal(series.map((s) => s.values))) return <NoData />;
  // The chart shows every period; the table only those with movement (newest first).
  const moved = rows.filter((x) => x.received || x.shipped || x.demand || x.demandLines).reverse();
  return (
    <div class="stack">
      <LineChart
        testid="chart-trends"
        title={t('an.tr.chart', { bucket: t(`an.bucket.${bucket}`).toLocaleLowerCase(locale) })}
        desc={t('an.chartDesc', { n: rows.length * series.length })}
        categories={rows.map((x) => periodLabel(x.period, locale))}
        series={series}
      />
      <Table
        testid="table-trends"
        head={[
          [bucket === 'WEEK' ? t('an.col.weekOf') : t('an.col.period')],
          [t('an.tr.received'), true],
          [t('an.tr.shipped'), true],
          [t('an.tr.demand'), true],
          [t('an.col.demandLines'), true],
        ]}
        foot={
          moved.length < rows.length ? (
            <tr>
              <td colSpan={5} class="muted an-note">
                {t('an.tr.quietLeftOut', { n: rows.length - moved.length })}
              </td>
            </tr>
          ) : undefined
        }
      >
        {moved.map((x) => (
          <tr>
            <th scope="row">{f.day(x.period)}</th>
            <td class="num">{f.int(x.received)}</td>
            <td class="num">{f.int(x.shipped)}</td>
            <td class="num">{f.int(x.demand)}</td>
            <td class="num">{f.int(x.demandLines)}</td>
          </tr>
        ))}
      </Table>
    </div>
  );
}

export function AccuracyReport({ days, warehouseId }: { days: number; warehouseId: string | null }) {
  const { t, locale } = useI18n();
  const f = formats(locale);
  const r = useReport(InventoryAccuracyDocument, { days, warehouseId });
  if (!r.data) return <Loading error={r.error} onRetry={r.reload} />;
  const a = r.data.inventoryAccuracy;
  if (a.counts === 0) return <NoData />;
  const matched = a.counts - a.countsWithVariance;
  return (
    <div class="stack">
      <dl class="an-kpis" data-testid="accuracy">
        <div class="card">
          <dt>{t('an.ac.accuracy')}</dt>
          <dd>{f.pct(a.accuracy)}</dd>
        </div>
        <div class="card">
          <dt>{t('an.ac.counts')}</dt>
          <dd>{f.int(a.counts)}</dd>
        </div>
        <div class="card">
          <dt>{t('an.ac.variance')}</dt>
          <dd>{f.int(a.countsWithVariance)}</dd>
        </div>
        <div class="card">
          <dt>{t('an.ac.unitsAdjusted')}</dt>
          <dd>{f.int(a.unitsAdjusted)}</dd>
        </div>
      </dl>
      <StackedBar
        testid="chart-accuracy"
        title={t('an.ac.chart')}
        desc={t('an.chartDesc', { n: 2 })}
        pct={f.pct}
        parts={[
          { key: 'matched', label: t('an.ac.matched'), value: matched, text: f.int(matched), colour: '#15803d' },
          { key: 'variance', label: t('an.ac.variance'), value: a.countsWithVariance, text: f.int(a.countsWithVariance), colour: '#b42318' },
        ]}
      />
    </div>
  );
}

export type ProductivityMetric = 'linesPerHour' | 'unitsPerHour' | 'lines' | 'units' | 'metresWalked';
export type Worker = 'pickers' | 'packers';

export function ProductivityReport({ metric, worker, days, warehouseId }: { metric: ProductivityMetric; worker: Worker; days: number; warehouseId: string | null }) {
  const { t, locale } = useI18n();
  const f = formats(locale);
  const pickers = worker === 'pickers';
  // One screen for both: the two queries differ only in their field.
  const r = useReport<PickerProductivityQuery | PackerProductivityQuery, PickerProductivityQueryVariables>(
    pickers ? PickerProductivityDocument : PackerProductivityDocument,
    { days, warehouseId },
  );
  if (!r.data) return <Loading error={r.error} onRetry={r.reload} />;
  const rows = 'pickerProductivity' in r.data ? r.data.pickerProductivity : r.data.packerProductivity;
  if (rows.length === 0) return <NoData />;
  // Packers walk no routes: their chart falls back to lines per hour.
  const shown: ProductivityMetric = !pickers && metric === 'metresWalked' ? 'linesPerHour' : metric;
  const names: Record<ProductivityMetric, string> = {
    linesPerHour: t('an.col.linesPerHour'),
    unitsPerHour: t('an.col.unitsPerHour'),
    lines: t('an.col.lines'),
    units: t('an.col.units'),
    metresWalked: t('an.col.metres'),
  };
  const chartRows = topBy(rows, (x) => x[shown], CHART_ROWS);
  const text = (v: number) => (shown === 'lines' || shown === 'units' ? f.int(v) : f.dec(v));
  return (
    <div class="stack">
      <BarChart
        testid="chart-productivity"
        title={t(pickers ? 'an.pr.chart' : 'an.pr.chartPackers', { metric: names[shown].toLocaleLowerCase(locale) })}
        desc={t('an.chartDesc', { n: chartRows.length })}
        rows={chartRows.map((x) => ({ key: x.userId, label: x.username, value: x[shown], text: text(x[shown]) }))}
      />
      <Table
        testid="table-productivity"
        head={[
          [t(pickers ? 'an.col.picker' : 'an.col.packer')],
          [t('an.col.lines'), true],
          [t('an.col.units'), true],
          [t('an.col.hours'), true],
          [t('an.col.linesPerHour'), true],
          [t('an.col.unitsPerHour'), true],
          ...(pickers ? ([[t('an.col.metres'), true]] as [string, boolean][]) : []),
        ]}
      >
        {rows.map((x) => (
          <tr>
            <th scope="row">{x.username}</th>
            <td class="num">{f.int(x.lines)}</td>
            <td class="num">{f.int(x.units)}</td>
            <td class="num">{f.int(x.activeHours)}</td>
            <td class="num">{f.dec(x.linesPerHour)}</td>
            <td class="num">{f.dec(x.unitsPerHour)}</td>
            {pickers ? <td class="num">{f.dec(x.metresWalked)}</td> : null}
          </tr>
        ))}
      </Table>
    </div>
  );
}
