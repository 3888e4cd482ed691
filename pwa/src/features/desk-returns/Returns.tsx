import { useEffect, useState } from 'preact/hooks';
import { gqlText } from '../../graphql/client';
import { useI18n } from '../../i18n';
import { FlowMessageView, useFlowFeedback } from '../../ui/flow/Flow';
import { mutateText } from '../../ui/flow/mutate';
import { failureCode, formats, labelOf } from '../desk/common';
import type { SectionProps } from '../desk-office/section';
import { useLatest } from '../desk-office/latest';
import { lineKey, progress, returnLines, type LineChoice } from './logic';
import { AUTHORISE_RETURN, RETURNABLE, RETURNS, type Authorised, type CustomerReturn, type ReturnableData, type ReturnableShipment, type ReturnsData } from './ops';

/**
 * Customer returns: find what was shipped (by order, waybill or tracking number), choose
 * what may come back (never more than shipped less earlier returns; serials by name),
 * authorise it; below, the returns with their state and how many units were decided.
 */
export function Returns({ warehouseId }: SectionProps) {
  const { t, err, locale } = useI18n();
  const f = formats(locale);
  const fb = useFlowFeedback();
  const [code, setCode] = useState('');
  const [found, setFound] = useState<ReturnableShipment[] | null>(null);
  const [searched, setSearched] = useState('');
  const [list, setList] = useState<CustomerReturn[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  const latest = useLatest();
  const loadList = async () => {
    const live = latest();
    try {
      const d = await gqlText<ReturnsData>(RETURNS, { warehouseId });
      if (live()) setList(d.customerReturns);
    } catch (e) {
      setLoadError(failureCode(e));
    }
  };
  useEffect(() => {
    setList(null);
    void loadList();
  }, [warehouseId]);

  const search = async (wanted: string, quiet = false) => {
    setLoadError(null);
    if (!quiet) fb.clear();
    try {
      const d = await gqlText<ReturnableData>(RETURNABLE, { code: wanted, warehouseId });
      setFound(d.returnableShipments);
      setSearched(wanted);
    } catch (e) {
      setLoadError(failureCode(e));
    }
  };

  return (
    <div class="stack">
      <form
        class="desk-filters office-search"
        onSubmit={(e) => {
          e.preventDefault();
          if (code.trim()) void search(code.trim());
        }}
      >
        <label class="field desk-field">
          {t('returns.find')}
          <input class="input" value={code} data-testid="returns-code" onInput={(e) => setCode((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit" class="btn btn-primary btn-small" data-testid="returns-search">
          {t('returns.search')}
        </button>
      </form>
      <FlowMessageView message={fb.message} />
      {loadError ? <p class="alert alert-error">{err(loadError)}</p> : null}
      {found !== null && found.length === 0 ? <p class="muted">{t('returns.noShipment', { code: searched })}</p> : null}
      {found?.map((s) => (
        <Authorise
          key={`${s.shipmentId}:${s.orderId}`}
          shipment={s}
          onDone={(r) => {
            fb.ok(t('returns.authorised', { number: r.number, order: r.orderNumber }));
            setList((prev) => [r, ...(prev ?? [])]);
            void search(searched, true);
          }}
          fb={fb}
        />
      ))}
      <h3 class="office-h">{t('returns.list')}</h3>
      {list === null && !loadError ? <p class="muted">{t('desk.loading')}</p> : null}
      {list !== null && list.length === 0 ? <p class="muted">{t('returns.none')}</p> : null}
      {list && list.length > 0 ? (
        <div class="card desk-card desk-table-wrap">
          <table class="desk-table" data-testid="returns">
            <thead>
              <tr>
                <th scope="col">{t('returns.number')}</th>
                <th scope="col">{t('returns.order')}</th>
                <th scope="col">{t('returns.state')}</th>
                <th scope="col">{t('returns.lines')}</th>
                <th scope="col" class="num">{t('returns.units')}</th>
                <th scope="col">{t('returns.credit')}</th>
                <th scope="col">{t('inbox.raised')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((r) => {
                const p = progress(r);
                return (
                  <tr data-testid="return-row" data-id={r.id} data-number={r.number} data-state={r.state}>
                    <td class="code">{r.number}</td>
                    <td>
                      <span class="code">{r.orderNumber}</span>
                      <div class="muted desk-sub">
                        {r.customerCode} · {r.trackingNumber}
                      </div>
                    </td>
                    <td>
                      <span class={`chip office-state office-state-${r.state}`}>{labelOf(locale, 'returns.stateName', r.state)}</span>
                    </td>
                    <td>
                      {r.lines.map((l) => (
                        <div>
                          <span class="code">{l.sku}</span> × {f.int(l.quantity)}
                          {l.serials.length ? <span class="muted desk-sub"> ({l.serials.join(', ')})</span> : null}
                        </div>
                      ))}
                    </td>
                    <td class="num">{`${f.int(p.decided)} / ${f.int(p.authorised)}`}</td>
                    <td class="code">{r.creditReference ?? '—'}</td>
                    <td class="nowrap">{f.stamp(r.createdAt)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}

function Authorise({ shipment, onDone, fb }: { shipment: ReturnableShipment; onDone: (r: CustomerReturn) => void; fb: ReturnType<typeof useFlowFeedback> }) {
  const { t, locale } = useI18n();
  const f = formats(locale);
  const [chosen, setChosen] = useState<Record<string, LineChoice | undefined>>({});
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);

  const choose = (key: string, change: Partial<LineChoice>) =>
    setChosen((c) => ({ ...c, [key]: { quantity: 0, serials: [], ...c[key], ...change } }));

  const submit = async () => {
    const lines = returnLines(shipment.lines, chosen);
    if (lines.length === 0) {
      fb.info(t('returns.nothingChosen'));
      return;
    }
    setBusy(true);
    fb.clear();
    const out = await mutateText<Authorised>(
      'authoriseReturn',
      AUTHORISE_RETURN,
      { shipmentId: shipment.shipmentId, orderId: shipment.orderId, lines, reason: reason.trim() || null },
      { queueOffline: false },
    );
    setBusy(false);
    if (!fb.outcome(out) || out.status !== 'ok') return;
    setChosen({});
    setReason('');
    onDone(out.data.customerReturn);
  };

  return (
    <section class="card desk-card stack" data-testid="returnable" data-shipment={shipment.shipmentId} data-order={shipment.orderNumber}>
      <h3 class="office-h">
        {t('returns.shipment', { id: shipment.shipmentId, tracking: shipment.trackingNumber, order: shipment.orderNumber, customer: shipment.customerCode })}
      </h3>
      <p class="muted desk-sub">{f.stamp(shipment.shippedAt)}</p>
      <div class="desk-table-wrap">
        <table class="desk-table">
          <thead>
            <tr>
              <th scope="col">{t('office.item')}</th>
              <th scope="col" class="num">{t('returns.shipped')}</th>
              <th scope="col" class="num">{t('returns.onReturns')}</th>
              <th scope="col" class="num">{t('returns.returnable')}</th>
              <th scope="col">{t('returns.toReturn')}</th>
            </tr>
          </thead>
          <tbody>
            {shipment.lines.map((l) => {
              const key = lineKey(l);
              const c = chosen[key];
              return (
                <tr data-testid="returnable-line" data-sku={l.sku}>
                  <td>
                    <span class="code">{l.sku}</span> {l.itemName}
                    {l.lotNumber ? <div class="muted desk-sub">{t('office.lot', { lot: l.lotNumber })}</div> : null}
                  </td>
                  <td class="num">{f.int(l.shipped)}</td>
                  <td class="num">{f.int(l.authorised)}</td>
                  <td class="num">{f.int(l.returnable)}</td>
                  <td>
                    {l.serials.length > 0 ? (
                      <div class="office-actions">
                        {l.serials.map((s) => (
                          <label class="nowrap">
                            <input
                              type="checkbox"
                              data-testid="return-serial"
                              value={s}
                              checked={c?.serials.includes(s) ?? false}
                              onChange={(e) => {
                                const on = (e.target as HTMLInputElement).checked;
                                const now = c?.serials ?? [];
                                choose(key, { serials: on ? [...now, s] : now.filter((x) => x !== s) });
                              }}
                            />{' '}
                            <span class="code">{s}</span>
                          </label>
                        ))}
                      </div>
                    ) : (
                      <input
                        class="input office-num"
                        type="number"
                        min={0}
                        max={l.returnable}
                        disabled={l.returnable === 0}
                        data-testid="return-qty"
                        value={c?.quantity ?? 0}
                        onInput={(e) => choose(key, { quantity: Number((e.target as HTMLInputElement).value) || 0 })}
                      />
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div class="office-row">
        <label class="field desk-field">
          {t('returns.reason')}
          <input class="input" value={reason} maxLength={400} data-testid="return-reason" onInput={(e) => setReason((e.target as HTMLInputElement).value)} />
        </label>
        <button type="button" class="btn btn-primary" disabled={busy} data-testid="return-authorise" onClick={() => void submit()}>
          {t('returns.authorise')}
        </button>
      </div>
    </section>
  );
}
