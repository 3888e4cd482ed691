import { useEffect, useState } from 'preact/hooks';
import { gqlText } from '../../graphql/client';
import { useI18n } from '../../i18n';
import { FlowMessageView, useFlowFeedback } from '../../ui/flow/Flow';
import { mutateText } from '../../ui/flow/mutate';
import { failureCode, formats, labelOf } from '../desk/common';
import { nodes } from '../desk-office/ops';
import { useLatest } from '../desk-office/latest';
import { dispositionInput } from './logic';
import { APPROVE_DISPOSITION, CREATE_DISPOSITION, DISPOSITIONS, REJECT_DISPOSITION, type Disposition, type DispositionDone, type DispositionsData, type StockQuant } from './ops';

export type DispositionTarget = { quant: StockQuant; kind: 'REWORK' | 'SCRAP' };

/**
 * Rework or scrap of one quant's free stock with a reason, and the dispositions
 * waiting for a second person. One's own requests are shown without the decision
 * buttons (the server would answer SELF_APPROVAL).
 */
export function Dispositions({ userId, warehouseId, target, onClose, onBooked }: { userId: string | null; warehouseId: string | null; target: DispositionTarget | null; onClose: () => void; onBooked: () => void }) {
  const { t, err, locale } = useI18n();
  const fb = useFlowFeedback();
  const f = formats(locale);
  const [pending, setPending] = useState<Disposition[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const latest = useLatest();
  const load = async () => {
    const live = latest();
    setLoadError(null);
    try {
      const d = await gqlText<DispositionsData>(DISPOSITIONS, { state: 'PENDING', warehouseId });
      if (!live()) return;
      setPending(nodes(d.dispositions));
    } catch (e) {
      setLoadError(failureCode(e));
    }
  };
  useEffect(() => {
    void load();
  }, [warehouseId]);
  const send = async (quantity: string, reason: string) => {
    if (!target) return;
    fb.clear();
    const built = dispositionInput(target.quant, target.kind, quantity, reason);
    if (!built.ok) {
      fb.error(t(built.field === 'reason' ? 'office.stock.reasonNeeded' : 'office.disp.quantityWrong'));
      return;
    }
    setBusy(true);
    const out = await mutateText<DispositionDone>('createDisposition', CREATE_DISPOSITION, built.input, { queueOffline: false });
    setBusy(false);
    if (!fb.outcome(out) || out.status !== 'ok') return;
    const d = out.data.disposition;
    fb.ok(t(d.state === 'PENDING' ? 'office.disp.waiting' : `office.disp.booked.${d.kind}`, { n: d.quantity, sku: d.itemSku, bin: d.binCode }));
    onClose();
    onBooked();
    void load();
  };

  const decide = async (d: Disposition, approve: boolean) => {
    setBusy(true);
    fb.clear();
    const out = await mutateText<DispositionDone>(approve ? 'approveDisposition' : 'rejectDisposition', approve ? APPROVE_DISPOSITION : REJECT_DISPOSITION, { dispositionId: d.id }, { queueOffline: false });
    setBusy(false);
    if (!fb.outcome(out) || out.status !== 'ok') return;
    fb.ok(t(approve ? `office.disp.booked.${d.kind}` : 'office.disp.rejected', { n: d.quantity, sku: d.itemSku, bin: d.binCode }));
    onBooked();
    void load();
  };

  return (
    <section class="stack" data-testid="dispositions">
      <FlowMessageView message={fb.message} />
      {target ? (
        <DispositionForm key={`${target.quant.id}:${target.kind}`} target={target} busy={busy} onSend={(q, r) => void send(q, r)} onClose={onClose} />
      ) : null}
      <h3 class="office-h">{t('office.disp.pending')}</h3>
      {loadError ? <p class="alert alert-error">{err(loadError)}</p> : null}
      {pending !== null && pending.length === 0 ? <p class="muted">{t('office.disp.none')}</p> : null}
      {(pending ?? []).map((d) => (
        <article class="card desk-card" data-testid="disp-pending" data-id={d.id} data-kind={d.kind}>
          <header class="desk-detail-head">
            <h3>{t(`office.disp.line.${d.kind}`, { n: d.quantity, sku: d.itemSku, bin: d.binCode })}</h3>
            <span class="chip">{f.money(d.valueCents)}</span>
          </header>
          <p class="muted desk-sub">{t('office.disp.asked', { reason: d.reason, who: d.requestedBy === userId ? t('office.you') : t('office.user', { id: d.requestedBy }), at: f.stamp(d.createdAt) })}</p>
          {d.requestedBy === userId ? (
            <p class="muted" data-testid="disp-own">{t('office.disp.own')}</p>
          ) : (
            <div class="office-actions">
              <button type="button" class="btn btn-primary btn-small" disabled={busy} data-testid="disp-approve" onClick={() => void decide(d, true)}>
                {t('office.disp.approve')}
              </button>
              <button type="button" class="btn btn-ghost btn-small" disabled={busy} data-testid="disp-reject" onClick={() => void decide(d, false)}>
                {t('office.disp.reject')}
              </button>
            </div>
          )}
        </article>
      ))}
    </section>
  );
}

/**
 * The form of one disposition. Keyed by quant and kind, so its fields start from
 * the quant's free quantity in the first render: a value typed at once is never
 * overwritten by a later prefill, and a refreshed stock list does not reset it.
 */
function DispositionForm({ target, busy, onSend, onClose }: { target: DispositionTarget; busy: boolean; onSend: (quantity: string, reason: string) => void; onClose: () => void }) {
  const { t, locale } = useI18n();
  const [quantity, setQuantity] = useState(() => String(Math.max(0, target.quant.onHand - target.quant.reserved)));
  const [reason, setReason] = useState('');
  const submit = (e: Event) => {
    e.preventDefault();
    onSend(quantity, reason);
  };
  return (
    <form class="card desk-card stack office-form" data-testid="disp-form" data-kind={target.kind} onSubmit={submit}>
      <h3 class="office-h">{t(`office.disp.title.${target.kind}`, { sku: target.quant.item.sku, bin: target.quant.bin.code })}</h3>
      <p class="muted desk-sub">{t('office.disp.free', { n: target.quant.onHand - target.quant.reserved, status: labelOf(locale, 'office.status', target.quant.status) })}</p>
      <label class="field desk-field">
        {t('office.disp.quantity')}
        <input class="input" inputMode="numeric" value={quantity} data-testid="disp-qty" onInput={(e) => setQuantity((e.target as HTMLInputElement).value)} />
      </label>
      <label class="field">
        {t('office.stock.reason')}
        <input class="input" value={reason} maxLength={200} data-testid="disp-reason" onInput={(e) => setReason((e.target as HTMLInputElement).value)} />
      </label>
      <div class="office-actions">
        <button type="submit" class={target.kind === 'SCRAP' ? 'btn desk-btn-danger' : 'btn btn-primary'} disabled={busy} data-testid="disp-send">
          {t(`office.disp.send.${target.kind}`)}
        </button>
        <button type="button" class="btn btn-ghost" disabled={busy} onClick={onClose}>
          {t('office.disp.cancel')}
        </button>
      </div>
    </form>
  );
}
