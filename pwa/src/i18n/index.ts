import { createStore, useStore } from '../store';
import { en, type MessageKey } from './en';
import { zhCN } from './zh-CN';

export type Locale = 'en' | 'zh-CN';
export type { MessageKey };

export const LOCALES: { id: Locale; label: string }[] = [
  { id: 'en', label: 'English' },
  { id: 'zh-CN', label: '简体中文' },
];

const MESSAGES: Record<Locale, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };
const CHOICE_KEY = 'wms.locale';

/** Map any BCP 47 tag to a supported locale (zh, zh-Hans, zh-CN, zh-SG → zh-CN). */
export function matchLocale(tags: readonly (string | null | undefined)[]): Locale {
  for (const tag of tags) {
    if (!tag) continue;
    const t = tag.toLowerCase();
    if (t === 'zh' || t.startsWith('zh-hans') || t === 'zh-cn' || t === 'zh-sg') return 'zh-CN';
    if (t.startsWith('zh')) return 'zh-CN'; // closest we have for zh-TW/HK for now
    if (t.startsWith('en')) return 'en';
  }
  return 'en';
}

function storedChoice(): Locale | null {
  try {
    const v = localStorage.getItem(CHOICE_KEY);
    return v === 'en' || v === 'zh-CN' ? v : null;
  } catch {
    return null;
  }
}

function browserLocale(): Locale {
  return matchLocale(typeof navigator === 'undefined' ? [] : [...(navigator.languages ?? []), navigator.language]);
}

export const localeStore = createStore<Locale>(storedChoice() ?? browserLocale());

function apply(locale: Locale): void {
  if (typeof document === 'undefined') return;
  document.documentElement.lang = locale;
  document.title = MESSAGES[locale]['app.name'];
}
apply(localeStore.get());
localeStore.subscribe(apply);

/** The user picked a language: remember it above every other source. */
export function chooseLocale(locale: Locale): void {
  try {
    localStorage.setItem(CHOICE_KEY, locale);
  } catch {
    /* ignore */
  }
  localeStore.set(locale);
}

/** After sign-in: follow the user's profile locale unless a choice was made here. */
export function followUserLocale(userLocale: string | null | undefined): void {
  if (storedChoice() || !userLocale) return;
  localeStore.set(matchLocale([userLocale]));
}

export function translate(locale: Locale, key: MessageKey, params?: Record<string, string | number>): string {
  const text: string = MESSAGES[locale][key] ?? en[key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

export function t(key: MessageKey, params?: Record<string, string | number>): string {
  return translate(localeStore.get(), key, params);
}

export function hasKey(key: string): key is MessageKey {
  return key in en;
}

/** A translated message for a business error code (backend/core/errors.py) or a client-side code. */
export function errorText(code: string, locale: Locale = localeStore.get()): string {
  const key = `error.${code}`;
  return hasKey(key) ? translate(locale, key) : translate(locale, 'error.UNKNOWN', { code });
}

/** Label for an enum-ish value with a fallback to the raw value (new kinds, new states). */
export function enumText(prefix: 'kind' | 'state', value: string, locale: Locale = localeStore.get()): string {
  const key = `${prefix}.${value}`;
  return hasKey(key) ? translate(locale, key) : value.replace(/_/g, ' ').toLowerCase().replace(/^\w/, (c) => c.toUpperCase());
}

export function useI18n() {
  const locale = useStore(localeStore);
  return {
    locale,
    t: (key: MessageKey, params?: Record<string, string | number>) => translate(locale, key, params),
    err: (code: string) => errorText(code, locale),
    kind: (v: string) => enumText('kind', v, locale),
    state: (v: string) => enumText('state', v, locale),
  };
}
