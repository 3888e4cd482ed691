import { useEffect, useState } from 'preact/hooks';
import { AllowUnplannedItemsDocument, DeskReceiptsDocument } from '../../graphql/generated/graphql';
import { gql } from '../../graphql/client';
import { useI18n } from '../../i18n';
import { FlowMessageView, useFlowFeedback } from '../../ui/flow/Flow';
import { mutate } from '../../ui/flow/mutate';
import { Meter, Split, failureCode, formats, labelOf } from './common';
import { mayAllowUnplanned, receiptSource, replaced, share } from './logic';
import type { DeskReceipt, PageInfo } from './types';

type StateFilter = 'OPEN' | 'CLOSED' | 'ALL';
const KINDS = ['PURCHASE', 'RETURN', 'TRANSFER'] as const;

/** Receipts, open or closed, by kind; what was expected and what came in. */
export function Receipts({ roles, warehouseId }: { roles: readonly string[]; warehouseId: string | null }) {
  const { t, err, locale } = useI18n();
  const fb = useFlowFeedback();
  const [state, setState] = useState<StateFilter>('OPEN');
  const [kind, setKind] = useState<string>('');
  const [list, setList] = useState<DeskReceipt[] | null>(null);
  const [page, setPage] = useState<PageInfo | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const f = formats(locale);

  const load = async (after: string | null = null) => {
    setLoadError(null);
    try {
      const d = await gql(DeskReceiptsDocument, {
        state: state === 'ALL' ? null : state,
        after,
        warehouseId,
      });
      const nodes = d.receipts.edges.map((e) => e.node);
      setList((prev) => (after && prev ? [...prev, ...nodes] : nodes));
      setPage(d.receipts.pageInfo);
    } catch (e) {
      setLoadError(failureCode(e));
    }
  };

  useEffect(() => {
    setList(null);
    void load();
  }, [state, warehouseId]);

  // The server filters by state; the kind is picked here from what was loaded.
  const shown = (list ?? []).filter((r) => !kind || r.kind === kind);
  const current = shown.find((r) => r.id === selected) ?? null;

  const listPane = (
    <div class="stack desk-pane">
      <div class="desk-filters">
        <label class="field desk-field">
          {t('desk.rc.state')}
          <select class="input" value={state} onChange={(e) => setState((e.target as HTMLSelectElement).value as StateFilter)}>
            {(['OPEN', 'CLOSED', 'ALL'] as const).map((s) => (
              <option value={s}>{t(`desk.rc.filter.${s}`)}</option>
            ))}
          </select>
        </label>
        <label class="field desk-field">
          {t('desk.rc.kind')}
          <select class="input" value={kind} data-testid="receipt-kind" onChange={(e) => setKind((e.target as HTMLSelectElement).value)}>
            <option value="">{t('desk.rc.allKinds')}</option>
            {KINDS.map((k) => (
              <option value={k}>{labelOf(locale, 'desk.rcKind', k)}</option>
            ))}
          </select>
        </label>
        <button type="button" class="btn btn-secondary btn-small" onClick={() => void load()}>
          {t('desk.refresh')}
        </button>
      </div>
      {loadError ? <p class="alert alert-error">{err(loadError)}</p> : null}
      {list === null && !loadError ? <p class="muted">{t('desk.loading')}</p> : null}
      {list !== null && shown.length === 0 ? <p class="muted">{t('desk.empty')}</p> : null}
      <ul class="desk-items" data-testid="receipt-list">
        {shown.map((r) => {
          const units = r.lines.reduce((s, l) => s + l.quantity, 0);
          return (
            <li key={r.id}>
              <button
                type="button"
                class={r.id === selected ? 'desk-item on' : 'desk-item'}
                aria-current={r.id === selected ? 'true' : undefined}
                data-testid="receipt-item"
                onClick={() => {
                  fb.clear();
                  setSelected(r.id);
                }}
              >
                <span class="desk-item-head">
                  <strong>{t('desk.rc.title', { id: r.id })}</strong>
                  <span class={`chip desk-state desk-state-${r.state}`}>{labelOf(locale, 'desk.rcState', r.state)}</span>
                </span>
                <span class="desk-item-sub">
                  {labelOf(locale, 'desk.rcKind', r.kind)}
                  {receiptSource(r) ? <> · <span class="code">{receiptSource(r)}</span></> : null}
                </span>
                <span class="desk-item-due">
                  {f.stamp(r.createdAt)} · {t('desk.rc.units', { n: f.int(units), lines: r.lines.length })}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
      {page?.hasNextPage ? (
        <button type="button" class="btn btn-secondary" onClick={() => void load(page.endCursor)}>
          {t('desk.loadMore')}
        </button>
      ) : null}
    </div>
  );

  return (
    <>
      <FlowMessageView message={fb.message} />
      <Split
        list={listPane}
        hasDetail={current !== null}
        onBack={() => setSelected(null)}
        detail={current ? <ReceiptDetail receipt={current} roles={roles} fb={fb} onChanged={(r) => setList((prev) => replaced(prev ?? [], r))} /> : null}
      />
    </>
  );
}

type Feedback = ReturnType<typeof useFlowFeedback>;

function ReceiptDetail({ receipt: r, roles, fb, onChanged }: { receipt: DeskReceipt; roles: readonly string[]; fb: Feedback; onChanged: (r: DeskReceipt) => void }) {
  const { t, locale } = useI18n();
  const f = formats(locale);
  const [busy, setBusy] = useState(false);

  const toggle = async () => {
    setBusy(true);
    fb.clear();
    const allow = !r.allowUnplanned;
    const out = await mutate('allowUnplannedItems', AllowUnplannedItemsDocument, { receiptId: r.id, allow }, { queueOffline: false });
    setBusy(false);
    if (!fb.outcome(out) || out.status !== 'ok') return;
    onChanged(out.data.receipt);
    fb.ok(t(allow ? 'desk.rc.allowedDone' : 'desk.rc.refusedDone', { id: r.id }));
  };

  return (
    <article class="card desk-card" data-testid="receipt-detail" aria-labelledby={`rc-${r.id}-title`}>
      <header class="desk-detail-head">
        <h2 id={`rc-${r.id}-title`}>{t('desk.rc.title', { id: r.id })}</h2>
        <span class={`chip desk-state desk-state-${r.state}`}>{labelOf(locale, 'desk.rcState', r.state)}</span>
      </header>
      <dl class="desk-facts">
        <div>
          <dt>{t('desk.rc.kind')}</dt>
          <dd>{labelOf(locale, 'desk.rcKind', r.kind)}</dd>
        </div>
        <div>
          <dt>{t('desk.rc.source')}</dt>
          <dd class="code">{receiptSource(r) || '—'}</dd>
        </div>
        <div>
          <dt>{t('desk.rc.dock')}</dt>
          <dd class="code">{r.dockBinCode}</dd>
        </div>
        <div>
          <dt>{t('desk.rc.created')}</dt>
          <dd>{f.stamp(r.createdAt)}</dd>
        </div>
        {r.closedAt ? (
          <div>
            <dt>{t('desk.rc.closed')}</dt>
            <dd>{f.stamp(r.closedAt)}</dd>
          </div>
        ) : null}
        {r.kind === 'PURCHASE' ? (
          <div>
            <dt>{t('desk.rc.unplanned')}</dt>
            <dd>{r.allowUnplanned ? t('desk.rc.unplannedAllowed') : t('desk.rc.unplannedRefused')}</dd>
          </div>
        ) : null}
        {r.qcTaskId ? (
          <div>
            <dt>{t('desk.rc.qc')}</dt>
            <dd>{t('desk.rc.qcTask', { id: r.qcTaskId })}</dd>
          </div>
        ) : null}
      </dl>

      {r.expected.length > 0 ? (
        <section>
          <h3>{t('desk.rc.expected')}</h3>
          <div class="desk-table-wrap">
            <table class="desk-table">
              <thead>
                <tr>
                  <th scope="col">{t('desk.po.item')}</th>
                  <th scope="col" class="num">{t('desk.po.ordered')}</th>
                  <th scope="col" class="num">{t('desk.po.received')}</th>
                  <th scope="col" class="num">{t('desk.po.remaining')}</th>
                  <th scope="col">{t('desk.po.progress')}</th>
                </tr>
              </thead>
              <tbody>
                {r.expected.map((e) => (
                  <tr>
                    <td>
                      <span class="code">{e.itemSku}</span>
                      <div class="muted desk-sub">{e.itemName}</div>
                    </td>
                    <td class="num">{f.int(e.ordered)}</td>
                    <td class="num">{f.int(e.received)}</td>
                    <td class="num">{f.int(e.remaining)}</td>
                    <td>
                      <Meter value={share(e.received, e.ordered)} tone={e.received > e.ordered ? 'warn' : e.remaining === 0 ? 'ok' : undefined} label={t('desk.po.unitsOf', { received: f.int(e.received), ordered: f.int(e.ordered) })} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}

      <section>
        <h3>{t('desk.rc.lines')}</h3>
        {r.lines.length === 0 ? (
          <p class="muted">{t('desk.rc.noLines')}</p>
        ) : (
          <div class="desk-table-wrap">
            <table class="desk-table">
              <thead>
                <tr>
                  <th scope="col">{t('desk.po.item')}</th>
                  <th scope="col">{t('desk.rc.lot')}</th>
                  <th scope="col">{t('desk.rc.status')}</th>
                  <th scope="col" class="num">{t('desk.rc.qty')}</th>
                  <th scope="col">{t('desk.rc.qc')}</th>
                </tr>
              </thead>
              <tbody>
                {r.lines.map((l) => (
                  <tr>
                    <td>
                      <span class="code">{l.itemSku}</span>
                      <div class="muted desk-sub">{l.itemName}</div>
                      {l.notOnOrder ? <span class="chip desk-flag">{t('desk.rc.notOnOrder')}</span> : null}
                      {l.expiredOnArrival ? <span class="chip desk-flag">{t('desk.rc.expired')}</span> : null}
                    </td>
                    <td>
                      {l.lotNumber ? <span class="code">{l.lotNumber}</span> : '—'}
                      {l.expiry ? <div class="muted desk-sub">{t('desk.rc.expiry')}: {f.day(l.expiry)}</div> : null}
                    </td>
                    <td>{labelOf(locale, 'desk.stockStatus', l.status)}</td>
                    <td class="num">{f.int(l.quantity)}</td>
                    <td>
                      {l.qcResult ? labelOf(locale, 'desk.qc', l.qcResult) : '—'}
                      {l.qcNote ? <div class="muted desk-sub">{l.qcNote}</div> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {mayAllowUnplanned(r, roles) ? (
        <section class="desk-actions">
          <button type="button" class="btn btn-secondary" disabled={busy} data-testid="receipt-unplanned" onClick={() => void toggle()}>
            {r.allowUnplanned ? t('desk.rc.refuseUnplanned') : t('desk.rc.allowUnplanned')}
          </button>
        </section>
      ) : null}
    </article>
  );
}
