import { useState } from 'preact/hooks';
import { gql, NetworkError } from '../../graphql/client';
import {
  LookupBinContentsDocument,
  LookupHistoryDocument,
  LookupItemStockDocument,
  LookupLotTraceDocument,
  ResolveCodeDocument,
  type LookupBinContentsQuery,
  type LookupHistoryQuery,
  type LookupItemStockQuery,
  type LookupLotTraceQuery,
  type LookupStockLineFragment,
} from '../../graphql/generated/graphql';
import { useI18n, type MessageKey } from '../../i18n';
import { lookupEn } from '../../i18n/lookup-en';
import { labelFromBinCode } from '../moves/logic';
import { FlowMessageView, ScanPrompt, useFlowFeedback } from '../../ui/flow/Flow';
import { daysLeft, retryAsBin, signed, targetOf, type LookupTarget, type Resolved } from './logic';
import './lookup.css';

type ItemStock = Extract<LookupItemStockQuery['itemStock'], { __typename: 'ItemStock' }>;
type BinContents = Extract<LookupBinContentsQuery['binContents'], { __typename: 'BinContents' }>;
type History = Extract<LookupHistoryQuery['stockHistory'], { __typename: 'StockHistory' }>;
type LotTrace = Extract<LookupLotTraceQuery['lotTrace'], { __typename: 'LotTrace' }>;
type Line = LookupStockLineFragment;
type Withheld = ItemStock['withheld'];

/** One page of the lookup; a tap pushes the next, Back pops it. */
type View =
  | { kind: 'item'; data: ItemStock; lot: string | null }
  | { kind: 'bin'; data: BinContents }
  | { kind: 'history'; itemCode: string | null; binCode: string | null; title: string; data: History }
  | { kind: 'lot'; data: LotTrace };

type Answer<T> = { ok: true; data: T } | { ok: false; code: string };

async function ask<T>(run: () => Promise<{ __typename: string } & ({ code: string } | T)>): Promise<Answer<T>> {
  try {
    const r = await run();
    if ('code' in r && typeof r.code === 'string') return { ok: false, code: r.code };
    return { ok: true, data: r as T };
  } catch (e) {
    return { ok: false, code: e instanceof NetworkError ? 'NETWORK' : 'REQUEST_FAILED' };
  }
}

async function resolve(code: string): Promise<Resolved | null> {
  try {
    const r = (await gql(ResolveCodeDocument, { code })).resolveScan;
    return r.__typename === 'ScanResolved' ? { kind: r.kind, gtin: r.gtin, lot: r.lot } : null;
  } catch {
    return null;
  }
}

const itemStock = (code: string) => ask<ItemStock>(async () => (await gql(LookupItemStockDocument, { code })).itemStock);
const binContents = (code: string) => ask<BinContents>(async () => (await gql(LookupBinContentsDocument, { code })).binContents);
const history = (itemCode: string | null, binCode: string | null, beforeId: string | null = null) =>
  ask<History>(async () => (await gql(LookupHistoryDocument, { itemCode, binCode, beforeId })).stockHistory);
const lotTrace = (itemCode: string, lotNumber: string) =>
  ask<LotTrace>(async () => (await gql(LookupLotTraceDocument, { itemCode, lotNumber })).lotTrace);

/**
 * Stock lookup on the handheld (and the desk): scan or type an item or a bin;
 * tap a line for its ledger history, a lot for where it came from and went.
 * Floor roles do not see bins a blind count holds: those are listed apart.
 */
