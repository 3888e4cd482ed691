import { useEffect, useState } from 'preact/hooks';
import { gqlText } from '../../graphql/client';
import { useI18n } from '../../i18n';
import { FlowMessageView, useFlowFeedback } from '../../ui/flow/Flow';
import { mutateText } from '../../ui/flow/mutate';
import { Meter, failureCode, formats, labelOf } from '../desk/common';
import { nodes } from '../desk-office/ops';
import type { SectionProps } from '../desk-office/section';
import { useLatest } from '../desk-office/latest';
import { planInput, type PlanInput } from './logic';
import { COUNT_PLANS, CREATE_COUNT_PLAN, GENERATE_COUNT_TASKS, PLAN_OPEN_COUNTS, PLAN_PROGRESS, type CountPlan, type PlanCreated, type PlanProgress, type PlansData, type ProgressData, type SheetsData, type TasksGenerated } from './ops';
import { SchedulePanel } from './Schedule';

const KINDS: PlanInput['kind'][] = ['ABC', 'ZONE', 'FLAGGED', 'ADHOC'];
const EMPTY: PlanInput = { name: '', kind: 'ABC', abcClass: 'A', zoneCode: '', binCodes: '', intervalDays: '' };

/** Count plans: what each selects, a new plan, its count tasks generated, and how far the counting is. */
export function CountPlans({ warehouseId }: SectionProps) {
  const { t, err, locale } = useI18n();
  const fb = useFlowFeedback();
  const f = formats(locale);
  const [plans, setPlans] = useState<CountPlan[] | null>(null);
  const [open, setOpen] = useState<Record<string, number>>({});
  const [progress, setProgress] = useState<Record<string, PlanProgress>>({});
  const [loadError, setLoadError] = useState<string | null>(null);
  const [form, setForm] = useState<PlanInput>(EMPTY);
  const [busy, setBusy] = useState(false);
  const [last, setLast] = useState<TasksGenerated | null>(null);

  const openCounts = async (planId: string): Promise<number> => {
    let n = 0;
    let after: string | null = null;
    for (;;) {
      const d: SheetsData = await gqlText<SheetsData>(PLAN_OPEN_COUNTS, { planId, after });
      n += d.countSheets.edges.length;
      if (!d.countSheets.pageInfo.hasNextPage) return n;
      after = d.countSheets.pageInfo.endCursor;
    }
  };

  const latest = useLatest();
  const load = async () => {
    const live = latest();
    setLoadError(null);
    try {
      const d = await gqlText<PlansData>(COUNT_PLANS, { warehouseId });
      if (!live()) return;
      const list = nodes(d.countPlans);
      setPlans(list);
      const figures = await Promise.all(list.map(async (p) => [p.id, await openCounts(p.id)] as const));
      const counted = await Promise.all(list.map(async (p) => [p.id, (await gqlText<ProgressData>(PLAN_PROGRESS, { planId: p.id })).countPlanProgress] as const));
      if (!live()) return;
      setOpen(Object.fromEntries(figures));
      setProgress(Object.fromEntries(counted));
    } catch (e) {
      setLoadError(failureCode(e));
    }
  };
  useEffect(() => {
    setPlans(null);
    void load();
  }, [warehouseId]);

  const set = (k: keyof PlanInput) => (e: Event) => setForm({ ...form, [k]: (e.target as HTMLInputElement).value });

  const create = async (e: Event) => {
    e.preventDefault();
    fb.clear();
    const built = planInput(form, warehouseId);
    if (!built.ok) {
      fb.error(t('office.plan.fieldMissing', { field: t(`office.plan.${built.field}`) }));
      return;
    }
    setBusy(true);
    const out = await mutateText<PlanCreated>('createCountPlan', CREATE_COUNT_PLAN, built.input, { queueOffline: false });
    setBusy(false);
    if (!fb.outcome(out) || out.status !== 'ok') return;
    setForm(EMPTY);
    fb.ok(t('office.plan.created', { name: out.data.plan.name, n: out.data.plan.binCount }));
    void load();
  };

  const generate = async (p: CountPlan) => {
    setBusy(true);
    fb.clear();
    const out = await mutateText<TasksGenerated>('generateCountTasks', GENERATE_COUNT_TASKS, { planId: p.id }, { queueOffline: false });
    setBusy(false);
    if (!fb.outcome(out) || out.status !== 'ok') return;
    setLast(out.data);
    fb.ok(t('office.plan.generated', { name: p.name, n: out.data.created.length, skipped: out.data.skipped.length }));
    void load();
  };

  return (
    <div class="office-two">
      <section class="stack">
        <div class="desk-filters">
          <h2 class="office-h">{t('office.plan.title')}</h2>
          <button type="button" class="btn btn-secondary btn-small" onClick={() => void load()}>
            {t('desk.refresh')}
          </button>
        </div>
        <FlowMessageView message={fb.message} />
        {loadError ? <p class="alert alert-error">{err(loadError)}</p> : null}
        {plans === null && !loadError ? <p class="muted">{t('desk.loading')}</p> : null}
        {plans !== null && plans.length === 0 ? <p class="muted">{t('office.plan.none')}</p> : null}
        {(plans ?? []).map((p) => {
          const waiting = open[p.id];
          const pg = progress[p.id];
          const done = pg === undefined || pg.binsTotal === 0 ? null : pg.binsCounted / pg.binsTotal;
          return (
            <article class="card desk-card office-plan" data-testid="count-plan" data-plan={p.id} data-name={p.name}>
              <header class="desk-detail-head">
                <h3>{p.name}</h3>
                <span class="chip">{labelOf(locale, 'office.planKind', p.kind)}{p.abcClass ? ` ${p.abcClass}` : ''}</span>
              </header>
              <dl class="desk-facts">
                <div>
                  <dt>{t('office.plan.bins')}</dt>
                  <dd data-testid="plan-bins">{f.int(p.binCount)}</dd>
                </div>
                <div>
                  <dt>{t('office.plan.open')}</dt>
                  <dd data-testid="plan-open">{waiting === undefined ? '—' : f.int(waiting)}</dd>
                </div>
                <div>
                  <dt>{t('office.plan.counted')}</dt>
                  <dd data-testid="plan-counted">{pg === undefined ? '—' : t('office.plan.countedOf', { n: pg.binsCounted, total: pg.binsTotal })}</dd>
                </div>
                <div>
                  <dt>{t('office.plan.variancesOpen')}</dt>
                  <dd data-testid="plan-variances">{pg === undefined ? '—' : f.int(pg.variancesOpen)}</dd>
                </div>
                <div>
                  <dt>{t('office.plan.interval')}</dt>
                  <dd>{p.intervalDays === null ? t('office.plan.byClass') : t('office.plan.days', { n: p.intervalDays })}</dd>
                </div>
                <div>
                  <dt>{t('office.plan.lastGenerated')}</dt>
                  <dd>{f.stamp(p.lastGeneratedAt)}</dd>
                </div>
              </dl>
              {done !== null ? (
                <p class="office-progress">
                  <Meter value={done} label={t('office.plan.progress', { pct: f.pct(done) })} tone={done >= 1 ? 'ok' : 'warn'} /> {t('office.plan.progress', { pct: f.pct(done) })}
                </p>
              ) : null}
              <div class="office-actions">
                <button type="button" class="btn btn-primary btn-small" disabled={busy} data-testid="plan-generate" onClick={() => void generate(p)}>
                  {t('office.plan.generate')}
                </button>
              </div>
              {last && last.planId === p.id && last.skipped.length > 0 ? (
                <p class="muted desk-sub" data-testid="plan-skipped">
                  {t('office.plan.skippedList', { bins: last.skipped.map((s) => `${s.binCode} (${err(s.code)})`).join(', ') })}
                </p>
              ) : null}
            </article>
          );
        })}
      </section>
      <div class="stack">
      <SchedulePanel warehouseId={warehouseId} onGenerated={() => void load()} />
      <form class="card desk-card stack office-form" onSubmit={(e) => void create(e)} data-testid="plan-form">
        <h2 class="office-h">{t('office.plan.new')}</h2>
        <label class="field">
          {t('office.plan.name')}
          <input class="input" value={form.name} maxLength={120} data-testid="plan-name" onInput={set('name')} />
        </label>
        <label class="field">
          {t('office.plan.kind')}
          <select class="input" value={form.kind} data-testid="plan-kind" onChange={set('kind')}>
            {KINDS.map((k) => (
              <option value={k}>{labelOf(locale, 'office.planKind', k)}</option>
            ))}
          </select>
        </label>
        {form.kind === 'ABC' ? (
          <label class="field">
            {t('office.plan.abcClass')}
            <select class="input" value={form.abcClass} data-testid="plan-class" onChange={set('abcClass')}>
              {['A', 'B', 'C'].map((c) => (
                <option value={c}>{c}</option>
              ))}
            </select>
          </label>
        ) : null}
        {form.kind === 'ZONE' ? (
          <label class="field">
            {t('office.plan.zoneCode')}
            <input class="input" value={form.zoneCode} data-testid="plan-zone" onInput={set('zoneCode')} />
          </label>
        ) : null}
        {form.kind === 'ADHOC' ? (
          <label class="field">
            {t('office.plan.binCodes')}
            <textarea class="input desk-textarea" value={form.binCodes} data-testid="plan-bins-input" onInput={set('binCodes')} />
          </label>
        ) : null}
        <label class="field">
          {t('office.plan.intervalDays')}
          <input class="input" inputMode="numeric" value={form.intervalDays} placeholder={t('office.plan.byClass')} data-testid="plan-interval" onInput={set('intervalDays')} />
        </label>
        <button type="submit" class="btn btn-primary" disabled={busy} data-testid="plan-create">
          {t('office.plan.create')}
        </button>
      </form>
      </div>
    </div>
  );
}
