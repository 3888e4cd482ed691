import { useEffect, useState } from 'preact/hooks';
import { gqlText } from '../../graphql/client';
import { useI18n } from '../../i18n';
import { FlowMessageView, useFlowFeedback } from '../../ui/flow/Flow';
import { mutateText } from '../../ui/flow/mutate';
import { Meter, Split, failureCode, formats, labelOf } from '../desk/common';
import { nodes } from '../desk-office/ops';
import type { SectionProps } from '../desk-office/section';
import { useLatest } from '../desk-office/latest';
import { byUrgency, matches, merged, orderInput, orderUnits, type OrderDraft } from './logic';
import { CreditHoldPanel, OrderEditForm } from './OrderEdit';
import { CANCELLABLE, CANCEL_SALES_ORDER, CREATE_SALES_ORDER, CUSTOMERS, EDITABLE, ORDER_STATES, SALES_ORDER, SALES_ORDERS, type CustomersData, type OrderCancelled, type OrderCreated, type OrderData, type OrdersData, type SalesOrder } from './ops';

const EMPTY: OrderDraft = { number: '', customerCode: '', channel: 'DEFAULT', priority: '5', cutoff: '', carrierCode: '', promised: '', lines: [{ sku: '', quantity: '' }] };

/** Sales orders filtered by state, priority, channel, customer, promised date and number; one opened
 * with its lines, edited before release, its credit hold decided; a new order; cancel until picked. */
