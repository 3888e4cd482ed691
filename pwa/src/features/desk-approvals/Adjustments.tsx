import { useEffect, useState } from 'preact/hooks';
import { gqlText } from '../../graphql/client';
import { useI18n } from '../../i18n';
import { FlowMessageView, useFlowFeedback } from '../../ui/flow/Flow';
import { mutateText } from '../../ui/flow/mutate';
import { failureCode, formats, labelOf } from '../desk/common';
import type { SectionProps } from '../desk-office/section';
import { useLatest } from '../desk-office/latest';
import { nodes, type PageInfo } from '../desk-office/ops';
import { byUrgency, decisionFor } from './logic';
import { ADJUSTMENTS, APPROVE_ADJUSTMENT, REJECT_ADJUSTMENT, type Adjustment, type AdjustmentDecided, type AdjustmentsData } from './ops';

const FILTERS = ['PENDING', 'APPROVED', 'REJECTED', ''] as const;

/** Stock adjustments worth more than the approval threshold, waiting for a second person. */
export function Adjustments({ userId, warehouseId, onDecided }: SectionProps) {
  const { t, err, locale } = useI18n();
  const fb = useFlowFeedback();
  const f = formats(locale);
  const [state, setState] = useState<(typeof FILTERS)[number]>('PENDING');
  const [list, setList] = useState<Adjustment[] | null>(null);
  const [page, setPage] = useState<PageInfo | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const latest = useLatest();
  const load = async (after: string | null = null) => {
    const live = latest();
    setLoadError(null);
    try {
      const d = await gqlText<AdjustmentsData>(ADJUSTMENTS, { state: state || null, warehouseId, after });
      if (!live()) return;
      setList((prev) => (after && prev ? [...prev, ...nodes(d.adjustments)] : nodes(d.adjustments)));
      setPage(d.adjustments.pageInfo);
    } catch (e) {
      setLoadError(failureCode(e));
    }
  };
  useEffect(() => {
    setList(null);
    void load();
  }, [state, warehouseId]);

  const decide = async (a: Adjustment, approve: boolean) => {
    setBusy(a.id);
    fb.clear();
    const out = await mutateText<AdjustmentDecided>(approve ? 'approveAdjustment' : 'rejectAdjustment', approve ? APPROVE_ADJUSTMENT : REJECT_ADJUSTMENT, { adjustmentId: a.id }, { queueOffline: false });
    setBusy(null);
    if (!fb.outcome(out) || out.status !== 'ok') return;
    const done = out.data.adjustment;
    setList((prev) => (prev ?? []).map((x) => (x.id === done.id ? done : x)));
    fb.ok(t(approve ? 'office.adj.approvedDone' : 'office.adj.rejectedDone', { sku: done.itemSku, bin: done.binCode }));
    onDecided();
  };

  const shown = byUrgency(list ?? []);
  return (
    <div class="stack">
      <div class="desk-filters">
        <label class="field desk-field">
          {t('office.state')}
          <select class="input" data-testid="adj-filter" value={state} onChange={(e) => setState((e.target as HTMLSelectElement).value as (typeof FILTERS)[number])}>
            {FILTERS.map((s) => (
              <option value={s}>{s ? labelOf(locale, 'office.adjState', s) : t('office.all')}</option>
            ))}
          </select>
        </label>
        <button type="button" class="btn btn-secondary btn-small" onClick={() => void load()}>
          {t('desk.refresh')}
        </button>
      </div>
      <FlowMessageView message={fb.message} />
      {loadError ? <p class="alert alert-error">{err(loadError)}</p> : null}
      {list === null && !loadError ? <p class="muted">{t('desk.loading')}</p> : null}
      {list !== null && list.length === 0 ? <p class="muted">{t('office.adj.none')}</p> : null}
      {shown.length > 0 ? (
        <div class="card desk-card desk-table-wrap">
          <table class="desk-table" data-testid="adjustments">
            <thead>
              <tr>
                <th scope="col">{t('office.adj.when')}</th>
                <th scope="col">{t('office.bin')}</th>
                <th scope="col">{t('office.item')}</th>
                <th scope="col" class="num">{t('office.quantity')}</th>
                <th scope="col" class="num">{t('office.value')}</th>
                <th scope="col">{t('office.adj.reason')}</th>
                <th scope="col">{t('office.adj.by')}</th>
                <th scope="col">{t('office.decision')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((a) => {
                const d = decisionFor(a, userId);
                return (
                  <tr data-testid="adj-row" data-id={a.id} data-state={a.state}>
                    <td class="nowrap">{f.stamp(a.createdAt)}</td>
                    <td class="code">{a.binCode}</td>
                    <td>
                      <span class="code">{a.itemSku}</span>
                      {a.lotNumber ? <div class="muted desk-sub">{t('office.lot', { lot: a.lotNumber })}</div> : null}
                      {a.status !== 'AVAILABLE' ? <div class="muted desk-sub">{labelOf(locale, 'office.status', a.status)}</div> : null}
                    </td>
                    <td class={a.quantity < 0 ? 'num under' : 'num over'}>{`${a.quantity > 0 ? '+' : '−'}${f.int(Math.abs(a.quantity))}`}</td>
                    <td class="num">{f.money(a.valueCents)}</td>
                    <td>
                      {labelOf(locale, 'office.reason', a.reason)}
                      {a.note ? <q class="desk-comment">{a.note}</q> : null}
                      {a.countId ? <div class="muted desk-sub">{t('office.adj.fromCount', { id: a.countId })}</div> : null}
                    </td>
                    <td>{a.requestedBy === userId ? t('office.you') : t('office.user', { id: a.requestedBy })}</td>
                    <td>
                      {d === 'decide' ? (
                        <div class="office-actions">
                          <button type="button" class="btn btn-primary btn-small" disabled={busy !== null} data-testid="adj-approve" onClick={() => void decide(a, true)}>
                            {t('office.approve')}
                          </button>
                          <button type="button" class="btn btn-secondary btn-small" disabled={busy !== null} data-testid="adj-reject" onClick={() => void decide(a, false)}>
                            {t('office.reject')}
                          </button>
                        </div>
                      ) : d === 'own' ? (
                        <span class="muted" data-testid="adj-own">{t('office.adj.own')}</span>
                      ) : (
                        <span class={`chip office-state office-state-${a.state}`}>
                          {labelOf(locale, 'office.adjState', a.state)}
                          {a.decidedBy ? ` · ${a.decidedBy === userId ? t('office.you') : t('office.user', { id: a.decidedBy })}` : ''}
                        </span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      {page?.hasNextPage ? (
        <button type="button" class="btn btn-secondary" onClick={() => void load(page.endCursor)}>
          {t('office.more')}
        </button>
      ) : null}
    </div>
  );
}
