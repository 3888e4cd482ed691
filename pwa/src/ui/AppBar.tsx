import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { authStore, signOut } from '../auth';
import { navigate } from '../router';
import { navFor } from './nav';
import { isMuted, setMuted } from '../feedback';
import { LOCALES, chooseLocale, useI18n } from '../i18n';
import { useStore } from '../store';
import { THEMES, chooseTheme, themeStore } from './theme';
import { SyncStrip } from './SyncState';

interface AppBarProps {
  title: string;
  subtitle?: ComponentChildren;
  onBack?: () => void;
  right?: ComponentChildren;
}

export function AppBar({ title, subtitle, onBack, right }: AppBarProps) {
  const { t } = useI18n();
  const [menu, setMenu] = useState(false);
  return (
    <header class="appbar">
      <div class="appbar-row">
        {onBack ? (
          <button type="button" class="icon-btn" onClick={onBack} aria-label={t('app.back')}>
            <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
              <path fill="currentColor" d="M15.4 5.4 14 4l-8 8 8 8 1.4-1.4L8.8 12z" />
            </svg>
          </button>
        ) : null}
        <div class="appbar-title">
          <h1>{title}</h1>
          {subtitle ? <div class="appbar-sub">{subtitle}</div> : null}
        </div>
        {right}
        <button
          type="button"
          class="icon-btn"
          aria-haspopup="menu"
          aria-expanded={menu}
          aria-label={t('app.menu')}
          onClick={() => setMenu(!menu)}
          data-testid="menu-button"
        >
          <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
            <path fill="currentColor" d="M3 6h18v2H3zm0 5h18v2H3zm0 5h18v2H3z" />
          </svg>
        </button>
      </div>
      <SyncStrip />
      {menu ? <Menu close={() => setMenu(false)} /> : null}
    </header>
  );
}

function Menu({ close }: { close: () => void }) {
  const { t, locale } = useI18n();
  const [muted, setMutedState] = useState(isMuted());
  const theme = useStore(themeStore);
  const auth = authStore.get();
  const pages = auth.status === 'signed-in' ? navFor(auth.session.user.roles) : [];
  return (
    <>
      <div class="menu-scrim" onClick={close} />
      <div class="menu" role="menu">
        {pages.length > 0 ? (
          <button
            type="button"
            role="menuitem"
            class="menu-item"
            onClick={() => {
              close();
              navigate({ name: 'tasks' });
            }}
          >
            {t('nav.tasks')}
          </button>
        ) : null}
        {pages.map((p) => (
          <button
            type="button"
            role="menuitem"
            class="menu-item"
            data-testid={`nav-${p.page}`}
            onClick={() => {
              close();
              navigate({ name: p.page });
            }}
          >
            {t(p.label)}
          </button>
        ))}
        <div class="menu-group" role="group" aria-label={t('app.language')}>
          <span class="menu-label">{t('app.language')}</span>
          <div class="segmented">
            {LOCALES.map((l) => (
              <button
                type="button"
                role="menuitemradio"
                aria-checked={locale === l.id}
                class={locale === l.id ? 'seg on' : 'seg'}
                onClick={() => chooseLocale(l.id)}
              >
                {l.label}
              </button>
            ))}
          </div>
        </div>
        <div class="menu-group" role="group" aria-label={t('theme.label')}>
          <span class="menu-label">{t('theme.label')}</span>
          <div class="segmented">
            {THEMES.map((th) => (
              <button
                type="button"
                role="menuitemradio"
                aria-checked={theme === th.id}
                class={theme === th.id ? 'seg on' : 'seg'}
                data-testid={`theme-${th.id}`}
                onClick={() => chooseTheme(th.id)}
              >
                {t(th.label)}
              </button>
            ))}
          </div>
        </div>
        <button
          type="button"
          role="menuitemcheckbox"
          aria-checked={!muted}
          class="menu-item"
          onClick={() => {
            setMuted(!muted);
            setMutedState(!muted);
          }}
        >
          {muted ? t('app.soundOff') : t('app.soundOn')}
        </button>
        <button
          type="button"
          role="menuitem"
          class="menu-item menu-danger"
          onClick={() => {
            close();
            void signOut();
          }}
        >
          {t('session.signOut')}
        </button>
      </div>
    </>
  );
}
