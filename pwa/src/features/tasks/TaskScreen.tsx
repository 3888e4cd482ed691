import { useRef } from 'preact/hooks';
import type { Task } from './logic';
import { useStore } from '../../store';
import { useI18n } from '../../i18n';
import { navigate } from '../../router';
import { AppBar } from '../../ui/AppBar';
import { LinkPill } from '../../ui/LinkStatus';
import { feedStore } from './feed';
import { screenFor } from './screens';

/** Route #/task/:id: the screen registered for the task's kind. */
export function TaskScreen({ id }: { id: string }) {
  const { t, kind } = useI18n();
  const feed = useStore(feedStore);
  // A task being worked on leaves the list when it is finished; its screen
  // stays up (to say so) until the worker goes back.
  const shown = useRef<Task | null>(null);
  const listed = feed.tasks.find((x) => x.id === id);
  if (listed) shown.current = listed;
  const task = listed ?? (shown.current?.id === id ? shown.current : undefined);
  const close = () => navigate({ name: 'tasks' });

  if (!task) {
    return (
      <div class="screen">
        <AppBar title={t('tasks.title')} onBack={close} right={<LinkPill status={feed.link} />} />
        <main class="content">
          {feed.loaded ? (
            <div class="empty">
              <p class="empty-title">{t('tasks.notFound')}</p>
              <button type="button" class="btn btn-primary btn-block btn-lg" onClick={close}>
                {t('tasks.backToList')}
              </button>
            </div>
          ) : (
            <p class="muted center">{t('app.loading')}</p>
          )}
        </main>
      </div>
    );
  }

  const Screen = screenFor(task.kind);
  return (
    <div class="screen">
      <AppBar title={kind(task.kind)} onBack={close} right={<LinkPill status={feed.link} />} />
      <main class="content">
        <Screen task={task} close={close} />
      </main>
    </div>
  );
}