export function LookupScreen() {
  const { t } = useI18n();
  const fb = useFlowFeedback();
  const [stack, setStack] = useState<View[]>([]);
  const [busy, setBusy] = useState(false);
  const view = stack.at(-1) ?? null;
  const push = (v: View) => setStack((s) => [...s, v]);

  const run = async <T,>(load: () => Promise<Answer<T>>, show: (data: T) => void): Promise<boolean> => {
    setBusy(true);
    const r = await load();
    setBusy(false);
    if (!r.ok) {
      fb.errorCode(r.code);
      return false;
    }
    fb.clear();
    show(r.data);
    return true;
  };

  const lookUp = async (raw: string) => {
    if (busy || !raw.trim()) return;
    setBusy(true);
    const target: LookupTarget = targetOf(raw, await resolve(raw.trim()));
    let answer: Answer<View>;
    if (target.kind === 'bin') {
      const r = await binContents(target.code);
      answer = r.ok ? { ok: true, data: { kind: 'bin', data: r.data } } : r;
    } else {
      const r = await itemStock(target.code);
      answer = r.ok ? { ok: true, data: { kind: 'item', data: r.data, lot: target.lot } } : r;
      if (!r.ok && retryAsBin(target, r.code)) {
        const b = await binContents(target.code);
        if (b.ok) answer = { ok: true, data: { kind: 'bin', data: b.data } };
      }
    }
    setBusy(false);
    if (!answer.ok) {
      fb.errorCode(answer.code);
      return;
    }
    fb.ok();
    setStack([answer.data]);
  };

  const openHistory = (itemCode: string | null, binCode: string | null, title: string) =>
    void run(() => history(itemCode, binCode), (data) => push({ kind: 'history', itemCode, binCode, title, data }));
  const openLot = (sku: string, lot: string) => void run(() => lotTrace(sku, lot), (data) => push({ kind: 'lot', data }));
  const openItem = (sku: string) => void run(() => itemStock(sku), (data) => push({ kind: 'item', data, lot: null }));
  const more = (v: Extract<View, { kind: 'history' }>) =>
    void run(
      () => history(v.itemCode, v.binCode, v.data.nextBeforeId),
      (data) => setStack((s) => [...s.slice(0, -1), { ...v, data: { ...data, lines: [...v.data.lines, ...data.lines] } }]),
    );

  return (
    <div class="lookup" data-testid="lookup" aria-busy={busy}>
      <ScanPrompt thing="code" onScan={(c) => void lookUp(c)} disabled={busy} detail={<span class="muted">{t('lookup.hint')}</span>} />
      <FlowMessageView message={fb.message} />
      {stack.length > 1 ? (
        <button type="button" class="btn btn-ghost lookup-back" onClick={() => setStack((s) => s.slice(0, -1))} data-testid="lookup-back">
          {t('lookup.back')}
        </button>
      ) : null}
      {view?.kind === 'item' ? (
        <ItemView v={view} onLine={(l) => openHistory(l.itemSku, l.binCode, `${l.itemSku} · ${l.binLabel}`)} onLot={openLot} onHistory={() => openHistory(view.data.item.sku, null, view.data.item.sku)} />
      ) : null}
      {view?.kind === 'bin' ? (
        <BinView v={view} onLine={(l) => openHistory(l.itemSku, l.binCode, `${l.itemSku} · ${l.binLabel}`)} onLot={openLot} onItem={openItem} onHistory={() => openHistory(null, view.data.bin.code, view.data.bin.label)} />
      ) : null}
      {view?.kind === 'history' ? <HistoryView v={view} onMore={() => more(view)} busy={busy} /> : null}
      {view?.kind === 'lot' ? <LotView v={view} onLine={(l) => openHistory(l.itemSku, l.binCode, `${l.itemSku} · ${l.binLabel}`)} /> : null}
    </div>
  );
}

function Totals({ totals }: { totals: { onHand: number; reserved: number; free: number } }) {
  const { t } = useI18n();
  return (
    <dl class="lookup-totals" data-testid="lookup-totals">
      <div>
        <dt>{t('lookup.onHand')}</dt>
        <dd data-testid="total-on-hand">{totals.onHand}</dd>
      </div>
      <div>
        <dt>{t('lookup.reserved')}</dt>
        <dd>{totals.reserved}</dd>
      </div>
      <div>
        <dt>{t('lookup.free')}</dt>
        <dd>{totals.free}</dd>
      </div>
    </dl>
  );
}

function Expiry({ expiry }: { expiry: string | null }) {
  const { t } = useI18n();
  if (!expiry) return null;
  const days = daysLeft(expiry, new Date());
  return (
    <span class={days < 0 ? 'lookup-exp past' : days <= 30 ? 'lookup-exp soon' : 'lookup-exp'}>
      {t('lookup.expires', { date: expiry })}
    </span>
  );
}

interface RowProps {
  line: Line;
  /** What the row is headed by: the bin (item view) or the item (bin view). */
  by: 'bin' | 'item';
  onLine: (l: Line) => void;
  onLot?: (sku: string, lot: string) => void;
  highlight?: boolean;
}

