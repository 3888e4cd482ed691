import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../../i18n';

/** The office desk loads as a chunk of its own, like the inbound desk (../desk/lazy.tsx). */
export function OfficePage() {
  const { t } = useI18n();
  const [Screen, setScreen] = useState<ComponentType | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    import('./Office')
      .then((m) => live && setScreen(() => m.OfficeScreen))
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, []);
  if (failed) return <p class="alert alert-error">{t('error.NETWORK')}</p>;
  if (!Screen) return <p class="muted">{t('desk.loading')}</p>;
  return <Screen />;
}
