import { useState } from 'preact/hooks';
import { CloseReceiptDocument, ItemByGtinDocument, ResolveGtinDocument, StartReceiptDocument } from '../../graphql/generated/graphql';
import { gql } from '../../graphql/client';
import { useI18n } from '../../i18n';
import { FlowDone, FlowFrame, FlowProgress, QtyPad, ScanPrompt, needsKeypad, useFlowFeedback } from '../../ui/flow/Flow';
import { mutate } from '../../ui/flow/mutate';
import { navigate } from '../../router';
import type { TaskScreenProps } from '../tasks/screens';
import type { CloseReceiptSuccess, ReceiptStep, ReceivedGoods } from './types';
import { expectedOnCopy, keepReceipt, loadReceipt, receiptGroup, sendReceive, type ReceiptCopy } from './offlineReceive';
import { syncStore } from '../../offline/sync';
import { ReceiveReturn } from './ReceiveReturn';

type Step =
  | { name: 'po' }
  | { name: 'item' }
  | { name: 'qty'; scan: PendingScan; expected: number }
  | { name: 'lot'; scan: PendingScan }
  | { name: 'expiry'; scan: PendingScan }
  | { name: 'serial'; scan: PendingScan }
  | { name: 'closed'; result: CloseReceiptSuccess };

interface PendingScan {
  code: string;
  quantity?: number;
  lotNumber?: string;
  expiry?: string;
  serialNumber?: string;
}

/**
 * Receive a purchase order by scanning: the PO, then every article (a case
 * GTIN counts cases); the server asks for lot, expiry or serial when it needs
 * them; close the receipt to create the putaway (and QC) tasks.
 */
