import { useEffect, useState } from 'preact/hooks';
import { gqlText } from '../../graphql/client';
import { useI18n, type MessageKey } from '../../i18n';
import { FlowMessageView, useFlowFeedback } from '../../ui/flow/Flow';
import { mutateText, type Outcome } from '../../ui/flow/mutate';
import { Split, failureCode, formats, labelOf } from '../desk/common';
import { nodes } from '../desk-office/ops';
import type { SectionProps } from '../desk-office/section';
import { useLatest } from '../desk-office/latest';
import { Check, Choice, Field, Group } from './fields';
import { draftOf, emptyItem, fieldLabel, gtinCheckDigit, itemInput, looksLikeGtin, valueAt, type ItemDraft, type LevelDraft, type Size } from './logic';
import { ABC, CREATE_ITEM, ITEMS, ITEM_BY_GTIN, LEVELS, SET_ITEM_ACTIVE, STORAGE_CLASSES, TRACKINGS, UNITS, UPDATE_ITEM, type Item, type ItemData, type ItemSaved, type ItemsData, type Level } from './ops';
import './masterdata.css';

type Feedback = ReturnType<typeof useFlowFeedback>;

/** Items: find by SKU, name or GTIN; create and change every field; retire and reinstate. */
export function Items(_: SectionProps) {
  const { t, err } = useI18n();
  const fb = useFlowFeedback();
  const [search, setSearch] = useState('');
  const [list, setList] = useState<Item[] | null>(null);
  const [after, setAfter] = useState<string | null>(null);
  const [selected, setSelected] = useState<Item | null>(null);
  const [creating, setCreating] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const latest = useLatest();

  const load = async (more = false) => {
    const live = latest();
    setLoadError(null);
    const text = search.trim();
    try {
      const [page, byGtin] = await Promise.all([
        gqlText<ItemsData>(ITEMS, { search: text || null, after: more ? after : null }),
        !more && looksLikeGtin(text) ? gqlText<ItemData>(ITEM_BY_GTIN, { gtin: text }) : Promise.resolve({ item: null }),
      ]);
      if (!live()) return;
      const found = nodes(page.items);
      const head = byGtin.item ? [byGtin.item] : [];
      setList((prev) => {
        const all = [...(more ? (prev ?? []) : head), ...found];
        return all.filter((x, i) => all.findIndex((y) => y.id === x.id) === i);
      });
      setAfter(page.items.pageInfo.hasNextPage ? page.items.pageInfo.endCursor : null);
    } catch (e) {
      setLoadError(failureCode(e));
    }
  };
  useEffect(() => {
    void load();
  }, []);

  const saved = (item: Item) => {
    setCreating(false);
    setSelected(item);
    setList((prev) => [item, ...(prev ?? []).filter((x) => x.id !== item.id)]);
  };

  const listPane = (
    <div class="stack desk-pane">
      <form
        class="desk-filters"
        onSubmit={(e) => {
          e.preventDefault();
          void load();
        }}
      >
        <label class="field desk-field md-grow">
          {t('md.item.search')}
          <input class="input" type="search" value={search} placeholder={t('md.item.searchHint')} data-testid="md-item-search" onInput={(e) => setSearch((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit" class="btn btn-secondary btn-small" data-testid="md-item-find">
          {t('md.find')}
        </button>
      </form>
      <div class="desk-filters">
        <button
          type="button"
          class="btn btn-primary btn-small"
          data-testid="md-item-new"
          onClick={() => {
            fb.clear();
            setSelected(null);
            setCreating(true);
          }}
        >
          {t('md.item.new')}
        </button>
      </div>
      {loadError ? <p class="alert alert-error">{err(loadError)}</p> : null}
      {list === null && !loadError ? <p class="muted">{t('desk.loading')}</p> : null}
      {list !== null && list.length === 0 ? <p class="muted">{t('md.item.none')}</p> : null}
      <ul class="desk-items" data-testid="md-item-list">
        {(list ?? []).map((item) => (
          <li>
            <button
              type="button"
              class={item.id === selected?.id ? 'desk-item on' : 'desk-item'}
              data-testid="md-item"
              data-sku={item.sku}
              onClick={() => {
                fb.clear();
                setCreating(false);
                setSelected(item);
              }}
            >
              <span class="desk-item-head">
                <strong class="code">{item.sku}</strong>
                {item.active ? <span class="chip">{item.abcClass}</span> : <span class="chip md-retired">{t('md.retired')}</span>}
              </span>
              <span class="desk-item-sub">{item.name}</span>
              <span class="desk-item-sub muted code">{item.gtins[0] ?? '—'}</span>
            </button>
          </li>
        ))}
      </ul>
      {after ? (
        <button type="button" class="btn btn-ghost btn-small" onClick={() => void load(true)}>
          {t('office.more')}
        </button>
      ) : null}
    </div>
  );

  return (
    <>
      <FlowMessageView message={fb.message} />
      <Split
        list={listPane}
        hasDetail={creating || selected !== null}
        onBack={() => {
          setCreating(false);
          setSelected(null);
        }}
        detail={creating ? <ItemForm key="new" item={null} fb={fb} onSaved={saved} /> : selected ? <ItemForm key={selected.id + selected.active} item={selected} fb={fb} onSaved={saved} /> : null}
      />
    </>
  );
}

/** The label of a server field name in the item form (`packagings.CASE.gtin` → "Case · GTIN"). */
function useFieldName() {
  const { t } = useI18n();
  return (field: string) => {
    const { key, level } = fieldLabel(field);
    const name = t(`md.f.${key}` as MessageKey);
    return level ? `${t(`md.level.${level}` as MessageKey)} · ${name}` : name;
  };
}

function ItemForm({ item, fb, onSaved }: { item: Item | null; fb: Feedback; onSaved: (i: Item) => void }) {
  const { t, locale } = useI18n();
  const f = formats(locale);
  const fieldName = useFieldName();
  const [d, setD] = useState<ItemDraft>(() => (item ? draftOf(item) : emptyItem()));
  const [bad, setBad] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const editing = item !== null;

  const set = <K extends keyof ItemDraft>(k: K) => (v: ItemDraft[K]) => setD((x) => ({ ...x, [k]: v }));
  const setLevel = (level: Level, patch: Partial<LevelDraft>) => setD((x) => ({ ...x, levels: { ...x.levels, [level]: { ...x.levels[level], ...patch } } }));

  /** The specifics of a refusal: which value, whose GTIN, which digit, which units. */
  const specifics = async (code: string, field: string | null, message: string): Promise<string> => {
    const value = field ? valueAt(d, field) : '';
    const name = field ? fieldName(field) : '';
    if (code === 'DUPLICATE' && field === 'sku') return t('md.detail.duplicateSku', { sku: value });
    if (code === 'DUPLICATE' && field && /gtin$/i.test(field) && value) {
      try {
        const owner = (await gqlText<ItemData>(ITEM_BY_GTIN, { gtin: value })).item;
        if (owner) return t('md.detail.duplicateGtin', { field: name, gtin: value, owner: owner.sku });
      } catch {
        /* the server's own words below */
      }
    }
    if (code === 'GTIN_BAD_CHECK_DIGIT') {
      const digit = gtinCheckDigit(value);
      if (digit !== null) return t('md.detail.checkDigit', { field: name, gtin: value, digit });
    }
    if (code === 'UNKNOWN_UNIT') return t('md.detail.unknownUnit', { unit: value, units: UNITS.join(', ') });
    return field ? t('md.detail.field', { field: name, message }) : message;
  };

  const answer = async (out: Outcome<ItemSaved>, done: (i: Item) => string) => {
    setBusy(false);
    if (out.status === 'refused') {
      setBad(out.field);
      fb.refused({ code: out.code, message: await specifics(out.code, out.field, out.message) });
      return;
    }
    if (!fb.outcome(out) || out.status !== 'ok') return;
    setBad(null);
    fb.ok(done(out.data.item));
    onSaved(out.data.item);
  };

  const save = async (e: Event) => {
    e.preventDefault();
    fb.clear();
    const built = itemInput(d);
    if (!built.ok) {
      setBad(built.field);
      fb.error(t('md.fieldWrong', { field: fieldName(built.field) }));
      return;
    }
    setBusy(true);
    const out = await mutateText<ItemSaved>(editing ? 'updateItem' : 'createItem', editing ? UPDATE_ITEM : CREATE_ITEM, built.input, { queueOffline: false });
    await answer(out, (i) => t(editing ? 'md.item.updated' : 'md.item.created', { sku: i.sku }));
  };

  const setActive = async (active: boolean) => {
    if (!item) return;
    fb.clear();
    setBusy(true);
    const out = await mutateText<ItemSaved>('setItemActive', SET_ITEM_ACTIVE, { sku: item.sku, active }, { queueOffline: false });
    await answer(out, (i) => t(active ? 'md.item.reinstated' : 'md.item.retiredDone', { sku: i.sku }));
  };

  const is = (field: string) => bad === field;
  const sizeFields = (s: Size, prefix: string, onSet: (k: keyof Size, v: string) => void, testid: string) =>
    (['lengthMm', 'widthMm', 'heightMm', 'weightG'] as const).map((k) => (
      <Field label={t(`md.f.${k}`)} value={s[k]} numeric bad={is(prefix + k)} testid={`${testid}-${k}`} onInput={(v) => onSet(k, v)} />
    ));

  return (
    <form class="card desk-card stack office-form md-form" data-testid="md-item-form" data-sku={item?.sku ?? ''} onSubmit={(e) => void save(e)}>
      <header class="desk-detail-head">
        <h2 class="office-h">{editing ? item.sku : t('md.item.new')}</h2>
        {item && !item.active ? (
          <span class="chip md-retired" data-testid="md-item-retired">
            {t('md.retiredOn', { day: f.day(item.retiredAt) })}
          </span>
        ) : null}
      </header>
      <Group title={t('md.item.identity')}>
        <div class="office-row">
          <Field label={t('md.f.sku')} value={d.sku} disabled={editing} bad={is('sku')} testid="md-sku" onInput={set('sku')} />
          <Field label={t('md.f.name')} value={d.name} bad={is('name')} testid="md-name" wide onInput={set('name')} />
        </div>
        <div class="office-row">
          <Field label={t('md.f.specification')} value={d.specification} testid="md-specification" onInput={set('specification')} />
          <Field label={t('md.f.brand')} value={d.brand} testid="md-brand" onInput={set('brand')} />
          <Field label={t('md.f.category')} value={d.category} testid="md-category" onInput={set('category')} />
        </div>
      </Group>
      <Group title={t('md.item.baseUnit')}>
        <div class="office-row">
          <Field label={t('md.f.baseUnit')} value={d.baseUnit} list="md-units" bad={is('baseUnit')} testid="md-base-unit" onInput={set('baseUnit')} />
          <datalist id="md-units">
            {UNITS.map((u) => (
              <option value={u}>{labelOf(locale, 'md.unit', u)}</option>
            ))}
          </datalist>
          <Field label={t('md.f.gtin')} value={d.gtin} numeric bad={is('gtin')} testid="md-gtin" onInput={set('gtin')} />
        </div>
        <div class="office-row">{sizeFields(d, '', (k, v) => setD((x) => ({ ...x, [k]: v })), 'md-each')}</div>
      </Group>
      <Group title={t('md.item.packaging')}>
        <div class="desk-table-wrap">
          <table class="desk-table md-levels" data-testid="md-levels">
            <thead>
              <tr>
                <th scope="col">{t('md.f.level')}</th>
                <th scope="col">{t('md.f.quantity')}</th>
                <th scope="col">{t('md.f.gtin')}</th>
                <th scope="col">{t('md.f.lengthMm')}</th>
                <th scope="col">{t('md.f.widthMm')}</th>
                <th scope="col">{t('md.f.heightMm')}</th>
                <th scope="col">{t('md.f.weightG')}</th>
              </tr>
            </thead>
            <tbody>
              {LEVELS.map((level) => {
                const l = d.levels[level];
                const cell = (k: keyof LevelDraft & string, numeric = true) => (
                  <td>
                    <input
                      class={is(`packagings.${level}.${k}`) ? 'input md-bad' : 'input'}
                      aria-label={`${t(`md.level.${level}`)} · ${t(`md.f.${k}` as MessageKey)}`}
                      aria-invalid={is(`packagings.${level}.${k}`) ? 'true' : undefined}
                      inputMode={numeric ? 'numeric' : undefined}
                      disabled={!l.on}
                      value={l[k] as string}
                      data-testid={`md-${level.toLowerCase()}-${k}`}
                      onInput={(e) => setLevel(level, { [k]: (e.target as HTMLInputElement).value })}
                    />
                  </td>
                );
                return (
                  <tr data-testid="md-level" data-level={level} data-on={l.on ? 'yes' : 'no'}>
                    <th scope="row">
                      <Check label={t(`md.level.${level}`)} checked={l.on} testid={`md-${level.toLowerCase()}-on`} onChange={(on) => setLevel(level, { on })} />
                    </th>
                    {cell('quantity')}
                    {cell('gtin')}
                    {cell('lengthMm')}
                    {cell('widthMm')}
                    {cell('heightMm')}
                    {cell('weightG')}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <p class="muted desk-sub">{t('md.item.levelsHint', { unit: d.baseUnit || 'EA' })}</p>
      </Group>
      <Group title={t('md.item.handling')}>
        <div class="office-row">
          <Choice label={t('md.f.storageClass')} value={d.storageClass} options={STORAGE_CLASSES} bad={is('storageClass')} testid="md-storage" text={(v) => labelOf(locale, 'md.storage', v)} onChange={set('storageClass')} />
          <Choice label={t('md.f.tracking')} value={d.tracking} options={TRACKINGS} bad={is('tracking')} testid="md-tracking" text={(v) => labelOf(locale, 'md.tracking', v)} onChange={set('tracking')} />
          <Choice label={t('md.f.abcClass')} value={d.abcClass} options={ABC} bad={is('abcClass')} testid="md-abc" onChange={set('abcClass')} />
        </div>
        <div class="office-row">
          <Check label={t('md.f.expiryTracked')} checked={d.expiryTracked} testid="md-expiry" onChange={set('expiryTracked')} />
          <Field label={t('md.f.shelfLifeDays')} value={d.shelfLifeDays} numeric bad={is('shelfLifeDays')} testid="md-shelf-life" onInput={set('shelfLifeDays')} />
          <Field label={t('md.f.minRemainingLifeDays')} value={d.minRemainingLifeDays} numeric bad={is('minRemainingLifeDays')} testid="md-min-life" onInput={set('minRemainingLifeDays')} />
          <Field label={t('md.f.unitCostCents')} value={d.unitCost} bad={is('unitCostCents')} testid="md-unit-cost" placeholder="0.00" onInput={set('unitCost')} />
        </div>
      </Group>
      <div class="md-actions">
        <button type="submit" class="btn btn-primary" disabled={busy} data-testid="md-item-save">
          {editing ? t('md.save') : t('md.item.create')}
        </button>
        {item ? (
          item.active ? (
            <button type="button" class="btn btn-ghost desk-danger" disabled={busy} data-testid="md-item-retire" onClick={() => void setActive(false)}>
              {t('md.item.retire')}
            </button>
          ) : (
            <button type="button" class="btn btn-secondary" disabled={busy} data-testid="md-item-reinstate" onClick={() => void setActive(true)}>
              {t('md.item.reinstate')}
            </button>
          )
        ) : null}
      </div>
    </form>
  );
}
