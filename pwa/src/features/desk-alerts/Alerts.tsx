import { useEffect, useState } from 'preact/hooks';
import { gqlText, isUserError, type UserErrorShape } from '../../graphql/client';
import { useI18n } from '../../i18n';
import { FlowMessageView, useFlowFeedback } from '../../ui/flow/Flow';
import { mutateText } from '../../ui/flow/mutate';
import { can } from '../desk/access';
import { failureCode, formats, labelOf } from '../desk/common';
import { nodes } from '../desk-office/ops';
import type { SectionProps } from '../desk-office/section';
import { useLatest } from '../desk-office/latest';
import { CONDITION_FIELDS, hhmmOf, ruleInput, type ConditionDraft, type RuleDraft } from './logic';
import { ACKNOWLEDGE_ALERT, SNOOZE_ALERT, SNOOZE_MINUTES, type Snoozed, ALERTS, ALERT_RULES, CONDITION_KINDS, CREATE_ALERT_RULE, SET_RULE_ACTIVE, type Acknowledged, type AlertRow, type AlertRule, type AlertsData, type RuleActiveData, type RuleSaved, type RulesData } from './ops';

type View = 'inbox' | 'rules';
type Filter = 'OPEN' | 'ACKNOWLEDGED' | 'RESOLVED' | 'UNRESOLVED';

/** The alert inbox (acknowledge) and, for those who manage alerts, the rules and a new rule. */
export function Alerts(props: SectionProps) {
  const { t } = useI18n();
  const [view, setView] = useState<View>('inbox');
  const manage = can(props.roles, 'alert.manage');
  return (
    <div class="stack">
      {manage ? (
        <div class="desk-chips" role="group" aria-label={t('office.tab.alerts')}>
          <button type="button" class={view === 'inbox' ? 'desk-chip on' : 'desk-chip'} aria-pressed={view === 'inbox'} data-testid="alerts-inbox" onClick={() => setView('inbox')}>
            {t('office.alert.inbox')}
          </button>
          <button type="button" class={view === 'rules' ? 'desk-chip on' : 'desk-chip'} aria-pressed={view === 'rules'} data-testid="alerts-rules" onClick={() => setView('rules')}>
            {t('office.alert.rules')}
          </button>
        </div>
      ) : null}
      {view === 'inbox' ? <Inbox {...props} manage={manage} /> : <Rules {...props} />}
    </div>
  );
}

