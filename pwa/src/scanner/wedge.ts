/**
 * Keyboard-wedge detection, free of the DOM so it can be tested with plain
 * timestamps.
 *
 * A wedge scanner types a whole code in a burst (a few ms a key); a person
 * types about 150 ms a key. A run of at least `minLength` characters whose
 * average gap is at most `maxAvgGapMs` is a scan. On a busy handheld the main
 * thread sometimes stalls for a moment inside a burst, so a long run (9 keys
 * or more) leaves its single largest gap out of the average; a pause longer
 * than `idleMs` always ends the run. A scan ends with Enter or Tab, or with
 * that pause for scanners configured without a suffix. Several codes
 * in one burst are separated by Enter/Tab; once a burst has produced a code,
 * the following segments of the same burst are codes too, however short.
 * GS (0x1D, FNC1 in GS1 codes) is kept inside the code.
 */

export const GS = '\x1d';

export interface WedgeOptions {
  minLength: number;
  maxAvgGapMs: number;
  /** A pause this long ends a suffix-less scan, and ends a burst. */
  idleMs: number;
}

export const defaultWedgeOptions: WedgeOptions = {
  minLength: 4,
  maxAvgGapMs: 35,
  idleMs: 250,
};

/** From this many gaps on, the largest one is left out of the average. */
const TRIM_FROM_GAPS = 8;

export interface WedgeKey {
  key: string;
  code?: string;
  ctrlKey?: boolean;
  altKey?: boolean;
  metaKey?: boolean;
}

export interface WedgeStep {
  /** Codes completed by this key (usually none, sometimes one). */
  codes: string[];
  /** The key belongs to a scan and must not reach the page (Enter/Tab). */
  consume: boolean;
}

type KeyClass =
  | { type: 'char'; ch: string }
  | { type: 'end' }
  | { type: 'ignore' };

export function classifyKey(k: WedgeKey): KeyClass {
  if (k.key === 'GroupSeparator' || k.key === GS) return { type: 'char', ch: GS };
  if (k.ctrlKey && (k.key === ']' || k.code === 'BracketRight')) {
    // Ctrl+] is ASCII 29 on a US layout; some scanners emit it for FNC1.
    return { type: 'char', ch: GS };
  }
  if (k.key === 'Enter' || k.key === 'Tab') return { type: 'end' };
  if (k.ctrlKey || k.altKey || k.metaKey) return { type: 'ignore' };
  if (k.key.length === 1) return { type: 'char', ch: k.key };
  return { type: 'ignore' };
}

export class WedgeParser {
  private readonly opts: WedgeOptions;
  private chars: string[] = [];
  private times: number[] = [];
  /** Time of the last key that belonged to the current sequence. */
  private last = -Infinity;
  /** The current burst has already produced a code. */
  private inBurst = false;

  constructor(opts: Partial<WedgeOptions> = {}) {
    this.opts = { ...defaultWedgeOptions, ...opts };
  }

  get pending(): string {
    return this.chars.join('');
  }

  /** Feed one keydown at time `t` (ms). */
  key(k: WedgeKey, t: number): WedgeStep {
    const codes: string[] = [];
    const c = classifyKey(k);
    if (c.type === 'ignore') return { codes, consume: false };

    if (t - this.last > this.opts.idleMs) {
      // A pause ends whatever was going on.
      const done = this.finish();
      if (done !== null) codes.push(done);
      this.inBurst = false;
    }

    if (c.type === 'char') {
      this.chars.push(c.ch);
      this.times.push(t);
      this.last = t;
      return { codes, consume: false };
    }

    // Enter / Tab
    const done = this.finish();
    if (done !== null) {
      codes.push(done);
      this.inBurst = true;
      this.last = t;
      return { codes, consume: true };
    }
    if (this.inBurst && t - this.last <= this.opts.idleMs) {
      // CR+LF or Enter+Tab suffixes: swallow the extra terminator.
      this.last = t;
      return { codes, consume: true };
    }
    this.inBurst = false;
    this.last = -Infinity;
    return { codes, consume: false };
  }

  /** Call when no key arrived for `idleMs`; returns a suffix-less code, if any. */
  idle(t: number): string | null {
    if (t - this.last < this.opts.idleMs) return null;
    const done = this.finish();
    this.inBurst = false;
    this.last = -Infinity;
    return done;
  }

  reset(): void {
    this.chars = [];
    this.times = [];
    this.inBurst = false;
    this.last = -Infinity;
  }

  private isScan(): boolean {
    const n = this.chars.length;
    if (n === 0) return false;
    if (this.inBurst) {
      return n === 1 || this.averageGap() <= this.opts.maxAvgGapMs;
    }
    return n >= this.opts.minLength && this.averageGap() <= this.opts.maxAvgGapMs;
  }

  private averageGap(): number {
    const n = this.times.length;
    if (n < 2) return 0;
    const total = this.times[n - 1] - this.times[0];
    const gaps = n - 1;
    if (gaps < TRIM_FROM_GAPS) return total / gaps;
    let largest = 0;
    for (let i = 1; i < n; i++) largest = Math.max(largest, this.times[i] - this.times[i - 1]);
    return (total - largest) / (gaps - 1);
  }

  /** Close the current segment: its code if it was a scan, else null. */
  private finish(): string | null {
    const code = this.isScan() ? this.chars.join('') : null;
    this.chars = [];
    this.times = [];
    return code;
  }
}
