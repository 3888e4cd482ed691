import { useEffect, useState } from 'preact/hooks';
import { DeskSupplierPerformanceDocument } from '../../graphql/generated/graphql';
import { gql } from '../../graphql/client';
import { useI18n } from '../../i18n';
import { Meter, failureCode, formats } from './common';
import { sinceOf } from './logic';
import type { SupplierPerformance } from './types';

const WINDOWS = [30, 90, 365] as const;

/** On-time rate, quantity accuracy and QC reject rate per supplier. */
export function Suppliers({ warehouseId }: { warehouseId: string | null }) {
  const { t, err, locale } = useI18n();
  const f = formats(locale);
  const [days, setDays] = useState<number | null>(null);
  const [list, setList] = useState<SupplierPerformance[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  const load = async () => {
    setLoadError(null);
    try {
      const d = await gql(DeskSupplierPerformanceDocument, { since: sinceOf(days, new Date()), warehouseId });
      setList(d.supplierPerformance);
    } catch (e) {
      setLoadError(failureCode(e));
    }
  };

  useEffect(() => {
    setList(null);
    void load();
  }, [days, warehouseId]);

  // Higher is better for the first two, lower for rejects: the bar's colour says which way is good.
  const rate = (v: number | null, good: 'high' | 'low') => {
    if (v === null) return <span class="muted">{t('desk.none')}</span>;
    const ok = good === 'high' ? v >= 0.95 : v <= 0.02;
    const bad = good === 'high' ? v < 0.8 : v > 0.1;
    return (
      <span class="desk-rate">
        <Meter value={v} label={f.pct(v)} tone={ok ? 'ok' : bad ? 'bad' : 'warn'} />
        <span>{f.pct(v)}</span>
      </span>
    );
  };

  return (
    <div class="stack">
      <div class="desk-filters">
        <label class="field desk-field">
          {t('desk.period')}
          <select class="input" value={days === null ? '' : String(days)} onChange={(e) => setDays((e.target as HTMLSelectElement).value ? Number((e.target as HTMLSelectElement).value) : null)}>
            <option value="">{t('desk.allTime')}</option>
            {WINDOWS.map((d) => (
              <option value={String(d)}>{t('desk.days', { n: d })}</option>
            ))}
          </select>
        </label>
        <button type="button" class="btn btn-secondary btn-small" onClick={() => void load()}>
          {t('desk.refresh')}
        </button>
      </div>
      {loadError ? <p class="alert alert-error">{err(loadError)}</p> : null}
      {list === null && !loadError ? <p class="muted">{t('desk.loading')}</p> : null}
      {list !== null && list.length === 0 ? <p class="muted">{t('desk.sp.none')}</p> : null}
      {list && list.length > 0 ? (
        <div class="card desk-card desk-table-wrap">
          <table class="desk-table" data-testid="suppliers">
            <thead>
              <tr>
                <th scope="col">{t('desk.sp.supplier')}</th>
                <th scope="col" class="num">{t('desk.sp.lines')}</th>
                <th scope="col">{t('desk.sp.onTime')}</th>
                <th scope="col">{t('desk.sp.accuracy')}</th>
                <th scope="col">{t('desk.sp.qcReject')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((s) => (
                <tr>
                  <td>
                    {s.supplierName}
                    <div class="muted desk-sub code">{s.supplierCode}</div>
                  </td>
                  <td class="num">{f.int(s.receiptLines)}</td>
                  <td>{rate(s.onTimeRate, 'high')}</td>
                  <td>{rate(s.quantityAccuracy, 'high')}</td>
                  <td>{rate(s.qcRejectRate, 'low')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <p class="muted desk-hint">{t('desk.sp.hint')}</p>
    </div>
  );
}
