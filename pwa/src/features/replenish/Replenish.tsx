import { useEffect, useReducer, useState } from 'preact/hooks';
import { ClaimTaskDocument, CompleteReplenishmentDocument, ReleaseTaskDocument, ReplenishTaskDocument } from '../../graphql/generated/graphql';
import { gql } from '../../graphql/client';
import { useI18n } from '../../i18n';
import { FlowDone, FlowFrame, QtyPad, ScanPrompt, needsKeypad, useFlowFeedback } from '../../ui/flow/Flow';
import { sameCode } from '../../ui/flow/logic';
import { mutate } from '../../ui/flow/mutate';
import { labelFromBinCode } from '../moves/logic';
import { binLabel, identifyItem } from '../moves/scan';
import type { TaskScreenProps } from '../tasks/screens';
import {
  REPLENISH_START,
  binMatchesLabel,
  itemMatches,
  parseReplenishTitle,
  planOfDetails,
  replenishReducer,
  type ReplenishDetails,
  type ReplenishPlan,
  type ReplenishStep,
} from './logic';

const STEPS = ['from', 'item', 'qty', 'to'] as const;

/**
 * Replenish a pick face (REPLENISH tasks): claim the task, scan the reserve
 * bin, the item, confirm the quantity, scan the pick face. What to do comes
 * from `replenishTask` (the title is read only when the server cannot be
 * asked); the scans go with the completion, so the server checks them too and
 * moves what was brought (lots in FEFO order), then closes the task.
 */
