import { useStore } from '../../store';
import type { Task } from './logic';
import { useI18n } from '../../i18n';
import { navigate } from '../../router';
import { AppBar } from '../../ui/AppBar';
import { LinkPill } from '../../ui/LinkStatus';
import { feedStore, refreshTasks } from './feed';
import { KindBadge, PriorityBadge } from './badges';
import type { Session } from '../../offline/session';

export function TaskList({ session }: { session: Session }) {
  const { t } = useI18n();
  const feed = useStore(feedStore);
  const fresh = new Set(feed.fresh);

  return (
    <div class="screen">
      <AppBar
        title={t('tasks.title')}
        subtitle={session.user.displayName || session.user.username}
        right={<LinkPill status={feed.link} />}
      />
      <main class="content" aria-busy={!feed.loaded}>
        {feed.fromCache && feed.link !== 'online' ? (
          <p class="notice notice-muted" role="status">
            {t('tasks.showingSaved')}
          </p>
        ) : null}
        {feed.loadError ? (
          <div class="notice notice-error" role="alert">
            <span>{t('tasks.loadFailed')}</span>
            <button type="button" class="btn btn-small" onClick={refreshTasks}>
              {t('tasks.refresh')}
            </button>
          </div>
        ) : null}

        {feed.loaded ? (
          <p class="list-count" data-testid="task-count">
            {t('tasks.count', { n: feed.tasks.length })}
          </p>
        ) : (
          <TaskSkeleton />
        )}

        {feed.loaded && feed.tasks.length === 0 ? (
          <div class="empty">
            <svg viewBox="0 0 48 48" width="56" height="56" aria-hidden="true">
              <rect x="8" y="6" width="32" height="38" rx="4" fill="none" stroke="currentColor" stroke-width="3" />
              <path d="M16 24l6 6 11-12" fill="none" stroke="currentColor" stroke-width="3" stroke-linecap="round" />
            </svg>
            <p class="empty-title">{t('tasks.empty')}</p>
            <p class="muted">{t('tasks.emptyHint')}</p>
          </div>
        ) : null}

        <ul class="task-list" data-testid="task-list">
          {feed.tasks.map((task) => (
            <li key={task.id}>
              <TaskCard task={task} fresh={fresh.has(task.id)} mine={task.assigneeId === session.user.id} />
            </li>
          ))}
        </ul>
      </main>
    </div>
  );
}

function TaskCard({ task, fresh, mine }: { task: Task; fresh: boolean; mine: boolean }) {
  const { t } = useI18n();
  return (
    <button
      type="button"
      class={`task-card kind-${task.kind.toLowerCase()}${fresh ? ' fresh' : ''}`}
      onClick={() => navigate({ name: 'task', id: task.id })}
      data-testid="task-card"
      data-task-id={task.id}
    >
      <div class="task-card-top">
        <KindBadge kind={task.kind} />
        {fresh ? <span class="chip chip-new">{t('tasks.new')}</span> : null}
        {mine ? <span class="chip chip-mine">{t('tasks.assignedToYou')}</span> : null}
        <PriorityBadge priority={task.priority} />
      </div>
      <div class="task-title">{task.title}</div>
      <dl class="task-meta">
        <div class="meta-bin">
          <dt>{t('tasks.bin')}</dt>
          <dd class="code">{task.binCode ?? '—'}</dd>
        </div>
        <div>
          <dt>{t('tasks.zone')}</dt>
          <dd>{task.zoneCode ?? '—'}</dd>
        </div>
      </dl>
      <svg class="task-chevron" viewBox="0 0 24 24" aria-hidden="true">
        <path fill="currentColor" d="M8.6 18.6 10 20l8-8-8-8-1.4 1.4 6.6 6.6z" />
      </svg>
    </button>
  );
}

function TaskSkeleton() {
  return (
    <ul class="task-list" aria-hidden="true">
      {[0, 1, 2].map((i) => (
        <li key={i}>
          <div class="task-card skeleton" />
        </li>
      ))}
    </ul>
  );
}
