import { useEffect, useState } from 'preact/hooks';
import { gqlText } from '../../graphql/client';
import { useI18n, type MessageKey } from '../../i18n';
import { FlowMessageView, useFlowFeedback } from '../../ui/flow/Flow';
import { mutateText, type Outcome } from '../../ui/flow/mutate';
import { Meter, Split, Tabs, failureCode, formats } from '../desk/common';
import { nodes, type Connection } from '../desk-office/ops';
import type { SectionProps } from '../desk-office/section';
import { useLatest } from '../desk-office/latest';
import { Field, Group } from './fields';
import { creditUse, emptyParty, partyDraftOf, partyInput, type PartyDraft } from './logic';
import { CREATE_PARTY, CUSTOMERS, SET_PARTY_ACTIVE, SUPPLIERS, UPDATE_PARTY, type CustomersData, type Party, type PartyKind, type PartySaved, type SuppliersData } from './ops';
import './masterdata.css';

type Feedback = ReturnType<typeof useFlowFeedback>;

/** Suppliers and customers: contacts, addresses, terms, lead time, credit with exposure, rating. */
export function Parties(_: SectionProps) {
  const { t, err, locale } = useI18n();
  const f = formats(locale);
  const fb = useFlowFeedback();
  const [kind, setKind] = useState<PartyKind>('SUPPLIER');
  const [list, setList] = useState<Party[] | null>(null);
  const [find, setFind] = useState('');
  const [selected, setSelected] = useState<Party | null>(null);
  const [creating, setCreating] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  // The kind the list was loaded for: after a tab switch the old kind's rows are not shown.
  const [listKind, setListKind] = useState<string | null>(null);
  const latest = useLatest();

  const load = async () => {
    const live = latest();
    setLoadError(null);
    try {
      const all: Party[] = [];
      let after: string | null = null;
      // A site's partners fit in a few pages; the list filters them as one types.
      for (let page = 0; page < 10; page++) {
        const conn: Connection<Party> =
          kind === 'SUPPLIER'
            ? (await gqlText<SuppliersData>(SUPPLIERS, { after })).suppliers
            : (await gqlText<CustomersData>(CUSTOMERS, { after })).customers;
        all.push(...nodes(conn));
        if (!conn.pageInfo.hasNextPage) break;
        after = conn.pageInfo.endCursor;
      }
      if (live()) {
        setList(all);
        setListKind(kind);
      }
    } catch (e) {
      setLoadError(failureCode(e));
    }
  };
  useEffect(() => {
    setList(null);
    setSelected(null);
    setCreating(false);
    void load();
  }, [kind]);

  const saved = (p: Party) => {
    setCreating(false);
    setSelected(p);
    setList((prev) => [...(prev ?? []).filter((x) => x.id !== p.id), p].sort((a, b) => a.code.localeCompare(b.code)));
  };

  const text = find.trim().toLowerCase();
  const shown = (listKind === kind ? list ?? [] : []).filter((p) => !text || [p.code, p.name, p.city ?? '', p.contactName ?? ''].some((s) => s.toLowerCase().includes(text)));

  const listPane = (
    <div class="stack desk-pane">
      <Tabs
        idPrefix="md-party"
        label={t('md.party.kinds')}
        value={kind}
        onChange={setKind}
        tabs={[
          { id: 'SUPPLIER', label: t('md.party.suppliers') },
          { id: 'CUSTOMER', label: t('md.party.customers') },
        ]}
      />
      <div class="desk-filters">
        <label class="field desk-field md-grow">
          {t('md.party.find')}
          <input class="input" type="search" value={find} data-testid="md-party-find" onInput={(e) => setFind((e.target as HTMLInputElement).value)} />
        </label>
        <button
          type="button"
          class="btn btn-primary btn-small"
          data-testid="md-party-new"
          onClick={() => {
            fb.clear();
            setSelected(null);
            setCreating(true);
          }}
        >
          {t(kind === 'SUPPLIER' ? 'md.party.newSupplier' : 'md.party.newCustomer')}
        </button>
      </div>
      {loadError ? <p class="alert alert-error">{err(loadError)}</p> : null}
      {list === null && !loadError ? <p class="muted">{t('desk.loading')}</p> : null}
      {list !== null && listKind === kind && shown.length === 0 ? <p class="muted">{t('md.party.none')}</p> : null}
      <ul class="desk-items" data-testid="md-party-list" data-kind={listKind ?? undefined}>
        {shown.map((p) => {
          const use = creditUse(p);
          return (
            <li>
              <button
                type="button"
                class={p.id === selected?.id ? 'desk-item on' : 'desk-item'}
                data-testid="md-party"
                data-code={p.code}
                onClick={() => {
                  fb.clear();
                  setCreating(false);
                  setSelected(p);
                }}
              >
                <span class="desk-item-head">
                  <strong class="code">{p.code}</strong>
                  {p.active ? (p.rating ? <span class="chip">{'★'.repeat(p.rating)}</span> : null) : <span class="chip md-retired">{t('md.inactive')}</span>}
                </span>
                <span class="desk-item-sub">
                  {p.name}
                  {p.city ? ` · ${p.city}` : ''}
                </span>
                {kind === 'CUSTOMER' && use !== null ? (
                  <span class="desk-item-row">
                    <Meter value={use} tone={use > 1 ? 'bad' : use > 0.8 ? 'warn' : 'ok'} label={t('md.party.creditUse', { pct: f.pct(use) })} />
                    <span class="desk-item-figure">{f.pct(use)}</span>
                  </span>
                ) : null}
              </button>
            </li>
          );
        })}
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
        detail={
          creating ? <PartyForm key={`new-${kind}`} kind={kind} party={null} fb={fb} onSaved={saved} /> : selected ? <PartyForm key={selected.id + String(selected.active)} kind={kind} party={selected} fb={fb} onSaved={saved} /> : null
        }
      />
    </>
  );
}