export function ReplenishScreen({ task, close }: TaskScreenProps) {
  const { t } = useI18n();
  const fb = useFlowFeedback();
  const [details, setDetails] = useState<ReplenishDetails | null>(null);
  const plan: ReplenishPlan | null = details ? planOfDetails(details) : parseReplenishTitle(task.title);
  const [s, dispatch] = useReducer(replenishReducer, REPLENISH_START);
  const [itemCode, setItemCode] = useState<string | null>(null);
  const [brought, setBrought] = useState<number | null>(null);
  const [claimed, setClaimed] = useState(task.state !== 'OPEN');
  const [fromLabel, setFromLabel] = useState<string | null>(plan?.fromLabel ?? null);
  const [lotTracked, setLotTracked] = useState(false);
  const [itemName, setItemName] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [moved, setMoved] = useState<number | null>(null);

  /** A waiting task is claimed first, so nobody else starts on it. */
  useEffect(() => {
    if (claimed) return;
    setBusy(true);
    void mutate('claimTask', ClaimTaskDocument, { taskId: task.id }, { queueOffline: false }).then((o) => {
      setBusy(false);
      if (fb.outcome(o)) setClaimed(true);
    });
  }, [task.id]);

  useEffect(() => {
    gql(ReplenishTaskDocument, { taskId: task.id })
      .then((r) => {
        if (!r.replenishTask) return;
        setDetails(r.replenishTask);
        setLotTracked(r.replenishTask.tracking === 'LOT');
        setItemName(r.replenishTask.itemName);
        if (r.replenishTask.sources[0]) setFromLabel(r.replenishTask.sources.map((x) => x.binLabel).join(', '));
      })
      .catch(() => {}); // offline: the title says enough to start
  }, [task.id]);

  /** The reserve bin's label, for people (the task names its scannable code). */
  useEffect(() => {
    if (fromLabel || !task.binCode) return;
    void binLabel(task.binCode).then((r) => {
      if (r.label) setFromLabel(r.label);
    });
  }, [task.binCode]);

  if (!plan) {
    return (
      <p class="notice notice-error" role="alert" data-testid="replenish-unreadable">
        {t('replenish.unreadable', { title: task.title })}
      </p>
    );
  }
  if (moved != null) {
    return <FlowDone text={t('replenish.done', { n: moved, sku: s.sku ?? plan.sku ?? '', bin: plan.toLabel })} onClose={close} />;
  }

  const scanFrom = (code: string) => {
    const sources = details ? details.sources.map((x) => x.binCode) : [task.binCode];
    if (!sources.some((bin) => sameCode(code, bin))) {
      fb.errorCode('WRONG_BIN', { scanned: code, expected: sources.join(', ') });
      return;
    }
    fb.ok();
    dispatch({ type: 'from' });
  };

  const scanItem = async (code: string) => {
    if (busy) return;
    setBusy(true);
    const r = await identifyItem(code);
    setBusy(false);
    if (!r.ok) {
      // Offline the code can still be compared with the SKU the task names.
      if (r.code === 'NETWORK' && plan.sku && sameCode(code, plan.sku)) {
        fb.ok();
        setItemCode(code);
        dispatch({ type: 'item', sku: plan.sku, lot: null });
        if (!needsKeypad(plan.quantity)) dispatch({ type: 'qty' });
        return;
      }
      fb.errorCode(r.code);
      return;
    }
    if (!itemMatches(plan, r.sku)) {
      fb.errorCode('WRONG_ITEM', { scanned: r.sku, expected: plan.sku, name: itemName });
      return;
    }
    fb.ok();
    setItemCode(code);
    setLotTracked(r.tracking === 'LOT');
    setItemName(r.name);
    dispatch({ type: 'item', sku: r.sku, lot: r.lot });
    if (!needsKeypad(plan.quantity)) dispatch({ type: 'qty' });
  };

  const confirmQty = (n: number) => {
    // Fewer is a partial refill (the reserve held less); more than planned is not.
    if (n < 1 || n > plan.quantity) {
      fb.error(t('replenish.takeAll', { n: plan.quantity }));
      return;
    }
    fb.clear();
    setBrought(n < plan.quantity ? n : null);
    dispatch({ type: 'qty' });
  };

  const scanTo = async (code: string) => {
    if (busy) return;
    setBusy(true);
    const r = await binLabel(code);
    if (r.error || !binMatchesLabel(code, plan.toLabel, r.label)) {
      setBusy(false);
      fb.errorCode(r.error ?? 'WRONG_BIN', { scanned: r.label ?? code, expected: plan.toLabel });
      return;
    }
    dispatch({ type: 'to' });
    const o = await mutate('completeReplenishment', CompleteReplenishmentDocument, {
      taskId: task.id,
      toBinCode: code,
      itemCode,
      quantity: brought,
    });
    setBusy(false);
    if (!fb.outcome(o)) {
      dispatch({ type: 'refused' });
      return;
    }
    if (o.status === 'ok') fb.ok();
    setMoved(o.status === 'ok' ? o.data.quantity : (brought ?? plan.quantity));
  };

  const release = async () => {
    if (busy) return;
    setBusy(true);
    const o = await mutate('releaseTask', ReleaseTaskDocument, { taskId: task.id }, { queueOffline: false });
    setBusy(false);
    if (fb.outcome(o)) close();
  };

  const sku = s.sku ?? plan.sku;
  const what = (
    <>
      <span class="big">
        {plan.quantity} × {sku ?? t('replenish.anyItem')}
      </span>
      {lotTracked ? <span>{s.lot ? t('move.lot', { lot: s.lot }) : t('replenish.fefo')}</span> : null}
    </>
  );

  let body;
  switch (s.step) {
    case 'from':
      body = (
        <ScanPrompt
          thing="bin"
          expected={fromLabel ?? (task.binCode ? labelFromBinCode(task.binCode) : null) ?? task.binCode}
          onScan={scanFrom}
          disabled={busy || !claimed}
          detail={
            <>
              {what}
              <span class="muted">{t('replenish.toFace', { bin: plan.toLabel })}</span>
            </>
          }
        />
      );
      break;
    case 'item':
      body = <ScanPrompt thing="item" expected={plan.sku} onScan={(c) => void scanItem(c)} disabled={busy} detail={what} />;
      break;
    case 'qty':
      body = (
        <>
          <section class="flow-prompt">
            <h2 class="flow-prompt-title">{t('replenish.take', { n: plan.quantity })}</h2>
            <div class="flow-detail">
              <span class="big">{sku}</span>
              {itemName ? <span>{itemName}</span> : null}
              {lotTracked ? <span>{s.lot ? t('move.lot', { lot: s.lot }) : t('replenish.fefo')}</span> : null}
            </div>
          </section>
          <QtyPad expected={plan.quantity} onConfirm={confirmQty} disabled={busy} />
        </>
      );
      break;
    default:
      body = (
        <ScanPrompt
          thing="bin"
          expected={plan.toLabel}
          onScan={(c) => void scanTo(c)}
          disabled={busy}
          detail={
            <>
              {what}
              <span class="muted">{t('replenish.pickFace')}</span>
            </>
          }
        />
      );
  }

  const current: Exclude<ReplenishStep, 'sending'> = s.step === 'sending' ? 'to' : s.step;
  const at = STEPS.indexOf(current);
  return (
    <FlowFrame
      message={fb.message}
      progress={
        <ol class="replenish-steps" data-testid="replenish-steps">
          {STEPS.map((step, i) => (
            <li class={i < at ? 'is-done' : i === at ? 'is-current' : ''} data-step={step}>
              {t(`replenish.step.${step}`)}
            </li>
          ))}
        </ol>
      }
      actions={
        // Not under the keypad: its confirm button sits where the bar would.
        s.step === 'qty' ? null : (
          <div class="flow-actions">
            <button type="button" class="btn btn-secondary" disabled={busy || !claimed} onClick={() => void release()} data-testid="replenish-release">
              {t('replenish.release')}
            </button>
          </div>
        )
      }
    >
      {body}
    </FlowFrame>
  );
}
