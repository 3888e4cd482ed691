import { useEffect, useState } from 'preact/hooks';
import { CancelPurchaseOrderDocument, ClosePurchaseOrderDocument, DecidePurchaseOrderDocument, DeskOpenPurchaseOrdersDocument, DeskPurchaseOrderDocument, DeskPurchaseOrdersDocument, DraftPurchaseOrdersDocument, SubmitPurchaseOrderDocument, type TypedDocumentString } from '../../graphql/generated/graphql';
import { gql } from '../../graphql/client';
import { useI18n } from '../../i18n';
import { FlowMessageView, useFlowFeedback } from '../../ui/flow/Flow';
import { mutate, type Success } from '../../ui/flow/mutate';
import { Meter, Split, failureCode, formats, labelOf } from './common';
import { can } from './access';
import { isLate, localIsoDate, nextDue, poActions, poUnits, replaced, share } from './logic';
import type { DeskPo, PageInfo } from './types';

const PO_STATES = ['DRAFT', 'SUBMITTED', 'APPROVED', 'PARTIALLY_RECEIVED', 'RECEIVED', 'CLOSED', 'CANCELLED'] as const;
type Filter = 'OPEN' | 'ALL' | (typeof PO_STATES)[number];

interface Props {
  roles: readonly string[];
  warehouseId: string | null;
  /** A PO number another tab asked to show (a discrepancy's order). */
  focus: string | null;
  onFocused: () => void;
}

