import { useEffect, useReducer, useState } from 'preact/hooks';
import { CreateTransferDocument, WarehousesDocument } from '../../graphql/generated/graphql';
import { gql } from '../../graphql/client';
import { useI18n, type MessageKey } from '../../i18n';
import { FlowFrame, QtyPad, ScanPrompt, useFlowFeedback } from '../../ui/flow/Flow';
import { mutate } from '../../ui/flow/mutate';
import { START, labelFromBinCode, looksLikeBin, moveReducer } from './logic';
import { binLabel, identifyItem } from './scan';
import type { TransferView, WarehouseRef } from './types';
import { addLine, checkShipment, removeLine, totalUnits, transferInput, type TransferDraftLine } from './transfer';

type Stage = 'lines' | 'ship';

/**
 * Ship stock to another warehouse (supervisors): scan bin, item (lot) and
 * quantity for each line, then name the destination; the stock leaves its
 * bins and is in transit until the other warehouse receives it.
 */
export function TransferFlow({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const fb = useFlowFeedback();
  const [d, dispatch] = useReducer(moveReducer, START);
  const [lines, setLines] = useState<TransferDraftLine[]>([]);
  const [labels, setLabels] = useState<Record<string, string>>({});
  const [stage, setStage] = useState<Stage>('lines');
  const [warehouses, setWarehouses] = useState<WarehouseRef[]>([]);
  const [to, setTo] = useState('');
  const [reference, setReference] = useState('');
  const [busy, setBusy] = useState(false);
  const [shipped, setShipped] = useState<TransferView | 'queued' | null>(null);

  useEffect(() => {
    void gql(WarehousesDocument, {})
      .then((r) => setWarehouses(r.warehouses))
      .catch(() => setWarehouses([]));
  }, []);
  // With one warehouse to work in, that is where the stock leaves from.
  const from = warehouses.length === 1 ? warehouses[0].code : null;

  const scanFrom = async (code: string) => {
    if (busy) return;
    if (!looksLikeBin(code)) {
      fb.errorCode('SCAN_WRONG_KIND');
      return;
    }
    setBusy(true);
    const r = await binLabel(code);
    setBusy(false);
    if (r.error) {
      fb.errorCode(r.error);
      return;
    }
    if (r.label) setLabels((l) => ({ ...l, [code]: r.label as string }));
    fb.ok();
    dispatch({ type: 'from', bin: code });
  };

  const scanItem = async (code: string) => {
    if (busy) return;
    if (looksLikeBin(code)) {
      fb.errorCode('SCAN_WRONG_KIND');
      return;
    }
    setBusy(true);
    const r = await identifyItem(code);
    setBusy(false);
    if (!r.ok && r.code !== 'NETWORK') {
      fb.errorCode(r.code);
      return;
    }
    const item = r.ok ? { code, sku: r.sku, name: r.name, lotTracked: r.tracking === 'LOT' } : { code, sku: code, name: '', lotTracked: false };
    fb.ok();
    dispatch({ type: 'item', item, lot: r.ok ? r.lot : null });
  };

  const add = (quantity: number) => {
    if (!d.fromBin || !d.item || quantity <= 0) return;
    setLines((ls) =>
      addLine(ls, {
        binCode: d.fromBin as string,
        binLabel: labels[d.fromBin as string] ?? labelFromBinCode(d.fromBin as string) ?? (d.fromBin as string),
        itemCode: d.item!.code,
        sku: d.item!.sku,
        lot: d.lot,
        quantity,
      }),
    );
    fb.ok(t('transfer.added', { n: quantity, sku: d.item.sku }));
    dispatch({ type: 'reset' });
  };

  const ship = async () => {
    if (busy) return;
    const c = checkShipment(lines, to, from);
    if (!c.ok) {
      fb.error(t(`transfer.check.${c.reason}` as MessageKey));
      return;
    }
    setBusy(true);
    const o = await mutate('createTransfer', CreateTransferDocument, transferInput(lines, to, reference));
    setBusy(false);
    if (!fb.outcome(o)) return;
    if (o.status === 'ok') fb.ok();
    setShipped(o.status === 'ok' ? o.data.transfer : 'queued');
  };

  if (shipped) {
    return (
      <FlowFrame message={fb.message}>
        <section class="flow-prompt" data-testid="transfer-done">
          <h2 class="flow-prompt-title">{shipped === 'queued' ? t('transfer.queuedTitle') : t('transfer.shipped')}</h2>
          {shipped !== 'queued' ? (
            <>
              <dl class="kv">
                <dt>{t('transfer.reference')}</dt>
                <dd class="code" data-testid="transfer-reference">
                  {shipped.reference}
                </dd>
                <dt>{t('transfer.route')}</dt>
                <dd>
                  {shipped.fromWarehouseCode} → {shipped.toWarehouseCode}
                </dd>
              </dl>
              <ul class="move-lines" data-testid="transfer-lines">
                {shipped.lines.map((l) => (
                  <li>
                    <b>
                      {l.quantity} × {l.itemSku}
                    </b>
                    {l.lotNumber ? <span class="muted"> · {t('move.lot', { lot: l.lotNumber })}</span> : null}
                  </li>
                ))}
              </ul>
              <p class="muted">{t('transfer.inTransit')}</p>
            </>
          ) : null}
        </section>
        <button type="button" class="btn btn-ghost btn-block" onClick={onClose}>
          {t('flow.backToTasks')}
        </button>
      </FlowFrame>
    );
  }

  const list =
    lines.length > 0 ? (
      <section class="card transfer-list" data-testid="transfer-list">
        <h3>{t('transfer.lines', { n: lines.length, units: totalUnits(lines) })}</h3>
        <ul class="move-lines">
          {lines.map((l, i) => (
            <li class="transfer-line">
              <span class="transfer-line-text">
                <b>
                  {l.quantity} × {l.sku}
                </b>
                <span class="muted">
                  {l.binLabel}
                  {l.lot ? ` · ${t('move.lot', { lot: l.lot })}` : ''}
                </span>
              </span>
              {stage === 'lines' ? (
                <button type="button" class="btn btn-ghost" onClick={() => setLines((ls) => removeLine(ls, i))} aria-label={t('transfer.remove')}>
                  ✕
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      </section>
    ) : null;

  if (stage === 'ship') {
    const others = warehouses.filter((w) => w.code !== from);
    return (
      <FlowFrame
        message={fb.message}
        actions={
          <div class="flow-actions">
            <button type="button" class="btn btn-secondary" disabled={busy} onClick={() => setStage('lines')}>
              {t('app.back')}
            </button>
            <button type="button" class="btn btn-primary" disabled={busy} onClick={() => void ship()} data-testid="transfer-ship">
              {t('transfer.ship')}
            </button>
          </div>
        }
      >
        <section class="flow-prompt">
          <h2 class="flow-prompt-title">{t('transfer.toWhere')}</h2>
          {others.length > 0 ? (
            <div class="segmented">
              {others.map((w) => (
                <button type="button" class={w.code === to ? 'seg on' : 'seg'} onClick={() => setTo(w.code)}>
                  {w.code}
                </button>
              ))}
            </div>
          ) : null}
          <label class="field">
            <span>{t('transfer.warehouseCode')}</span>
            <input class="input" value={to} onInput={(e) => setTo((e.target as HTMLInputElement).value)} autocapitalize="characters" data-testid="transfer-to" />
          </label>
          <label class="field">
            <span>{t('transfer.referenceOptional')}</span>
            <input class="input" value={reference} maxLength={60} onInput={(e) => setReference((e.target as HTMLInputElement).value)} />
          </label>
        </section>
        {list}
      </FlowFrame>
    );
  }

  let body;
  switch (d.step) {
    case 'from':
      body = <ScanPrompt thing="bin" onScan={(c) => void scanFrom(c)} disabled={busy} detail={<span class="muted">{t('transfer.fromHint')}</span>} />;
      break;
    case 'what':
      body = (
        <ScanPrompt
          thing="item"
          onScan={(c) => void scanItem(c)}
          disabled={busy}
          detail={<span class="muted">{t('move.from', { bin: labels[d.fromBin ?? ''] ?? labelFromBinCode(d.fromBin ?? '') ?? d.fromBin ?? '' })}</span>}
        />
      );
      break;
    case 'lot':
      body = (
        <>
          <ScanPrompt
            thing="lot"
            onScan={(c) => {
              fb.ok();
              dispatch({ type: 'lot', lot: c });
            }}
            detail={<span class="big">{d.item?.sku}</span>}
          />
          <button type="button" class="btn btn-secondary btn-block btn-lg" onClick={() => dispatch({ type: 'lot', lot: null })}>
            {t('move.onlyLot')}
          </button>
        </>
      );
      break;
    default:
      body = (
        <>
          <section class="flow-prompt">
            <h2 class="flow-prompt-title">{t('move.howMany')}</h2>
            <div class="flow-detail">
              <span class="big">{d.item?.sku}</span>
              {d.item?.name ? <span>{d.item.name}</span> : null}
              {d.lot ? <span>{t('move.lot', { lot: d.lot })}</span> : null}
            </div>
          </section>
          <div class="move-qty">
            <QtyPad expected={1} max={999_999} onConfirm={add} />
          </div>
        </>
      );
  }

  return (
    <FlowFrame
      message={fb.message}
      actions={
        d.step === 'from' && lines.length > 0 ? (
          <div class="flow-actions">
            <button
              type="button"
              class="btn btn-primary"
              onClick={() => {
                fb.clear();
                setStage('ship');
              }}
              data-testid="transfer-next"
            >
              {t('transfer.next')}
            </button>
          </div>
        ) : d.step !== 'from' ? (
          <div class="flow-actions">
            <button type="button" class="btn btn-ghost" onClick={() => dispatch({ type: 'reset' })}>
              {t('flow.cancel')}
            </button>
          </div>
        ) : null
      }
    >
      {body}
      {list}
    </FlowFrame>
  );
}
