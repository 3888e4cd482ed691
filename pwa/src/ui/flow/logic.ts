/** Pure pieces of the guided flows (tested without a DOM). */

export interface Tally {
  done: number;
  total: number;
}

export interface ProgressInput {
  lines?: Tally;
  units?: Tally;
  /** Walking distance still ahead, metres. */
  metresLeft?: number | null;
}

/** Share of the work done, 0..1: units when known, else lines. */
export function progressFraction(p: ProgressInput): number {
  const t = p.units && p.units.total > 0 ? p.units : p.lines;
  if (!t || t.total <= 0) return 0;
  return Math.min(1, Math.max(0, t.done / t.total));
}

/** Metres for a label: whole metres, "<1" below one. */
export function metresText(m: number): string {
  if (!Number.isFinite(m) || m <= 0) return '0';
  if (m < 1) return '<1';
  return String(Math.round(m));
}

/**
 * One key on the quantity pad: digits append (no leading zeros, at most
 * `max`), 'back' deletes, 'clear' empties.
 */
export function padKey(value: string, key: string, max: number): string {
  if (key === 'back') return value.slice(0, -1);
  if (key === 'clear') return '';
  if (!/^[0-9]$/.test(key)) return value;
  const next = value === '0' ? key : value + key;
  if (Number(next) > max) return value;
  return next;
}

/** The keypad is only worth showing when more than one unit is expected. */
export function needsKeypad(expected: number): boolean {
  return expected > 1;
}

/** A code for comparison: scanners add stray spaces, people type lower case. */
export function sameCode(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return false;
  return a.trim().toUpperCase() === b.trim().toUpperCase();
}

/** Keys closer together than this come from a scanner, not a thumb. */
export const PAD_BURST_MS = 30;

/** The quantity pad as typed on hardware keys. */
export interface PadTyping {
  value: string;
  /** Still the pre-filled quantity: the first digit typed replaces it. */
  fresh: boolean;
  /** Time stamp of the last key (ms), and the value before it. */
  lastAt: number;
  before: string;
}

export function padTyping(value: string): PadTyping {
  return { value, fresh: true, lastAt: -Infinity, before: value };
}

/**
 * One hardware key on the quantity pad: digits, Backspace, Delete (clear),
 * Enter (confirm). A scanner's burst that lands on the pad (a barcode read
 * while the pad is up) is not a quantity: its keys are undone and its Enter
 * confirms nothing. `handled` says whether the key was the pad's.
 */
export function padHardwareKey(
  s: PadTyping,
  key: string,
  at: number,
  max: number,
): { state: PadTyping; handled: boolean; confirm: boolean } {
  const mapped = /^[0-9]$/.test(key) ? key : key === 'Backspace' ? 'back' : key === 'Delete' ? 'clear' : key === 'Enter' ? 'enter' : null;
  if (!mapped) return { state: s, handled: false, confirm: false };
  const burst = at - s.lastAt < PAD_BURST_MS;
  if (burst) {
    // Undo the burst's first key too, and swallow the rest including its Enter.
    return { state: { ...s, value: s.before, lastAt: at }, handled: true, confirm: false };
  }
  if (mapped === 'enter') {
    return { state: { ...s, lastAt: at, before: s.value }, handled: true, confirm: s.value !== '' };
  }
  const base = s.fresh && /^[0-9]$/.test(mapped) ? '' : s.value;
  const value = padKey(base, mapped, max);
  return { state: { value, fresh: false, lastAt: at, before: s.value }, handled: true, confirm: false };
}
