import { hasKey, translate, type Locale, type MessageKey } from '../../i18n';

/**
 * What a refusal says to the person holding the handheld: a headline
 * translated from the error's code that names the next action, and the
 * specifics under it (which SKU, which bin, how many). The specifics come
 * from the screen's own facts when the catalogue has a phrase for them
 * (`errorDetail.CODE`, translated), otherwise from the server's message as it
 * was written: a specific sentence is never replaced by a generic one.
 */

export interface Refusal {
  code: string;
  message?: string | null;
  field?: string | null;
}

export type ErrorParams = Record<string, string | number | null | undefined>;

export interface ErrorMessage {
  text: string;
  detail: string | null;
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
}

/** The catalogue's specific phrase for `code`, when every value it names is known. */
function detailFromParams(code: string, locale: Locale, params: ErrorParams | undefined): string | null {
  const key = `errorDetail.${code}`;
  if (!params || !hasKey(key)) return null;
  const template = translate('en', key as MessageKey);
  const known: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(params)) if (v != null && v !== '') known[k] = v;
  if (!placeholders(template).every((name) => name in known)) return null;
  return translate(locale, key as MessageKey, known);
}

export function errorMessage(refusal: Refusal, locale: Locale, params?: ErrorParams): ErrorMessage {
  const server = (refusal.message ?? '').trim();
  const key = `error.${refusal.code}`;
  if (!hasKey(key)) {
    // A code this build does not know yet: the server's own words beat "something went wrong".
    return server
      ? { text: server, detail: null }
      : { text: translate(locale, 'error.UNKNOWN', { code: refusal.code }), detail: null };
  }
  const text = translate(locale, key);
  const detail = detailFromParams(refusal.code, locale, params) ?? (server && server !== text ? server : null);
  return { text, detail };
}
