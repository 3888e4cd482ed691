/**
 * Reading a scan on the device, for checking it while offline the way
 * backend/scan does: our own PREFIX-BODY-C codes (ISO 7064 MOD 37,36 check
 * character, dashes left out), bare GTINs (mod-10 check digit) and GS1
 * element strings (FNC1 as GS or "<GS>", or the "(01)…(10)…" form) for the
 * GTIN and the lot. What this reader cannot be sure of it says so instead of
 * guessing: the server reads it when the link is back.
 */

export const GS = '\x1d';

export type LocalScan =
  | { kind: 'internal'; prefix: string; code: string }
  | { kind: 'gs1'; gtin: string | null; contentGtin: string | null; lot: string | null }
  /** `code`: the SCAN_* error the server would answer, or SCAN_NOT_READ_OFFLINE. */
  | { kind: 'error'; code: string };

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const PREFIXES = new Set(['BIN', 'TOTE', 'CART', 'BADGE', 'PO', 'SO', 'ASN', 'WAVE', 'TASK', 'SHP']);
const SHAPE = /^([A-Z][A-Z0-9]*)-([A-Z0-9]+(?:-[A-Z0-9]+)*)-([A-Z0-9])$/;

/** ISO/IEC 7064 MOD 37,36 check character of KIND-BODY (dashes ignored), as backend/scan/internal.py. */
export function checkChar(payload: string): string {
  let p = 36;
  for (const ch of payload.toUpperCase().replace(/-/g, '')) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) throw new Error(`${ch} is not allowed in a code`);
    const s = (p + v) % 36 || 36;
    p = (s * 2) % 37;
  }
  return ALPHABET[(37 - p) % 36];
}

/** GS1 mod-10: the last digit checks the others. */
export function gs1CheckOk(digits: string): boolean {
  if (!/^\d{2,}$/.test(digits)) return false;
  let sum = 0;
  const body = digits.slice(0, -1);
  for (let i = 0; i < body.length; i++) {
    const d = Number(body[body.length - 1 - i]);
    sum += i % 2 === 0 ? d * 3 : d;
  }
  return (10 - (sum % 10)) % 10 === Number(digits[digits.length - 1]);
}

function gtin14(value: string): string | null {
  if (![8, 12, 13, 14].includes(value.length) || !gs1CheckOk(value) || /^0+$/.test(value)) return null;
  return value.padStart(14, '0');
}

/** Fixed-length AIs (value length) among those a pick label carries; the rest end at GS. */
const FIXED: Record<string, number> = { '00': 18, '01': 14, '02': 14, '11': 6, '12': 6, '13': 6, '15': 6, '16': 6, '17': 6, '20': 2 };
/** Variable-length AIs this reader knows (at most this long). */
const VARIABLE: Record<string, number> = { '10': 20, '21': 20, '30': 8, '37': 8, '240': 30, '241': 30, '250': 30, '251': 30, '400': 30, '90': 30 };

function aiAt(text: string): string | null {
  for (const n of [2, 3, 4]) {
    const ai = text.slice(0, n);
    if (ai in FIXED || ai in VARIABLE) return ai;
    // 310n–369n: measures, four digits of AI and six of value.
    if (n === 4 && /^3[1-6]\d\d$/.test(ai)) return ai;
  }
  return null;
}

function elements(text: string): Map<string, string> | null {
  const out = new Map<string, string>();
  if (text.startsWith('(')) {
    const re = /\((\d{2,4})\)([^(]*)/g;
    let m: RegExpExecArray | null;
    let seen = 0;
    while ((m = re.exec(text))) {
      out.set(m[1], m[2]);
      seen += m[0].length;
    }
    return seen === text.length && out.size > 0 ? out : null;
  }
  let rest = text;
  while (rest.length > 0) {
    if (rest.startsWith(GS)) {
      rest = rest.slice(1);
      continue;
    }
    const ai = aiAt(rest);
    if (!ai) return null;
    rest = rest.slice(ai.length);
    const fixed = FIXED[ai] ?? (/^3[1-6]\d\d$/.test(ai) ? 6 : undefined);
    let value: string;
    if (fixed !== undefined) {
      value = rest.slice(0, fixed);
      if (value.length !== fixed) return null;
      rest = rest.slice(fixed);
    } else {
      const end = rest.indexOf(GS);
      value = end < 0 ? rest : rest.slice(0, end);
      if (value.length === 0 || value.length > VARIABLE[ai]) return null;
      rest = end < 0 ? '' : rest.slice(end + 1);
    }
    out.set(ai, value);
  }
  return out.size > 0 ? out : null;
}

export function readScan(raw: string): LocalScan {
  let text = raw.replace(/<GS>/gi, GS).trim();
  if (text.startsWith(']')) text = text.slice(3).trim(); // AIM symbology identifier
  text = text.replace(/^\x1d+|\x1d+$/g, '');
  if (!text) return { kind: 'error', code: 'SCAN_EMPTY' };
  if (/^https?:\/\//i.test(text)) return { kind: 'error', code: 'SCAN_NOT_READ_OFFLINE' };

  if (/^[A-Za-z]/.test(text)) {
    const code = text.toUpperCase();
    const prefix = code.split('-', 1)[0];
    const m = SHAPE.exec(code);
    if (!m) return { kind: 'error', code: PREFIXES.has(prefix) ? 'SCAN_MALFORMED' : 'SCAN_UNKNOWN_FORMAT' };
    if (!PREFIXES.has(prefix)) return { kind: 'error', code: 'SCAN_UNKNOWN_FORMAT' };
    if (checkChar(`${m[1]}-${m[2]}`) !== m[3]) return { kind: 'error', code: 'SCAN_BAD_CHECK_DIGIT' };
    return { kind: 'internal', prefix, code };
  }

  if (/^\d+$/.test(text) && [8, 12, 13, 14].includes(text.length)) {
    const gtin = gtin14(text);
    return gtin ? { kind: 'gs1', gtin, contentGtin: null, lot: null } : { kind: 'error', code: 'SCAN_BAD_CHECK_DIGIT' };
  }
  if (/^\d{18}$/.test(text) && gs1CheckOk(text)) return { kind: 'gs1', gtin: null, contentGtin: null, lot: null };

  const els = elements(text);
  if (!els) return { kind: 'error', code: 'SCAN_NOT_READ_OFFLINE' };
  const g = els.get('01');
  const c = els.get('02');
  const gtin = g ? gtin14(g) : null;
  const contentGtin = c ? gtin14(c) : null;
  if ((g && !gtin) || (c && !contentGtin)) return { kind: 'error', code: 'SCAN_BAD_CHECK_DIGIT' };
  return { kind: 'gs1', gtin, contentGtin, lot: els.get('10') ?? null };
}
