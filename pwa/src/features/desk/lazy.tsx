import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../../i18n';

/**
 * The desk and the analytics screens are for tablets and desktops: they load
 * as chunks of their own, so a handheld that never opens them does not parse
 * them at start. The service worker precaches the chunks like the rest.
 */
function Lazy({ load }: { load: () => Promise<ComponentType> }) {
  const { t } = useI18n();
  const [Screen, setScreen] = useState<ComponentType | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    load()
      .then((c) => live && setScreen(() => c))
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, []);
  if (failed) return <p class="alert alert-error">{t('error.NETWORK')}</p>;
  if (!Screen) return <p class="muted">{t('desk.loading')}</p>;
  return <Screen />;
}

export function DeskPage() {
  return <Lazy load={() => import('./Desk').then((m) => m.DeskScreen)} />;
}

export function AnalyticsPage() {
  return <Lazy load={() => import('../analytics/Analytics').then((m) => m.AnalyticsScreen)} />;
}
