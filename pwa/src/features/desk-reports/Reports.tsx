import { useState } from 'preact/hooks';
import { gqlText } from '../../graphql/client';
import { useI18n } from '../../i18n';
import { saveBlob } from '../../ui/saveBlob';
import { LineChart, PALETTE } from '../analytics/charts';
import { failureCode, formats } from '../desk/common';
import type { SectionProps } from '../desk-office/section';
import { bucketLabel, lotTraceCsv, parseEdges, stackParts } from './logic';
import { ITEM_BY_CODE, LEVEL_HISTORY, LOT_TRACE, STOCK_AGE, type AgeRow, type LevelHistory, type LotTraceData, type Refusal, type StockAgeReport } from './ops';

type Kind = 'age' | 'levels' | 'lot';

function download(text: string, name: string) {
  saveBlob(new Blob(['\ufeff', text], { type: 'text/csv;charset=utf-8' }), `${name}-${new Date().toISOString().slice(0, 10)}.csv`);
}

/** Stock age, stock level history and lot traceability, each with a chart or table and its CSV. */
export function Reports({ warehouseId }: SectionProps) {
  const { t } = useI18n();
  const [kind, setKind] = useState<Kind>('age');
  return (
    <div class="stack">
      <div class="desk-filters" role="group" aria-label={t('office.rep.kind')}>
        {(['age', 'levels', 'lot'] as Kind[]).map((k) => (
          <button type="button" class={`btn btn-small ${k === kind ? 'btn-primary' : 'btn-secondary'}`} aria-pressed={k === kind} data-testid={`rep-${k}`} onClick={() => setKind(k)}>
            {t(`office.rep.${k}`)}
          </button>
        ))}
      </div>
      {kind === 'age' ? <StockAge warehouseId={warehouseId} /> : kind === 'levels' ? <Levels warehouseId={warehouseId} /> : <LotTrace />}
    </div>
  );
}

