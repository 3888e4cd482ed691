import { useEffect, useState } from 'preact/hooks';
import { gqlText } from '../../graphql/client';
import { useI18n } from '../../i18n';
import { FlowMessageView, useFlowFeedback } from '../../ui/flow/Flow';
import { mutateText } from '../../ui/flow/mutate';
import { failureCode, formats, labelOf } from '../desk/common';
import { nodes } from '../desk-office/ops';
import type { SectionProps } from '../desk-office/section';
import { useLatest } from '../desk-office/latest';
import { decisionInput, mayDecideCount, reviewTotals } from './logic';
import { ACCEPT_VARIANCE, COUNT_REVIEWS, RECOUNT_VARIANCE, REJECT_VARIANCE, VARIANCE_CAUSES, type CausesData, type CountDecided, type CountReview, type Recounted, type ReviewsData } from './ops';

/** Submitted counts whose variances wait for a decision: accept (adjust the book), recount, or keep the book. */
export function Variances({ userId, warehouseId, onDecided }: SectionProps) {
  const { t, err, locale } = useI18n();
  const fb = useFlowFeedback();
  const f = formats(locale);
  const [list, setList] = useState<CountReview[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [causes, setCauses] = useState<string[]>([]);
  const [chosen, setChosen] = useState<Record<string, string>>({});

  const latest = useLatest();
  const load = async () => {
    const live = latest();
    setLoadError(null);
    try {
      const [d, c] = await Promise.all([gqlText<ReviewsData>(COUNT_REVIEWS, { state: 'PENDING_APPROVAL', warehouseId }), gqlText<CausesData>(VARIANCE_CAUSES, {})]);
      if (!live()) return;
      setList(nodes(d.countReviews));
      setCauses(c.varianceCauses);
    } catch (e) {
      setLoadError(failureCode(e));
    }
  };
  useEffect(() => {
    setList(null);
    void load();
  }, [warehouseId]);

  const decide = async (r: CountReview, how: 'accept' | 'recount' | 'keep') => {
    setBusy(true);
    fb.clear();
    const cause = chosen[r.countId] ?? '';
    if (how === 'recount') {
      // The variances close as RECOUNTED and a fresh count of the bin goes to the floor, in one step.
      const again = await mutateText<Recounted>('recountVariance', RECOUNT_VARIANCE, { countId: r.countId }, { queueOffline: false });
      setBusy(false);
      if (!fb.outcome(again) || again.status !== 'ok') return;
      setList((prev) => (prev ?? []).filter((x) => x.countId !== r.countId));
      onDecided();
      fb.ok(t('office.var.recountDone', { bin: r.binCode }));
      return;
    }
    const accept = how === 'accept';
    const out = await mutateText<CountDecided>(accept ? 'approveCountVariance' : 'rejectCountVariance', accept ? ACCEPT_VARIANCE : REJECT_VARIANCE, decisionInput(r.countId, cause), { queueOffline: false });
    setBusy(false);
    if (!fb.outcome(out) || out.status !== 'ok') return;
    setList((prev) => (prev ?? []).filter((x) => x.countId !== r.countId));
    onDecided();
    fb.ok(accept ? t('office.var.acceptedDone', { bin: r.binCode, n: out.data.adjustmentIds.length }) : t('office.var.keptDone', { bin: r.binCode }));
  };

  return (
    <div class="stack">
      <div class="desk-filters">
        <p class="muted office-hint">{t('office.var.hint')}</p>
        <button type="button" class="btn btn-secondary btn-small" onClick={() => void load()}>
          {t('desk.refresh')}
        </button>
      </div>
      <FlowMessageView message={fb.message} />
      {loadError ? <p class="alert alert-error">{err(loadError)}</p> : null}
      {list === null && !loadError ? <p class="muted">{t('desk.loading')}</p> : null}
      {list !== null && list.length === 0 ? <p class="muted">{t('office.var.none')}</p> : null}
      <div class="office-cards">
        {(list ?? []).map((r) => {
          const tot = reviewTotals(r);
          const d = mayDecideCount(r, userId);
          return (
            <article class="card desk-card" data-testid="variance" data-count={r.countId} data-bin={r.binCode}>
              <header class="desk-detail-head">
                <h3 class="code">{r.binCode}</h3>
                <span class="chip">{labelOf(locale, 'office.origin', r.origin)}</span>
                {r.recountOfId ? <span class="chip">{t('office.var.recountOf', { id: r.recountOfId })}</span> : null}
              </header>
              <p class="muted desk-sub">
                {t('office.var.counted', { who: r.countedBy === null ? '—' : r.countedBy === userId ? t('office.you') : t('office.user', { id: r.countedBy }), at: f.stamp(r.submittedAt) })}
              </p>
              <div class="desk-table-wrap">
                <table class="desk-table">
                  <thead>
                    <tr>
                      <th scope="col">{t('office.item')}</th>
                      <th scope="col" class="num">{t('office.var.book')}</th>
                      <th scope="col" class="num">{t('office.var.countedQty')}</th>
                      <th scope="col" class="num">{t('office.var.variance')}</th>
                      <th scope="col" class="num">{t('office.value')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {r.lines.map((l) => (
                      <tr data-testid="variance-line" data-sku={l.itemSku} class={l.state === 'PENDING' ? '' : 'muted'}>
                        <td>
                          <span class="code">{l.itemSku}</span>
                          {l.lotNumber ? <div class="muted desk-sub">{t('office.lot', { lot: l.lotNumber })}</div> : null}
                        </td>
                        <td class="num">{f.int(l.book)}</td>
                        <td class="num">{f.int(l.counted)}</td>
                        <td class={l.variance < 0 ? 'num under' : l.variance > 0 ? 'num over' : 'num'}>{l.variance === 0 ? '0' : `${l.variance > 0 ? '+' : '−'}${f.int(Math.abs(l.variance))}`}</td>
                        <td class="num">{f.money(l.valueCents)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <p class="office-total">{t('office.var.total', { lines: tot.lines, units: tot.units > 0 ? `+${f.int(tot.units)}` : tot.units < 0 ? `−${f.int(-tot.units)}` : '0', value: f.money(tot.valueCents) })}</p>
              {d === 'decide' ? (
                <label class="field desk-field office-cause">
                  {t('office.var.cause')}
                  <select class="input" value={chosen[r.countId] ?? ''} data-testid="var-cause" onChange={(e) => setChosen({ ...chosen, [r.countId]: (e.target as HTMLSelectElement).value })}>
                    <option value="">{t('office.var.noCause')}</option>
                    {causes.map((c) => (
                      <option value={c}>{labelOf(locale, 'office.cause', c)}</option>
                    ))}
                  </select>
                </label>
              ) : null}
              {d === 'decide' ? (
                <div class="office-actions">
                  <button type="button" class="btn btn-primary" disabled={busy} data-testid="var-accept" onClick={() => void decide(r, 'accept')}>
                    {t('office.var.accept')}
                  </button>
                  <button type="button" class="btn btn-secondary" disabled={busy} data-testid="var-recount" onClick={() => void decide(r, 'recount')}>
                    {t('office.var.recount')}
                  </button>
                  <button type="button" class="btn btn-ghost" disabled={busy} data-testid="var-keep" onClick={() => void decide(r, 'keep')}>
                    {t('office.var.keep')}
                  </button>
                </div>
              ) : d === 'own' ? (
                <p class="muted" data-testid="var-own">{t('office.var.own')}</p>
              ) : null}
            </article>
          );
        })}
      </div>
    </div>
  );
}
