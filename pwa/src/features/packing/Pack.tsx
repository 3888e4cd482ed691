import { useState } from 'preact/hooks';
import {
  CloseCartonDocument,
  OrderCarrierDocument,
  PackScanDocument,
  ShipDocument,
  StartPackingDocument,
  type PackSessionFieldsFragment,
  type ShipMutation,
} from '../../graphql/generated/graphql';
import { gql } from '../../graphql/client';
import { authStore } from '../../auth';
import { useI18n } from '../../i18n';
import { FlowFrame, FlowProgress, ScanPrompt, useFlowFeedback } from '../../ui/flow/Flow';
import { mutate, type Success } from '../../ui/flow/mutate';
import { downloadDocument } from './download';

/** The station's order being packed (fragment PackSessionFields). */
type PackSession = PackSessionFieldsFragment;
type Shipment = Success<ShipMutation>['shipment'];

const STATION_KEY = 'wms.packStation';
const SHIP_ROLES = ['shipper', 'supervisor', 'admin'];

/**
 * The packing station (wider layout, still scan-driven): scan the tote or
 * order, scan every unit, close the carton, ship with the order's carrier,
 * and download the shipping label PDF.
 */
export function PackStation() {
  const { t } = useI18n();
  const fb = useFlowFeedback();
  const [session, setSession] = useState<PackSession | null>(null);
  const [packed, setPacked] = useState(false);
  const [carrier, setCarrier] = useState<string>('');
  const [carriers, setCarriers] = useState<{ code: string; name: string }[]>([]);
  const [shipment, setShipment] = useState<Shipment | null>(null);
  const [busy, setBusy] = useState(false);
  const [weight, setWeight] = useState('');
  const station = localStorage.getItem(STATION_KEY) ?? '';
  const auth = authStore.get();
  // Shipping is the shipper's (and supervisor's) to do; a packer hands over a packed order.
  const canShip = auth.status === 'signed-in' && auth.session.user.roles.some((r) => SHIP_ROLES.includes(r));

  const start = async (code: string) => {
    setBusy(true);
    const o = await mutate('startPacking', StartPackingDocument, { code, station }, { queueOffline: false });
    setBusy(false);
    if (!fb.outcome(o) || o.status !== 'ok') return;
    fb.ok(t('pack.started', { order: o.data.session.orderRef }));
    setSession(o.data.session);
    setPacked(false);
    setShipment(null);
    try {
      const d = await gql(OrderCarrierDocument, { id: o.data.session.orderId });
      const list = d.carriers.edges.map((e) => e.node);
      setCarriers(list);
      setCarrier(d.salesOrder?.carrierCode ?? list[0]?.code ?? '');
    } catch {
      /* the carrier can still be chosen once the list loads */
    }
  };

  const scanUnit = async (code: string) => {
    if (!session) return;
    setBusy(true);
    const o = await mutate('packScan', PackScanDocument, { sessionId: session.id, code });
    setBusy(false);
    // An extra unit (the order is complete) is refused by the server with
    // what is left to pack: said on screen, nothing packed.
    if (!fb.outcome(o, { scanned: code }) || o.status !== 'ok') return;
    fb.ok(t('pack.packed', { n: o.data.quantity, sku: o.data.sku }));
    setSession(o.data.session);
  };

  /** Close the open carton; `last` false goes on with a new carton for the same order. */
  const closeCarton = async (last: boolean) => {
    if (!session || busy) return;
    const grams = weight.trim() === '' ? null : Number(weight);
    if (grams != null && !(Number.isInteger(grams) && grams > 0)) {
      fb.errorCode('INVALID_QUANTITY');
      return;
    }
    setBusy(true);
    const o = await mutate('closeCarton', CloseCartonDocument, {
      sessionId: session.id,
      lastCarton: last,
      weightGrams: grams,
    });
    setBusy(false);
    if (!fb.outcome(o) || o.status !== 'ok') return;
    fb.ok(last ? t('pack.cartonClosed') : t('pack.cartonClosedNext', { no: o.data.carton.cartonNo }));
    setWeight('');
    setSession(o.data.session);
    setPacked(o.data.orderPacked);
  };

  const ship = async () => {
    if (!session || !carrier || busy) return;
    setBusy(true);
    const o = await mutate('ship', ShipDocument, { orderIds: [session.orderId], carrierCode: carrier }, { queueOffline: false });
    setBusy(false);
    if (!fb.outcome(o) || o.status !== 'ok') return;
    fb.ok(t('pack.shipped', { tracking: o.data.shipment.trackingNumber }));
    setShipment(o.data.shipment);
  };

  const download = async () => {
    if (!shipment) return;
    const ok = await downloadDocument(shipment.labelsUrl, `labels-${shipment.trackingNumber || shipment.id}.pdf`).catch(() => false);
    if (!ok) fb.errorCode('REQUEST_FAILED');
  };

  const expected = session?.lines.reduce((s, l) => s + l.expected, 0) ?? 0;
  const done = session?.lines.reduce((s, l) => s + l.packed + l.short, 0) ?? 0;
  const linesDone = session?.lines.filter((l) => l.packed + l.short >= l.expected).length ?? 0;

  return (
    <FlowFrame
      wide
      message={fb.message}
      progress={session ? <FlowProgress lines={{ done: linesDone, total: session.lines.length }} units={{ done, total: expected }} /> : null}
    >
      <div class="pack-grid">
        <div class="pack-main">
          {!session || shipment ? (
            <ScanPrompt thing="tote" onScan={(c) => void start(c)} disabled={busy} detail={<span>{t('pack.scanToteHint')}</span>} />
          ) : !packed ? (
            // Listening even when every unit is in: an extra unit is refused out loud, never ignored.
            <ScanPrompt
              thing="unit"
              expected={session.lines.find((l) => l.packed + l.short < l.expected)?.sku ?? null}
              onScan={(c) => void scanUnit(c)}
              disabled={busy}
              detail={
                <>
                  <span>{t('pack.order', { order: session.orderRef })}</span>
                  {session.complete ? <span data-testid="all-packed">{t('pack.allPacked')}</span> : null}
                </>
              }
            />
          ) : null}
          {session && !shipment ? (
            <div class="pack-actions">
              {!packed ? (
                <label class="field">
                  <span>{t('pack.weight')}</span>
                  <input
                    class="input"
                    type="number"
                    inputMode="numeric"
                    min={1}
                    step={1}
                    value={weight}
                    onInput={(e) => setWeight((e.currentTarget as HTMLInputElement).value)}
                    placeholder={t('pack.weightHint')}
                    data-testid="carton-weight"
                  />
                </label>
              ) : null}
              <button type="button" class="btn btn-primary btn-lg btn-block" disabled={busy || !session.complete || packed} onClick={() => void closeCarton(true)} data-testid="close-carton">
                {t('pack.closeCarton')}
                {session.suggestedCartonType ? ` · ${session.suggestedCartonType}` : ''}
              </button>
              {!packed && !session.complete ? (
                <button type="button" class="btn btn-secondary btn-lg btn-block" disabled={busy} onClick={() => void closeCarton(false)} data-testid="new-carton">
                  {t('pack.newCarton')}
                </button>
              ) : null}
              {canShip ? (
              <>
              <label class="field">
                <span>{t('planner.carrier')}</span>
                <select class="input" value={carrier} onChange={(e) => setCarrier((e.currentTarget as HTMLSelectElement).value)} data-testid="carrier">
                  {carriers.map((c) => (
                    <option value={c.code}>{c.name}</option>
                  ))}
                </select>
              </label>
              <button type="button" class="btn btn-primary btn-lg btn-block" disabled={busy || !packed || !carrier} onClick={ship} data-testid="ship">
                {t('pack.ship')}
              </button>
              </>
              ) : packed ? (
                <p class="notice notice-muted" data-testid="ready-to-ship">
                  {t('pack.readyToShip')} <a href="#/dock">{t('pack.toDock')}</a>
                </p>
              ) : null}
            </div>
          ) : null}
          {shipment ? (
            <section class="flow-prompt" data-testid="shipped">
              <h2 class="flow-prompt-title">{t('pack.shippedTitle')}</h2>
              <p class="flow-expected code">{shipment.trackingNumber}</p>
              <p>{shipment.carrierName}</p>
              <button type="button" class="btn btn-primary btn-lg btn-block" onClick={download} data-testid="download-label">
                {t('pack.downloadLabel')}
              </button>
            </section>
          ) : null}
        </div>
        {session ? (
          <section class="card pack-lines" data-testid="pack-lines">
            <h2>{t('pack.order', { order: session.orderRef })}</h2>
            <table class="planner-table">
              <tbody>
                {session.lines.map((l) => (
                  <tr class={l.packed + l.short >= l.expected ? 'on' : ''}>
                    <td class="code">{l.sku}</td>
                    <td>{l.description}</td>
                    <td>
                      <b>
                        {l.packed}/{l.expected}
                      </b>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {session.cartons.length > 0 ? (
              <>
                <h3>{t('pack.cartons')}</h3>
                <ul class="pack-cartons" data-testid="pack-cartons">
                  {session.cartons.map((c) => (
                    <li data-state={c.state}>
                      {t('pack.cartonLine', { no: c.cartonNo, state: c.state.toLowerCase() })}
                      {c.cartonType ? ` · ${c.cartonType}` : ''}
                      {c.weightGrams != null ? ` · ${t('pack.cartonWeight', { g: c.weightGrams })}` : ''}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </section>
        ) : null}
      </div>
    </FlowFrame>
  );
}
