import { useEffect, useState } from 'preact/hooks';
import { gqlText } from '../../graphql/client';
import { useI18n, type MessageKey } from '../../i18n';
import { FlowMessageView, useFlowFeedback } from '../../ui/flow/Flow';
import { mutateText } from '../../ui/flow/mutate';
import { Split, failureCode, labelOf } from '../desk/common';
import { nodes, type Connection } from '../desk-office/ops';
import type { SectionProps } from '../desk-office/section';
import { LayoutMap } from './LayoutMap';
import { DEFAULT_DRAFT, layoutErrorParams, layoutInput, type LayoutDraft } from './logic';
import {
  CREATE_WAREHOUSE,
  PREVIEW_FIRST,
  PREVIEW_LAYOUT,
  SAVE_BIN,
  SAVE_LAYOUT,
  SAVE_ZONE,
  SET_BIN_ACTIVE,
  SITE_BINS,
  SITE_WAREHOUSES,
  UPDATE_WAREHOUSE,
  type BinSaved,
  type LayoutPreview,
  type LayoutSaved,
  type SiteBin,
  type SiteWarehouse,
  type WarehouseSaved,
  type ZoneSaved,
} from './ops';
import './site.css';

type Feedback = ReturnType<typeof useFlowFeedback>;
const ZONE_KINDS = ['RECEIVING', 'QC', 'RESERVE', 'PICK_FACE', 'PACKING', 'SHIPPING'] as const;