export function ReceiveFlow({ poCode, onClose }: { poCode?: string | null; onClose: () => void }) {
  const { t } = useI18n();
  const fb = useFlowFeedback();
  const [state, setState] = useState<ReceiptStep | null>(null);
  const [step, setStep] = useState<Step>({ name: 'po' });
  const [busy, setBusy] = useState(false);
  const [last, setLast] = useState<ReceivedGoods | null>(null);
  /** The receipt and its items kept on the device: scans go on offline against it. */
  const [copy, setCopy] = useState<ReceiptCopy | null>(null);
  // A customer return arrives at the same dock: its own flow, one tap away.
  const [returns, setReturns] = useState(false);

  const startWith = async (code: string) => {
    setBusy(true);
    const o = await mutate('startReceipt', StartReceiptDocument, { poCode: code }, { queueOffline: false });
    const kept = o.status === 'ok' ? null : await loadReceipt(code);
    if (o.status === 'failed' && o.code === 'NETWORK' && kept) {
      // Opened online before: the device's copy carries the scans that wait.
      setBusy(false);
      fb.info(t('receive.offlineCopy'));
      setCopy(kept);
      setState(kept.step);
      setStep({ name: 'item' });
      return;
    }
    if (!fb.outcome(o) || o.status !== 'ok') {
      setBusy(false);
      return;
    }
    const fresh = { receipt: o.data.receipt, next: o.data.next };
    const before = await loadReceipt(code);
    const waiting = syncStore.get().items.some((m) => m.group === receiptGroup(fresh.receipt.id));
    // Scans of this receipt still wait here: the device's copy is ahead of the server's.
    const c = waiting && before ? before : await keepReceipt(code, fresh);
    setBusy(false);
    fb.ok();
    setCopy(c);
    setState(c.step);
    setStep({ name: 'item' });
  };

  /** How many of the scanned unit are still expected, when the server knows the article. */
  const expectedFor = async (code: string): Promise<number | null> => {
    if (!state) return null;
    if (copy && !navigator.onLine) return expectedOnCopy(copy, code);
    try {
      const r = await gql(ResolveGtinDocument, { code });
      const gtin = r.resolveScan.__typename === 'ScanResolved' ? r.resolveScan.gtin : null;
      if (!gtin) return null;
      const { item } = await gql(ItemByGtinDocument, { gtin });
      if (!item) return null;
      const line = state.receipt.expected.find((e) => e.itemSku === item.sku);
      if (!line || line.remaining <= 0) return null;
      const per = item.packagings.find((p) => p.gtin === gtin)?.quantity ?? 1;
      return Math.max(1, Math.floor(line.remaining / Math.max(1, per)));
    } catch {
      // No answer (the link is down even where the browser thinks not): the kept receipt knows.
      return copy ? expectedOnCopy(copy, code) : null;
    }
  };

  const receive = async (scan: PendingScan) => {
    if (!state) return;
    const pending = scan;
    setBusy(true);
    const o = await sendReceive(copy, state.receipt.id, scan);
    setBusy(false);
    if (o.status === 'queued') {
      // Kept on this device: the screen moves on against the copy.
      fb.ok(t('receive.kept', { n: o.quantity, sku: o.sku }));
      setCopy(o.copy);
      setState(o.copy.step);
      setStep({ name: 'item' });
      return;
    }
    if (o.status === 'refused' && o.code === 'LOT_REQUIRED') {
      fb.refused(o);
      setStep({ name: 'lot', scan: pending });
      return;
    }
    if (o.status === 'refused' && o.code === 'EXPIRY_REQUIRED') {
      fb.refused(o);
      setStep({ name: 'expiry', scan: pending });
      return;
    }
    if (o.status === 'refused' && o.code === 'SERIAL_REQUIRED') {
      fb.refused(o);
      setStep({ name: 'serial', scan: pending });
      return;
    }
    // Anything else refused (not on this order, too many…): nothing was
    // recorded; say so with the server's specifics and wait for the next item.
    if (!fb.outcome(o) || o.status !== 'ok') {
      setStep({ name: 'item' });
      return;
    }
    const pallet = o.data.pallet;
    fb.ok(
      pallet
        ? t('receive.pallet', {
            sscc: pallet.sscc,
            lines: pallet.goods.length,
            n: pallet.goods.reduce((s, g) => s + g.quantity, 0),
          })
        : t('receive.received', { n: o.data.received.quantity, sku: o.data.received.itemSku }),
    );
    setLast(o.data.received);
    if (copy) setCopy({ ...copy, step: { receipt: o.data.receipt, next: o.data.next } });
    setState({ receipt: o.data.receipt, next: o.data.next });
    setStep({ name: 'item' });
  };

  const onItemScan = async (code: string) => {
    if (busy) return;
    fb.clear();
    const expected = await expectedFor(code);
    if (expected != null && needsKeypad(expected)) {
      setStep({ name: 'qty', scan: { code }, expected });
      return;
    }
    await receive({ code });
  };

  /** Leave a lot / expiry / serial / quantity question: nothing is recorded for that scan. */
  const cancelStep = (code: string) => {
    fb.info(t('receive.cancelled', { code }));
    setStep({ name: 'item' });
  };

  const close = async () => {
    if (!state || busy) return;
    setBusy(true);
    const o = await mutate('closeReceipt', CloseReceiptDocument, { receiptId: state.receipt.id }, { queueOffline: false });
    setBusy(false);
    if (!fb.outcome(o) || o.status !== 'ok') return;
    fb.ok();
    setStep({ name: 'closed', result: o.data });
  };

  if (returns) return <ReceiveReturn onClose={() => setReturns(false)} />;
  if (step.name === 'closed') {
    const { putawayTaskIds, qcTaskId } = step.result;
    return (
      <FlowFrame message={fb.message}>
        <FlowDone text={t('receive.closed', { n: putawayTaskIds.length })} onClose={onClose} />
        {putawayTaskIds.length > 0 ? (
          <button
            type="button"
            class="btn btn-primary btn-block btn-lg"
            data-testid="start-putaway"
            onClick={() => navigate({ name: 'task', id: putawayTaskIds[0] })}
          >
            {t('receive.putAwayNow')}
          </button>
        ) : null}
        {qcTaskId ? <p class="notice notice-muted">{t('receive.qcCreated')}</p> : null}
      </FlowFrame>
    );
  }

  const expected = state?.receipt.expected ?? [];
  const ordered = expected.reduce((s, e) => s + e.ordered, 0);
  const received = expected.reduce((s, e) => s + Math.min(e.ordered, e.received), 0);
  const linesDone = expected.filter((e) => e.remaining <= 0).length;
  const nextLine = expected.find((e) => e.itemSku === state?.next.itemSku) ?? expected.find((e) => e.remaining > 0);

  return (
    <FlowFrame
      message={fb.message}
      progress={state ? <FlowProgress lines={{ done: linesDone, total: expected.length }} units={{ done: received, total: ordered }} /> : null}
      actions={
        state ? (
          <div class="flow-actions">
            <button
              type="button"
              class={state.next.action === 'CLOSE_RECEIPT' ? 'btn btn-primary' : 'btn btn-secondary'}
              onClick={close}
              disabled={busy || state.receipt.lines.length === 0}
              data-testid="close-receipt"
            >
              {t('receive.close')}
            </button>
          </div>
        ) : null
      }
    >
      {step.name === 'po' ? (
        <>
          <ScanPrompt thing="po" expected={poCode} onScan={startWith} disabled={busy} />
          {poCode ? null : (
            <button type="button" class="btn btn-secondary btn-block" data-testid="receive-return" onClick={() => setReturns(true)}>
              {t('rr.title')}
            </button>
          )}
        </>
      ) : null}

      {step.name === 'item' && state ? (
        state.next.action === 'CLOSE_RECEIPT' ? (
          <section class="flow-prompt" data-testid="receive-complete">
            <h2 class="flow-prompt-title">{t('receive.allHere')}</h2>
            <p class="muted">{state.receipt.poNumber ?? state.receipt.poCode}</p>
            <ScanPrompt thing="item" onScan={onItemScan} disabled={busy} />
          </section>
        ) : (
          <ScanPrompt
            thing="item"
            expected={nextLine?.itemSku ?? null}
            onScan={onItemScan}
            disabled={busy}
            detail={
              nextLine ? (
                <>
                  <span>{nextLine.itemName}</span>
                  <span class="big" data-testid="remaining">
                    {t('receive.stillExpected', { n: nextLine.remaining })}
                  </span>
                  {last ? <span class="muted">{t('receive.last', { n: last.quantity, sku: last.itemSku })}</span> : null}
                </>
              ) : null
            }
          />
        )
      ) : null}

      {step.name === 'qty' ? (
        <>
          <section class="flow-prompt">
            <h2 class="flow-prompt-title">{t('receive.howMany')}</h2>
            <p class="code">{step.scan.code}</p>
          </section>
          <QtyPad expected={step.expected} max={99_999} disabled={busy} onConfirm={(n) => void receive({ ...step.scan, quantity: n })} />
          <CancelStep disabled={busy} onCancel={() => cancelStep(step.scan.code)} />
        </>
      ) : null}

      {step.name === 'lot' ? (
        <>
          <ScanPrompt
            thing="lot"
            onScan={(lot) => void receive({ ...step.scan, lotNumber: lot })}
            disabled={busy}
            detail={<span class="code">{step.scan.code}</span>}
          />
          <CancelStep disabled={busy} onCancel={() => cancelStep(step.scan.code)} />
        </>
      ) : null}

      {step.name === 'serial' ? (
        <>
          <ScanPrompt thing="code" onScan={(serial) => void receive({ ...step.scan, serialNumber: serial })} disabled={busy} />
          <CancelStep disabled={busy} onCancel={() => cancelStep(step.scan.code)} />
        </>
      ) : null}

      {step.name === 'expiry' ? (
        <>
          <ExpiryPrompt busy={busy} onDate={(d) => void receive({ ...step.scan, expiry: d })} />
          <CancelStep disabled={busy} onCancel={() => cancelStep(step.scan.code)} />
        </>
      ) : null}
    </FlowFrame>
  );
}

