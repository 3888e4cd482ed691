import { useEffect } from 'preact/hooks';
import { authStore, endSession } from './auth';
import { SignInScreen } from './features/signin/SignIn';
import { startTaskFeed } from './features/tasks/feed';
import { TaskList } from './features/tasks/TaskList';
import { TaskScreen } from './features/tasks/TaskScreen';
import { useI18n } from './i18n';
import type { Session } from './offline/session';
import { useRoute } from './router';
import { useStore } from './store';
import { SwBanner } from './ui/SwBanner';
import { PageScreen } from './ui/PageScreen';

export function App() {
  const auth = useStore(authStore);
  const { t } = useI18n();

  let body;
  if (auth.status === 'loading') {
    body = <div class="splash" aria-busy="true">{t('app.loading')}</div>;
  } else if (auth.status === 'signed-out') {
    body = <SignInScreen expired={auth.reason === 'expired'} />;
  } else {
    body = <SignedIn session={auth.session} />;
  }
  return (
    <>
      {body}
      <SwBanner />
    </>
  );
}

function SignedIn({ session }: { session: Session }) {
  const route = useRoute();
  useEffect(() => startTaskFeed(session, () => void endSession('expired')), [session]);

  switch (route.name) {
    case 'task':
      return <TaskScreen id={route.id} />;
    case 'planner':
    case 'receive':
    case 'pack':
    case 'dock':
    case 'desk':
    case 'office':
    case 'analytics':
    case 'move':
    case 'lookup':
      return <PageScreen page={route.name} />;
    default:
      return <TaskList session={session} />;
  }
}