function StockRow({ line, by, onLine, onLot, highlight }: RowProps) {
  const { t } = useI18n();
  return (
    <li class={highlight ? 'lookup-row on' : 'lookup-row'} data-testid="lookup-line" data-bin={line.binCode} data-sku={line.itemSku} data-lot={line.lotNumber ?? ''}>
      <button type="button" class="lookup-row-main" onClick={() => onLine(line)} data-testid="lookup-line-open">
        <span class="lookup-row-head">
          {by === 'bin' ? (
            <span class="code" data-testid="line-bin">{line.binLabel}</span>
          ) : (
            <span>
              <span class="code">{line.itemSku}</span> <span class="muted">{line.itemName}</span>
            </span>
          )}
          <span class="lookup-qty" data-testid="line-on-hand">
            {line.onHand}
          </span>
        </span>
        <span class="lookup-row-meta">
          {by === 'bin' ? <span class="muted">{line.zoneCode}</span> : null}
          {line.status !== 'AVAILABLE' ? <span class="chip lookup-status">{t(`lookup.status.${line.status}` as 'lookup.status.AVAILABLE')}</span> : null}
          <Expiry expiry={line.expiry} />
          <span class="muted">{t('lookup.reservedFree', { reserved: line.reserved, free: line.free })}</span>
        </span>
      </button>
      {line.lotNumber && onLot ? (
        <button type="button" class="btn btn-small lookup-lot" onClick={() => onLot(line.itemSku, line.lotNumber as string)} data-testid="lookup-lot">
          {t('lookup.lot', { lot: line.lotNumber })}
        </button>
      ) : null}
    </li>
  );
}

