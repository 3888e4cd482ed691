import { useEffect, useRef, useState } from 'preact/hooks';
import { ClaimTaskDocument } from '../../graphql/generated/graphql';
import { useI18n } from '../../i18n';
import { syncStore } from '../../offline/sync';
import { useStore } from '../../store';
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
import { mutate } from '../../ui/flow/mutate';
import { ConflictPanel } from '../../ui/SyncState';
import type { TaskScreenProps } from '../tasks/screens';
import type { PickAction, PickProgress, PickStop } from './offlinePick';
import { binPlace } from './place';
import { act, groupFor, knownSingleTote, loadPick } from './pickWork';

type Overlay = null | 'short' | 'problem';
type ActionInput =
  | { kind: 'bin' | 'item'; code: string }
  | { kind: 'confirm'; toteCode: string; quantity: number | null }
  | { kind: 'short'; reportedQuantity: number }
  | { kind: 'skip' };

/**
 * Guided pick: the next bin big, scan bin → item → tote (the quantity is
 * asked only when more than one unit is wanted), short pick and skip;
 * lines, units and metres left always in view. The server owns the order of
 * stops and says what comes next after every scan; without a network the
 * device's copy of the task does (pickWork.ts), and the scans wait in the
 * outbox until the server can judge them.
 */
export function PickScreen({ task, close }: TaskScreenProps) {
  const { t, err } = useI18n();
  const fb = useFlowFeedback();
  const sync = useStore(syncStore);
  const [p, setP] = useState<PickProgress | null>(null);
  const [fromDevice, setFromDevice] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [qty, setQty] = useState<number | null>(null);
  const [overlay, setOverlay] = useState<Overlay>(null);
  const mine = sync.items.filter((m) => m.group === groupFor(task.id));
  const conflicts = mine.filter((m) => m.conflict);
  const waitingBefore = useRef(mine.length);

  const load = async () => {
    const r = await loadPick(task.id);
    if (r.ok) {
      setP(r.progress);
      setFromDevice(r.fromDevice);
      setLoadError(null);
    } else if (!p) setLoadError(err(r.code));
  };

  useEffect(() => {
    void load();
  }, [task.id]);

  // Once this task's queued scans have all been taken, the server's view is
  // the truth again (a short may have found stock on other bins).
  useEffect(() => {
    const before = waitingBefore.current;
    waitingBefore.current = mine.length;
    if (before > 0 && mine.length === 0 && !busy) void load();
  }, [sync.runs, mine.length]);

  /** Claim a waiting task first: the pick steps need it held. */
  useEffect(() => {
    if (p?.step !== 'CLAIM' || busy) return;
    setBusy(true);
    void mutate('claimTask', ClaimTaskDocument, { taskId: task.id }, { queueOffline: false }).then(async (o) => {
      setBusy(false);
      if (fb.outcome(o)) await load();
    });
  }, [p?.step]);

  const run = async (input: ActionInput, okText?: string) => {
    if (!p?.next || busy) return false;
    setBusy(true);
    const lineId = p.next.lineId;
    let r = await act(task.id, { ...input, lineId } as PickAction);
    // One unit for a one-order cart whose tote is known: it goes into that tote
    // without a third scan (the server still checks the tote).
    if (input.kind === 'item' && r.status !== 'refused' && r.progress.step === 'CONFIRM' && r.progress.next?.lineId === lineId) {
      const tote = await knownSingleTote(task.id, lineId);
      if (tote) {
        const confirmed = await act(task.id, { kind: 'confirm', lineId, toteCode: tote, quantity: null });
        if (confirmed.status !== 'refused') {
          r = confirmed;
          okText = t('pick.picked', { n: 1 });
        }
      }
    }
    setBusy(false);
    if (r.status === 'refused') {
      fb.refused({ code: r.code, message: r.message ?? null }, refusalFacts(input, p.next));
      return false;
    }
    setP(r.progress);
    setFromDevice(r.status === 'queued' || fromDevice);
    if (r.progress.step === 'DONE') fb.ok(t('pick.cartDone'));
    else if (r.status === 'queued') fb.ok(okText ?? t('offline.savedHere'));
    else fb.ok(okText);
    return true;
  };

  const conflictView = conflicts.length ? <ConflictPanel items={mine} onResolved={() => void load()} taskId={task.id} /> : null;
  if (loadError) return <p class="notice notice-error" role="alert">{loadError}</p>;
  if (!p) return <p class="muted center">{t('app.loading')}</p>;
  if (p.step === 'DONE' || !p.next) {
    return (
      <>
        {conflictView}
        {mine.length > 0 && !conflicts.length ? (
          <p class="notice notice-muted" role="status" data-testid="pick-waiting">
            {t('offline.taskWaiting', { n: mine.length })}
          </p>
        ) : null}
        <FlowDone text={t('pick.cartDone')} onClose={close} />
      </>
    );
  }

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
      onSkip={() => void run({ kind: 'skip' }, t('pick.skipped'))}
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
            void run({ kind: 'short', reportedQuantity: n }, t('pick.shortDone'));
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
            void run({ kind: 'skip' }, t('pick.skipped'));
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
        onScan={(code) => void run({ kind: 'bin', code })}
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
        onScan={(code) => void run({ kind: 'item', code })}
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
          void run({ kind: 'confirm', toteCode: code, quantity: qty ?? (stop.askQuantity ? stop.quantity : null) }, t('pick.picked', { n: qty ?? stop.quantity })).then(
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
      {conflictView}
      {fromDevice && mine.length > 0 && !conflicts.length ? (
        <p class="notice notice-muted pick-offline" role="status" data-testid="pick-waiting">
          {t('offline.taskWaiting', { n: mine.length })}
        </p>
      ) : null}
      {body}
    </FlowFrame>
  );
}

/** What the screen knows to make a refusal specific: what was scanned, what was wanted. */
/** The screen's facts for a refusal's specific line: what was scanned, what was wanted. */
function refusalFacts(input: ActionInput, stop: PickStop): ErrorParams {
  if (input.kind === 'bin') return { scanned: input.code, expected: stop.binLabel };
  if (input.kind === 'item') return { scanned: input.code, expected: stop.itemSku, name: stop.itemName };
  if (input.kind === 'confirm') return { scanned: input.toteCode, expected: stop.toteCode };
  return {};
}