function PartyForm({ kind, party, fb, onSaved }: { kind: PartyKind; party: Party | null; fb: Feedback; onSaved: (p: Party) => void }) {
  const { t, locale } = useI18n();
  const f = formats(locale);
  const [d, setD] = useState<PartyDraft>(() => (party ? partyDraftOf(party) : emptyParty()));
  const [bad, setBad] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const editing = party !== null;
  const set = <K extends keyof PartyDraft>(k: K) => (v: PartyDraft[K]) => setD((x) => ({ ...x, [k]: v }));
  const is = (field: string) => bad === field || (field === 'creditLimit' && bad === 'creditLimitCents');
  const name = (field: string) => t(`md.p.${field === 'creditLimitCents' ? 'creditLimit' : field}` as MessageKey);

  const answer = (out: Outcome<PartySaved>, done: (p: Party) => string) => {
    setBusy(false);
    if (out.status === 'refused') {
      setBad(out.field);
      const value = out.field ? String((d as unknown as Record<string, unknown>)[out.field] ?? '') : '';
      const detail =
        out.code === 'DUPLICATE' && out.field === 'code' ? t('md.detail.duplicateCode', { code: value.toUpperCase() }) : out.field ? t('md.detail.field', { field: name(out.field), message: out.message }) : out.message;
      fb.refused({ code: out.code, message: detail });
      return;
    }
    if (!fb.outcome(out) || out.status !== 'ok') return;
    setBad(null);
    fb.ok(done(out.data.party));
    onSaved(out.data.party);
  };

  const save = async (e: Event) => {
    e.preventDefault();
    fb.clear();
    const built = partyInput(kind, d);
    if (!built.ok) {
      setBad(built.field);
      fb.error(t('md.fieldWrong', { field: name(built.field) }));
      return;
    }
    setBusy(true);
    const out = await mutateText<PartySaved>(editing ? 'updateParty' : 'createParty', editing ? UPDATE_PARTY : CREATE_PARTY, built.input, { queueOffline: false });
    answer(out, (p) => t(editing ? 'md.party.updated' : 'md.party.created', { code: p.code }));
  };

  const setActive = async (active: boolean) => {
    if (!party) return;
    fb.clear();
    setBusy(true);
    const out = await mutateText<PartySaved>('setPartyActive', SET_PARTY_ACTIVE, { kind, code: party.code, active }, { queueOffline: false });
    answer(out, (p) => t(active ? 'md.party.reactivated' : 'md.party.deactivated', { code: p.code }));
  };

  const use = party ? creditUse(party) : null;
  return (
    <form class="card desk-card stack office-form md-form" data-testid="md-party-form" data-code={party?.code ?? ''} onSubmit={(e) => void save(e)}>
      <header class="desk-detail-head">
        <h2 class="office-h">{editing ? `${party.code} · ${party.name}` : t(kind === 'SUPPLIER' ? 'md.party.newSupplier' : 'md.party.newCustomer')}</h2>
        {party && !party.active ? <span class="chip md-retired">{t('md.inactive')}</span> : null}
      </header>
      <Group title={t('md.party.identity')}>
        <div class="office-row">
          <Field label={t('md.p.code')} value={d.code} disabled={editing} bad={is('code')} testid="md-p-code" onInput={set('code')} />
          <Field label={t('md.p.name')} value={d.name} bad={is('name')} wide testid="md-p-name" onInput={set('name')} />
        </div>
      </Group>
      <Group title={t('md.party.contact')}>
        <div class="office-row">
          <Field label={t('md.p.contactName')} value={d.contactName} testid="md-p-contact" onInput={set('contactName')} />
          <Field label={t('md.p.email')} value={d.email} bad={is('email')} testid="md-p-email" onInput={set('email')} />
          <Field label={t('md.p.phone')} value={d.phone} bad={is('phone')} testid="md-p-phone" onInput={set('phone')} />
        </div>
      </Group>
      <Group title={t('md.party.address')}>
        <div class="office-row">
          <Field label={t('md.p.street')} value={d.street} wide testid="md-p-street" onInput={set('street')} />
        </div>
        <div class="office-row">
          <Field label={t('md.p.postcode')} value={d.postcode} testid="md-p-postcode" onInput={set('postcode')} />
          <Field label={t('md.p.city')} value={d.city} testid="md-p-city" onInput={set('city')} />
          <Field label={t('md.p.country')} value={d.country} bad={is('country')} testid="md-p-country" placeholder="CN" onInput={set('country')} />
        </div>
      </Group>
      <Group title={t('md.party.terms')}>
        <div class="office-row">
          <Field label={t('md.p.paymentTerms')} value={d.paymentTerms} testid="md-p-terms" onInput={set('paymentTerms')} />
          <label class="field">
            {t('md.p.rating')}
            <select class={is('rating') ? 'input md-bad' : 'input'} value={d.rating} data-testid="md-p-rating" onChange={(e) => set('rating')((e.target as HTMLSelectElement).value)}>
              <option value="">{t('md.party.noRating')}</option>
              {[1, 2, 3, 4, 5].map((n) => (
                <option value={String(n)}>{`${'★'.repeat(n)} ${t(`md.rating.${n}` as MessageKey)}`}</option>
              ))}
            </select>
          </label>
          {kind === 'SUPPLIER' ? <Field label={t('md.p.leadTimeDays')} value={d.leadTimeDays} numeric bad={is('leadTimeDays')} testid="md-p-lead" onInput={set('leadTimeDays')} /> : null}
        </div>
        {kind === 'CUSTOMER' ? (
          <div class="office-row">
            <Field label={t('md.p.creditLimit')} value={d.creditLimit} bad={is('creditLimit')} testid="md-p-credit" placeholder={t('md.party.noLimit')} onInput={set('creditLimit')} />
            <Field label={t('md.p.minShelfLifeDays')} value={d.minShelfLifeDays} numeric bad={is('minShelfLifeDays')} testid="md-p-min-shelf" onInput={set('minShelfLifeDays')} />
          </div>
        ) : null}
        {kind === 'CUSTOMER' && party ? (
          <div class="md-exposure" data-testid="md-p-exposure">
            <span>{t('md.party.exposure', { exposure: f.money(party.exposureCents ?? 0), limit: party.creditLimitCents == null ? t('md.party.noLimit') : f.money(party.creditLimitCents) })}</span>
            {use !== null ? <Meter value={use} tone={use > 1 ? 'bad' : use > 0.8 ? 'warn' : 'ok'} label={t('md.party.creditUse', { pct: f.pct(use) })} /> : null}
            {use !== null && use > 1 ? <span class="under">{t('md.party.overLimit')}</span> : null}
          </div>
        ) : null}
      </Group>
      <div class="md-actions">
        <button type="submit" class="btn btn-primary" disabled={busy} data-testid="md-party-save">
          {editing ? t('md.save') : t('md.party.create')}
        </button>
        {party ? (
          party.active ? (
            <button type="button" class="btn btn-ghost desk-danger" disabled={busy} data-testid="md-party-deactivate" onClick={() => void setActive(false)}>
              {t('md.party.deactivate')}
            </button>
          ) : (
            <button type="button" class="btn btn-secondary" disabled={busy} data-testid="md-party-reactivate" onClick={() => void setActive(true)}>
              {t('md.party.reactivate')}
            </button>
          )
        ) : null}
      </div>
    </form>
  );
}