/** The way out of a question about one scan, back to scanning items. */
function CancelStep({ onCancel, disabled }: { onCancel: () => void; disabled: boolean }) {
  const { t } = useI18n();
  return (
    <button type="button" class="btn btn-secondary btn-block btn-lg" onClick={onCancel} disabled={disabled} data-testid="receive-cancel">
      {t('receive.cancelScan')}
    </button>
  );
}

function ExpiryPrompt({ onDate, busy }: { onDate: (isoDate: string) => void; busy: boolean }) {
  const { t } = useI18n();
  const [value, setValue] = useState('');
  return (
    <form
      class="flow-prompt"
      onSubmit={(e) => {
        e.preventDefault();
        if (value) onDate(value);
      }}
    >
      <h2 class="flow-prompt-title">{t('receive.enterExpiry')}</h2>
      <input class="input" type="date" value={value} onInput={(e) => setValue((e.currentTarget as HTMLInputElement).value)} data-testid="expiry-input" />
      <button type="submit" class="btn btn-primary btn-block btn-lg" disabled={busy || !value}>
        {t('scanner.ok')}
      </button>
    </form>
  );
}

/** The RECEIVE task: its PO is the task's reference. */
export function ReceiveTaskScreen({ task, close }: TaskScreenProps) {
  return <ReceiveFlow poCode={task.reference ?? null} onClose={close} />;
}
