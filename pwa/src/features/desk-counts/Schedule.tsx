import { useEffect, useState } from 'preact/hooks';
import { gqlText } from '../../graphql/client';
import { useI18n } from '../../i18n';
import { FlowMessageView, useFlowFeedback } from '../../ui/flow/Flow';
import { mutateText } from '../../ui/flow/mutate';
import { failureCode } from '../desk/common';
import { useLatest } from '../desk-office/latest';
import { scheduleInput, type ScheduleForm } from './logic';
import { COUNT_SCHEDULE, GENERATE_DUE_COUNTS, SET_COUNT_SCHEDULE, type CountSchedule, type DueGenerated, type ScheduleData, type ScheduleSaved } from './ops';

const FIELDS: (keyof ScheduleForm)[] = ['aDays', 'bDays', 'cDays', 'dueDays'];

function formOf(s: CountSchedule): ScheduleForm {
  return { aDays: String(s.aDays), bDays: String(s.bDays), cDays: String(s.cDays), dueDays: String(s.dueDays) };
}

/** The warehouse's count schedule (days between counts per ABC class) and the counts now due, sent to the floor. */
export function SchedulePanel({ warehouseId, onGenerated }: { warehouseId: string | null; onGenerated: () => void }) {
  const { t, err } = useI18n();
  const fb = useFlowFeedback();
  const [form, setForm] = useState<ScheduleForm | null>(null);
  const [configured, setConfigured] = useState(false);
  const [busy, setBusy] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);

  const latest = useLatest();
  const load = async () => {
    const live = latest();
    setLoadError(null);
    try {
      const d = await gqlText<ScheduleData>(COUNT_SCHEDULE, { warehouseId });
      if (!live()) return;
      setForm(formOf(d.countSchedule));
      setConfigured(d.countSchedule.configured);
    } catch (e) {
      setLoadError(failureCode(e));
    }
  };
  useEffect(() => {
    setForm(null);
    void load();
  }, [warehouseId]);

  const save = async (e: Event) => {
    e.preventDefault();
    if (!form) return;
    fb.clear();
    const built = scheduleInput(form, warehouseId);
    if (!built.ok) {
      fb.error(t('office.sched.fieldWrong', { field: t(`office.sched.${built.field}`) }));
      return;
    }
    setBusy(true);
    const out = await mutateText<ScheduleSaved>('setCountSchedule', SET_COUNT_SCHEDULE, built.input, { queueOffline: false });
    setBusy(false);
    if (!fb.outcome(out) || out.status !== 'ok') return;
    setForm(formOf(out.data.schedule));
    setConfigured(true);
    fb.ok(t('office.sched.saved'));
  };

  const generate = async () => {
    setBusy(true);
    fb.clear();
    const out = await mutateText<DueGenerated>('generateDueCounts', GENERATE_DUE_COUNTS, { warehouseId }, { queueOffline: false });
    setBusy(false);
    if (!fb.outcome(out) || out.status !== 'ok') return;
    fb.ok(t('office.sched.generated', { n: out.data.created.length, open: out.data.alreadyOpen }));
    onGenerated();
  };

  return (
    <form class="card desk-card stack office-form" data-testid="count-schedule" data-configured={String(configured)} onSubmit={(e) => void save(e)}>
      <h2 class="office-h">{t('office.sched.title')}</h2>
      <p class="muted office-hint">{configured ? t('office.sched.hint') : t('office.sched.defaults')}</p>
      {loadError ? <p class="alert alert-error">{err(loadError)}</p> : null}
      {form ? (
        <div class="office-schedule">
          {FIELDS.map((k) => (
            <label class="field desk-field">
              {t(`office.sched.${k}`)}
              <input class="input" inputMode="numeric" value={form[k]} data-testid={`sched-${k}`} onInput={(e) => setForm({ ...form, [k]: (e.target as HTMLInputElement).value })} />
            </label>
          ))}
        </div>
      ) : null}
      <FlowMessageView message={fb.message} />
      <div class="office-actions">
        <button type="submit" class="btn btn-secondary btn-small" disabled={busy || !form} data-testid="sched-save">
          {t('office.sched.save')}
        </button>
        <button type="button" class="btn btn-primary btn-small" disabled={busy} data-testid="sched-generate" onClick={() => void generate()}>
          {t('office.sched.generate')}
        </button>
      </div>
    </form>
  );
}