function StockAge({ warehouseId }: { warehouseId: string | null }) {
  const { t, err, locale } = useI18n();
  const f = formats(locale);
  const [edgesText, setEdgesText] = useState('30, 60, 90, 180, 365');
  const [report, setReport] = useState<StockAgeReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    const edges = parseEdges(edgesText);
    if (!edges) return setError('INVALID_INPUT');
    setError(null);
    try {
      const d = await gqlText<{ stockAge: StockAgeReport | Refusal }>(STOCK_AGE, { warehouseId, edges });
      if (d.stockAge.__typename !== 'StockAge') return setError((d.stockAge as Refusal).code);
      setReport(d.stockAge as StockAgeReport);
    } catch (e) {
      setError(failureCode(e));
    }
  };
  return (
    <div class="stack">
      <form class="desk-filters" onSubmit={(e) => (e.preventDefault(), void run())}>
        <label class="field desk-field">
          {t('office.rep.edges')}
          <input class="input" value={edgesText} data-testid="age-edges" onInput={(e) => setEdgesText((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit" class="btn btn-primary btn-small" data-testid="age-show">{t('office.rep.show')}</button>
        <button type="button" class="btn btn-secondary btn-small" disabled={!report} data-testid="age-csv" onClick={() => report && download(report.csv, 'wms-stock-age')}>
          {t('office.rep.csv')}
        </button>
      </form>
      {error ? <p class="alert alert-error">{err(error)}</p> : null}
      {report ? (
        <>
          <AgeChart rows={report.rows.slice(0, 10)} labels={report.totals.map(bucketLabel)} title={t('office.rep.ageChart')} />
          <div class="card desk-card desk-table-wrap">
            <table class="desk-table" data-testid="age-table">
              <thead>
                <tr>
                  <th scope="col">{t('office.item')}</th>
                  <th scope="col">{t('office.rep.warehouse')}</th>
                  <th scope="col" class="num">{t('office.rep.onHand')}</th>
                  <th scope="col" class="num">{t('office.value')}</th>
                  {report.totals.map((b) => (
                    <th scope="col" class="num">{t('office.rep.days', { span: bucketLabel(b) })}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {report.rows.map((r) => (
                  <tr data-testid="age-row" data-sku={r.sku} data-warehouse={r.warehouseCode}>
                    <td><span class="code">{r.sku}</span> {r.name}</td>
                    <td>{r.warehouseCode}</td>
                    <td class="num" data-testid="age-onhand">{r.onHand}</td>
                    <td class="num">{f.money(r.valueCents)}</td>
                    {r.buckets.map((b) => (
                      <td class="num" data-testid="age-bucket">{b.quantity}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr data-testid="age-totals">
                  <th scope="row" colSpan={3}>{t('office.rep.total')}</th>
                  <td class="num">{f.money(report.totals.reduce((s, b) => s + b.valueCents, 0))}</td>
                  {report.totals.map((b) => (
                    <td class="num">{b.quantity}</td>
                  ))}
                </tr>
              </tfoot>
            </table>
          </div>
        </>
      ) : null}
    </div>
  );
}

/** One horizontal bar per item, its units stacked by age bucket, youngest first. */
function AgeChart({ rows, labels, title }: { rows: AgeRow[]; labels: string[]; title: string }) {
  const width = 900;
  const labelW = 130;
  const barH = 18;
  const gap = 8;
  const max = rows.reduce((m, r) => Math.max(m, r.onHand), 0);
  const height = rows.length * (barH + gap) + 8;
  return (
    <figure class="chart" data-testid="age-chart">
      <figcaption class="chart-title">{title}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-label={title} class="chart-svg">
        {rows.map((r, i) => {
          const y = i * (barH + gap) + 4;
          const parts = stackParts(r.buckets.map((b) => b.quantity), max, width - labelW - 60);
          return (
            <g data-sku={r.sku}>
              <text x={labelW - 8} y={y + barH / 2} dy="0.35em" text-anchor="end" class="chart-tick">{`${r.sku} ${r.warehouseCode}`}</text>
              {parts.map((p, j) => (p.w > 0 ? (
                <rect x={labelW + p.x} y={y} width={p.w} height={barH} fill={PALETTE[j % PALETTE.length]}>
                  <title>{`${r.sku} ${labels[j]}: ${r.buckets[j].quantity}`}</title>
                </rect>
              ) : null))}
              <text x={labelW + parts.reduce((s, p) => s + p.w, 0) + 6} y={y + barH / 2} dy="0.35em" class="chart-tick">{r.onHand}</text>
            </g>
          );
        })}
      </svg>
      <ul class="chart-legend">
        {labels.map((l, j) => (
          <li><span class="chart-swatch" style={{ background: PALETTE[j % PALETTE.length] }} />{l}</li>
        ))}
      </ul>
    </figure>
  );
}

function Levels({ warehouseId }: { warehouseId: string | null }) {
  const { t, err } = useI18n();
  const today = new Date().toISOString().slice(0, 10);
  const [code, setCode] = useState('');
  const [from, setFrom] = useState(new Date(Date.now() - 29 * 86400_000).toISOString().slice(0, 10));
  const [to, setTo] = useState(today);
  const [wh, setWh] = useState(warehouseId ?? '');
  const [history, setHistory] = useState<LevelHistory | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    setError(null);
    try {
      const it = await gqlText<{ itemStock: { __typename: string; code?: string; item?: { id: string } } }>(ITEM_BY_CODE, { code: code.trim() });
      if (!it.itemStock.item) return setError(it.itemStock.code ?? 'ITEM_NOT_FOUND');
      const d = await gqlText<{ stockLevelHistory: LevelHistory | Refusal }>(LEVEL_HISTORY, { itemId: it.itemStock.item.id, warehouseId: wh || warehouseId, from, to });
      if (d.stockLevelHistory.__typename !== 'StockLevelHistory') return setError((d.stockLevelHistory as Refusal).code);
      setHistory(d.stockLevelHistory as LevelHistory);
    } catch (e) {
      setError(failureCode(e));
    }
  };
  return (
    <div class="stack">
      <form class="desk-filters" onSubmit={(e) => (e.preventDefault(), void run())}>
        <label class="field desk-field">{t('office.item')}<input class="input" value={code} data-testid="lvl-item" onInput={(e) => setCode((e.target as HTMLInputElement).value)} /></label>
        <label class="field desk-field">{t('office.rep.warehouseId')}<input class="input" value={wh} data-testid="lvl-wh" onInput={(e) => setWh((e.target as HTMLInputElement).value)} /></label>
        <label class="field desk-field">{t('office.rep.from')}<input type="date" class="input" value={from} data-testid="lvl-from" onInput={(e) => setFrom((e.target as HTMLInputElement).value)} /></label>
        <label class="field desk-field">{t('office.rep.to')}<input type="date" class="input" value={to} data-testid="lvl-to" onInput={(e) => setTo((e.target as HTMLInputElement).value)} /></label>
        <button type="submit" class="btn btn-primary btn-small" data-testid="lvl-show">{t('office.rep.show')}</button>
        <button type="button" class="btn btn-secondary btn-small" disabled={!history} data-testid="lvl-csv" onClick={() => history && download(history.csv, `wms-stock-levels-${history.sku}`)}>
          {t('office.rep.csv')}
        </button>
      </form>
      {error ? <p class="alert alert-error">{err(error)}</p> : null}
      {history ? (
        <>
          <LineChart
            title={t('office.rep.levelChart', { sku: history.sku, wh: history.warehouseCode })}
            desc={t('office.rep.levelDesc')}
            categories={history.days.map((d) => d.day.slice(5))}
            series={[{ key: 'onHand', label: t('office.rep.onHand'), values: history.days.map((d) => d.onHand), colour: PALETTE[0] }]}
            testid="lvl-chart"
          />
          <p class="muted desk-sub" data-testid="lvl-opening">{t('office.rep.opening', { n: history.opening })}</p>
          <div class="card desk-card desk-table-wrap">
            <table class="desk-table" data-testid="lvl-table">
              <thead><tr><th scope="col">{t('office.rep.day')}</th><th scope="col" class="num">{t('office.rep.received')}</th><th scope="col" class="num">{t('office.rep.issued')}</th><th scope="col" class="num">{t('office.rep.onHand')}</th></tr></thead>
              <tbody>
                {history.days.map((d) => (
                  <tr data-testid="lvl-row" data-day={d.day}><td>{d.day}</td><td class="num">{d.received}</td><td class="num">{d.issued}</td><td class="num" data-testid="lvl-onhand">{d.onHand}</td></tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </div>
  );
}

function LotTrace() {
  const { t, err, locale } = useI18n();
  const f = formats(locale);
  const [item, setItem] = useState('');
  const [lot, setLot] = useState('');
  const [trace, setTrace] = useState<LotTraceData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    setError(null);
    try {
      const d = await gqlText<{ lotTrace: LotTraceData | Refusal }>(LOT_TRACE, { itemCode: item.trim(), lotNumber: lot.trim() });
      if (d.lotTrace.__typename !== 'LotTrace') return setError((d.lotTrace as Refusal).code);
      setTrace(d.lotTrace as LotTraceData);
    } catch (e) {
      setError(failureCode(e));
    }
  };
  return (
    <div class="stack">
      <form class="desk-filters" onSubmit={(e) => (e.preventDefault(), void run())}>
        <label class="field desk-field">{t('office.item')}<input class="input" value={item} data-testid="lot-item" onInput={(e) => setItem((e.target as HTMLInputElement).value)} /></label>
        <label class="field desk-field">{t('office.lotLabel')}<input class="input" value={lot} data-testid="lot-number" onInput={(e) => setLot((e.target as HTMLInputElement).value)} /></label>
        <button type="submit" class="btn btn-primary btn-small" data-testid="lot-show">{t('office.rep.show')}</button>
        <button type="button" class="btn btn-secondary btn-small" disabled={!trace} data-testid="lot-csv" onClick={() => trace && download(lotTraceCsv(trace), `wms-lot-${trace.item.sku}-${trace.lot.lotNumber}`)}>
          {t('office.rep.csv')}
        </button>
      </form>
      {error ? <p class="alert alert-error">{err(error)}</p> : null}
      {trace ? (
        <div class="card desk-card desk-table-wrap">
          <table class="desk-table" data-testid="lot-table">
            <thead><tr><th scope="col">{t('office.rep.section')}</th><th scope="col">{t('office.rep.day')}</th><th scope="col">{t('office.rep.party')}</th><th scope="col">{t('office.rep.document')}</th><th scope="col">{t('office.rep.warehouse')}</th><th scope="col" class="num">{t('office.quantity')}</th></tr></thead>
            <tbody>
              {trace.received.map((r) => (
                <tr data-testid="lot-receipt"><td>{t('office.rep.receipt')}</td><td>{f.stamp(r.receivedAt)}</td><td>{r.supplierName ?? r.kind}</td><td class="code">{[r.poNumber, r.reference].filter(Boolean).join(' · ') || `#${r.receiptId}`}</td><td>{r.warehouseCode}</td><td class="num">{r.quantity}</td></tr>
              ))}
              {trace.onHand.map((s) => (
                <tr data-testid="lot-stock"><td>{t('office.rep.stock')}</td><td>—</td><td>{s.status}</td><td class="code">{s.binCode}</td><td>{s.warehouseCode}</td><td class="num">{s.onHand}</td></tr>
              ))}
              {trace.shipped.map((s) => (
                <tr data-testid="lot-shipment"><td>{t('office.rep.shipment')}</td><td>{f.stamp(s.shippedAt ?? s.packedAt)}</td><td>{s.customerName}</td><td class="code">{[s.orderNumber, s.waybillNo ?? s.cartonSscc].filter(Boolean).join(' · ')}</td><td>{s.warehouseCode}</td><td class="num">{s.quantity}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
