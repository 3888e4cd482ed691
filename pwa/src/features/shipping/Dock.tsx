import { useEffect, useState } from 'preact/hooks';
import { gql } from '../../graphql/client';
import { useI18n } from '../../i18n';
import { FlowFrame, ScanPrompt, useFlowFeedback } from '../../ui/flow/Flow';
import { mutate } from '../../ui/flow/mutate';
import { downloadDocument } from '../packing/download';
import { DockOrderDocument, DockPrintDocument, DockShipDocument, ReadyToShipDocument } from '../../graphql/generated/graphql';
import type { PackedOrder, Shipment } from './api';
import { EMPTY_PICKUP, addToPickup, byCarrier, cartonCounts, ssccOf, type Pickup } from './pickup';

const STATION_KEY = 'wms.packStation';

/**
 * The shipper's dock: the packed orders waiting, per carrier; scan carton
 * labels (SSCC), orders or totes onto one carrier's pickup; ship it as one
 * consignment; print the labels at the station or download them as a PDF.
 */
export function DockScreen() {
  const { t } = useI18n();
  const fb = useFlowFeedback();
  const [ready, setReady] = useState<PackedOrder[]>([]);
  const [carriers, setCarriers] = useState<{ code: string; name: string }[]>([]);
  const [pickup, setPickup] = useState<Pickup>(EMPTY_PICKUP);
  const [carrier, setCarrier] = useState('');
  const [shipment, setShipment] = useState<Shipment | null>(null);
  const [busy, setBusy] = useState(false);
  const [station, setStation] = useState(() => localStorage.getItem(STATION_KEY) ?? '');

  const load = async () => {
    try {
      const d = await gql(ReadyToShipDocument, {});
      setReady(d.readyToShip.edges.map((e) => e.node));
      setCarriers(d.carriers.edges.map((e) => e.node));
    } catch {
      fb.errorCode('REQUEST_FAILED');
    }
  };
  useEffect(() => void load(), []);

  // A translated headline from the code, and the server's specifics (which order, why) under it.
  const refuse = (code: string, message: string) => fb.refused({ code, message });

  const add = (order: PackedOrder, sscc: string | null) => {
    const r = addToPickup(pickup, order, sscc);
    if (!r.ok) {
      fb.error(t('dock.otherCarrier', { order: order.orderRef, carrier: r.carrier }));
      return;
    }
    setPickup(r.pickup);
    if (!carrier && r.pickup.carrierCode) setCarrier(r.pickup.carrierCode);
    fb.ok(r.again ? t('dock.again', { order: order.orderRef }) : t('dock.added', { order: order.orderRef }));
  };

  const scan = async (code: string) => {
    if (shipment) setShipment(null);
    setBusy(true);
    try {
      const d = await gql(DockOrderDocument, { code });
      const a = d.dockOrder;
      if (a.__typename === 'PackedOrder') add(a, ssccOf(code));
      else refuse(a.code, a.message);
    } catch {
      fb.errorCode('NETWORK');
    } finally {
      setBusy(false);
    }
  };

  const shipWith = pickup.carrierCode ?? carrier;
  const ship = async () => {
    if (!pickup.orders.length || !shipWith || busy) return;
    setBusy(true);
    const o = await mutate('ship', DockShipDocument, { orderIds: pickup.orders.map((x) => x.orderId), carrierCode: shipWith }, { queueOffline: false });
    setBusy(false);
    if (!fb.outcome(o) || o.status !== 'ok') return;
    fb.ok(t('pack.shipped', { tracking: o.data.shipment.trackingNumber }));
    setShipment(o.data.shipment);
    setPickup(EMPTY_PICKUP);
    setCarrier('');
    void load();
  };

  const download = async () => {
    if (!shipment) return;
    const ok = await downloadDocument(shipment.labelsUrl, `labels-${shipment.trackingNumber || shipment.id}.pdf`).catch(() => false);
    if (!ok) fb.errorCode('REQUEST_FAILED');
  };

  const print = async () => {
    if (!shipment || !station.trim()) return;
    localStorage.setItem(STATION_KEY, station.trim());
    setBusy(true);
    const o = await mutate(
      'printDocument',
      DockPrintDocument,
      { kind: 'SHIPPING_LABEL', target: `shipment-${shipment.id}`, station: station.trim() },
      { queueOffline: false },
    );
    setBusy(false);
    if (fb.outcome(o) && o.status === 'ok') fb.ok(t('dock.printing', { printer: o.data.job.printerName }));
  };

  const counts = cartonCounts(pickup);
  const inPickup = new Set(pickup.orders.map((o) => o.orderId));
  const waiting = ready.filter((o) => !inPickup.has(o.orderId));

  return (
    <FlowFrame wide message={fb.message}>
      <div class="pack-grid">
        <div class="pack-main">
          <ScanPrompt thing="carton" onScan={(c) => void scan(c)} disabled={busy} detail={<span>{t('dock.scanHint')}</span>} />
          {shipment ? (
            <section class="flow-prompt" data-testid="shipped">
              <h2 class="flow-prompt-title">{t('pack.shippedTitle')}</h2>
              <p class="flow-expected code" data-testid="tracking">{shipment.trackingNumber}</p>
              <p>
                {shipment.carrierName} · {shipment.orderRefs.join(', ')}
              </p>
              <button type="button" class="btn btn-primary btn-lg btn-block" onClick={download} data-testid="download-label">
                {t('pack.downloadLabel')}
              </button>
              <div class="dock-print">
                <label class="field">
                  <span>{t('dock.station')}</span>
                  <input class="input" value={station} onInput={(e) => setStation((e.currentTarget as HTMLInputElement).value)} data-testid="station" />
                </label>
                <button type="button" class="btn btn-lg" disabled={busy || !station.trim()} onClick={print} data-testid="print-label">
                  {t('dock.print')}
                </button>
              </div>
            </section>
          ) : null}
          {pickup.orders.length ? (
            <section class="card dock-pickup" data-testid="pickup">
              <h2>{t('dock.pickup', { n: pickup.orders.length })}</h2>
              <ul class="dock-list">
                {pickup.orders.map((o) => (
                  <li>
                    <b class="code">{o.orderRef}</b>
                    <span>
                      {t('dock.cartons', {
                        loaded: o.cartons.filter((c) => pickup.loaded.includes(c.sscc)).length,
                        n: o.cartons.length,
                      })}
                    </span>
                  </li>
                ))}
              </ul>
              <p class="dock-tally" data-testid="pickup-tally">{t('dock.loaded', { loaded: counts.loaded, n: counts.total })}</p>
              {pickup.carrierCode ? null : (
                <label class="field">
                  <span>{t('planner.carrier')}</span>
                  <select class="input" value={carrier} onChange={(e) => setCarrier((e.currentTarget as HTMLSelectElement).value)} data-testid="carrier">
                    <option value="">—</option>
                    {carriers.map((c) => (
                      <option value={c.code}>{c.name}</option>
                    ))}
                  </select>
                </label>
              )}
              <div class="dock-actions">
                <button type="button" class="btn btn-primary btn-lg" disabled={busy || !shipWith} onClick={ship} data-testid="ship">
                  {t('dock.ship', { n: pickup.orders.length, carrier: carriers.find((c) => c.code === shipWith)?.name ?? shipWith })}
                </button>
                <button type="button" class="btn btn-lg" disabled={busy} onClick={() => setPickup(EMPTY_PICKUP)} data-testid="clear-pickup">
                  {t('dock.clear')}
                </button>
              </div>
            </section>
          ) : null}
        </div>
        <section class="card pack-lines" data-testid="ready-list">
          <h2>{t('dock.ready', { n: waiting.length })}</h2>
          {waiting.length === 0 ? <p class="notice notice-muted">{t('dock.nothingReady')}</p> : null}
          {byCarrier(waiting).map((g) => (
            <div class="dock-group" data-testid="ready-group">
              <h3>{g.code ? g.name : t('dock.noCarrier')}</h3>
              <ul class="dock-list">
                {g.orders.map((o) => (
                  <li>
                    <button type="button" class="btn btn-block dock-order" disabled={busy} onClick={() => add(o, null)} data-testid="ready-order">
                      <b class="code">{o.orderRef}</b>
                      <span>{t('dock.cartonCount', { n: o.cartons.length })}</span>
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </section>
      </div>
    </FlowFrame>
  );
}
