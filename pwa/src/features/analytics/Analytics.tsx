import { useState } from 'preact/hooks';
import { authStore } from '../../auth';
import type { TrendBucket, TurnoverGroup, ValueGroup, AbcMeasure, CsvKind } from './types';
import { useI18n } from '../../i18n';
import { useStore } from '../../store';
import { FlowMessageView, useFlowFeedback } from '../../ui/flow/Flow';
import { Tabs, WarehousePicker, failureCode, useWarehouses } from '../desk/common';
import { localIsoDate } from '../desk/logic';
import { csvFilename, downloadCsv } from './csv';
import { AbcReport, AccuracyReport, ProductivityReport, TrendsReport, TurnoverReport, ValueReport, type ProductivityMetric, type Worker } from './reports';
import type { TurnoverMetric } from './shape';

export type Report = 'value' | 'turnover' | 'abc' | 'trends' | 'accuracy' | 'productivity';

const CSV_KIND: Record<Report, CsvKind> = {
  value: 'STOCK_VALUE',
  turnover: 'TURNOVER',
  abc: 'ABC',
  trends: 'TRENDS',
  accuracy: 'ACCURACY',
  productivity: 'PRODUCTIVITY',
};

const PERIODS = [7, 30, 90, 180, 365] as const;

/**
 * Analytics for supervisors and planners: each report as a chart and a
 * table, with its window and grouping, and the same figures as a CSV file.
 */
