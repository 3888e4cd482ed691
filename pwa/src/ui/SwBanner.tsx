import { useEffect } from 'preact/hooks';
import { useI18n } from '../i18n';
import { useStore } from '../store';
import { applyUpdate, dismissSwMessage, swStore } from '../sw/register';

export function SwBanner() {
  const { t } = useI18n();
  const sw = useStore(swStore);

  useEffect(() => {
    if (!sw.offlineReady || sw.needRefresh) return;
    const h = setTimeout(dismissSwMessage, 6000);
    return () => clearTimeout(h);
  }, [sw.offlineReady, sw.needRefresh]);

  if (sw.needRefresh) {
    return (
      <div class="toast" role="status">
        <span>{t('app.updateReady')}</span>
        <button type="button" class="btn btn-small btn-primary" onClick={applyUpdate}>
          {t('app.reload')}
        </button>
      </div>
    );
  }
  if (sw.offlineReady) {
    return (
      <div class="toast toast-calm" role="status" data-testid="offline-ready">
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
          <path fill="currentColor" d="M9 16.2 4.8 12l-1.4 1.4L9 19 21 7l-1.4-1.4z" />
        </svg>
        <span>{t('app.offlineReady')}</span>
        <button type="button" class="btn btn-small btn-ghost-light" onClick={dismissSwMessage} aria-label={t('app.dismiss')}>
          ✕
        </button>
      </div>
    );
  }
  return null;
}
