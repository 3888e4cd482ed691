import { useReducer, useState } from 'preact/hooks';
import { authStore } from '../../auth';
import { useI18n } from '../../i18n';
import { FlowFrame, QtyPad, ScanPrompt, useFlowFeedback } from '../../ui/flow/Flow';
import { useStore } from '../../store';
import { START, checkToBin, labelFromBinCode, looksLikeBin, moveReducer, type MoveDraft } from './logic';
import { binLabel, identifyItem } from './scan';
import { checkLot, itemOnSource, readSource, sendMove, type MoveSource } from './offlineMove';
import type { MoveStockSuccess } from './types';
import { ReceiveTransferFlow } from './ReceiveTransfer';
import { TransferFlow } from './Transfer';

type Finished = { draft: MoveDraft; toBin: string; result: MoveStockSuccess | null };

/** Roles that may ship stock to another warehouse (stock.adjust). */
const SHIPPERS = ['supervisor', 'admin'];
/** Roles that may receive a transfer (inbound.receive). */
const RECEIVERS = ['receiver', 'supervisor', 'admin'];

type Mode = 'move' | 'transfer' | 'receive';

/**
 * The Move page: bin to bin here, or (for the roles that may) shipped to
 * another warehouse, or a transfer from another warehouse received.
 */
export function MoveFlow({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const auth = useStore(authStore);
  const roles = auth.status === 'signed-in' ? auth.session.user.roles : [];
  const modes: Mode[] = [
    'move',
    ...(roles.some((r) => SHIPPERS.includes(r)) ? (['transfer'] as const) : []),
    ...(roles.some((r) => RECEIVERS.includes(r)) ? (['receive'] as const) : []),
  ];
  const [mode, setMode] = useState<Mode>('move');
  if (modes.length === 1) return <BinMove onClose={onClose} />;
  const label: Record<Mode, string> = {
    move: t('transfer.modeMove'),
    transfer: t('transfer.modeTransfer'),
    receive: t('transfer.modeReceive'),
  };
  return (
    <>
      <div class="segmented move-mode" role="group" aria-label={t('transfer.mode')}>
        {modes.map((m) => (
          <button type="button" class={mode === m ? 'seg on' : 'seg'} aria-pressed={mode === m} onClick={() => setMode(m)} data-testid={`mode-${m}`}>
            {label[m]}
          </button>
        ))}
      </div>
      {mode === 'move' ? <BinMove onClose={onClose} /> : mode === 'transfer' ? <TransferFlow onClose={onClose} /> : <ReceiveTransferFlow onClose={onClose} />}
    </>
  );
}

/**
 * Internal move by scan: the source bin; the whole bin, or an item (its lot,
 * a quantity or all of it); the destination bin. The server moves free stock
 * only and says what moved.
 */
function BinMove({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const fb = useFlowFeedback();
  const [d, dispatch] = useReducer(moveReducer, START);
  const [labels, setLabels] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<Finished | null>(null);
  /** What the source bin holds, kept on the device: the move goes on offline against it. */
  const [source, setSource] = useState<MoveSource | null>(null);

  const labelOf = (code: string | null) => (code ? (labels[code] ?? labelFromBinCode(code) ?? code) : '');

  /** A bin scan checked with the server (when it can be asked): it must be a bin this user may use. */
  const checkBin = async (code: string): Promise<boolean> => {
    if (!looksLikeBin(code)) {
      fb.errorCode('SCAN_WRONG_KIND');
      return false;
    }
    const r = await binLabel(code);
    if (r.error) {
      fb.errorCode(r.error);
      return false;
    }
    if (r.label) setLabels((l) => ({ ...l, [code]: r.label as string }));
    return true;
  };

  const scanFrom = async (code: string) => {
    if (busy) return;
    if (!looksLikeBin(code)) {
      fb.errorCode('SCAN_WRONG_KIND');
      return;
    }
    setBusy(true);
    const r = await readSource(code);
    // Neither the server nor a kept copy: the move is still taken, the server reads it on replay.
    const ok = r.ok || (r.code === 'NETWORK' && (await checkBin(code)));
    setBusy(false);
    if (!r.ok && r.code !== 'NETWORK') {
      fb.errorCode(r.code);
      return;
    }
    if (!ok) return;
    if (r.ok) setLabels((l) => ({ ...l, [code]: r.source.bin.label }));
    setSource(r.ok ? r.source : null);
    fb.ok();
    dispatch({ type: 'from', bin: code });
  };

  const scanItem = async (code: string) => {
    if (busy) return;
    if (looksLikeBin(code)) {
      fb.error(t('move.itemOrWhole'));
      return;
    }
    setBusy(true);
    const r = await identifyItem(code);
    setBusy(false);
    if (!r.ok && r.code !== 'NETWORK') {
      fb.errorCode(r.code);
      return;
    }
    if (!r.ok && source) {
      // Offline: the item is read against what the device knows the bin holds.
      const local = itemOnSource(source, code);
      if (!local.ok) {
        fb.errorCode(local.code);
        return;
      }
      fb.ok();
      dispatch({ type: 'item', item: local.item, lot: local.lot });
      return;
    }
    // Offline the item cannot be looked up: the server reads the code when the move is sent.
    const item = r.ok
      ? { code, sku: r.sku, name: r.name, lotTracked: r.tracking === 'LOT' }
      : { code, sku: code, name: '', lotTracked: false };
    fb.ok();
    dispatch({ type: 'item', item, lot: r.ok ? r.lot : null });
  };

  const scanTo = async (code: string) => {
    if (busy) return;
    const c = checkToBin(d, code);
    if (!c.ok) {
      if (c.reason === 'sameBin') fb.error(t('move.sameBin'));
      else fb.errorCode('SCAN_WRONG_KIND');
      return;
    }
    setBusy(true);
    if (!(await checkBin(code))) {
      setBusy(false);
      return;
    }
    const o = await sendMove(d, code, source);
    setBusy(false);
    if (o.status === 'refused') dispatch({ type: 'refused', field: o.field, code: o.code });
    if (!fb.outcome(o)) return;
    if (o.status === 'ok') fb.ok();
    setDone({ draft: d, toBin: code, result: o.status === 'ok' ? o.data : null });
  };

  const again = () => {
    setDone(null);
    setSource(null);
    fb.clear();
    dispatch({ type: 'reset' });
  };

  if (done) return <MoveDone done={done} labelOf={labelOf} message={fb.message} onAgain={again} onClose={onClose} />;

  const what = d.wholeBin ? (
    <span class="big">{t('move.wholeBinOf', { bin: labelOf(d.fromBin) })}</span>
  ) : d.item ? (
    <>
      <span class="big" data-testid="move-what">
        {d.quantity != null ? `${d.quantity} × ${d.item.sku}` : t('move.allOf', { sku: d.item.sku })}
      </span>
      {d.item.name ? <span>{d.item.name}</span> : null}
      {d.lot ? <span>{t('move.lot', { lot: d.lot })}</span> : null}
    </>
  ) : null;

  const restart =
    d.step !== 'from' ? (
      <div class="flow-actions">
        <button type="button" class="btn btn-ghost" disabled={busy} onClick={again} data-testid="move-restart">
          {t('move.startOver')}
        </button>
      </div>
    ) : null;

  let body;
  switch (d.step) {
    case 'from':
      body = <ScanPrompt thing="bin" onScan={(c) => void scanFrom(c)} disabled={busy} detail={<span class="muted">{t('move.fromHint')}</span>} />;
      break;
    case 'what':
      body = (
        <>
          <ScanPrompt
            thing="item"
            onScan={(c) => void scanItem(c)}
            disabled={busy}
            detail={<span class="muted">{t('move.from', { bin: labelOf(d.fromBin) })}</span>}
          />
          <button
            type="button"
            class="btn btn-secondary btn-block btn-lg"
            disabled={busy}
            onClick={() => {
              fb.clear();
              dispatch({ type: 'wholeBin' });
            }}
            data-testid="move-whole-bin"
          >
            {t('move.wholeBin')}
          </button>
        </>
      );
      break;
    case 'lot':
      body = (
        <>
          <ScanPrompt
            thing="lot"
            onScan={(c) => {
              const wrong = source && d.item && !navigator.onLine ? checkLot(source, d.item.sku, c) : null;
              if (wrong) {
                fb.errorCode(wrong);
                return;
              }
              fb.ok();
              dispatch({ type: 'lot', lot: c });
            }}
            disabled={busy}
            detail={what}
          />
          <button
            type="button"
            class="btn btn-secondary btn-block btn-lg"
            onClick={() => {
              fb.clear();
              dispatch({ type: 'lot', lot: null });
            }}
            data-testid="move-only-lot"
          >
            {t('move.onlyLot')}
          </button>
        </>
      );
      break;
    case 'qty':
      body = (
        <>
          <section class="flow-prompt">
            <h2 class="flow-prompt-title">{t('move.howMany')}</h2>
            <div class="flow-detail">
              <span class="big">{d.item?.sku}</span>
              {d.item?.name ? <span>{d.item.name}</span> : null}
              {d.lot ? <span>{t('move.lot', { lot: d.lot })}</span> : null}
              <span class="muted">{t('move.from', { bin: labelOf(d.fromBin) })}</span>
            </div>
          </section>
          <div class="move-qty">
            <QtyPad expected={d.quantity ?? 1} max={999_999} onConfirm={(n) => dispatch({ type: 'qty', quantity: n })} />
          </div>
          <button type="button" class="btn btn-secondary btn-block btn-lg" onClick={() => dispatch({ type: 'qty', quantity: null })} data-testid="move-all">
            {t('move.allFree')}
          </button>
        </>
      );
      break;
    case 'to':
      body = (
        <ScanPrompt
          thing="bin"
          onScan={(c) => void scanTo(c)}
          disabled={busy}
          detail={
            <>
              {what}
              <span class="muted">{t('move.from', { bin: labelOf(d.fromBin) })}</span>
              <span class="muted">{t('move.toHint')}</span>
            </>
          }
        />
      );
      break;
  }

  return (
    <FlowFrame message={fb.message} actions={restart}>
      <p class="move-step muted" data-testid="move-step" data-step={d.step}>
        {t(`move.step.${d.step}`)}
      </p>
      {body}
    </FlowFrame>
  );
}

function MoveDone({
  done,
  labelOf,
  message,
  onAgain,
  onClose,
}: {
  done: Finished;
  labelOf: (code: string | null) => string;
  message: ReturnType<typeof useFlowFeedback>['message'];
  onAgain: () => void;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const { draft, toBin, result } = done;
  return (
    <FlowFrame message={message}>
      <section class="flow-prompt move-done" data-testid="move-done">
        <h2 class="flow-prompt-title">{result ? t('move.moved') : t('move.queuedTitle')}</h2>
        <dl class="kv">
          <dt>{t('move.fromLabel')}</dt>
          <dd class="code">{labelOf(draft.fromBin)}</dd>
          <dt>{t('move.toLabel')}</dt>
          <dd class="code" data-testid="move-done-to">
            {labelOf(toBin)}
          </dd>
        </dl>
        {result ? (
          result.lines.length > 0 ? (
            <ul class="move-lines" data-testid="move-lines">
              {result.lines.map((l) => (
                <li>
                  <b>{l.quantity != null ? `${l.quantity} × ${l.itemSku}` : t('move.allOf', { sku: l.itemSku })}</b>
                  {l.lotNumber ? <span class="muted"> · {t('move.lot', { lot: l.lotNumber })}</span> : null}
                  {l.status !== 'AVAILABLE' ? <span class="muted"> · {l.status}</span> : null}
                </li>
              ))}
            </ul>
          ) : null
        ) : (
          <ul class="move-lines" data-testid="move-planned">
            <li>
              <b>
                {draft.wholeBin || !draft.item
                  ? t('move.wholeBinOf', { bin: labelOf(draft.fromBin) })
                  : draft.quantity != null
                    ? `${draft.quantity} × ${draft.item.sku}`
                    : t('move.allOf', { sku: draft.item.sku })}
              </b>
              {draft.lot ? <span class="muted"> · {t('move.lot', { lot: draft.lot })}</span> : null}
            </li>
          </ul>
        )}
        {result && result.reservedLeft ? <p class="notice notice-muted">{t('move.reservedLeft', { n: result.reservedLeft })}</p> : null}
      </section>
      <button type="button" class="btn btn-primary btn-block btn-lg" onClick={onAgain} data-testid="move-again">
        {t('move.again')}
      </button>
      <button type="button" class="btn btn-ghost btn-block" onClick={onClose}>
        {t('flow.backToTasks')}
      </button>
    </FlowFrame>
  );
}
