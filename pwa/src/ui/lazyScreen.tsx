import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../i18n';

/**
 * A screen fetched the first time it is opened, so the first paint (sign-in,
 * task list) does not carry every flow's code. The service worker precaches
 * the chunks, so a screen opened offline loads from the device all the same.
 */
export function lazyScreen<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loaded: ComponentType<P> | null = null;
  let pending: Promise<ComponentType<P>> | null = null;
  const get = () => (pending ??= load().then((c) => (loaded = c)).catch((err) => ((pending = null), Promise.reject(err))));
  return function Lazy(props: P) {
    const { t } = useI18n();
    const [Screen, setScreen] = useState<ComponentType<P> | null>(() => loaded);
    const [failed, setFailed] = useState(false);
    useEffect(() => {
      if (Screen) return undefined;
      let live = true;
      get()
        .then((c) => live && setScreen(() => c))
        .catch(() => live && setFailed(true));
      return () => {
        live = false;
      };
    }, [Screen]);
    if (Screen) return <Screen {...props} />;
    if (failed) return <p class="alert alert-error">{t('error.NETWORK')}</p>;
    return <p class="muted center">{t('app.loading')}</p>;
  };
}