export function AnalyticsScreen() {
  const { t, err } = useI18n();
  const fb = useFlowFeedback();
  const auth = useStore(authStore);
  const roles = auth.status === 'signed-in' ? auth.session.user.roles : [];
  const warehouses = useWarehouses();
  const [warehouseId, setWarehouseId] = useState<string | null>(null);
  const [report, setReport] = useState<Report>('value');
  const [days, setDays] = useState(90);
  const [valueGroup, setValueGroup] = useState<ValueGroup>('CATEGORY');
  const [turnoverGroup, setTurnoverGroup] = useState<TurnoverGroup>('CATEGORY');
  const [turnoverMetric, setTurnoverMetric] = useState<TurnoverMetric>('annualTurns');
  const [measure, setMeasure] = useState<AbcMeasure>('LINES');
  const [bucket, setBucket] = useState<TrendBucket>('DAY');
  const [prodMetric, setProdMetric] = useState<ProductivityMetric>('linesPerHour');
  const [worker, setWorker] = useState<Worker>('pickers');
  const [saving, setSaving] = useState(false);

  const csv = async () => {
    const kind: CsvKind = report === 'productivity' && worker === 'packers' ? 'PACKER_PRODUCTIVITY' : CSV_KIND[report];
    const params = { kind, days, warehouseId, valueGroup, turnoverGroup, bucket };
    const file = csvFilename(params, localIsoDate(new Date()));
    setSaving(true);
    fb.clear();
    try {
      await downloadCsv(params, file);
      fb.info(t('an.csvSaved', { file }));
    } catch (e) {
      fb.error(err(failureCode(e)));
    } finally {
      setSaving(false);
    }
  };

  const select = <T extends string>(label: string, value: T, options: [T, string][], onChange: (v: T) => void, testid?: string) => (
    <label class="field desk-field">
      {label}
      <select class="input" value={value} data-testid={testid} onChange={(e) => onChange((e.target as HTMLSelectElement).value as T)}>
        {options.map(([v, text]) => (
          <option value={v}>{text}</option>
        ))}
      </select>
    </label>
  );

  return (
    <div class="desk analytics" data-testid="analytics">
      <div class="desk-top">
        <Tabs
          idPrefix="an"
          label={t('an.sections')}
          value={report}
          onChange={(r) => {
            fb.clear();
            setReport(r);
          }}
          tabs={[
            { id: 'value', label: t('an.tab.value') },
            { id: 'turnover', label: t('an.tab.turnover') },
            { id: 'abc', label: t('an.tab.abc') },
            { id: 'trends', label: t('an.tab.trends') },
            { id: 'accuracy', label: t('an.tab.accuracy') },
            { id: 'productivity', label: t('an.tab.productivity') },
          ]}
        />
      </div>
      <div class="desk-filters an-controls">
        <WarehousePicker list={warehouses} value={warehouseId} onChange={setWarehouseId} />
        {report !== 'value'
          ? select(
              t('an.period'),
              String(days),
              PERIODS.map((d) => [String(d), t('desk.days', { n: d })]),
              (v) => setDays(Number(v)),
              'an-period',
            )
          : null}
        {report === 'value'
          ? select<ValueGroup>(t('an.groupBy'), valueGroup, (['CATEGORY', 'WAREHOUSE', 'STATUS'] as const).map((g) => [g, t(`an.group.${g}`)]), setValueGroup, 'an-group')
          : null}
        {report === 'turnover' ? (
          <>
            {select<TurnoverGroup>(t('an.groupBy'), turnoverGroup, (['CATEGORY', 'ITEM'] as const).map((g) => [g, t(`an.group.${g}`)]), setTurnoverGroup)}
            {select<TurnoverMetric>(t('an.to.show'), turnoverMetric, [
              ['annualTurns', t('an.to.annualTurns')],
              ['daysOfSupply', t('an.to.daysOfSupply')],
            ], setTurnoverMetric)}
          </>
        ) : null}
        {report === 'abc' ? select<AbcMeasure>(t('an.abc.measure'), measure, (['LINES', 'UNITS', 'VALUE'] as const).map((m) => [m, t(`an.measure.${m}`)]), setMeasure) : null}
        {report === 'trends' ? select<TrendBucket>(t('an.tr.bucket'), bucket, (['DAY', 'WEEK'] as const).map((b) => [b, t(`an.bucket.${b}`)]), setBucket) : null}
        {report === 'productivity'
          ? select<Worker>(t('an.pr.who'), worker, [
              ['pickers', t('an.pr.pickers')],
              ['packers', t('an.pr.packers')],
            ], setWorker)
          : null}
        {report === 'productivity'
          ? select<ProductivityMetric>(t('an.pr.show'), prodMetric, [
              ['linesPerHour', t('an.col.linesPerHour')],
              ['unitsPerHour', t('an.col.unitsPerHour')],
              ['lines', t('an.col.lines')],
              ['units', t('an.col.units')],
              ...(worker === 'pickers' ? ([['metresWalked', t('an.col.metres')]] as [ProductivityMetric, string][]) : []),
            ], setProdMetric)
          : null}
        <button type="button" class="btn btn-secondary an-csv" disabled={saving} data-testid="an-csv" onClick={() => void csv()}>
          <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
            <path fill="currentColor" d="M11 3h2v9.2l3.3-3.3 1.4 1.4L12 16 6.3 10.3l1.4-1.4 3.3 3.3zM5 18h14v2H5z" />
          </svg>
          {t('an.csv')}
        </button>
      </div>
      <FlowMessageView message={fb.message} />
      <div id="an-panel" role="tabpanel" aria-labelledby={`an-tab-${report}`} class="an-panel">
        {report === 'value' ? <ValueReport group={valueGroup} warehouseId={warehouseId} /> : null}
        {report === 'turnover' ? <TurnoverReport group={turnoverGroup} metric={turnoverMetric} days={days} warehouseId={warehouseId} /> : null}
        {report === 'abc' ? <AbcReport measure={measure} days={days} warehouseId={warehouseId} roles={roles} fb={fb} /> : null}
        {report === 'trends' ? <TrendsReport bucket={bucket} days={days} warehouseId={warehouseId} /> : null}
        {report === 'accuracy' ? <AccuracyReport days={days} warehouseId={warehouseId} /> : null}
        {report === 'productivity' ? <ProductivityReport metric={prodMetric} worker={worker} days={days} warehouseId={warehouseId} /> : null}
      </div>
    </div>
  );
}
