import { useEffect, useState } from 'preact/hooks';
import { gql } from '../../graphql/client';
import {
  CLAIM_TASK,
  PICK_CONFIRM,
  PICK_PROGRESS,
  PICK_SCAN_BIN,
  PICK_SCAN_ITEM,
  PICK_SHORT,
  PICK_SKIP,
  type PickProgress,
  type PickStop,
} from '../../graphql/outbound';
import { useI18n } from '../../i18n';
import {
  FlowActions,
  FlowDone,
  FlowFrame,
  FlowProgress,
  ProblemSheet,
  QtyPad,
  ScanPrompt,
  needsKeypad,
  useFlowFeedback,
} from '../../ui/flow/Flow';
import type { ErrorParams } from '../../ui/flow/errors';
import { mutate, type Outcome } from '../../ui/flow/mutate';
import type { TaskScreenProps } from '../tasks/screens';
import { binPlace } from './place';

type Overlay = null | 'short' | 'problem';

/**
 * Guided pick: the next bin big, scan bin → item → tote (the quantity is
 * asked only when more than one unit is wanted), short pick and skip;
 * lines, units and metres left always in view. The server owns the order of
 * stops and says what comes next after every scan.
 */
export function PickScreen({ task, close }: TaskScreenProps) {
  const { t, err } = useI18n();
  const fb = useFlowFeedback();
  const [p, setP] = useState<PickProgress | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [qty, setQty] = useState<number | null>(null);
  const [overlay, setOverlay] = useState<Overlay>(null);

  const load = async () => {
    try {
      const data = await gql<{ pickTaskProgress: PickProgress | { __typename: string; code: string } }>(PICK_PROGRESS, { taskId: task.id });
      const r = data.pickTaskProgress;
      if (r.__typename === 'PickProgress') setP(r as PickProgress);
      else setLoadError(err((r as { code: string }).code));
    } catch {
      setLoadError(err('NETWORK'));
    }
  };

  useEffect(() => {
    void load();
  }, [task.id]);

  /** Claim a waiting task first: the pick steps need it held. */
  useEffect(() => {
    if (p?.step !== 'CLAIM' || busy) return;
    setBusy(true);
    void mutate('claimTask', CLAIM_TASK, { taskId: task.id }, { queueOffline: false }).then(async (o) => {
      setBusy(false);
      if (fb.outcome(o)) await load();
    });
  }, [p?.step]);

  const apply = (o: Outcome<PickProgress>, okText?: string, facts?: ErrorParams) => {
    if (!fb.outcome(o, facts)) return false;
    if (o.status === 'ok') {
      setP(o.data);
      if (o.data.step === 'DONE') fb.ok(t('pick.cartDone'));
      else fb.ok(okText);
    }
    return true;
  };

  const run = async (name: string, query: string, input: Record<string, unknown>, okText?: string) => {
    if (!p?.next || busy) return false;
    setBusy(true);
    const o = await mutate<PickProgress>(name, query, { taskId: task.id, lineId: p.next.lineId, ...input });
    setBusy(false);
    return apply(o, okText, refusalFacts(name, p.next, input));
  };

  if (loadError) return <p class="notice notice-error" role="alert">{loadError}</p>;
  if (!p) return <p class="muted center">{t('app.loading')}</p>;
  if (p.step === 'DONE' || !p.next) return <FlowDone text={t('pick.cartDone')} onClose={close} />;

  const stop = p.next;
  // Aisle and bay as printed on the racking (the label), never the routing
  // coordinates the server plans the walk with.
  const place = binPlace(stop.binLabel);
  const level = place?.level ?? (stop.level != null ? String(stop.level) : null);
  const where = [place ? t('pick.aisle', { n: place.aisle }) : null, place ? t('pick.bay', { n: place.bay }) : null, level != null ? t('pick.level', { n: level }) : null]
    .filter(Boolean)
    .join(' · ');

  const progress = (
    <FlowProgress
      lines={{ done: p.linesDone, total: p.linesTotal }}
      units={{ done: p.unitsPicked, total: p.unitsTotal }}
      metresLeft={p.metresLeft}
    />
  );

  const actions = (
    <FlowActions
      disabled={busy}
      onSkip={() => void run('pickSkip', PICK_SKIP, {}, t('pick.skipped'))}
      onShort={() => setOverlay('short')}
      onProblem={() => setOverlay('problem')}
    />
  );

  let body;
  if (overlay === 'short') {
    body = (
      <>
        <section class="flow-prompt">
          <h2 class="flow-prompt-title">{t('flow.shortTitle')}</h2>
          <p class="code">{stop.binLabel}</p>
        </section>
        <QtyPad
          expected={Math.max(0, stop.quantity - 1)}
          max={stop.quantity - 1}
          disabled={busy}
          onConfirm={(n) => {
            setOverlay(null);
            setQty(null);
            void run('pickShort', PICK_SHORT, { reportedQuantity: n }, t('pick.shortDone'));
          }}
        />
        <button type="button" class="btn btn-ghost btn-block" onClick={() => setOverlay(null)}>
          {t('flow.cancel')}
        </button>
      </>
    );
  } else if (overlay === 'problem') {
    body = (
      <ProblemSheet
        onCancel={() => setOverlay(null)}
        onPick={(reason) => {
          // A blocked bin is skipped (the line comes back at the end); missing
          // or damaged goods are a short pick, with the quantity still found.
          if (reason === 'damaged' || reason === 'missingLabel') setOverlay('short');
          else {
            setOverlay(null);
            void run('pickSkip', PICK_SKIP, {}, t('pick.skipped'));
          }
        }}
      />
    );
  } else if (p.step === 'SCAN_BIN' || p.step === 'CLAIM') {
    body = (
      <ScanPrompt
        thing="bin"
        expected={stop.binLabel}
        disabled={busy || p.step === 'CLAIM'}
        onScan={(code) => void run('pickScanBin', PICK_SCAN_BIN, { code })}
        detail={
          <>
            {where ? <span data-testid="bin-place">{where}</span> : null}
            <span class="big">
              {stop.quantity} × {stop.itemSku}
            </span>
            <span>{stop.itemName}</span>
          </>
        }
      />
    );
  } else if (p.step === 'SCAN_ITEM') {
    body = (
      <ScanPrompt
        thing="item"
        expected={stop.itemSku}
        disabled={busy}
        onScan={(code) => void run('pickScanItem', PICK_SCAN_ITEM, { code })}
        detail={
          <>
            <span>{stop.itemName}</span>
            <span class="big">{t('pick.take', { n: stop.quantity })}</span>
            {stop.lotNumber ? <span>{t('putaway.lot', { lot: stop.lotNumber })}</span> : null}
            <span class="muted">{stop.binLabel}</span>
          </>
        }
      />
    );
  } else if (needsKeypad(stop.quantity) && stop.askQuantity && qty == null) {
    body = (
      <>
        <section class="flow-prompt">
          <h2 class="flow-prompt-title">{t('pick.howMany', { n: stop.quantity })}</h2>
          <p>
            {stop.itemSku} · {stop.itemName}
          </p>
        </section>
        <QtyPad expected={stop.quantity} disabled={busy} onConfirm={(n) => setQty(n)} />
      </>
    );
  } else {
    body = (
      <ScanPrompt
        thing="tote"
        expected={stop.toteCode ?? t('pick.toteSlot', { n: stop.toteSlot })}
        disabled={busy}
        onScan={(code) =>
          void run('pickConfirm', PICK_CONFIRM, { toteCode: code, quantity: qty ?? (stop.askQuantity ? stop.quantity : null) }, t('pick.picked', { n: qty ?? stop.quantity })).then(
            (ok) => {
              if (ok) setQty(null);
            },
          )
        }
        detail={
          <>
            <span class="big">
              {qty ?? stop.quantity} × {stop.itemSku}
            </span>
            <span>{t('pick.forOrder', { order: stop.orderNumber })}</span>
          </>
        }
      />
    );
  }

  return (
    <FlowFrame message={fb.message} progress={progress} actions={overlay ? null : actions}>
      {body}
    </FlowFrame>
  );
}

/** What the screen knows to make a refusal specific: what was scanned, what was wanted. */
function refusalFacts(mutation: string, stop: PickStop, input: Record<string, unknown>): ErrorParams {
  const code = typeof input.code === 'string' ? input.code : null;
  if (mutation === 'pickScanBin') return { scanned: code, expected: stop.binLabel };
  if (mutation === 'pickScanItem') return { scanned: code, expected: stop.itemSku, name: stop.itemName };
  if (mutation === 'pickConfirm') return { scanned: typeof input.toteCode === 'string' ? input.toteCode : null, expected: stop.toteCode };
  return {};
}