function WithheldList({ withheld }: { withheld: Withheld }) {
  const { t } = useI18n();
  if (withheld.length === 0) return null;
  return (
    <section class="lookup-withheld" data-testid="lookup-withheld">
      <p class="muted">{t('lookup.withheld')}</p>
      <ul>
        {withheld.map((w) => (
          <li key={w.binCode} data-bin={w.binCode} data-code={w.code}>
            <span class="code">{w.binLabel}</span> <span class="chip lookup-status">{t('lookup.counting')}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function ItemView({
  v,
  onLine,
  onLot,
  onHistory,
}: {
  v: Extract<View, { kind: 'item' }>;
  onLine: (l: Line) => void;
  onLot: (sku: string, lot: string) => void;
  onHistory: () => void;
}) {
  const { t } = useI18n();
  const { item, totals, lines, withheld } = v.data;
  return (
    <section class="card lookup-card" data-testid="lookup-item" data-sku={item.sku}>
      <header class="lookup-head">
        <h2 class="code">{item.sku}</h2>
        <p>{item.name}</p>
      </header>
      <Totals totals={totals} />
      {lines.length === 0 ? <p class="muted">{t('lookup.noStock')}</p> : null}
      <ul class="lookup-list" data-testid="lookup-lines">
        {lines.map((l) => (
          <StockRow key={`${l.binCode}/${l.lotNumber}/${l.status}`} line={l} by="bin" onLine={onLine} onLot={onLot} highlight={v.lot !== null && l.lotNumber === v.lot} />
        ))}
      </ul>
      <WithheldList withheld={withheld} />
      <button type="button" class="btn btn-secondary btn-block" onClick={onHistory} data-testid="lookup-item-history">
        {t('lookup.itemHistory')}
      </button>
    </section>
  );
}

function BinView({
  v,
  onLine,
  onLot,
  onItem,
  onHistory,
}: {
  v: Extract<View, { kind: 'bin' }>;
  onLine: (l: Line) => void;
  onLot: (sku: string, lot: string) => void;
  onItem: (sku: string) => void;
  onHistory: () => void;
}) {
  const { t } = useI18n();
  const { bin, totals, lines } = v.data;
  return (
    <section class="card lookup-card" data-testid="lookup-bin" data-bin={bin.code}>
      <header class="lookup-head">
        <h2 class="code">{bin.label}</h2>
        <p class="muted">
          {bin.zone?.code ?? ''} {bin.blocked ? <span class="chip lookup-status">{t('lookup.blocked')}</span> : null}
        </p>
      </header>
      <Totals totals={totals} />
      {lines.length === 0 ? <p class="muted">{t('lookup.emptyBin')}</p> : null}
      <ul class="lookup-list" data-testid="lookup-lines">
        {lines.map((l) => (
          <StockRow key={`${l.itemSku}/${l.lotNumber}/${l.status}`} line={l} by="item" onLine={onLine} onLot={onLot} />
        ))}
      </ul>
      <div class="lookup-actions">
        <button type="button" class="btn btn-secondary" onClick={onHistory} data-testid="lookup-bin-history">
          {t('lookup.binHistory')}
        </button>
        {lines.length === 1 ? (
          <button type="button" class="btn btn-ghost" onClick={() => onItem(lines[0].itemSku)}>
            {t('lookup.whereElse', { sku: lines[0].itemSku })}
          </button>
        ) : null}
      </div>
    </section>
  );
}

/** A bin code as people read it (its label), or ∅ for the outside world (receipt, shipment). */
function place(code: string | null): string {
  return code === null ? '∅' : (labelFromBinCode(code) ?? code);
}

/** The reason in words; one the app does not know yet stays as the server says it. */
function reasonKey(reason: string): MessageKey | null {
  const key = `lookup.reason.${reason}`;
  return key in lookupEn ? (key as MessageKey) : null;
}

function when(at: string, locale: string): string {
  return new Date(at).toLocaleString(locale, { dateStyle: 'short', timeStyle: 'short' });
}

function HistoryView({ v, onMore, busy }: { v: Extract<View, { kind: 'history' }>; onMore: () => void; busy: boolean }) {
  const { t, locale } = useI18n();
  return (
    <section class="card lookup-card" data-testid="lookup-history">
      <header class="lookup-head">
        <h2>{t('lookup.historyOf', { what: v.title })}</h2>
      </header>
      {v.data.lines.length === 0 ? <p class="muted">{t('lookup.noMoves')}</p> : null}
      <ol class="lookup-list">
        {v.data.lines.map((m) => (
          <li key={m.id} class="lookup-move" data-testid="lookup-move">
            <span class="lookup-row-head">
              <span>
                <span class="code">{m.itemSku}</span>
                {m.lotNumber ? <span class="muted"> · {t('lookup.lot', { lot: m.lotNumber })}</span> : null}
              </span>
              <span class="lookup-qty">{signed(m, v.binCode)}</span>
            </span>
            <span class="lookup-row-meta">
              <span class="code">
                {place(m.fromBin)} → {place(m.toBin)}
              </span>
            </span>
            <span class="lookup-row-meta">
              <span class="chip lookup-reason" data-reason={m.reason}>
                {reasonKey(m.reason) ? t(reasonKey(m.reason) as MessageKey) : m.reason}
              </span>
              {m.reference ? <span class="muted">{m.reference}</span> : null}
            </span>
            <span class="lookup-row-meta muted">
              {when(m.at, locale)} · {m.username ?? t('lookup.system')}
            </span>
          </li>
        ))}
      </ol>
      {v.data.nextBeforeId ? (
        <button type="button" class="btn btn-ghost btn-block" disabled={busy} onClick={onMore} data-testid="lookup-more">
          {t('lookup.older')}
        </button>
      ) : null}
    </section>
  );
}

function LotView({ v, onLine }: { v: Extract<View, { kind: 'lot' }>; onLine: (l: Line) => void }) {
  const { t, locale } = useI18n();
  const { item, lot, received, onHand, totals, shipped, withheld } = v.data;
  return (
    <section class="card lookup-card" data-testid="lookup-lot-trace" data-lot={lot.lotNumber}>
      <header class="lookup-head">
        <h2>{t('lookup.lot', { lot: lot.lotNumber })}</h2>
        <p>
          <span class="code">{item.sku}</span> {item.name}
        </p>
        <p>
          <Expiry expiry={lot.expiry} />
        </p>
      </header>
      <h3>{t('lookup.received')}</h3>
      {received.length === 0 ? <p class="muted">{t('lookup.noReceipts')}</p> : null}
      <ul class="lookup-list" data-testid="lot-received">
        {received.map((r) => (
          <li key={r.receiptId} class="lookup-move">
            <span class="lookup-row-head">
              <span>{r.supplierName ?? t('lookup.opening')}</span>
              <span class="lookup-qty">+{r.quantity}</span>
            </span>
            <span class="lookup-row-meta muted">
              {r.poNumber ? <span class="code">{r.poNumber}</span> : null} {r.kind} · {r.warehouseCode} · {when(r.receivedAt, locale)}
            </span>
          </li>
        ))}
      </ul>
      <h3>{t('lookup.whereNow')}</h3>
      <Totals totals={totals} />
      <ul class="lookup-list">
        {onHand.map((l) => (
          <StockRow key={`${l.binCode}/${l.status}`} line={l} by="bin" onLine={onLine} />
        ))}
      </ul>
      <WithheldList withheld={withheld} />
      <h3>{t('lookup.shipped')}</h3>
      {shipped.length === 0 ? <p class="muted">{t('lookup.notShipped')}</p> : null}
      <ul class="lookup-list" data-testid="lot-shipped">
        {shipped.map((s, i) => (
          <li key={`${s.orderNumber}/${s.cartonSscc}/${i}`} class="lookup-move">
            <span class="lookup-row-head">
              <span>{s.customerName}</span>
              <span class="lookup-qty">−{s.quantity}</span>
            </span>
            <span class="lookup-row-meta muted">
              <span class="code">{s.orderNumber}</span> · {s.cartonState}
              {s.cartonSscc ? <span class="code"> · {s.cartonSscc}</span> : null}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