/** Warehouses, their racking drawn by the layout generator, zones and bins: a new site without SQL. */
export function Site(_: SectionProps) {
  const { t, err } = useI18n();
  const fb = useFlowFeedback();
  const [list, setList] = useState<SiteWarehouse[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);

  const load = async () => {
    setLoadError(null);
    try {
      const d = await gqlText<{ warehouses: SiteWarehouse[] }>(SITE_WAREHOUSES);
      // A warehouse created while this read was on its way is not in its answer:
      // keep it (warehouses are never deleted), or its open detail would vanish.
      setList((l) => [...d.warehouses, ...(l ?? []).filter((w) => !d.warehouses.some((x) => x.id === w.id))].sort((a, b) => a.code.localeCompare(b.code)));
    } catch (e) {
      setLoadError(failureCode(e));
    }
  };
  useEffect(() => void load(), []);

  const replace = (w: SiteWarehouse) => setList((l) => [...(l ?? []).filter((x) => x.id !== w.id), w].sort((a, b) => a.code.localeCompare(b.code)));

  const create = async (e: Event) => {
    e.preventDefault();
    fb.clear();
    if (!code.trim() || !name.trim()) return fb.error(t('site.needCodeName'));
    setBusy(true);
    const out = await mutateText<WarehouseSaved>('createWarehouse', CREATE_WAREHOUSE, { code: code.trim().toUpperCase(), name: name.trim() }, { queueOffline: false });
    setBusy(false);
    if (!fb.outcome(out) || out.status !== 'ok') return;
    replace(out.data.warehouse);
    setSelected(out.data.warehouse.id);
    setCode('');
    setName('');
    fb.ok(t('site.created', { code: out.data.warehouse.code }));
  };

  const current = list?.find((w) => w.id === selected) ?? null;
  const listPane = (
    <div class="stack">
      <form class="card desk-card stack" data-testid="wh-new" onSubmit={(e) => void create(e)}>
        <h2 class="office-h">{t('site.newWarehouse')}</h2>
        <div class="office-row">
          <label class="field">
            {t('site.code')}
            <input class="input office-num" value={code} maxLength={16} data-testid="wh-code" onInput={(e) => setCode((e.target as HTMLInputElement).value)} />
          </label>
          <label class="field">
            {t('site.name')}
            <input class="input" value={name} maxLength={120} data-testid="wh-name" onInput={(e) => setName((e.target as HTMLInputElement).value)} />
          </label>
          <button type="submit" class="btn btn-primary btn-small" disabled={busy} data-testid="wh-create">
            {t('site.create')}
          </button>
        </div>
      </form>
      {loadError ? <p class="alert alert-error">{err(loadError)}</p> : null}
      {list === null && !loadError ? <p class="muted">{t('desk.loading')}</p> : null}
      <ul class="desk-items" data-testid="wh-list">
        {(list ?? []).map((w) => (
          <li>
            <button type="button" class={w.id === selected ? 'desk-item on' : 'desk-item'} data-testid="wh-item" data-code={w.code} onClick={() => setSelected(w.id)}>
              <span class="desk-item-head">
                <strong class="code">{w.code}</strong>
                {w.active ? null : <span class="chip">{t('site.inactive')}</span>}
              </span>
              <span class="desk-item-sub">{w.name}</span>
              <span class="desk-item-sub">
                {w.nAisles > 0 ? t('site.shape', { aisles: w.nAisles, cells: w.cellsPerAisle, blocks: w.nBlocks }) : t('site.noLayout')} · {t('site.zoneCount', { n: w.zones.length })}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );

  return (
    <>
      <FlowMessageView message={fb.message} />
      <Split
        list={listPane}
        hasDetail={current !== null}
        onBack={() => setSelected(null)}
        detail={current ? <WarehouseDetail key={current.id} warehouse={current} fb={fb} onChanged={replace} /> : null}
      />
    </>
  );
}

function WarehouseDetail({ warehouse, fb, onChanged }: { warehouse: SiteWarehouse; fb: Feedback; onChanged: (w: SiteWarehouse) => void }) {
  const { t, locale } = useI18n();
  const [name, setName] = useState(warehouse.name);
  const [binsTick, setBinsTick] = useState(0);

  const rename = async (e: Event) => {
    e.preventDefault();
    fb.clear();
    if (!name.trim()) return fb.error(t('site.needCodeName'));
    const out = await mutateText<WarehouseSaved>(
      'updateWarehouse',
      UPDATE_WAREHOUSE,
      { code: warehouse.code, name: name.trim(), timezone: warehouse.timezone, active: warehouse.active },
      { queueOffline: false },
    );
    if (!fb.outcome(out) || out.status !== 'ok') return;
    onChanged(out.data.warehouse);
    fb.ok(t('site.renamed', { code: warehouse.code }));
  };

  return (
    <div class="stack" data-testid="wh-detail" data-code={warehouse.code}>
      <form class="card desk-card office-row" onSubmit={(e) => void rename(e)}>
        <h2 class="office-h">
          <span class="code">{warehouse.code}</span>
        </h2>
        <label class="field">
          {t('site.name')}
          <input class="input" value={name} maxLength={120} data-testid="wh-rename" onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit" class="btn btn-secondary btn-small" data-testid="wh-rename-save">
          {t('site.rename')}
        </button>
      </form>
      <Generator
        warehouse={warehouse}
        fb={fb}
        onSaved={(w) => {
          onChanged(w);
          setBinsTick((n) => n + 1);
        }}
      />
      <Zones warehouse={warehouse} fb={fb} onChanged={onChanged} kindLabel={(k) => labelOf(locale, 'site.zoneKind', k)} />
      <Bins key={binsTick} warehouse={warehouse} fb={fb} />
    </div>
  );
}

function Generator({ warehouse, fb, onSaved }: { warehouse: SiteWarehouse; fb: Feedback; onSaved: (w: SiteWarehouse) => void }) {
  const { t, locale } = useI18n();
  const [d, setD] = useState<LayoutDraft>(DEFAULT_DRAFT);
  const [preview, setPreview] = useState<{ data: LayoutPreview; input: Record<string, unknown> } | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof LayoutDraft) => (e: Event) => {
    const el = e.target as HTMLInputElement;
    const value = el.type === 'checkbox' ? el.checked : el.value;
    setD((prev) => ({ ...prev, [k]: value })); // from the latest draft: two fields typed before a render both count
    setPreview(null); // a changed form is previewed again before it can be saved
  };

  const refused = (code: string, message: string, field: string | null) => {
    fb.refused({ code, message, field }, layoutErrorParams(code, message));
  };

  const build = () => {
    const built = layoutInput(d, warehouse.id);
    if (!built.ok) {
      fb.error(t('site.fieldWrong', { field: t(`site.f.${built.field}` as MessageKey) }));
      return null;
    }
    return built.input;
  };

  const show = async (e: Event) => {
    e.preventDefault();
    fb.clear();
    const input = build();
    if (!input) return;
    setBusy(true);
    try {
      const r = await gqlText<{ previewLayout: LayoutPreview & { __typename: string; code?: string; message?: string; field?: string | null } }>(PREVIEW_LAYOUT, {
        input,
        first: PREVIEW_FIRST,
      });
      const p = r.previewLayout;
      if (p.__typename !== 'LayoutPreview') return refused(p.code ?? 'UNKNOWN', p.message ?? '', p.field ?? null);
      setPreview({ data: p, input });
    } catch (x) {
      fb.errorCode(failureCode(x));
    } finally {
      setBusy(false);
    }
  };

  const save = async () => {
    if (!preview) return;
    fb.clear();
    setBusy(true);
    const out = await mutateText<LayoutSaved>('saveLayout', SAVE_LAYOUT, preview.input, { queueOffline: false });
    setBusy(false);
    if (out.status === 'refused') return refused(out.code, out.message, out.field);
    if (!fb.outcome(out) || out.status !== 'ok') return;
    setPreview(null);
    onSaved(out.data.warehouse);
    fb.ok(t('site.layoutSaved', { created: out.data.created, updated: out.data.updated, retired: out.data.retired }));
  };

  const num = (k: keyof LayoutDraft, mode: 'numeric' | 'decimal' = 'numeric') => (
    <label class="field">
      {t(`site.f.${k}` as MessageKey)}
      <input class="input office-num" inputMode={mode} value={d[k] as string} data-testid={`gen-${k}`} onInput={set(k)} />
    </label>
  );

  return (
    <section class="card desk-card stack" data-testid="generator">
      <h2 class="office-h">{t('site.generator')}</h2>
      <p class="muted office-hint">{t('site.generatorHint')}</p>
      <form class="stack" onSubmit={(e) => void show(e)}>
        <div class="office-row">
          {num('aisles')}
          {num('bays')}
          {num('levels')}
          <label class="field">
            {t('site.f.sides')}
            <select class="input office-num" value={d.sides} data-testid="gen-sides" onChange={set('sides')}>
              <option value="2">{t('site.twoSides')}</option>
              <option value="1">{t('site.oneSide')}</option>
            </select>
          </label>
          {num('firstAisle')}
        </div>
        <label class="field">
          {t('site.f.pattern')}
          <input class="input mono" value={d.pattern} data-testid="gen-pattern" onInput={set('pattern')} />
          <span class="muted small">{t('site.patternHint')}</span>
        </label>
        <fieldset class="office-conds">
          <legend>{t('site.structure')}</legend>
          <div class="office-row">
            {num('nBlocks')}
            {num('cellLengthM', 'decimal')}
            {num('aislePitchM', 'decimal')}
            {num('crossAisleWidthM', 'decimal')}
            {num('depotAisle')}
          </div>
        </fieldset>
        <fieldset class="office-conds">
          <legend>{t('site.zones')}</legend>
          <div class="office-row">
            {num('pickFaceLevels')}
            <label class="field">
              {t('site.f.pickZoneCode')}
              <input class="input office-num" value={d.pickZoneCode} data-testid="gen-pickZoneCode" onInput={set('pickZoneCode')} />
            </label>
            <label class="field">
              {t('site.f.reserveZoneCode')}
              <input class="input office-num" value={d.reserveZoneCode} data-testid="gen-reserveZoneCode" onInput={set('reserveZoneCode')} />
            </label>
            <label class="field">
              {t('site.f.storageClass')}
              <input class="input office-num" value={d.storageClass} onInput={set('storageClass')} />
            </label>
          </div>
          <label class="site-check">
            <input type="checkbox" checked={d.replace} data-testid="gen-replace" onChange={set('replace')} /> {t('site.f.replace')}
          </label>
        </fieldset>
        <div class="office-actions">
          <button type="submit" class="btn btn-secondary" disabled={busy} data-testid="gen-preview">
            {t('site.preview')}
          </button>
          <button type="button" class="btn btn-primary" disabled={busy || !preview} data-testid="gen-save" onClick={() => void save()}>
            {t('site.saveLayout')}
          </button>
        </div>
      </form>
      {preview ? (
        <div class="stack" data-testid="preview">
          <p class="office-total" data-testid="preview-summary">
            {t('site.previewSummary', {
              bins: new Intl.NumberFormat(locale).format(preview.data.binCount),
              aisles: preview.data.geometry.nAisles,
              cells: preview.data.geometry.cellsPerAisle,
              existing: preview.data.existingCodes.length,
            })}
          </p>
          <LayoutMap preview={preview.data} cellLengthM={Number(preview.input.cellLengthM)} aislePitchM={Number(preview.input.aislePitchM)} />
          <p class="muted small mono">{preview.data.bins.slice(0, 6).map((b) => b.label).join(' · ')} …</p>
        </div>
      ) : null}
    </section>
  );
}

function Zones({ warehouse, fb, onChanged, kindLabel }: { warehouse: SiteWarehouse; fb: Feedback; onChanged: (w: SiteWarehouse) => void; kindLabel: (k: string) => string }) {
  const { t } = useI18n();
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [kind, setKind] = useState<string>('RECEIVING');

  const add = async (e: Event) => {
    e.preventDefault();
    fb.clear();
    if (!code.trim() || !name.trim()) return fb.error(t('site.needCodeName'));
    const out = await mutateText<ZoneSaved>('saveZone', SAVE_ZONE, { warehouseId: warehouse.id, code: code.trim().toUpperCase(), name: name.trim(), kind }, { queueOffline: false });
    if (!fb.outcome(out) || out.status !== 'ok') return;
    const z = out.data.zone;
    onChanged({ ...warehouse, zones: [...warehouse.zones.filter((x) => x.id !== z.id), z] });
    setCode('');
    setName('');
    fb.ok(t('site.zoneSaved', { code: z.code }));
  };

  return (
    <section class="card desk-card stack" data-testid="zones">
      <h2 class="office-h">{t('site.zones')}</h2>
      {warehouse.zones.length === 0 ? <p class="muted">{t('site.noZones')}</p> : null}
      <table class="desk-table">
        <tbody>
          {warehouse.zones.map((z) => (
            <tr data-testid="zone-row" data-code={z.code}>
              <td class="code">{z.code}</td>
              <td>{z.name}</td>
              <td>{kindLabel(z.kind)}</td>
              <td class="muted">{z.storageClass}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form class="office-row" onSubmit={(e) => void add(e)}>
        <label class="field">
          {t('site.code')}
          <input class="input office-num" value={code} data-testid="zone-code" onInput={(e) => setCode((e.target as HTMLInputElement).value)} />
        </label>
        <label class="field">
          {t('site.name')}
          <input class="input" value={name} data-testid="zone-name" onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        </label>
        <label class="field">
          {t('site.zoneKindLabel')}
          <select class="input" value={kind} data-testid="zone-kind" onChange={(e) => setKind((e.target as HTMLSelectElement).value)}>
            {ZONE_KINDS.map((k) => (
              <option value={k}>{kindLabel(k)}</option>
            ))}
          </select>
        </label>
        <button type="submit" class="btn btn-secondary btn-small" data-testid="zone-save">
          {t('site.saveZone')}
        </button>
      </form>
    </section>
  );
}

function Bins({ warehouse, fb }: { warehouse: SiteWarehouse; fb: Feedback }) {
  const { t, err } = useI18n();
  const [label, setLabel] = useState('');
  const [zoneCode, setZoneCode] = useState('');
  const zone = zoneCode || warehouse.zones[0]?.code || '';
  const [bins, setBins] = useState<SiteBin[] | null>(null);
  const [after, setAfter] = useState<string | null>(null);
  const [find, setFind] = useState('');
  const [loadError, setLoadError] = useState<string | null>(null);

  const page = async (cursor: string | null) => {
    try {
      const d = await gqlText<{ bins: Connection<SiteBin> }>(SITE_BINS, { warehouseId: warehouse.id, after: cursor });
      setBins((b) => [...(cursor ? (b ?? []) : []), ...nodes(d.bins)]);
      setAfter(d.bins.pageInfo.hasNextPage ? d.bins.pageInfo.endCursor : null);
    } catch (e) {
      setLoadError(failureCode(e));
    }
  };
  useEffect(() => void page(null), []);

  const toggle = async (b: SiteBin) => {
    fb.clear();
    const out = await mutateText<BinSaved>('setBinActive', SET_BIN_ACTIVE, { code: b.code, active: !b.active }, { queueOffline: false });
    if (out.status === 'refused') return fb.refused(out, layoutErrorParams(out.code, out.message));
    if (!fb.outcome(out) || out.status !== 'ok') return;
    const saved = out.data.bin;
    setBins((list) => (list ?? []).map((x) => (x.code === saved.code ? saved : x)));
    fb.ok(t(saved.active ? 'site.binReactivated' : 'site.binRetired', { bin: saved.label }));
  };

  // One bin outside the racking: a dock lane, a QC cage, a packing bench.
  const add = async (e: Event) => {
    e.preventDefault();
    fb.clear();
    if (!label.trim() || !zone) return fb.error(t('site.needLabelZone'));
    const out = await mutateText<BinSaved>('saveBin', SAVE_BIN, { warehouseId: warehouse.id, zoneCode: zone, label: label.trim().toUpperCase(), capacityUnits: 10000 }, { queueOffline: false });
    if (out.status === 'refused') return fb.refused(out, layoutErrorParams(out.code, out.message));
    if (!fb.outcome(out) || out.status !== 'ok') return;
    const saved = out.data.bin;
    setBins((list) => [...(list ?? []).filter((x) => x.code !== saved.code), saved]);
    setLabel('');
    fb.ok(t('site.binSaved', { bin: saved.code }));
  };

  const needle = find.trim().toUpperCase();
  const shown = (bins ?? []).filter((b) => !needle || b.code.includes(needle) || b.label.includes(needle)).slice(0, 60);
  return (
    <section class="card desk-card stack" data-testid="bins">
      <div class="office-row">
        <h2 class="office-h">{t('site.bins', { n: bins?.length ?? 0 })}</h2>
        <label class="field">
          {t('site.findBin')}
          <input class="input" value={find} data-testid="bin-find" onInput={(e) => setFind((e.target as HTMLInputElement).value)} />
        </label>
      </div>
      <form class="office-row" onSubmit={(e) => void add(e)}>
        <label class="field">
          {t('site.binLabel')}
          <input class="input office-num" value={label} data-testid="bin-label" onInput={(e) => setLabel((e.target as HTMLInputElement).value)} />
        </label>
        <label class="field">
          {t('site.zones')}
          <select class="input" value={zone} data-testid="bin-zone" onChange={(e) => setZoneCode((e.target as HTMLSelectElement).value)}>
            {warehouse.zones.map((z) => (
              <option value={z.code}>
                {z.code} · {z.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" class="btn btn-secondary btn-small" data-testid="bin-add">
          {t('site.addBin')}
        </button>
      </form>
      {loadError ? <p class="alert alert-error">{err(loadError)}</p> : null}
      {bins !== null && bins.length === 0 ? <p class="muted">{t('site.noBins')}</p> : null}
      <table class="desk-table">
        <tbody>
          {shown.map((b) => (
            <tr data-testid="bin-row" data-code={b.code} data-active={String(b.active)}>
              <td class="code">{b.label}</td>
              <td class="muted mono small">{b.code}</td>
              <td>{b.active ? t('site.active') : t('site.retired')}</td>
              <td>
                <button type="button" class="btn btn-ghost btn-small" data-testid="bin-toggle" onClick={() => void toggle(b)}>
                  {b.active ? t('site.retire') : t('site.reactivate')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {after ? (
        <button type="button" class="btn btn-secondary btn-small" onClick={() => void page(after)}>
          {t('office.more')}
        </button>
      ) : null}
    </section>
  );
}
