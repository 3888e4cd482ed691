import type { MessageKey } from '../i18n';
import { createStore } from '../store';

/**
 * The display theme, chosen in the menu and remembered on this device for
 * each user who signs in on it: a shared handheld changes to the next
 * person's choice at sign-in. A user who never chose keeps what the device
 * shows; the sign-in screen shows the last theme used on the device.
 */
export type Theme = 'light' | 'dark' | 'contrast' | 'large';

export const THEMES: { id: Theme; label: MessageKey }[] = [
  { id: 'light', label: 'theme.light' },
  { id: 'dark', label: 'theme.dark' },
  { id: 'contrast', label: 'theme.contrast' },
  { id: 'large', label: 'theme.large' },
];

const DEVICE_KEY = 'wms.theme';
const userKey = (userId: string) => `wms.theme.user.${userId}`;

function isTheme(v: unknown): v is Theme {
  return THEMES.some((t) => t.id === v);
}

function read(key: string): Theme | null {
  try {
    const v = localStorage.getItem(key);
    return isTheme(v) ? v : null;
  } catch {
    return null;
  }
}

function write(key: string, theme: Theme): void {
  try {
    localStorage.setItem(key, theme);
  } catch {
    /* private mode or full storage: the choice lasts until reload */
  }
}

export const themeStore = createStore<Theme>(read(DEVICE_KEY) ?? 'light');
let signedInUser: string | null = null;

// The browser chrome (status bar) follows the app bar's colour.
const BAR_COLOUR: Record<Theme, string> = { light: '#0f1f33', dark: '#0a111c', contrast: '#000000', large: '#0f1f33' };

function apply(theme: Theme): void {
  if (typeof document === 'undefined') return;
  const root = document.documentElement;
  root.dataset.theme = theme;
  root.style.colorScheme = theme === 'dark' || theme === 'contrast' ? 'dark' : 'light';
  document.querySelector('meta[name="theme-color"]')?.setAttribute('content', BAR_COLOUR[theme]);
}
apply(themeStore.get());
themeStore.subscribe(apply);

/** The signed-in user picked a theme: theirs on this device from now on. */
export function chooseTheme(theme: Theme): void {
  write(DEVICE_KEY, theme);
  if (signedInUser) write(userKey(signedInUser), theme);
  themeStore.set(theme);
}

/** A session started or was restored (`userId`), or ended (null). */
export function followUserTheme(userId: string | null): void {
  signedInUser = userId;
  const own = userId ? read(userKey(userId)) : null;
  if (own) {
    write(DEVICE_KEY, own);
    themeStore.set(own);
  }
}