/** Purchase orders: filter by state, progress per order and per line, decisions. */
export function PurchaseOrders({ roles, warehouseId, focus, onFocused }: Props) {
  const { t, err, locale } = useI18n();
  const fb = useFlowFeedback();
  const [filter, setFilter] = useState<Filter>('OPEN');
  const [list, setList] = useState<DeskPo[] | null>(null);
  const [page, setPage] = useState<PageInfo | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  // An order shown from another tab stays shown even when the filter leaves it out.
  const [pinned, setPinned] = useState<DeskPo | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const f = formats(locale);

  const load = async (after: string | null = null) => {
    setLoadError(null);
    try {
      if (filter === 'OPEN') {
        const d = await gql(DeskOpenPurchaseOrdersDocument, { warehouseId });
        setList(d.openPurchaseOrders);
        setPage(null);
        return;
      }
      const d = await gql(DeskPurchaseOrdersDocument, {
        state: filter === 'ALL' ? null : filter,
        after,
        warehouseId,
      });
      const nodes = d.purchaseOrders.edges.map((e) => e.node);
      setList((prev) => (after && prev ? [...prev, ...nodes] : nodes));
      setPage(d.purchaseOrders.pageInfo);
    } catch (e) {
      setLoadError(failureCode(e));
    }
  };

  useEffect(() => {
    setList(null);
    void load();
  }, [filter, warehouseId]);

  // Buyers turn the purchase suggestions into drafts here, then review and submit each.
  const mayDraft = can(roles, 'purchase.manage');
  const [drafting, setDrafting] = useState(false);
  const draftFromSuggestions = async () => {
    setDrafting(true);
    fb.clear();
    const out = await mutate('draftPurchaseOrders', DraftPurchaseOrdersDocument, { warehouseId }, { queueOffline: false });
    setDrafting(false);
    if (!fb.outcome(out) || out.status !== 'ok') return;
    const { purchaseOrders, skipped } = out.data;
    fb.ok(t('desk.po.drafted', { n: purchaseOrders.length, skipped: skipped.length }));
    if (purchaseOrders.length > 0) {
      setSelected(purchaseOrders[0].id);
      setPinned(purchaseOrders[0]);
      if (filter === 'DRAFT') void load();
      else setFilter('DRAFT');
    }
  };

  // Show the order a discrepancy points at, whatever the filter holds.
  useEffect(() => {
    if (!focus) return;
    onFocused();
    void gql(DeskPurchaseOrderDocument, { code: focus })
      .then((d) => {
        const po = d.purchaseOrder;
        if (!po) return fb.errorCode('PO_NOT_FOUND');
        setPinned(po);
        setSelected(po.id);
      })
      .catch((e) => fb.errorCode(failureCode(e)));
  }, [focus]);

  const current = list?.find((p) => p.id === selected) ?? (pinned?.id === selected ? pinned : null);
  const today = localIsoDate(new Date());

  const listPane = (
    <div class="stack desk-pane">
      <div class="desk-filters">
        <label class="field desk-field">
          {t('desk.po.state')}
          <select class="input" value={filter} data-testid="po-filter" onChange={(e) => setFilter((e.target as HTMLSelectElement).value as Filter)}>
            <option value="OPEN">{t('desk.po.filter.OPEN')}</option>
            <option value="ALL">{t('desk.po.filter.ALL')}</option>
            {PO_STATES.map((s) => (
              <option value={s}>{labelOf(locale, 'desk.poState', s)}</option>
            ))}
          </select>
        </label>
        <button type="button" class="btn btn-secondary btn-small" onClick={() => void load()}>
          {t('desk.refresh')}
        </button>
        {mayDraft ? (
          <button type="button" class="btn btn-secondary btn-small" disabled={drafting} data-testid="po-draft" onClick={() => void draftFromSuggestions()}>
            {t('desk.po.draft')}
          </button>
        ) : null}
      </div>
      {loadError ? <p class="alert alert-error">{err(loadError)}</p> : null}
      {list === null && !loadError ? <p class="muted">{t('desk.loading')}</p> : null}
      {list !== null && list.length === 0 ? <p class="muted">{t('desk.empty')}</p> : null}
      <ul class="desk-items" data-testid="po-list">
        {(list ?? []).map((po) => {
          const units = poUnits(po.lines);
          const due = nextDue(po.lines);
          const late = po.lines.some((l) => isLate(l, today));
          return (
            <li key={po.id}>
              <button
                type="button"
                class={po.id === selected ? 'desk-item on' : 'desk-item'}
                aria-current={po.id === selected ? 'true' : undefined}
                data-testid="po-item"
                data-po={po.number}
                onClick={() => {
                  fb.clear();
                  setSelected(po.id);
                }}
              >
                <span class="desk-item-head">
                  <strong class="code">{po.number}</strong>
                  <span class={`chip desk-state desk-state-${po.state}`}>{labelOf(locale, 'desk.poState', po.state)}</span>
                </span>
                <span class="desk-item-sub">{po.supplierName}</span>
                <span class="desk-item-row">
                  <Meter value={share(units.received, units.ordered)} label={t('desk.po.unitsOf', { received: f.int(units.received), ordered: f.int(units.ordered) })} />
                  <span class="desk-item-figure">{t('desk.po.unitsOf', { received: f.int(units.received), ordered: f.int(units.ordered) })}</span>
                </span>
                {due ? (
                  <span class={late ? 'desk-item-due late' : 'desk-item-due'}>
                    {t('desk.po.nextDue', { date: f.day(due) })}
                    {late ? ` · ${t('desk.po.late')}` : ''}
                  </span>
                ) : null}
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
        detail={current ? <PoDetail key={current.id} po={current} roles={roles} today={today} fb={fb} onChanged={(po) => {
                setList((prev) => replaced(prev ?? [], po));
                setPinned((p) => (p?.id === po.id ? po : p));
              }} /> : null}
      />
    </>
  );
}

type Feedback = ReturnType<typeof useFlowFeedback>;

function PoDetail({ po, roles, today, fb, onChanged }: { po: DeskPo; roles: readonly string[]; today: string; fb: Feedback; onChanged: (po: DeskPo) => void }) {
  const { t, locale } = useI18n();
  const f = formats(locale);
  const [confirm, setConfirm] = useState<null | 'reject' | 'close' | 'cancel'>(null);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const actions = poActions(po, roles);
  const units = poUnits(po.lines);

  const run = async <R extends object, I extends { idempotencyKey?: string | null }>(
    name: string,
    document: TypedDocumentString<R, { input: I }>,
    input: Omit<I, 'idempotencyKey'>,
    done: (data: Success<R>) => string,
    pick: (data: Success<R>) => DeskPo,
  ) => {
    setBusy(true);
    fb.clear();
    const out = await mutate(name, document, input, { queueOffline: false });
    setBusy(false);
    if (!fb.outcome(out) || out.status !== 'ok') return;
    setConfirm(null);
    setText('');
    onChanged(pick(out.data));
    fb.ok(done(out.data));
  };

  const approve = () =>
    run('decidePurchaseOrder', DecidePurchaseOrderDocument, { poCode: po.code, approve: true }, (d) =>
      d.purchaseOrder.state === 'SUBMITTED' ? t('desk.po.levelDone', { level: d.level, number: po.number }) : t('desk.po.approvedDone', { number: po.number }), (d) => d.purchaseOrder);
  const reject = () => {
    if (!text.trim()) {
      fb.error(t('desk.po.commentRequired'));
      return;
    }
    void run('decidePurchaseOrder', DecidePurchaseOrderDocument, { poCode: po.code, approve: false, comment: text.trim() }, () => t('desk.po.rejectedDone', { number: po.number }), (d) => d.purchaseOrder);
  };
  const submit = () =>
    run('submitPurchaseOrder', SubmitPurchaseOrderDocument, { poCode: po.code }, (d) =>
      d.purchaseOrder.state === 'APPROVED' ? t('desk.po.approvedDone', { number: po.number }) : t('desk.po.submittedDone', { number: po.number }), (d) => d.purchaseOrder);
  const close = () => run('closePurchaseOrder', ClosePurchaseOrderDocument, { poCode: po.code }, () => t('desk.po.closedDone', { number: po.number }), (d) => d.purchaseOrder);
  const cancel = () =>
    run('cancelPurchaseOrder', CancelPurchaseOrderDocument, { poCode: po.code, reason: text.trim() || null }, () => t('desk.po.cancelledDone', { number: po.number }), (d) => d.purchaseOrder);

  return (
    <article class="card desk-card" data-testid="po-detail" aria-labelledby={`po-${po.id}-title`}>
      <header class="desk-detail-head">
        <h2 id={`po-${po.id}-title`} class="code">
          {po.number}
        </h2>
        <span class={`chip desk-state desk-state-${po.state}`}>{labelOf(locale, 'desk.poState', po.state)}</span>
      </header>
      <dl class="desk-facts">
        <div>
          <dt>{t('desk.po.supplier')}</dt>
          <dd>
            {po.supplierName}
            <div class="muted code desk-sub">{po.supplierCode}</div>
          </dd>
        </div>
        <div>
          <dt>{t('desk.po.total')}</dt>
          <dd>{f.money(po.totalCents)}</dd>
        </div>
        <div>
          <dt>{t('desk.po.progress')}</dt>
          <dd>{t('desk.po.unitsOf', { received: f.int(units.received), ordered: f.int(units.ordered) })}</dd>
        </div>
        <div>
          <dt>{t('desk.po.code')}</dt>
          <dd class="code">{po.code}</dd>
        </div>
        <div>
          <dt>{t('desk.po.created')}</dt>
          <dd>{f.stamp(po.createdAt)}</dd>
        </div>
        {po.submittedAt ? (
          <div>
            <dt>{t('desk.po.submitted')}</dt>
            <dd>{f.stamp(po.submittedAt)}</dd>
          </div>
        ) : null}
        {po.approvedAt ? (
          <div>
            <dt>{t('desk.po.approved')}</dt>
            <dd>{f.stamp(po.approvedAt)}</dd>
          </div>
        ) : null}
        {po.requiredLevels.length > 0 ? (
          <div>
            <dt>{t('desk.po.levels')}</dt>
            <dd>{po.requiredLevels.join(', ')}</dd>
          </div>
        ) : null}
        {po.note ? (
          <div class="wide">
            <dt>{t('desk.po.note')}</dt>
            <dd>{po.note}</dd>
          </div>
        ) : null}
      </dl>

      {po.decisions.length > 0 ? (
        <section>
          <h3>{t('desk.po.decisions')}</h3>
          <ul class="desk-decisions">
            {po.decisions.map((d) => (
              <li>
                {t('desk.po.decision', { level: d.level, decision: labelOf(locale, 'desk.decision', d.decision), who: d.username ?? d.role ?? '—' })}
                <span class="muted"> · {f.stamp(d.at)}</span>
                {d.comment ? <q class="desk-comment">{d.comment}</q> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section>
        <h3>{t('desk.po.lines')}</h3>
        <div class="desk-table-wrap">
          <table class="desk-table" data-testid="po-lines">
            <thead>
              <tr>
                <th scope="col">{t('desk.po.line')}</th>
                <th scope="col">{t('desk.po.item')}</th>
                <th scope="col" class="num">{t('desk.po.ordered')}</th>
                <th scope="col" class="num">{t('desk.po.received')}</th>
                <th scope="col" class="num">{t('desk.po.remaining')}</th>
                <th scope="col">{t('desk.po.due')}</th>
                <th scope="col">{t('desk.po.progress')}</th>
              </tr>
            </thead>
            <tbody>
              {po.lines.map((l) => {
                const late = isLate(l, today);
                return (
                  <tr data-testid="po-line" data-sku={l.itemSku}>
                    <td>{l.lineNo}</td>
                    <td>
                      <span class="code">{l.itemSku}</span>
                      <div class="muted desk-sub">{l.itemName}</div>
                    </td>
                    <td class="num">
                      {f.int(l.quantity)}
                      {l.packaging ? <div class="muted desk-sub">{t('desk.po.packs', { n: l.orderedUnits, packaging: l.packaging })}</div> : null}
                    </td>
                    <td class="num">{f.int(l.received)}</td>
                    <td class="num">{f.int(l.remaining)}</td>
                    <td class={late ? 'late nowrap' : 'nowrap'}>
                      {f.day(l.dueDate)}
                      {late ? <div class="desk-sub">{t('desk.po.late')}</div> : null}
                    </td>
                    <td>
                      <Meter
                        value={share(l.received, l.quantity)}
                        tone={l.received > l.quantity ? 'warn' : l.remaining === 0 ? 'ok' : undefined}
                        label={t('desk.po.unitsOf', { received: f.int(l.received), ordered: f.int(l.quantity) })}
                      />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>

      {Object.values(actions).some(Boolean) ? (
        <section class="desk-actions" data-testid="po-actions">
          {confirm === null ? (
            <>
              {actions.submit ? (
                <button type="button" class="btn btn-primary" disabled={busy} data-testid="po-submit" onClick={() => void submit()}>
                  {t('desk.po.submit')}
                </button>
              ) : null}
              {actions.approve ? (
                <button type="button" class="btn btn-primary" disabled={busy} data-testid="po-approve" onClick={() => void approve()}>
                  {t('desk.po.approve')}
                </button>
              ) : null}
              {actions.reject ? (
                <button type="button" class="btn btn-secondary" disabled={busy} data-testid="po-reject" onClick={() => setConfirm('reject')}>
                  {t('desk.po.reject')}
                </button>
              ) : null}
              {actions.close ? (
                <button type="button" class="btn btn-secondary" disabled={busy} data-testid="po-close" onClick={() => setConfirm('close')}>
                  {t('desk.po.close')}
                </button>
              ) : null}
              {actions.cancel ? (
                <button type="button" class="btn btn-ghost desk-danger" disabled={busy} data-testid="po-cancel" onClick={() => setConfirm('cancel')}>
                  {t('desk.po.cancel')}
                </button>
              ) : null}
            </>
          ) : (
            <div class="desk-confirm" role="group">
              {confirm === 'reject' ? (
                <label class="field">
                  {t('desk.po.rejectComment')}
                  <textarea class="input desk-textarea" value={text} maxLength={500} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} />
                </label>
              ) : null}
              {confirm === 'cancel' ? (
                <label class="field">
                  {t('desk.po.cancelReason')}
                  <input class="input" value={text} maxLength={200} onInput={(e) => setText((e.target as HTMLInputElement).value)} />
                </label>
              ) : null}
              {confirm === 'close' ? <p>{t('desk.po.confirmClose', { number: po.number })}</p> : null}
              <div class="desk-confirm-buttons">
                <button
                  type="button"
                  class={confirm === 'close' ? 'btn btn-primary' : 'btn desk-btn-danger'}
                  disabled={busy}
                  data-testid="po-confirm"
                  onClick={() => void (confirm === 'reject' ? reject() : confirm === 'close' ? close() : cancel())}
                >
                  {confirm === 'reject' ? t('desk.po.confirmReject') : confirm === 'close' ? t('desk.po.close') : t('desk.po.confirmCancel', { number: po.number })}
                </button>
                <button
                  type="button"
                  class="btn btn-secondary"
                  disabled={busy}
                  onClick={() => {
                    setConfirm(null);
                    setText('');
                  }}
                >
                  {t('desk.keep')}
                </button>
              </div>
            </div>
          )}
        </section>
      ) : null}
    </article>
  );
}
