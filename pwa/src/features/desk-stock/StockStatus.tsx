import { useState } from 'preact/hooks';
import { gqlText } from '../../graphql/client';
import { useI18n } from '../../i18n';
import { FlowMessageView, useFlowFeedback } from '../../ui/flow/Flow';
import { mutateText } from '../../ui/flow/mutate';
import { failureCode, formats, labelOf } from '../desk/common';
import { nodes } from '../desk-office/ops';
import type { SectionProps } from '../desk-office/section';
import { can } from '../desk/access';
import { Dispositions, type DispositionTarget } from './Dispositions';
import { statusChange } from './logic';
import { BIN, BLOCK_BIN, CHANGE_STATUS, STATUSES, STOCK, UNBLOCK_BIN, type BinBlocked, type BinData, type BinFacts, type StatusChanged, type StockData, type StockQuant } from './ops';

/** Freeze or release stock (a quant, or a lot everywhere) and block or unblock a bin, each with a reason. */
export function StockStatus({ userId, warehouseId, roles }: SectionProps) {
  const { t, locale } = useI18n();
  const fb = useFlowFeedback();
  const f = formats(locale);
  const [binCode, setBinCode] = useState('');
  const [itemSku, setItemSku] = useState('');
  const [lotNumber, setLotNumber] = useState('');
  const [status, setStatus] = useState('');
  const [reason, setReason] = useState('');
  const [quants, setQuants] = useState<StockQuant[] | null>(null);
  const [bin, setBin] = useState<BinFacts | null>(null);
  const [busy, setBusy] = useState(false);
  const [target, setTarget] = useState<DispositionTarget | null>(null);
  const approver = can(roles, 'inventory.approve');

  /** `keep`: a refresh after a change, whose message stays on screen. */
  const search = async (e?: Event, keep = false) => {
    e?.preventDefault();
    if (!keep) fb.clear();
    const code = binCode.trim();
    if (!code && !itemSku.trim() && !lotNumber.trim()) {
      fb.error(t('office.stock.needFilter'));
      return;
    }
    try {
      const [s, b] = await Promise.all([
        gqlText<StockData>(STOCK, { binCode: code || null, itemSku: itemSku.trim() || null, lotNumber: lotNumber.trim() || null, status: status || null, warehouseId }),
        code ? gqlText<BinData>(BIN, { code }) : Promise.resolve({ bin: null }),
      ]);
      setQuants(nodes(s.stock));
      setBin(b.bin);
      if (code && !b.bin) fb.errorCode('BIN_NOT_FOUND');
    } catch (x) {
      fb.errorCode(failureCode(x));
    }
  };

  const change = async (q: StockQuant, to: string, scope: 'quant' | 'lot') => {
    const input = statusChange(q, to, scope, reason, warehouseId);
    if (!input) return;
    setBusy(true);
    fb.clear();
    const out = await mutateText<StatusChanged>('changeStockStatus', CHANGE_STATUS, input, { queueOffline: false });
    setBusy(false);
    if (!fb.outcome(out) || out.status !== 'ok') return;
    const units = out.data.lines.reduce((s, l) => s + l.quantity, 0);
    fb.ok(
      t('office.stock.changed', { units, sku: q.item.sku, status: labelOf(locale, 'office.status', to) }) +
        (out.data.reservedLeft > 0 ? ` ${t('office.stock.reservedLeft', { n: out.data.reservedLeft })}` : ''),
    );
    void search(undefined, true);
  };

  const toggleBin = async (b: BinFacts) => {
    if (!b.blocked && !reason.trim()) {
      fb.error(t('office.stock.reasonNeeded'));
      return;
    }
    setBusy(true);
    fb.clear();
    const out = b.blocked
      ? await mutateText<BinBlocked>('unblockBin', UNBLOCK_BIN, { binCode: b.code }, { queueOffline: false })
      : await mutateText<BinBlocked>('blockBin', BLOCK_BIN, { binCode: b.code, reason: reason.trim() }, { queueOffline: false });
    setBusy(false);
    if (!fb.outcome(out) || out.status !== 'ok') return;
    fb.ok(t(out.data.blocked ? 'office.stock.binBlocked' : 'office.stock.binUnblocked', { bin: b.code, n: out.data.unitsChanged }));
    void search(undefined, true);
  };

  return (
    <div class="stack">
      <form class="desk-filters office-search" onSubmit={(e) => void search(e)}>
        <label class="field desk-field">
          {t('office.bin')}
          <input class="input" value={binCode} data-testid="st-bin" onInput={(e) => setBinCode((e.target as HTMLInputElement).value)} />
        </label>
        <label class="field desk-field">
          {t('office.item')}
          <input class="input" value={itemSku} data-testid="st-item" onInput={(e) => setItemSku((e.target as HTMLInputElement).value)} />
        </label>
        <label class="field desk-field">
          {t('office.lotLabel')}
          <input class="input" value={lotNumber} data-testid="st-lot" onInput={(e) => setLotNumber((e.target as HTMLInputElement).value)} />
        </label>
        <label class="field desk-field">
          {t('office.stock.status')}
          <select class="input" value={status} onChange={(e) => setStatus((e.target as HTMLSelectElement).value)}>
            <option value="">{t('office.all')}</option>
            {STATUSES.map((s) => (
              <option value={s}>{labelOf(locale, 'office.status', s)}</option>
            ))}
          </select>
        </label>
        <button type="submit" class="btn btn-primary btn-small" data-testid="st-search">
          {t('office.stock.search')}
        </button>
      </form>
      <label class="field office-reason">
        {t('office.stock.reason')}
        <input class="input" value={reason} maxLength={200} placeholder={t('office.stock.reasonHint')} data-testid="st-reason" onInput={(e) => setReason((e.target as HTMLInputElement).value)} />
      </label>
      <FlowMessageView message={fb.message} />
      {bin ? (
        <article class="card desk-card office-bin" data-testid="st-bin-card" data-blocked={String(bin.blocked)}>
          <header class="desk-detail-head">
            <h3 class="code">{bin.label}</h3>
            {bin.blocked ? <span class="chip office-state-BLOCKED">{t('office.stock.blockedChip')}</span> : <span class="chip">{t('office.stock.open')}</span>}
            {bin.needsCount ? <span class="chip">{t('office.stock.needsCount')}</span> : null}
          </header>
          <p class="muted desk-sub">{t('office.stock.binFacts', { zone: bin.zone?.code ?? '—', cls: bin.storageClass })}</p>
          <div class="office-actions">
            <button type="button" class={bin.blocked ? 'btn btn-primary' : 'btn desk-btn-danger'} disabled={busy} data-testid={bin.blocked ? 'st-unblock' : 'st-block'} onClick={() => void toggleBin(bin)}>
              {bin.blocked ? t('office.stock.unblock') : t('office.stock.block')}
            </button>
          </div>
        </article>
      ) : null}
      {quants !== null && quants.length === 0 ? <p class="muted">{t('office.stock.none')}</p> : null}
      {quants && quants.length > 0 ? (
        <div class="card desk-card desk-table-wrap">
          <table class="desk-table" data-testid="st-quants">
            <thead>
              <tr>
                <th scope="col">{t('office.bin')}</th>
                <th scope="col">{t('office.item')}</th>
                <th scope="col">{t('office.lotLabel')}</th>
                <th scope="col">{t('office.stock.status')}</th>
                <th scope="col" class="num">{t('office.stock.onHand')}</th>
                <th scope="col" class="num">{t('office.stock.reserved')}</th>
                <th scope="col">{t('office.decision')}</th>
              </tr>
            </thead>
            <tbody>
              {quants.map((q) => {
                const frozen = q.status !== 'AVAILABLE';
                return (
                  <tr data-testid="st-quant" data-bin={q.bin.code} data-sku={q.item.sku} data-status={q.status}>
                    <td class="code">
                      {q.bin.code}
                      {q.bin.blocked ? <div class="desk-sub under">{t('office.stock.blockedChip')}</div> : null}
                    </td>
                    <td>
                      <span class="code">{q.item.sku}</span>
                      <div class="muted desk-sub">{q.item.name}</div>
                    </td>
                    <td class="code">
                      {q.lot?.lotNumber ?? '—'}
                      {q.lot?.expiry ? <div class="muted desk-sub">{f.day(q.lot.expiry)}</div> : null}
                    </td>
                    <td>
                      <span class={`chip office-state-${q.status}`}>{labelOf(locale, 'office.status', q.status)}</span>
                    </td>
                    <td class="num">{f.int(q.onHand)}</td>
                    <td class="num">{f.int(q.reserved)}</td>
                    <td>
                      <div class="office-actions">
                        {frozen ? (
                          <button type="button" class="btn btn-secondary btn-small" disabled={busy} data-testid="st-release" onClick={() => void change(q, 'AVAILABLE', 'quant')}>
                            {t('office.stock.release')}
                          </button>
                        ) : (
                          <button type="button" class="btn btn-secondary btn-small" disabled={busy || q.onHand - q.reserved <= 0} data-testid="st-freeze" onClick={() => void change(q, 'BLOCKED', 'quant')}>
                            {t('office.stock.freeze')}
                          </button>
                        )}
                        {q.onHand - q.reserved > 0 && q.status !== 'REWORK' ? (
                          <button type="button" class="btn btn-ghost btn-small" disabled={busy} data-testid="st-rework" onClick={() => setTarget({ quant: q, kind: 'REWORK' })}>
                            {t('office.disp.rework')}
                          </button>
                        ) : null}
                        {q.onHand - q.reserved > 0 ? (
                          <button type="button" class="btn btn-ghost btn-small" disabled={busy} data-testid="st-scrap" onClick={() => setTarget({ quant: q, kind: 'SCRAP' })}>
                            {t('office.disp.scrap')}
                          </button>
                        ) : null}
                        {q.lot ? (
                          <button type="button" class="btn btn-ghost btn-small" disabled={busy} data-testid={frozen ? 'st-release-lot' : 'st-freeze-lot'} onClick={() => void change(q, frozen ? 'AVAILABLE' : 'BLOCKED', 'lot')}>
                            {frozen ? t('office.stock.releaseLot', { lot: q.lot.lotNumber }) : t('office.stock.freezeLot', { lot: q.lot.lotNumber })}
                          </button>
                        ) : null}
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      {quants === null && !bin ? <p class="muted">{t('office.stock.hint')}</p> : null}
      {approver || target ? <Dispositions userId={userId} warehouseId={warehouseId} target={target} onClose={() => setTarget(null)} onBooked={() => void search(undefined, true)} /> : null}
    </div>
  );
}
