import { useI18n, type MessageKey } from '../../i18n';
import { priorityBand } from './logic';
import { KindBadge, PriorityBadge } from './badges';
import type { TaskScreenProps } from './screens';
import { authStore } from '../../auth';

/** The fields of a task, for kinds that have no screen of their own yet. */
export function TaskDetail({ task }: TaskScreenProps) {
  const { t, state, locale } = useI18n();
  const auth = authStore.get();
  const me = auth.status === 'signed-in' ? auth.session.user.id : null;
  const created = new Date(task.createdAt);
  const createdText = Number.isNaN(created.getTime())
    ? task.createdAt
    : created.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });

  return (
    <article class="detail" data-testid="task-detail">
      <div class="detail-head">
        <KindBadge kind={task.kind} />
        <PriorityBadge priority={task.priority} />
      </div>
      <h2 class="detail-title">{task.title}</h2>

      <div class="detail-bin">
        <span class="detail-bin-label">{t('tasks.bin')}</span>
        <span class="detail-bin-code code">{task.binCode ?? '—'}</span>
      </div>

      <dl class="detail-fields">
        <div>
          <dt>{t('tasks.zone')}</dt>
          <dd>{task.zoneCode ?? '—'}</dd>
        </div>
        <div>
          <dt>{t('tasks.state')}</dt>
          <dd>{state(task.state)}</dd>
        </div>
        <div>
          <dt>{t('tasks.priority')}</dt>
          <dd>
            P{task.priority} · {t(`priority.${priorityBand(task.priority)}` as MessageKey)}
          </dd>
        </div>
        <div>
          <dt>{t('tasks.assignee')}</dt>
          <dd>{task.assigneeId == null ? t('tasks.unassigned') : task.assigneeId === me ? t('tasks.assignedToYou') : task.assigneeId}</dd>
        </div>
        <div>
          <dt>{t('tasks.created')}</dt>
          <dd>{createdText}</dd>
        </div>
        <div>
          <dt>{t('tasks.id')}</dt>
          <dd class="code">{task.id}</dd>
        </div>
      </dl>
    </article>
  );
}