export function SalesOrders({ warehouseId }: SectionProps) {
  const { t, err, locale } = useI18n();
  const fb = useFlowFeedback();
  const f = formats(locale);
  const [pool, setPool] = useState<SalesOrder[] | null>(null);
  const [seen, setSeen] = useState<SalesOrder[]>([]);
  const [state, setState] = useState('');
  const [priority, setPriority] = useState('');
  const [channel, setChannel] = useState('');
  const [find, setFind] = useState('');
  const [customer, setCustomer] = useState('');
  const [promisedFrom, setPromisedFrom] = useState('');
  const [promisedTo, setPromisedTo] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);

  const latest = useLatest();
  const load = async () => {
    const live = latest();
    setLoadError(null);
    try {
      const d = await gqlText<OrdersData>(SALES_ORDERS, {
        states: state ? [state] : null,
        priority: priority ? Number(priority) : null,
        channel: channel.trim() || null,
        customerCode: customer.trim() || null,
        promisedFrom: promisedFrom || null,
        promisedTo: promisedTo || null,
        search: find.trim() || null,
        warehouseId,
      });
      if (!live()) return;
      setPool(nodes(d.salesOrders));
    } catch (e) {
      setLoadError(failureCode(e));
    }
  };
  useEffect(() => {
    setPool(null);
    void load();
  }, [state, priority, promisedFrom, promisedTo, warehouseId]);

  const remember = (o: SalesOrder) => {
    setSeen((prev) => [...prev.filter((x) => x.id !== o.id), o]);
    void load(); // the list follows what changed (a new, edited or decided order)
  };

  const lookUp = async (e: Event) => {
    e.preventDefault();
    fb.clear();
    const number = find.trim();
    if (!number) return;
    try {
      const d = await gqlText<OrderData>(SALES_ORDER, { number });
      if (!d.salesOrder) return fb.errorCode('ORDER_NOT_FOUND');
      remember(d.salesOrder);
      setCreating(false);
      setSelected(d.salesOrder.id);
    } catch (x) {
      fb.errorCode(failureCode(x));
    }
  };

  // Orders this desk changed keep their newest answer and stay listed while they match the filters.
  const filters = { state, priority, channel, customer, promisedFrom, promisedTo, search: find };
  const all = byUrgency(merged(pool ?? [], seen).filter((o) => matches(o, filters)));
  const current = all.find((o) => o.id === selected) ?? seen.find((o) => o.id === selected) ?? null;

  const listPane = (
    <div class="stack desk-pane">
      <form
        class="desk-filters"
        onSubmit={(e) => {
          e.preventDefault();
          void load();
        }}
      >
        <label class="field desk-field">
          {t('office.state')}
          <select class="input" value={state} data-testid="so-state" onChange={(e) => setState((e.target as HTMLSelectElement).value)}>
            <option value="">{t('office.all')}</option>
            {ORDER_STATES.map((s) => (
              <option value={s}>{labelOf(locale, 'office.soState', s)}</option>
            ))}
          </select>
        </label>
        <label class="field desk-field">
          {t('office.so.priority')}
          <select class="input" value={priority} onChange={(e) => setPriority((e.target as HTMLSelectElement).value)}>
            <option value="">{t('office.all')}</option>
            {[1, 2, 3, 4, 5, 6, 7, 8, 9].map((p) => (
              <option value={String(p)}>{p}</option>
            ))}
          </select>
        </label>
        <label class="field desk-field">
          {t('office.so.channel')}
          <input class="input office-num" value={channel} data-testid="so-channel" onInput={(e) => setChannel((e.target as HTMLInputElement).value)} onBlur={() => void load()} />
        </label>
        <label class="field desk-field">
          {t('office.so.customer')}
          <input class="input office-num" value={customer} data-testid="so-filter-customer" onInput={(e) => setCustomer((e.target as HTMLInputElement).value)} onBlur={() => void load()} />
        </label>
        <label class="field desk-field">
          {t('office.so.promisedFrom')}
          <input class="input" type="date" value={promisedFrom} data-testid="so-promised-from" onInput={(e) => setPromisedFrom((e.target as HTMLInputElement).value)} />
        </label>
        <label class="field desk-field">
          {t('office.so.promisedTo')}
          <input class="input" type="date" value={promisedTo} data-testid="so-promised-to" onInput={(e) => setPromisedTo((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit" class="btn btn-secondary btn-small" data-testid="so-apply-filters">
          {t('office.so.filter')}
        </button>
      </form>
      <form class="desk-filters" onSubmit={(e) => void lookUp(e)}>
        <label class="field desk-field">
          {t('office.so.find')}
          <input class="input" value={find} data-testid="so-find" onInput={(e) => setFind((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit" class="btn btn-secondary btn-small">
          {t('office.so.open')}
        </button>
        <button
          type="button"
          class="btn btn-primary btn-small"
          data-testid="so-new"
          onClick={() => {
            setCreating(true);
            setSelected(null);
          }}
        >
          {t('office.so.new')}
        </button>
      </form>
      <p class="muted desk-sub">{t('office.so.listNote')}</p>
      {loadError ? <p class="alert alert-error">{err(loadError)}</p> : null}
      {pool === null && !loadError ? <p class="muted">{t('desk.loading')}</p> : null}
      {pool !== null && all.length === 0 ? <p class="muted">{t('office.so.none')}</p> : null}
      <ul class="desk-items" data-testid="so-list">
        {all.map((o) => {
          const u = orderUnits(o);
          return (
            <li>
              <button
                type="button"
                class={o.id === selected ? 'desk-item on' : 'desk-item'}
                data-testid="so-item"
                data-number={o.number}
                data-state={o.state}
                onClick={() => {
                  setCreating(false);
                  setSelected(o.id);
                }}
              >
                <span class="desk-item-head">
                  <strong class="code">{o.number}</strong>
                  <span class={`chip office-state office-state-${o.state}`}>{labelOf(locale, 'office.soState', o.state)}</span>
                </span>
                <span class="desk-item-sub">
                  {o.customerCode} · {o.channel} · P{o.priority}
                  {o.promisedDate ? ` · ${t('office.so.promisedOn', { date: o.promisedDate })}` : ''}
                  {o.backorderedUnits ? ` · ${t('office.so.backorderedUnits', { n: o.backorderedUnits })}` : ''}
                </span>
                <span class="desk-item-row">
                  <Meter value={u.ordered ? u.reserved / u.ordered : 0} label={t('office.so.reservedOf', { reserved: u.reserved, ordered: u.ordered })} tone={u.reserved >= u.ordered ? 'ok' : 'warn'} />
                  <span class="desk-item-figure">{t('office.so.reservedOf', { reserved: f.int(u.reserved), ordered: f.int(u.ordered) })}</span>
                  {o.cutoffAt ? <span class="desk-item-due">{f.stamp(o.cutoffAt)}</span> : null}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );

  return (
    <>
      <FlowMessageView message={fb.message} />
      <Split
        list={listPane}
        hasDetail={creating || current !== null}
        onBack={() => {
          setCreating(false);
          setSelected(null);
        }}
        detail={
          creating ? (
            <NewOrder
              warehouseId={warehouseId}
              fb={fb}
              onCreated={(o) => {
                remember(o);
                setCreating(false);
                setSelected(o.id);
              }}
            />
          ) : current ? (
            <OrderDetail key={current.id} order={current} fb={fb} onChanged={remember} />
          ) : null
        }
      />
    </>
  );
}

type Feedback = ReturnType<typeof useFlowFeedback>;

function OrderDetail({ order, fb, onChanged }: { order: SalesOrder; fb: Feedback; onChanged: (o: SalesOrder) => void }) {
  const { t, locale } = useI18n();
  const f = formats(locale);
  const [confirm, setConfirm] = useState(false);
  const [busy, setBusy] = useState(false);
  const [editing, setEditing] = useState(false);

  const cancel = async () => {
    setBusy(true);
    fb.clear();
    const out = await mutateText<OrderCancelled>('cancelSalesOrder', CANCEL_SALES_ORDER, { orderId: order.id }, { queueOffline: false });
    setBusy(false);
    setConfirm(false);
    if (!fb.outcome(out) || out.status !== 'ok') return;
    onChanged(out.data.order);
    fb.ok(
      t('office.so.cancelledDone', { number: order.number, n: out.data.releasedUnits }) +
        (out.data.unitsInTotes > 0 ? ` ${t('office.so.putBack', { n: out.data.unitsInTotes })}` : ''),
    );
  };

  return (
    <article class="card desk-card" data-testid="so-detail" data-state={order.state}>
      <header class="desk-detail-head">
        <h2 class="code">{order.number}</h2>
        <span class={`chip office-state office-state-${order.state}`} data-testid="so-detail-state">
          {labelOf(locale, 'office.soState', order.state)}
        </span>
      </header>
      <dl class="desk-facts">
        <div>
          <dt>{t('office.so.customer')}</dt>
          <dd class="code">{order.customerCode}</dd>
        </div>
        <div>
          <dt>{t('office.so.channel')}</dt>
          <dd>{order.channel}</dd>
        </div>
        <div>
          <dt>{t('office.so.priority')}</dt>
          <dd>{order.priority}</dd>
        </div>
        <div>
          <dt>{t('office.so.cutoff')}</dt>
          <dd>{f.stamp(order.cutoffAt)}</dd>
        </div>
        <div>
          <dt>{t('office.so.promised')}</dt>
          <dd data-testid="so-detail-promised">{order.promisedDate ?? '—'}</dd>
        </div>
        <div>
          <dt>{t('office.so.source')}</dt>
          <dd>{labelOf(locale, 'office.soSource', order.source)}</dd>
        </div>
        <div>
          <dt>{t('office.so.carrier')}</dt>
          <dd>{order.carrierCode ?? '—'}</dd>
        </div>
        <div>
          <dt>{t('office.so.created')}</dt>
          <dd>{f.stamp(order.createdAt)}</dd>
        </div>
      </dl>
      <div class="desk-table-wrap">
        <table class="desk-table" data-testid="so-lines">
          <thead>
            <tr>
              <th scope="col">{t('office.item')}</th>
              <th scope="col" class="num">{t('office.so.ordered')}</th>
              <th scope="col" class="num">{t('office.so.reserved')}</th>
              <th scope="col" class="num">{t('office.so.picked')}</th>
            </tr>
          </thead>
          <tbody>
            {order.lines.map((l) => (
              <tr data-testid="so-line" data-sku={l.itemSku}>
                <td>
                  <span class="code">{l.itemSku}</span>
                  <div class="muted desk-sub">{l.itemName}</div>
                  {l.backordered ? <div class="desk-sub under">{t('office.so.backorderedUnits', { n: l.backorderedQuantity })}</div> : null}
                </td>
                <td class="num" data-testid="so-line-quantity">{f.int(l.quantity)}</td>
                <td class="num">{f.int(l.reserved)}</td>
                <td class="num">
                  {f.int(l.picked)}
                  {l.short ? <div class="desk-sub under">{t('office.so.short', { n: l.short })}</div> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {order.state === 'CREDIT_HOLD' ? <CreditHoldPanel order={order} fb={fb} onChanged={onChanged} /> : null}
      {editing ? <OrderEditForm order={order} fb={fb} onChanged={onChanged} onClose={() => setEditing(false)} /> : null}
      {!editing && EDITABLE.includes(order.state) && !order.waveId ? (
        <section class="desk-actions">
          <button type="button" class="btn btn-secondary" data-testid="so-edit" onClick={() => setEditing(true)}>
            {t('office.so.edit')}
          </button>
        </section>
      ) : null}
      {CANCELLABLE.includes(order.state) ? (
        <section class="desk-actions">
          {confirm ? (
            <div class="desk-confirm" role="group">
              <p>{t('office.so.confirmCancel', { number: order.number })}</p>
              <div class="desk-confirm-buttons">
                <button type="button" class="btn desk-btn-danger" disabled={busy} data-testid="so-confirm-cancel" onClick={() => void cancel()}>
                  {t('office.so.cancel')}
                </button>
                <button type="button" class="btn btn-secondary" disabled={busy} onClick={() => setConfirm(false)}>
                  {t('desk.keep')}
                </button>
              </div>
            </div>
          ) : (
            <button type="button" class="btn btn-ghost desk-danger" data-testid="so-cancel" onClick={() => setConfirm(true)}>
              {t('office.so.cancel')}
            </button>
          )}
        </section>
      ) : null}
    </article>
  );
}

function NewOrder({ warehouseId, fb, onCreated }: { warehouseId: string | null; fb: Feedback; onCreated: (o: SalesOrder) => void }) {
  const { t } = useI18n();
  const [d, setD] = useState<OrderDraft>(EMPTY);
  const [customers, setCustomers] = useState<{ code: string; name: string }[]>([]);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    void gqlText<CustomersData>(CUSTOMERS)
      .then((x) => setCustomers(nodes(x.customers)))
      .catch(() => setCustomers([]));
  }, []);
  const set = (k: keyof OrderDraft) => (e: Event) => setD({ ...d, [k]: (e.target as HTMLInputElement).value });
  const setLine = (i: number, patch: Partial<OrderDraft['lines'][number]>) => setD({ ...d, lines: d.lines.map((l, j) => (j === i ? { ...l, ...patch } : l)) });

  const submit = async (e: Event) => {
    e.preventDefault();
    fb.clear();
    const built = orderInput(d, warehouseId);
    if (!built.ok) {
      fb.error(t('office.so.fieldWrong', { field: t(`office.so.f.${built.field}`) }));
      return;
    }
    setBusy(true);
    const out = await mutateText<OrderCreated>('createSalesOrder', CREATE_SALES_ORDER, built.input, { queueOffline: false });
    setBusy(false);
    if (!fb.outcome(out) || out.status !== 'ok') return;
    fb.ok(t('office.so.createdDone', { number: out.data.order.number }));
    onCreated(out.data.order);
  };

  return (
    <form class="card desk-card stack office-form" data-testid="so-form" onSubmit={(e) => void submit(e)}>
      <h2 class="office-h">{t('office.so.new')}</h2>
      <div class="office-row">
        <label class="field">
          {t('office.so.number')}
          <input class="input" value={d.number} maxLength={40} data-testid="so-number" onInput={set('number')} />
        </label>
        <label class="field">
          {t('office.so.customer')}
          <input class="input" list="office-customers" value={d.customerCode} data-testid="so-customer" onInput={set('customerCode')} />
          <datalist id="office-customers">
            {customers.map((c) => (
              <option value={c.code}>{c.name}</option>
            ))}
          </datalist>
        </label>
      </div>
      <div class="office-row">
        <label class="field">
          {t('office.so.channel')}
          <input class="input office-num" value={d.channel} data-testid="so-new-channel" onInput={set('channel')} />
        </label>
        <label class="field">
          {t('office.so.priority')}
          <input class="input office-num" inputMode="numeric" value={d.priority} data-testid="so-priority" onInput={set('priority')} />
        </label>
        <label class="field">
          {t('office.so.carrier')}
          <input class="input office-num" value={d.carrierCode} onInput={set('carrierCode')} />
        </label>
      </div>
      <div class="office-row">
        <label class="field">
          {t('office.so.cutoff')}
          <input class="input" type="datetime-local" value={d.cutoff} onInput={set('cutoff')} />
        </label>
        <label class="field">
          {t('office.so.promised')}
          <input class="input" type="date" value={d.promised} data-testid="so-new-promised" onInput={set('promised')} />
        </label>
      </div>
      <fieldset class="office-conds">
        <legend>{t('office.so.lines')}</legend>
        {d.lines.map((l, i) => (
          <div class="office-row" data-testid="so-new-line">
            <input class="input" aria-label={t('office.item')} placeholder={t('office.so.sku')} value={l.sku} data-testid="so-line-sku" onInput={(e) => setLine(i, { sku: (e.target as HTMLInputElement).value })} />
            <input class="input office-num" inputMode="numeric" aria-label={t('office.quantity')} placeholder={t('office.quantity')} value={l.quantity} data-testid="so-line-qty" onInput={(e) => setLine(i, { quantity: (e.target as HTMLInputElement).value })} />
          </div>
        ))}
        <button type="button" class="btn btn-secondary btn-small" data-testid="so-add-line" onClick={() => setD({ ...d, lines: [...d.lines, { sku: '', quantity: '' }] })}>
          {t('office.so.addLine')}
        </button>
      </fieldset>
      <button type="submit" class="btn btn-primary" disabled={busy} data-testid="so-create">
        {t('office.so.create')}
      </button>
    </form>
  );
}