function Inbox({ userId, warehouseId, onDecided, manage }: SectionProps & { manage: boolean }) {
  const { t, err, locale } = useI18n();
  const fb = useFlowFeedback();
  const f = formats(locale);
  const [filter, setFilter] = useState<Filter>('UNRESOLVED');
  const [list, setList] = useState<AlertRow[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const latest = useLatest();
  const load = async () => {
    const live = latest();
    setLoadError(null);
    try {
      const state = filter === 'UNRESOLVED' ? null : filter;
      const d = await gqlText<AlertsData>(ALERTS, { state, includeResolved: filter === 'RESOLVED', warehouseId });
      if (!live()) return;
      setList(nodes(d.alerts));
    } catch (e) {
      setLoadError(failureCode(e));
    }
  };
  useEffect(() => {
    setList(null);
    void load();
  }, [filter, warehouseId]);

  const acknowledge = async (a: AlertRow) => {
    setBusy(true);
    fb.clear();
    const out = await mutateText<Acknowledged>('acknowledgeAlert', ACKNOWLEDGE_ALERT, { alertId: a.id }, { queueOffline: false });
    setBusy(false);
    if (!fb.outcome(out) || out.status !== 'ok') return;
    const d = out.data;
    setList((prev) => (prev ?? []).map((x) => (x.id === a.id ? { ...x, state: d.state, acknowledgedBy: d.acknowledgedBy, acknowledgedAt: d.acknowledgedAt } : x)));
    fb.ok(t('office.alert.acknowledgedDone', { subject: a.subject }));
    onDecided();
  };

  const snooze = async (a: AlertRow, minutes: number) => {
    setBusy(true);
    fb.clear();
    const out = await mutateText<Snoozed>('snoozeAlert', SNOOZE_ALERT, { alertId: a.id, minutes }, { queueOffline: false });
    setBusy(false);
    if (!fb.outcome(out) || out.status !== 'ok') return;
    const until = out.data.snoozedUntil;
    setList((prev) => (prev ?? []).map((x) => (x.id === a.id ? { ...x, snoozedUntil: until } : x)));
    fb.ok(t('alerts.snoozed', { until: f.stamp(until) }));
  };
  const [snoozeFor, setSnoozeFor] = useState<number>(240);
  const span = (m: number) => (m < 60 ? t('alerts.minutes', { n: m }) : t('alerts.hours', { n: m / 60 }));

  return (
    <>
      <div class="desk-filters">
        <label class="field desk-field">
          {t('office.state')}
          <select class="input" value={filter} data-testid="alert-filter" onChange={(e) => setFilter((e.target as HTMLSelectElement).value as Filter)}>
            {(['UNRESOLVED', 'OPEN', 'ACKNOWLEDGED', 'RESOLVED'] as const).map((s) => (
              <option value={s}>{labelOf(locale, 'office.alertState', s)}</option>
            ))}
          </select>
        </label>
        <button type="button" class="btn btn-secondary btn-small" onClick={() => void load()}>
          {t('desk.refresh')}
        </button>
      </div>
      <FlowMessageView message={fb.message} />
      {loadError ? <p class="alert alert-error">{err(loadError)}</p> : null}
      {list === null && !loadError ? <p class="muted">{t('desk.loading')}</p> : null}
      {list !== null && list.length === 0 ? <p class="muted">{t('office.alert.none')}</p> : null}
      <ul class="office-alerts">
        {(list ?? []).map((a) => (
          <li class={`card desk-card office-alert sev-${a.severity}`} data-testid="alert" data-id={a.id} data-state={a.state}>
            <div class="office-alert-head">
              <span class={`chip office-sev office-sev-${a.severity}`}>{labelOf(locale, 'office.severity', a.severity)}</span>
              <strong>{a.subject}</strong>
              <span class={`chip office-state office-state-${a.state}`}>{labelOf(locale, 'office.alertState', a.state)}</span>
            </div>
            <p>{a.message}</p>
            <p class="muted desk-sub">
              {t('office.alert.raised', { at: f.stamp(a.raisedAt), n: a.notifyCount })}
              {a.acknowledgedAt ? ` · ${t('office.alert.ackBy', { who: a.acknowledgedBy === userId ? t('office.you') : t('office.user', { id: a.acknowledgedBy ?? '—' }), at: f.stamp(a.acknowledgedAt) })}` : ''}
              {a.resolvedAt ? ` · ${t('office.alert.resolvedAt', { at: f.stamp(a.resolvedAt) })}` : ''}
              {a.snoozedUntil && new Date(a.snoozedUntil) > new Date() ? <span data-testid="alert-snoozed">{` · ${t('alerts.snoozed', { until: f.stamp(a.snoozedUntil) })}`}</span> : ''}
            </p>
            {a.deliveries.length > 0 ? (
              <details class="office-deliveries">
                <summary>{t('office.alert.deliveries', { n: a.deliveries.length })}</summary>
                <ul>
                  {a.deliveries.map((d) => (
                    <li class={d.ok ? '' : 'under'}>
                      {d.channel} · {d.target} · {f.stamp(d.at)} · {d.ok ? t('office.alert.sent') : `${t('office.alert.failed')} ${d.statusCode ?? ''} ${d.error}`}
                    </li>
                  ))}
                </ul>
              </details>
            ) : null}
            {manage && a.state === 'OPEN' ? (
              <div class="office-actions">
                <button type="button" class="btn btn-primary btn-small" disabled={busy} data-testid="alert-ack" onClick={() => void acknowledge(a)}>
                  {t('office.alert.acknowledge')}
                </button>
              </div>
            ) : null}
            {manage && a.state !== 'RESOLVED' ? (
              <div class="office-actions">
                <select class="input office-num" aria-label={t('alerts.snoozeFor')} value={snoozeFor} data-testid="alert-snooze-for" onChange={(e) => setSnoozeFor(Number((e.target as HTMLSelectElement).value))}>
                  {SNOOZE_MINUTES.map((m) => (
                    <option value={m}>{span(m)}</option>
                  ))}
                </select>
                <button type="button" class="btn btn-secondary btn-small" disabled={busy} data-testid="alert-snooze" onClick={() => void snooze(a, snoozeFor)}>
                  {t('alerts.snooze')}
                </button>
              </div>
            ) : null}
          </li>
        ))}
      </ul>
    </>
  );
}

const NEW_RULE: RuleDraft = {
  name: '',
  combine: 'ALL',
  severity: 'WARNING',
  scope: 'WAREHOUSE',
  scopeValue: '',
  conditions: [{ kind: 'BELOW_MINIMUM', threshold: '', days: '' }],
  repeatMinutes: '240',
  quietFrom: '',
  quietTo: '',
  emailTo: '',
  webhookUrl: '',
  webhookSecret: '',
};

function Rules({ warehouseId }: SectionProps) {
  const { t, err, locale } = useI18n();
  const fb = useFlowFeedback();
  const [rules, setRules] = useState<AlertRule[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [draft, setDraft] = useState<RuleDraft>(NEW_RULE);
  const [busy, setBusy] = useState(false);

  const load = async () => {
    setLoadError(null);
    try {
      setRules(nodes((await gqlText<RulesData>(ALERT_RULES, { warehouseId })).alertRules));
    } catch (e) {
      setLoadError(failureCode(e));
    }
  };
  useEffect(() => {
    void load();
  }, [warehouseId]);

  const setActive = async (r: AlertRule) => {
    setBusy(true);
    fb.clear();
    try {
      const d = await gqlText<RuleActiveData>(SET_RULE_ACTIVE, { input: { ruleId: r.id, active: !r.active } });
      const res = d.setAlertRuleActive;
      if (isUserError(res)) fb.refused({ code: res.code, message: res.message, field: res.field ?? null });
      else {
        setRules((prev) => (prev ?? []).map((x) => (x.id === r.id ? res.rule : x)));
        fb.ok(t(res.rule.active ? 'office.rule.onDone' : 'office.rule.offDone', { name: r.name }));
      }
    } catch (e) {
      fb.errorCode(failureCode(e));
    }
    setBusy(false);
  };

  const create = async (e: Event) => {
    e.preventDefault();
    fb.clear();
    const built = ruleInput(draft, warehouseId);
    if (!built.ok) {
      fb.error(t('office.rule.fieldWrong', { field: t(`office.rule.f.${built.field}`) }));
      return;
    }
    setBusy(true);
    // createAlertRule takes no idempotency key: sent as it is, never queued.
    try {
      const d = await gqlText<{ createAlertRule: RuleSaved | UserErrorShape }>(CREATE_ALERT_RULE, { input: built.input });
      const res = d.createAlertRule;
      if (isUserError(res)) fb.refused({ code: res.code, message: res.message, field: res.field ?? null });
      else {
        setRules((prev) => [...(prev ?? []), res.rule]);
        setDraft(NEW_RULE);
        fb.ok(t('office.rule.created', { name: res.rule.name }));
      }
    } catch (x) {
      fb.errorCode(failureCode(x));
    }
    setBusy(false);
  };

  const set = (k: keyof RuleDraft) => (e: Event) => setDraft({ ...draft, [k]: (e.target as HTMLInputElement).value });
  const setCond = (i: number, patch: Partial<ConditionDraft>) => setDraft({ ...draft, conditions: draft.conditions.map((c, j) => (j === i ? { ...c, ...patch } : c)) });

  const describe = (r: AlertRule) =>
    r.conditions
      .map((c) => {
        const parts = [labelOf(locale, 'office.cond', c.kind)];
        // Below a minimum or safety stock, above a maximum, at least so many counted or refused.
        if (c.threshold !== null) parts.push(`${c.kind.startsWith('BELOW') ? '<' : c.kind === 'ABOVE_MAXIMUM' ? '>' : '≥'} ${c.threshold}`);
        if (c.days !== null) parts.push(t('office.plan.days', { n: c.days }));
        return parts.join(' ');
      })
      .join(r.combine === 'ALL' ? ` ${t('office.rule.and')} ` : ` ${t('office.rule.or')} `);

  return (
    <>
    <FlowMessageView message={fb.message} />
    <div class="office-two">
      <section class="stack">
        {loadError ? <p class="alert alert-error">{err(loadError)}</p> : null}
        {rules !== null && rules.length === 0 ? <p class="muted">{t('office.rule.none')}</p> : null}
        <div class="card desk-card desk-table-wrap">
          <table class="desk-table" data-testid="alert-rules">
            <thead>
              <tr>
                <th scope="col">{t('office.rule.name')}</th>
                <th scope="col">{t('office.rule.when')}</th>
                <th scope="col">{t('office.rule.severity')}</th>
                <th scope="col">{t('office.rule.channels')}</th>
                <th scope="col">{t('office.rule.active')}</th>
              </tr>
            </thead>
            <tbody>
              {(rules ?? []).map((r) => (
                <tr data-testid="alert-rule" data-name={r.name} data-active={String(r.active)}>
                  <td>
                    {r.name}
                    <div class="muted desk-sub">{r.category ?? r.abcClass ?? r.storageClass ?? (r.itemId ? t('office.rule.oneItem') : t('office.rule.wholeWarehouse'))}</div>
                  </td>
                  <td>
                    {describe(r)}
                    <div class="muted desk-sub">
                      {t('office.rule.repeat', { n: r.repeatMinutes })}
                      {r.quietStartMinute !== null ? ` · ${t('office.rule.quietShown', { from: hhmmOf(r.quietStartMinute), to: hhmmOf(r.quietEndMinute) })}` : ''}
                    </div>
                  </td>
                  <td>
                    <span class={`chip office-sev office-sev-${r.severity}`}>{labelOf(locale, 'office.severity', r.severity)}</span>
                  </td>
                  <td class="desk-sub">{[t('office.rule.inApp'), ...r.emailTo, r.webhookUrl].filter(Boolean).join(' · ')}</td>
                  <td>
                    <label class="office-switch">
                      <input type="checkbox" checked={r.active} disabled={busy} data-testid="rule-active" onChange={() => void setActive(r)} />
                      {r.active ? t('office.rule.on') : t('office.rule.off')}
                    </label>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <form class="card desk-card stack office-form" data-testid="rule-form" onSubmit={(e) => void create(e)}>
        <h2 class="office-h">{t('office.rule.new')}</h2>
        <label class="field">
          {t('office.rule.name')}
          <input class="input" value={draft.name} maxLength={120} data-testid="rule-name" onInput={set('name')} />
        </label>
        <div class="office-row">
          <label class="field">
            {t('office.rule.scope')}
            <select class="input" value={draft.scope} data-testid="rule-scope" onChange={set('scope')}>
              {(['WAREHOUSE', 'ITEM', 'CATEGORY', 'ABC', 'STORAGE'] as const).map((s) => (
                <option value={s}>{labelOf(locale, 'office.ruleScope', s)}</option>
              ))}
            </select>
          </label>
          {draft.scope !== 'WAREHOUSE' ? (
            <label class="field">
              {labelOf(locale, 'office.ruleScope', draft.scope)}
              <input class="input" value={draft.scopeValue} data-testid="rule-scope-value" onInput={set('scopeValue')} />
            </label>
          ) : null}
        </div>
        <fieldset class="office-conds">
          <legend>{t('office.rule.conditions')}</legend>
          {draft.conditions.map((c, i) => {
            const spec = CONDITION_FIELDS[c.kind];
            return (
              <div class="office-row" data-testid="rule-cond">
                <select class="input" aria-label={t('office.rule.condition')} value={c.kind} onChange={(e) => setCond(i, { kind: (e.target as HTMLSelectElement).value as ConditionDraft['kind'] })}>
                  {CONDITION_KINDS.map((k) => (
                    <option value={k}>{labelOf(locale, 'office.cond', k)}</option>
                  ))}
                </select>
                {spec.threshold !== 'none' ? (
                  <input class="input office-num" inputMode="numeric" placeholder={t(spec.threshold === 'required' ? 'office.rule.threshold' : 'office.rule.thresholdOptional')} aria-label={t('office.rule.threshold')} value={c.threshold} data-testid="rule-threshold" onInput={(e) => setCond(i, { threshold: (e.target as HTMLInputElement).value })} />
                ) : null}
                {spec.days !== 'none' ? (
                  <input class="input office-num" inputMode="numeric" placeholder={t('office.rule.daysPh')} aria-label={t('office.rule.daysPh')} value={c.days} data-testid="rule-days" onInput={(e) => setCond(i, { days: (e.target as HTMLInputElement).value })} />
                ) : null}
                {draft.conditions.length > 1 ? (
                  <button type="button" class="btn btn-ghost btn-small" onClick={() => setDraft({ ...draft, conditions: draft.conditions.filter((_, j) => j !== i) })}>
                    {t('office.rule.remove')}
                  </button>
                ) : null}
              </div>
            );
          })}
          <div class="office-row">
            <button type="button" class="btn btn-secondary btn-small" onClick={() => setDraft({ ...draft, conditions: [...draft.conditions, { kind: 'NO_MOVEMENT', threshold: '', days: '' }] })}>
              {t('office.rule.addCondition')}
            </button>
            {draft.conditions.length > 1 ? (
              <select class="input" aria-label={t('office.rule.combine')} value={draft.combine} onChange={set('combine')}>
                <option value="ALL">{t('office.rule.all')}</option>
                <option value="ANY">{t('office.rule.any')}</option>
              </select>
            ) : null}
          </div>
        </fieldset>
        <div class="office-row">
          <label class="field">
            {t('office.rule.severity')}
            <select class="input" value={draft.severity} data-testid="rule-severity" onChange={set('severity')}>
              {(['INFO', 'WARNING', 'CRITICAL'] as const).map((s) => (
                <option value={s}>{labelOf(locale, 'office.severity', s)}</option>
              ))}
            </select>
          </label>
          <label class="field">
            {t('office.rule.repeatMinutes')}
            <input class="input office-num" inputMode="numeric" value={draft.repeatMinutes} onInput={set('repeatMinutes')} />
          </label>
        </div>
        <div class="office-row">
          <label class="field">
            {t('office.rule.quietFrom')}
            <input class="input office-num" placeholder="22:00" value={draft.quietFrom} onInput={set('quietFrom')} />
          </label>
          <label class="field">
            {t('office.rule.quietTo')}
            <input class="input office-num" placeholder="06:00" value={draft.quietTo} onInput={set('quietTo')} />
          </label>
        </div>
        <label class="field">
          {t('office.rule.emailTo')}
          <input class="input" value={draft.emailTo} placeholder="a@example.com, b@example.com" onInput={set('emailTo')} />
        </label>
        <label class="field">
          {t('office.rule.webhookUrl')}
          <input class="input" value={draft.webhookUrl} placeholder="https://" onInput={set('webhookUrl')} />
        </label>
        {draft.webhookUrl.trim() ? (
          <label class="field">
            {t('office.rule.webhookSecret')}
            <input class="input" type="password" autocomplete="off" value={draft.webhookSecret} onInput={set('webhookSecret')} />
          </label>
        ) : null}
        <button type="submit" class="btn btn-primary" disabled={busy} data-testid="rule-create">
          {t('office.rule.create')}
        </button>
      </form>
    </div>
    </>
  );
}
