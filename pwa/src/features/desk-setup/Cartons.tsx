import { useEffect, useState } from 'preact/hooks';
import { gqlText } from '../../graphql/client';
import { useI18n, type MessageKey } from '../../i18n';
import { FlowMessageView, useFlowFeedback } from '../../ui/flow/Flow';
import { mutateText } from '../../ui/flow/mutate';
import { Split, failureCode, formats } from '../desk/common';
import { useLatest } from '../desk-office/latest';
import { Check, Field, Group } from '../desk-masterdata/fields';
import { answered } from './feedback';
import { CARTON_NUMBERS, cartonDraftOf, cartonInput, emptyCarton, litres, type CartonDraft } from './logic';
import { CARTON_TYPES, SAVE_CARTON_TYPE, type CartonSaved, type CartonType, type CartonTypesData } from './ops';

type Feedback = ReturnType<typeof useFlowFeedback>;

/** Carton types packers choose from: inner size, tare and the weight a carton may carry. */
export function Cartons() {
  const { t, err, locale } = useI18n();
  const f = formats(locale);
  const fb = useFlowFeedback();
  const [list, setList] = useState<CartonType[] | null>(null);
  const [selected, setSelected] = useState<CartonType | null>(null);
  const [creating, setCreating] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const latest = useLatest();

  useEffect(() => {
    const live = latest();
    gqlText<CartonTypesData>(CARTON_TYPES)
      .then((d) => live() && setList(d.cartonTypes))
      .catch((e: unknown) => setLoadError(failureCode(e)));
  }, []);

  const saved = (c: CartonType) => {
    setCreating(false);
    setSelected(c);
    setList((prev) => [...(prev ?? []).filter((x) => x.id !== c.id), c].sort((a, b) => litres(a) - litres(b) || a.code.localeCompare(b.code)));
  };

  const listPane = (
    <div class="stack desk-pane">
      <div class="desk-filters">
        <p class="muted md-grow">{t('setup.carton.hint')}</p>
        <button
          type="button"
          class="btn btn-primary btn-small"
          data-testid="setup-carton-new"
          onClick={() => {
            fb.clear();
            setSelected(null);
            setCreating(true);
          }}
        >
          {t('setup.carton.new')}
        </button>
      </div>
      {loadError ? <p class="alert alert-error">{err(loadError)}</p> : null}
      {list === null && !loadError ? <p class="muted">{t('desk.loading')}</p> : null}
      {list !== null && list.length === 0 ? <p class="muted">{t('setup.carton.none')}</p> : null}
      <ul class="desk-items" data-testid="setup-carton-list">
        {(list ?? []).map((c) => (
          <li>
            <button
              type="button"
              class={c.id === selected?.id ? 'desk-item on' : 'desk-item'}
              data-testid="setup-carton"
              data-code={c.code}
              onClick={() => {
                fb.clear();
                setCreating(false);
                setSelected(c);
              }}
            >
              <span class="desk-item-head">
                <strong class="code">{c.code}</strong>
                {c.active ? <span class="chip">{t('setup.carton.litres', { litres: f.dec(litres(c)) })}</span> : <span class="chip md-retired">{t('md.inactive')}</span>}
              </span>
              <span class="desk-item-sub">{c.name}</span>
              <span class="desk-item-sub muted">{t('setup.carton.summary', { l: c.lengthMm, w: c.widthMm, h: c.heightMm, tare: f.int(c.tareWeightGrams), max: f.int(c.maxWeightGrams) })}</span>
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
        hasDetail={creating || selected !== null}
        onBack={() => {
          setCreating(false);
          setSelected(null);
        }}
        detail={creating ? <CartonForm key="new" carton={null} fb={fb} onSaved={saved} /> : selected ? <CartonForm key={selected.id + String(selected.active)} carton={selected} fb={fb} onSaved={saved} /> : null}
      />
    </>
  );
}

function CartonForm({ carton, fb, onSaved }: { carton: CartonType | null; fb: Feedback; onSaved: (c: CartonType) => void }) {
  const { t } = useI18n();
  const [d, setD] = useState<CartonDraft>(() => (carton ? cartonDraftOf(carton) : emptyCarton()));
  const [bad, setBad] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const editing = carton !== null;
  const set = <K extends keyof CartonDraft>(k: K) => (v: CartonDraft[K]) => setD((x) => ({ ...x, [k]: v }));
  const label = (field: string) => t(`setup.f.${field}` as MessageKey);

  const save = async (e: Event) => {
    e.preventDefault();
    fb.clear();
    const built = cartonInput(d);
    if (!built.ok) {
      setBad(built.field);
      fb.error(t('md.fieldWrong', { field: label(built.field) }));
      return;
    }
    setBusy(true);
    const out = await mutateText<CartonSaved>('saveCartonType', SAVE_CARTON_TYPE, built.input, { queueOffline: false });
    setBusy(false);
    const data = answered(out, fb, t, label, (f) => String((d as unknown as Record<string, unknown>)[f] ?? ''), setBad);
    if (!data) return;
    fb.ok(t(editing ? 'setup.carton.updated' : 'setup.carton.created', { code: data.cartonType.code }));
    onSaved(data.cartonType);
  };

  return (
    <form class="card desk-card stack office-form md-form" data-testid="setup-carton-form" data-code={carton?.code ?? ''} onSubmit={(e) => void save(e)}>
      <header class="desk-detail-head">
        <h2 class="office-h">{editing ? `${carton.code} · ${carton.name}` : t('setup.carton.new')}</h2>
      </header>
      <Group title={t('setup.carton.identity')}>
        <div class="office-row">
          <Field label={t('setup.f.code')} value={d.code} disabled={editing} bad={bad === 'code'} testid="setup-carton-code" onInput={set('code')} />
          <Field label={t('setup.f.name')} value={d.name} bad={bad === 'name'} wide testid="setup-carton-name" onInput={set('name')} />
        </div>
      </Group>
      <Group title={t('setup.carton.size')}>
        <div class="office-row">
          {CARTON_NUMBERS.slice(0, 3).map((k) => (
            <Field label={label(k)} value={d[k]} numeric bad={bad === k} testid={`setup-carton-${k}`} onInput={set(k)} />
          ))}
        </div>
        <div class="office-row">
          {CARTON_NUMBERS.slice(3).map((k) => (
            <Field label={label(k)} value={d[k]} numeric bad={bad === k} testid={`setup-carton-${k}`} onInput={set(k)} />
          ))}
          <Check label={t('setup.f.active')} checked={d.active} testid="setup-carton-active" onChange={set('active')} />
        </div>
      </Group>
      <div class="md-actions">
        <button type="submit" class="btn btn-primary" disabled={busy} data-testid="setup-carton-save">
          {editing ? t('md.save') : t('setup.carton.create')}
        </button>
      </div>
    </form>
  );
}
