import { useEffect, useState } from 'preact/hooks';
import { gqlText } from '../../graphql/client';
import { useI18n, type MessageKey } from '../../i18n';
import { FlowMessageView, useFlowFeedback } from '../../ui/flow/Flow';
import { mutateText } from '../../ui/flow/mutate';
import { Split, failureCode } from '../desk/common';
import { nodes, type Connection } from '../desk-office/ops';
import { useLatest } from '../desk-office/latest';
import { Check, Choice, Field, Group } from '../desk-masterdata/fields';
import { answered } from './feedback';
import { carrierDraftOf, carrierInput, emptyCarrier, serviceRow, type CarrierDraft } from './logic';
import { ADAPTERS, CARRIERS, CREATE_CARRIER, UPDATE_CARRIER, type Carrier, type CarrierSaved, type CarriersData } from './ops';

type Feedback = ReturnType<typeof useFlowFeedback>;

/** Carriers and the services each offers; the first service is a shipment's default. */
export function Carriers() {
  const { t, err } = useI18n();
  const fb = useFlowFeedback();
  const [list, setList] = useState<Carrier[] | null>(null);
  const [selected, setSelected] = useState<Carrier | null>(null);
  const [creating, setCreating] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const latest = useLatest();

  useEffect(() => {
    const live = latest();
    void (async () => {
      try {
        const all: Carrier[] = [];
        let after: string | null = null;
        for (let page = 0; page < 5; page++) {
          const conn: Connection<Carrier> = (await gqlText<CarriersData>(CARRIERS, { after })).carriers;
          all.push(...nodes(conn));
          if (!conn.pageInfo.hasNextPage) break;
          after = conn.pageInfo.endCursor;
        }
        if (live()) setList(all);
      } catch (e) {
        setLoadError(failureCode(e));
      }
    })();
  }, []);

  const saved = (c: Carrier) => {
    setCreating(false);
    setSelected(c);
    setList((prev) => [...(prev ?? []).filter((x) => x.id !== c.id), c].sort((a, b) => a.code.localeCompare(b.code)));
  };

  const listPane = (
    <div class="stack desk-pane">
      <div class="desk-filters">
        <p class="muted md-grow">{t('setup.carrier.hint')}</p>
        <button
          type="button"
          class="btn btn-primary btn-small"
          data-testid="setup-carrier-new"
          onClick={() => {
            fb.clear();
            setSelected(null);
            setCreating(true);
          }}
        >
          {t('setup.carrier.new')}
        </button>
      </div>
      {loadError ? <p class="alert alert-error">{err(loadError)}</p> : null}
      {list === null && !loadError ? <p class="muted">{t('desk.loading')}</p> : null}
      {list !== null && list.length === 0 ? <p class="muted">{t('setup.carrier.none')}</p> : null}
      <ul class="desk-items" data-testid="setup-carrier-list">
        {(list ?? []).map((c) => (
          <li>
            <button
              type="button"
              class={c.id === selected?.id ? 'desk-item on' : 'desk-item'}
              data-testid="setup-carrier"
              data-code={c.code}
              onClick={() => {
                fb.clear();
                setCreating(false);
                setSelected(c);
              }}
            >
              <span class="desk-item-head">
                <strong class="code">{c.code}</strong>
                {c.active ? <span class="chip">{t(`setup.adapter.${c.adapter ?? 'own_fleet'}` as MessageKey)}</span> : <span class="chip md-retired">{t('md.inactive')}</span>}
              </span>
              <span class="desk-item-sub">{c.name}</span>
              <span class="desk-item-sub muted">{(c.services ?? []).map((s) => serviceRow(s).name).join(' · ') || t('setup.carrier.defaultServices')}</span>
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
        detail={creating ? <CarrierForm key="new" carrier={null} fb={fb} onSaved={saved} /> : selected ? <CarrierForm key={selected.id} carrier={selected} fb={fb} onSaved={saved} /> : null}
      />
    </>
  );
}

function CarrierForm({ carrier, fb, onSaved }: { carrier: Carrier | null; fb: Feedback; onSaved: (c: Carrier) => void }) {
  const { t } = useI18n();
  const [d, setD] = useState<CarrierDraft>(() => (carrier ? carrierDraftOf(carrier) : emptyCarrier()));
  const [bad, setBad] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const editing = carrier !== null;
  const set = <K extends keyof CarrierDraft>(k: K) => (v: CarrierDraft[K]) => setD((x) => ({ ...x, [k]: v }));
  const setService = (i: number, k: 'code' | 'name', v: string) => setD((x) => ({ ...x, services: x.services.map((s, j) => (j === i ? { ...s, [k]: v } : s)) }));
  const move = (i: number) => setD((x) => ({ ...x, services: [x.services[i], ...x.services.filter((_, j) => j !== i)] }));
  const remove = (i: number) => setD((x) => ({ ...x, services: x.services.filter((_, j) => j !== i) }));
  const label = (field: string) => t(field.startsWith('services') ? 'setup.carrier.services' : (`setup.f.${field}` as MessageKey));
  const badRow = (i: number) => bad === `services.${i}` || bad === 'services';

  const save = async (e: Event) => {
    e.preventDefault();
    fb.clear();
    const built = carrierInput(d);
    if (!built.ok) {
      setBad(built.field);
      fb.error(t(built.field.startsWith('services') ? 'setup.carrier.serviceWrong' : 'md.fieldWrong', { field: label(built.field) }));
      return;
    }
    setBusy(true);
    const out = await mutateText<CarrierSaved>(editing ? 'updateParty' : 'createParty', editing ? UPDATE_CARRIER : CREATE_CARRIER, built.input, { queueOffline: false });
    setBusy(false);
    const data = answered(out, fb, t, label, (f) => (f === 'code' ? d.code.toUpperCase() : ''), setBad);
    if (!data) return;
    fb.ok(t(editing ? 'setup.carrier.updated' : 'setup.carrier.created', { code: data.party.code }));
    onSaved(data.party);
  };

  return (
    <form class="card desk-card stack office-form md-form" data-testid="setup-carrier-form" data-code={carrier?.code ?? ''} onSubmit={(e) => void save(e)}>
      <header class="desk-detail-head">
        <h2 class="office-h">{editing ? `${carrier.code} · ${carrier.name}` : t('setup.carrier.new')}</h2>
      </header>
      <Group title={t('setup.carrier.identity')}>
        <div class="office-row">
          <Field label={t('setup.f.code')} value={d.code} disabled={editing} bad={bad === 'code'} testid="setup-carrier-code" onInput={set('code')} />
          <Field label={t('setup.f.name')} value={d.name} bad={bad === 'name'} wide testid="setup-carrier-name" onInput={set('name')} />
        </div>
        <div class="office-row">
          <Choice label={t('setup.f.adapter')} value={d.adapter} options={ADAPTERS} bad={bad === 'adapter'} testid="setup-carrier-adapter" text={(a) => t(`setup.adapter.${a}` as MessageKey)} onChange={set('adapter')} />
          <Check label={t('setup.f.active')} checked={d.active} testid="setup-carrier-active" onChange={set('active')} />
        </div>
        <p class="muted">{t(`setup.adapterHint.${d.adapter}` as MessageKey)}</p>
      </Group>
      <Group title={t('setup.carrier.services')}>
        <p class="muted">{t('setup.carrier.servicesHint')}</p>
        <table class="setup-services">
          <thead>
            <tr>
              <th>{t('setup.f.serviceCode')}</th>
              <th>{t('setup.f.serviceName')}</th>
              <th>
                <span class="visually-hidden">{t('setup.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {d.services.map((s, i) => (
              <tr data-testid="setup-service">
                <td>
                  <input class={badRow(i) ? 'input md-bad' : 'input'} value={s.code} aria-label={t('setup.f.serviceCode')} data-testid="setup-service-code" onInput={(e) => setService(i, 'code', (e.target as HTMLInputElement).value)} />
                </td>
                <td>
                  <input class="input" value={s.name} aria-label={t('setup.f.serviceName')} data-testid="setup-service-name" onInput={(e) => setService(i, 'name', (e.target as HTMLInputElement).value)} />
                </td>
                <td class="setup-row-actions">
                  {i === 0 ? (
                    <span class="chip">{t('setup.carrier.default')}</span>
                  ) : (
                    <button type="button" class="btn btn-ghost btn-small" onClick={() => move(i)}>
                      {t('setup.carrier.makeDefault')}
                    </button>
                  )}
                  <button type="button" class="btn btn-ghost btn-small desk-danger" aria-label={t('setup.carrier.removeService', { code: s.code || String(i + 1) })} onClick={() => remove(i)}>
                    ✕
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div>
          <button type="button" class="btn btn-secondary btn-small" data-testid="setup-service-add" onClick={() => setD((x) => ({ ...x, services: [...x.services, { code: '', name: '' }] }))}>
            {t('setup.carrier.addService')}
          </button>
        </div>
      </Group>
      <div class="md-actions">
        <button type="submit" class="btn btn-primary" disabled={busy} data-testid="setup-carrier-save">
          {editing ? t('md.save') : t('setup.carrier.create')}
        </button>
      </div>
    </form>
  );
}
