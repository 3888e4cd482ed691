import { useState } from 'preact/hooks';
import { useI18n } from '../../i18n';
import { useFlowFeedback } from '../../ui/flow/Flow';
import { mutateText } from '../../ui/flow/mutate';
import { editDraftOf, editInput, type EditDraft } from './logic';
import { APPROVE_CREDIT_HOLD, REJECT_CREDIT_HOLD, UPDATE_SALES_ORDER, type CreditDecided, type OrderUpdated, type SalesOrder } from './ops';

type Feedback = ReturnType<typeof useFlowFeedback>;

/** Change an order before release: priority, promised date, town, lines (all of them). */
export function OrderEditForm({ order, fb, onChanged, onClose }: { order: SalesOrder; fb: Feedback; onChanged: (o: SalesOrder) => void; onClose: () => void }) {
  const { t } = useI18n();
  const [d, setD] = useState<EditDraft>(() => editDraftOf(order));
  const [busy, setBusy] = useState(false);
  const set = (k: 'priority' | 'promised' | 'city') => (e: Event) => setD({ ...d, [k]: (e.target as HTMLInputElement).value });
  const setLine = (i: number, patch: Partial<EditDraft['lines'][number]>) => setD({ ...d, lines: d.lines.map((l, j) => (j === i ? { ...l, ...patch } : l)) });

  const submit = async (e: Event) => {
    e.preventDefault();
    fb.clear();
    const built = editInput(order.id, d);
    if (!built.ok) {
      fb.error(t('office.so.fieldWrong', { field: t(`office.so.f.${built.field}`) }));
      return;
    }
    setBusy(true);
    const out = await mutateText<OrderUpdated>('updateSalesOrder', UPDATE_SALES_ORDER, built.input, { queueOffline: false });
    setBusy(false);
    if (!fb.outcome(out) || out.status !== 'ok') return;
    onChanged(out.data.order);
    fb.ok(t('office.so.updatedDone', { number: order.number }));
    onClose();
  };

  return (
    <form class="stack office-form" data-testid="so-edit-form" onSubmit={(e) => void submit(e)}>
      <div class="office-row">
        <label class="field">
          {t('office.so.priority')}
          <input class="input office-num" inputMode="numeric" value={d.priority} data-testid="so-edit-priority" onInput={set('priority')} />
        </label>
        <label class="field">
          {t('office.so.promised')}
          <input class="input" type="date" value={d.promised} data-testid="so-edit-promised" onInput={set('promised')} />
        </label>
        <label class="field">
          {t('office.so.city')}
          <input class="input" value={d.city} maxLength={200} data-testid="so-edit-city" onInput={set('city')} />
        </label>
      </div>
      <fieldset class="office-conds">
        <legend>{t('office.so.lines')}</legend>
        {d.lines.map((l, i) => (
          <div class="office-row" data-testid="so-edit-line">
            <input class="input" aria-label={t('office.item')} placeholder={t('office.so.sku')} value={l.sku} data-testid="so-edit-sku" onInput={(e) => setLine(i, { sku: (e.target as HTMLInputElement).value })} />
            <input class="input office-num" inputMode="numeric" aria-label={t('office.quantity')} value={l.quantity} data-testid="so-edit-qty" onInput={(e) => setLine(i, { quantity: (e.target as HTMLInputElement).value })} />
          </div>
        ))}
        <button type="button" class="btn btn-secondary btn-small" data-testid="so-edit-add-line" onClick={() => setD({ ...d, lines: [...d.lines, { sku: '', quantity: '' }] })}>
          {t('office.so.addLine')}
        </button>
      </fieldset>
      <div class="desk-confirm-buttons">
        <button type="submit" class="btn btn-primary" disabled={busy} data-testid="so-edit-save">
          {t('office.so.save')}
        </button>
        <button type="button" class="btn btn-secondary" disabled={busy} onClick={onClose}>
          {t('desk.keep')}
        </button>
      </div>
    </form>
  );
}

/** An order held over its customer's credit limit: approve (it is reserved) or reject (cancelled). */
export function CreditHoldPanel({ order, fb, onChanged }: { order: SalesOrder; fb: Feedback; onChanged: (o: SalesOrder) => void }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const decide = async (approve: boolean) => {
    setBusy(true);
    fb.clear();
    const out = approve
      ? await mutateText<CreditDecided>('approveCreditHold', APPROVE_CREDIT_HOLD, { orderId: order.id }, { queueOffline: false })
      : await mutateText<CreditDecided>('rejectCreditHold', REJECT_CREDIT_HOLD, { orderId: order.id }, { queueOffline: false });
    setBusy(false);
    if (!fb.outcome(out) || out.status !== 'ok') return;
    onChanged(out.data.order);
    fb.ok(t(approve ? 'office.so.creditApproved' : 'office.so.creditRejected', { number: order.number }));
  };
  return (
    <section class="desk-confirm" role="group" data-testid="so-credit-panel">
      <p>{t('office.so.creditHeld', { customer: order.customerCode })}</p>
      <div class="desk-confirm-buttons">
        <button type="button" class="btn btn-primary" disabled={busy} data-testid="so-credit-approve" onClick={() => void decide(true)}>
          {t('office.so.creditApprove')}
        </button>
        <button type="button" class="btn desk-btn-danger" disabled={busy} data-testid="so-credit-reject" onClick={() => void decide(false)}>
          {t('office.so.creditReject')}
        </button>
      </div>
    </section>
  );
}
