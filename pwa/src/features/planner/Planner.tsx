import { useEffect, useMemo, useState } from 'preact/hooks';
import { CreateWaveDocument, OrderPoolDocument, PreviewWaveDocument, ReleaseWaveDocument, WarehouseMapsDocument, WaveDocument } from '../../graphql/generated/graphql';
import { gql } from '../../graphql/client';
import { useI18n } from '../../i18n';
import { FlowMessageView, useFlowFeedback } from '../../ui/flow/Flow';
import type { PlannedTour, PoolOrder, WarehouseMap, Wave, WavePlan } from './types';
import { mutate } from '../../ui/flow/mutate';
import { TOUR_COLOURS, depot, floorSize, pathD, tourPath, type Point } from './map';

interface Filters {
  carrier: string;
  priority: string;
  zone: string;
  channel: string;
  cutoffBefore: string;
}

const NO_FILTERS: Filters = { carrier: '', priority: '', zone: '', channel: '', cutoffBefore: '' };
const LIVE_MS = 3000;

/**
 * Wave planning on a tablet: the order pool with filters, a preview of the
 * wave with every tour drawn on the warehouse map, release, then the wave's
 * progress cart by cart, refreshed every few seconds.
 */
export function PlannerScreen() {
  const { t, err, locale } = useI18n();
  const fb = useFlowFeedback();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [orders, setOrders] = useState<PoolOrder[] | null>(null);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [totes, setTotes] = useState(8);
  const [method, setMethod] = useState<'OPTIMISED' | 'FIRST_COME'>('OPTIMISED');
  const [plan, setPlan] = useState<WavePlan | null>(null);
  const [wh, setWh] = useState<WarehouseMap | null>(null);
  const [wave, setWave] = useState<Wave | null>(null);
  const [busy, setBusy] = useState(false);

  const loadPool = async (f: Filters) => {
    try {
      const data = await gql(OrderPoolDocument, {
        carrier: f.carrier || null,
        priority: f.priority ? Number(f.priority) : null,
        zone: f.zone || null,
        channel: f.channel || null,
        cutoffBefore: f.cutoffBefore ? new Date(f.cutoffBefore).toISOString() : null,
      });
      const list = data.orderPool.edges.map((e) => e.node);
      setOrders(list);
      setPicked((prev) => new Set([...prev].filter((id) => list.some((o) => o.id === id))));
    } catch (e) {
      fb.errorCode(e instanceof Error && 'code' in e ? String((e as { code: string }).code) : 'NETWORK');
    }
  };

  useEffect(() => {
    void loadPool(filters);
    void gql(WarehouseMapsDocument, {})
      .then((d) => setWh(d.warehouses[0] ?? null))
      .catch(() => {});
  }, []);

  // Live progress of the released wave.
  useEffect(() => {
    if (!wave || wave.state === 'DONE' || wave.state === 'PICKED') return;
    const h = setInterval(() => {
      void gql(WaveDocument, { id: wave.id })
        .then((d) => d.wave && setWave(d.wave))
        .catch(() => {});
    }, LIVE_MS);
    return () => clearInterval(h);
  }, [wave?.id, wave?.state]);

  const input = () => ({ orderIds: [...picked], cartLimits: { totes }, method });

  const preview = async () => {
    if (picked.size === 0 || busy) return;
    setBusy(true);
    fb.clear();
    try {
      const d = await gql(PreviewWaveDocument, { input: input() });
      if (d.previewWave.__typename === 'WavePlan') setPlan(d.previewWave);
      else fb.errorCode(d.previewWave.code ?? 'REQUEST_FAILED');
    } catch {
      fb.errorCode('NETWORK');
    } finally {
      setBusy(false);
    }
  };

  const release = async () => {
    if (!plan || busy) return;
    setBusy(true);
    const created = await mutate('createWave', CreateWaveDocument, input(), { queueOffline: false });
    if (!fb.outcome(created) || created.status !== 'ok') {
      setBusy(false);
      return;
    }
    const released = await mutate('releaseWave', ReleaseWaveDocument, { waveId: created.data.wave.id }, { queueOffline: false });
    setBusy(false);
    if (!fb.outcome(released) || released.status !== 'ok') {
      setWave(created.data.wave);
      return;
    }
    fb.ok(t('planner.released', { code: released.data.wave.code, n: released.data.pickTaskIds.length }));
    setWave(released.data.wave);
    setPlan(null);
    setPicked(new Set());
    void loadPool(filters);
  };

  const toggle = (id: string) =>
    setPicked((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const setFilter = (k: keyof Filters) => (e: Event) => setFilters({ ...filters, [k]: (e.currentTarget as HTMLInputElement).value });

  return (
    <div class="planner" data-testid="planner">
      <FlowMessageView message={fb.message} />
      <section class="card planner-pool">
        <h2>{t('planner.pool')}</h2>
        <form
          class="planner-filters"
          onSubmit={(e) => {
            e.preventDefault();
            void loadPool(filters);
          }}
        >
          <label class="field">
            <span>{t('planner.carrier')}</span>
            <input class="input" value={filters.carrier} onInput={setFilter('carrier')} />
          </label>
          <label class="field">
            <span>{t('tasks.priority')}</span>
            <input class="input" inputMode="numeric" value={filters.priority} onInput={setFilter('priority')} />
          </label>
          <label class="field">
            <span>{t('tasks.zone')}</span>
            <input class="input" value={filters.zone} onInput={setFilter('zone')} />
          </label>
          <label class="field">
            <span>{t('planner.channel')}</span>
            <input class="input" value={filters.channel} onInput={setFilter('channel')} />
          </label>
          <label class="field">
            <span>{t('planner.cutoffBefore')}</span>
            <input class="input" type="datetime-local" value={filters.cutoffBefore} onInput={setFilter('cutoffBefore')} />
          </label>
          <button type="submit" class="btn btn-secondary">
            {t('planner.filter')}
          </button>
        </form>
        {orders == null ? (
          <p class="muted">{t('app.loading')}</p>
        ) : orders.length === 0 ? (
          <p class="muted">{t('planner.noOrders')}</p>
        ) : (
          <table class="planner-table">
            <thead>
              <tr>
                <th>
                  <input
                    type="checkbox"
                    aria-label={t('planner.selectAll')}
                    checked={picked.size === orders.length}
                    onChange={() => setPicked(picked.size === orders.length ? new Set() : new Set(orders.map((o) => o.id)))}
                  />
                </th>
                <th>{t('planner.order')}</th>
                <th>{t('tasks.priority')}</th>
                <th>{t('planner.cutoff')}</th>
                <th>{t('planner.carrier')}</th>
                <th>{t('flow.units')}</th>
              </tr>
            </thead>
            <tbody>
              {orders.map((o) => (
                <tr key={o.id} class={picked.has(o.id) ? 'on' : ''} onClick={() => toggle(o.id)}>
                  <td>
                    <input type="checkbox" checked={picked.has(o.id)} aria-label={o.number} onClick={(e) => e.stopPropagation()} onChange={() => toggle(o.id)} />
                  </td>
                  <td class="code">{o.number}</td>
                  <td>P{o.priority}</td>
                  <td>{o.cutoffAt ? new Date(o.cutoffAt).toLocaleString(locale, { dateStyle: 'short', timeStyle: 'short' }) : '—'}</td>
                  <td>{o.carrierCode ?? '—'}</td>
                  <td>{o.lines.reduce((s, l) => s + l.quantity, 0)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section class="card planner-plan">
        <div class="planner-controls">
          <label class="field">
            <span>{t('planner.totes')}</span>
            <input class="input" type="number" min={1} max={60} value={totes} onInput={(e) => setTotes(Math.max(1, Number((e.currentTarget as HTMLInputElement).value) || 1))} />
          </label>
          <div class="segmented" role="group" aria-label={t('planner.method')}>
            {(['OPTIMISED', 'FIRST_COME'] as const).map((m) => (
              <button type="button" class={method === m ? 'seg on' : 'seg'} aria-pressed={method === m} onClick={() => setMethod(m)}>
                {t(m === 'OPTIMISED' ? 'planner.optimised' : 'planner.firstCome')}
              </button>
            ))}
          </div>
          <button type="button" class="btn btn-secondary" disabled={busy || picked.size === 0} onClick={preview} data-testid="preview-wave">
            {t('planner.preview', { n: picked.size })}
          </button>
          <button type="button" class="btn btn-primary" disabled={busy || !plan} onClick={release} data-testid="release-wave">
            {t('planner.release')}
          </button>
        </div>
        {plan ? (
          <>
            <p class="planner-summary" data-testid="wave-summary">
              {t('planner.summary', { tours: plan.tourCount, lines: plan.lines, units: plan.units, m: Math.round(plan.metres) })}
            </p>
            {wh ? <WaveMap wh={wh} tours={plan.tours} /> : null}
          </>
        ) : null}
      </section>

      {wave ? <WaveProgress wave={wave} err={err} /> : null}
    </div>
  );
}

function WaveMap({ wh, tours }: { wh: WarehouseMap; tours: PlannedTour[] }) {
  const { t } = useI18n();
  const { width, length } = useMemo(() => floorSize(wh, tours), [wh, tours]);
  const pad = 2;
  // SVG y grows downwards: the front cross aisle (y = 0, the depot) at the bottom.
  const scale = (p: Point): Point => ({ x: p.x + pad, y: length - p.y + pad });
  const d = depot(wh);
  return (
    <svg class="wave-map" viewBox={`0 0 ${width + 2 * pad} ${length + 2 * pad}`} role="img" aria-label={t('planner.map')} data-testid="wave-map">
      {Array.from({ length: wh.nAisles }, (_, a) => {
        const x = a * wh.aislePitchM + pad;
        return <line x1={x} x2={x} y1={pad} y2={length + pad} class="wave-map-aisle" />;
      })}
      <line x1={pad} x2={width + pad} y1={length + pad} y2={length + pad} class="wave-map-cross" />
      <line x1={pad} x2={width + pad} y1={pad} y2={pad} class="wave-map-cross" />
      {tours.map((tour, i) => {
        const colour = TOUR_COLOURS[i % TOUR_COLOURS.length];
        return (
          <g data-testid="wave-tour" data-tour={tour.seq}>
            <path d={pathD(tourPath(wh, tour, length), scale)} fill="none" stroke={colour} stroke-width={0.6} stroke-linejoin="round" opacity={0.85} />
            {tour.stops.map((s) => {
              const q = scale(s);
              return (
                <circle cx={q.x} cy={q.y} r={0.9} fill={colour}>
                  <title>
                    {s.binLabel} · {s.quantity} × {s.itemSku} · {s.orderNumber}
                  </title>
                </circle>
              );
            })}
          </g>
        );
      })}
      <rect x={scale(d).x - 1.2} y={scale(d).y - 1.2} width={2.4} height={2.4} class="wave-map-depot" />
    </svg>
  );
}

function WaveProgress({ wave, err }: { wave: Wave; err: (c: string) => string }) {
  const { t, state } = useI18n();
  void err;
  return (
    <section class="card planner-live" data-testid="wave-progress">
      <h2>
        {t('planner.wave', { code: wave.code })} · {state(wave.state)}
      </h2>
      <p>
        {t('flow.lines')} {wave.linesPicked}/{wave.linesTotal}
      </p>
      <ul class="planner-tours">
        {wave.tours.map((tour, i) => {
          const pct = tour.linesTotal ? Math.round((100 * tour.linesPicked) / tour.linesTotal) : 0;
          return (
            <li>
              <span class="planner-tour-dot" style={{ background: TOUR_COLOURS[i % TOUR_COLOURS.length] }} />
              <span>{t('planner.cart', { n: tour.seq })}</span>
              <span class="muted">{tour.taskState ? state(tour.taskState) : '—'}</span>
              <div class="flow-progress-bar">
                <span style={{ width: `${pct}%` }} />
              </div>
              <span>
                {tour.linesPicked}/{tour.linesTotal}
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
