import { AnalyticsPage, DeskPage } from '../features/desk/lazy';
import { OfficePage } from '../features/desk-office/lazy';
import { feedStore } from '../features/tasks/feed';
import { useI18n } from '../i18n';
import { navigate, type Page } from '../router';
import { useStore } from '../store';
import { AppBar } from './AppBar';
import { LinkPill } from './LinkStatus';
import { lazyScreen } from './lazyScreen';

// Each page is its own chunk: the first paint needs none of them.
const ReceiveFlow = lazyScreen(async () => (await import('../features/inbound/Receive')).ReceiveFlow);
const PackStation = lazyScreen(async () => (await import('../features/packing/Pack')).PackStation);
const DockScreen = lazyScreen(async () => (await import('../features/shipping/Dock')).DockScreen);
const MoveFlow = lazyScreen(async () => (await import('../features/moves/Move')).MoveFlow);
const LookupScreen = lazyScreen(async () => (await import('../features/lookup/Lookup')).LookupScreen);
const PlannerScreen = lazyScreen(async () => (await import('../features/planner/Planner')).PlannerScreen);

/** A screen opened from the menu: the app bar, back to the task list, the page. */
export function PageScreen({ page }: { page: Page }) {
  const { t } = useI18n();
  const feed = useStore(feedStore);
  const back = () => navigate({ name: 'tasks' });
  const wide = page === 'planner' || page === 'pack' || page === 'dock' || page === 'desk' || page === 'office' || page === 'analytics';
  return (
    <div class="screen">
      <AppBar title={t(`nav.${page}`)} onBack={back} right={<LinkPill status={feed.link} />} />
      <main class={wide ? 'content content-wide' : 'content'}>
        {page === 'planner' ? <PlannerScreen /> : null}
        {page === 'receive' ? <ReceiveFlow onClose={back} /> : null}
        {page === 'pack' ? <PackStation /> : null}
        {page === 'dock' ? <DockScreen /> : null}
        {page === 'desk' ? <DeskPage /> : null}
        {page === 'office' ? <OfficePage /> : null}
        {page === 'analytics' ? <AnalyticsPage /> : null}
        {page === 'move' ? <MoveFlow onClose={back} /> : null}
        {page === 'lookup' ? <LookupScreen /> : null}
      </main>
    </div>
  );
}
