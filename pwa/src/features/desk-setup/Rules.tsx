import { useEffect, useState } from 'preact/hooks';
import { gqlText } from '../../graphql/client';
import { useI18n, type MessageKey } from '../../i18n';
import { FlowMessageView, useFlowFeedback } from '../../ui/flow/Flow';
import { mutateText } from '../../ui/flow/mutate';
import { failureCode, formats, useWarehouses } from '../desk/common';
import { useLatest } from '../desk-office/latest';
import { Choice, Field, Group } from '../desk-masterdata/fields';
import { answered } from './feedback';
import { emptyRule, ruleInput, sortedRules, type RuleDraft } from './logic';
import { ABC, ADD_APPROVAL_RULE, APPROVAL_RULES, APPROVER_ROLES, RETIRE_APPROVAL_RULE, STORAGE_CLASSES, type ApprovalRule, type RuleSaved, type RulesData } from './ops';

/**
 * Who must approve a purchase order: each rule adds a level an order needs from a
 * role when it is worth at least an amount and/or holds items of a class. Rules
 * are retired, never deleted, because approvals already given name them.
 */
export function Rules() {
  const { t, err, locale } = useI18n();
  const f = formats(locale);
  const fb = useFlowFeedback();
  const warehouses = useWarehouses();
  const [list, setList] = useState<ApprovalRule[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [d, setD] = useState<RuleDraft>(emptyRule);
  const [bad, setBad] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const latest = useLatest();
  const set = <K extends keyof RuleDraft>(k: K) => (v: RuleDraft[K]) => setD((x) => ({ ...x, [k]: v }));
  const label = (field: string) => t(`setup.f.${field}` as MessageKey);

  useEffect(() => {
    const live = latest();
    gqlText<RulesData>(APPROVAL_RULES)
      .then((r) => live() && setList(r.approvalRules))
      .catch((e: unknown) => setLoadError(failureCode(e)));
  }, []);

  const add = async (e: Event) => {
    e.preventDefault();
    fb.clear();
    const built = ruleInput(d);
    if (!built.ok) {
      setBad(built.field);
      fb.error(t('md.fieldWrong', { field: label(built.field) }));
      return;
    }
    setBusy(true);
    const out = await mutateText<RuleSaved>('addApprovalRule', ADD_APPROVAL_RULE, built.input, { queueOffline: false });
    setBusy(false);
    const data = answered(out, fb, t, label, () => '', setBad);
    if (!data) return;
    fb.ok(t('setup.rule.added', { level: data.rule.level }));
    setList((prev) => [...(prev ?? []), data.rule]);
    setD(emptyRule());
  };

  const retire = async (rule: ApprovalRule) => {
    fb.clear();
    setBusy(true);
    const out = await mutateText<RuleSaved>('retireApprovalRule', RETIRE_APPROVAL_RULE, { ruleId: rule.id }, { queueOffline: false });
    setBusy(false);
    const data = answered(out, fb, t, label, () => '', setBad);
    if (!data) return;
    fb.ok(t('setup.rule.retired', { level: data.rule.level }));
    setList((prev) => (prev ?? []).filter((r) => r.id !== rule.id));
  };

  const where = (r: ApprovalRule) => (r.warehouseId ? (warehouses.find((w) => w.id === r.warehouseId)?.code ?? r.warehouseId) : t('setup.rule.everyWarehouse'));
  const when = (r: ApprovalRule) => {
    const parts = [
      r.minAmountCents != null ? t('setup.rule.fromAmount', { amount: f.money(r.minAmountCents) }) : null,
      r.abcClass ? t('setup.rule.abc', { abc: r.abcClass }) : null,
      r.storageClass ? t('setup.rule.storage', { storage: t(`setup.storage.${r.storageClass}` as MessageKey) }) : null,
    ].filter(Boolean);
    return parts.length ? parts.join(' · ') : t('setup.rule.always');
  };

  return (
    <div class="stack">
      <FlowMessageView message={fb.message} />
      <p class="muted">{t('setup.rule.hint')}</p>
      {loadError ? <p class="alert alert-error">{err(loadError)}</p> : null}
      {list === null && !loadError ? <p class="muted">{t('desk.loading')}</p> : null}
      {list !== null && list.length === 0 ? <p class="muted">{t('setup.rule.none')}</p> : null}
      {list !== null && list.length > 0 ? (
        <table class="desk-table setup-table" data-testid="setup-rule-list">
          <thead>
            <tr>
              <th>{t('setup.f.level')}</th>
              <th>{t('setup.f.approverRole')}</th>
              <th>{t('setup.rule.when')}</th>
              <th>{t('setup.f.warehouseId')}</th>
              <th>
                <span class="visually-hidden">{t('setup.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sortedRules(list).map((r) => (
              <tr data-testid="setup-rule" data-id={r.id}>
                <td class="num">{r.level}</td>
                <td>{t(`setup.role.${r.approverRole}` as MessageKey)}</td>
                <td>{when(r)}</td>
                <td>{where(r)}</td>
                <td>
                  <button type="button" class="btn btn-ghost btn-small desk-danger" disabled={busy} data-testid="setup-rule-retire" onClick={() => void retire(r)}>
                    {t('setup.rule.retire')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <form class="card desk-card stack office-form md-form" data-testid="setup-rule-form" onSubmit={(e) => void add(e)}>
        <Group title={t('setup.rule.new')}>
          <div class="office-row">
            <Field label={t('setup.f.level')} value={d.level} numeric bad={bad === 'level'} testid="setup-rule-level" onInput={set('level')} />
            <Choice label={t('setup.f.approverRole')} value={d.approverRole} options={APPROVER_ROLES} bad={bad === 'approverRole'} testid="setup-rule-role" text={(r) => t(`setup.role.${r}` as MessageKey)} onChange={set('approverRole')} />
            <Field label={t('setup.f.minAmountCents')} value={d.minAmount} bad={bad === 'minAmountCents'} placeholder={t('setup.rule.anyAmount')} testid="setup-rule-amount" onInput={set('minAmount')} />
          </div>
          <div class="office-row">
            <Choice label={t('setup.f.abcClass')} value={d.abcClass} options={['', ...ABC]} bad={bad === 'abcClass'} testid="setup-rule-abc" text={(a) => (a ? a : t('setup.rule.anyClass'))} onChange={set('abcClass')} />
            <Choice
              label={t('setup.f.storageClass')}
              value={d.storageClass}
              options={['', ...STORAGE_CLASSES]}
              bad={bad === 'storageClass'}
              testid="setup-rule-storage"
              text={(s) => (s ? t(`setup.storage.${s}` as MessageKey) : t('setup.rule.anyClass'))}
              onChange={set('storageClass')}
            />
            <Choice
              label={t('setup.f.warehouseId')}
              value={d.warehouseId}
              options={['', ...warehouses.map((w) => w.id)]}
              bad={bad === 'warehouseId'}
              testid="setup-rule-warehouse"
              text={(id) => (id ? (warehouses.find((w) => w.id === id)?.code ?? id) : t('setup.rule.everyWarehouse'))}
              onChange={set('warehouseId')}
            />
          </div>
        </Group>
        <div class="md-actions">
          <button type="submit" class="btn btn-primary" disabled={busy} data-testid="setup-rule-add">
            {t('setup.rule.add')}
          </button>
        </div>
      </form>
    </div>
  );
}
