import { WedgeParser, defaultWedgeOptions, type WedgeOptions } from './wedge';

/**
 * One document-level keydown listener for the whole app. The most recently
 * mounted scanner receives wedge scans; the others wait underneath (a dialog
 * with its own scanner takes over and gives back when it closes).
 *
 * Timing on a busy handheld: a scanner types into the operating system's
 * queue whatever the page is doing, so when the main thread stalls, keys pile
 * up and are handled late, together. Gaps are therefore judged by
 * `KeyboardEvent.timeStamp` (when the key was delivered), not by when the
 * handler ran; and the idle timer that ends a suffix-less scan never trusts
 * itself right after a stall: it lets queued input run first and emits only
 * if no key arrived meanwhile.
 */

export type WedgeHandler = (code: string) => void;

/** Marks the text field a scanner owns; keys typed there are watched too. */
export const SCAN_FIELD_ATTR = 'data-scan-field';

/** A timer that fires this much later than asked means the main thread was stalled. */
const STALL_MS = 40;
/** The most the idle pause is stretched for keys that arrive late. */
const MAX_LAG_ALLOWANCE_MS = 1500;

const handlers: WedgeHandler[] = [];
/** The scan field of each handler's screen, if it has one (typed keys go there). */
const fields = new Map<WedgeHandler, () => HTMLInputElement | null>();
let parser: WedgeParser | null = null;
let idleTimer: ReturnType<typeof setTimeout> | undefined;
let idleMs = defaultWedgeOptions.idleMs;
/** Counts keys fed to the parser: the idle check knows whether one came in meanwhile. */
let keySeq = 0;
/** Time stamp of the last key fed to the parser (same clock as performance.now()). */
let lastKeyAt = 0;
/** The longest a key of the current sequence took from its time stamp to its handler. */
let burstLag = 0;

type Target = 'scan-field' | 'editable' | 'other';

function classifyTarget(el: EventTarget | null): Target {
  if (!(el instanceof HTMLElement)) return 'other';
  if (el.hasAttribute(SCAN_FIELD_ATTR)) return 'scan-field';
  if (el.isContentEditable) return 'editable';
  if (el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return 'editable';
  if (el instanceof HTMLInputElement) {
    const nonText = ['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color', 'file', 'image'];
    return nonText.includes(el.type) ? 'other' : 'editable';
  }
  return 'other';
}

function deliver(code: string, target: Target, field: EventTarget | null): void {
  const handler = handlers[handlers.length - 1];
  if (!handler) return;
  if (target === 'scan-field' && field instanceof HTMLInputElement) {
    // The burst also landed in the field as typed text: take it back out.
    field.value = '';
    field.dispatchEvent(new Event('input', { bubbles: true }));
  }
  handler(code);
}

let lastTarget: Target = 'other';
let lastField: EventTarget | null = null;

/**
 * When the key was delivered, on the performance.now() clock. Browsers stamp
 * keys on that clock; a missing or implausible stamp falls back to now.
 */
export function keyTime(stamp: number, now: number): number {
  if (!Number.isFinite(stamp) || stamp <= 0) return now;
  if (stamp > now + 1000 || stamp < now - 60_000) return now;
  return stamp;
}

/** True when the browser says input events are waiting to be handled. */
function inputPending(): boolean {
  const scheduling = (navigator as Navigator & { scheduling?: { isInputPending?: () => boolean } }).scheduling;
  try {
    return scheduling?.isInputPending?.() === true;
  } catch {
    return false;
  }
}

/**
 * The pause that ends a suffix-less scan is measured from the last key's time
 * stamp; when this sequence's keys have been reaching the page late (a loaded
 * device: the input pipeline itself is behind), a next key may be on its way
 * for that long too, so the pause is stretched by twice the lag seen.
 */
function armIdle(): void {
  clearTimeout(idleTimer);
  const due = lastKeyAt + idleMs + Math.min(MAX_LAG_ALLOWANCE_MS, 2 * burstLag);
  const seq = keySeq;
  idleTimer = setTimeout(() => onIdleTimer(seq, due, false), Math.max(0, due - performance.now()) + 5);
}

function onIdleTimer(seq: number, due: number, rearmed: boolean): void {
  // A macrotask later, keys already queued behind this timer have been handled.
  idleTimer = setTimeout(() => {
    if (seq !== keySeq || !parser?.pending) return; // a key came in (and re-armed) or nothing waits
    const now = performance.now();
    if (inputPending()) {
      idleTimer = setTimeout(() => onIdleTimer(seq, due, rearmed), 0);
      return;
    }
    if (!rearmed && now - due > STALL_MS) {
      // The page was stalled: keys the scanner sent meanwhile may still be on
      // their way. Give them one more short window before calling it a scan.
      idleTimer = setTimeout(() => onIdleTimer(seq, due, true), STALL_MS);
      return;
    }
    const code = parser.idle(now);
    if (code) deliver(code, lastTarget, lastField);
  }, 0);
}

/**
 * A character typed with no field focused (a PDA keypad, nobody tapped the
 * field first) goes into the screen's scan field, which takes the focus, so
 * the following keys and Enter land there too; a scanner's burst still ends
 * as a scan (and is taken back out of the field).
 */
function typeIntoScanField(ev: KeyboardEvent): void {
  if (ev.defaultPrevented || ev.ctrlKey || ev.altKey || ev.metaKey || ev.key.length !== 1) return;
  const field = fields.get(handlers[handlers.length - 1])?.();
  if (!field || field.disabled || !field.isConnected) return;
  ev.preventDefault();
  field.focus();
  field.value += ev.key;
  field.dispatchEvent(new Event('input', { bubbles: true }));
}

function onKeyDown(ev: KeyboardEvent): void {
  if (!parser || handlers.length === 0 || ev.isComposing) return;
  const target = classifyTarget(ev.target);
  if (target === 'editable') return; // typing into a form: not ours
  if (target === 'other') typeIntoScanField(ev);
  lastTarget = target;
  lastField = ev.target;
  const now = performance.now();
  const at = keyTime(ev.timeStamp, now);
  if (!parser.pending) burstLag = 0;
  burstLag = Math.max(burstLag, now - at);
  const step = parser.key(ev, at);
  keySeq += 1;
  lastKeyAt = Math.max(lastKeyAt, at);
  if (step.consume) {
    ev.preventDefault();
    ev.stopPropagation();
  }
  for (const code of step.codes) deliver(code, target, ev.target);
  clearTimeout(idleTimer);
  if (parser.pending) armIdle();
}

/** Start listening for `handler`; returns the function that stops it. */
export function subscribeWedge(
  handler: WedgeHandler,
  opts: Partial<WedgeOptions> = {},
  field?: () => HTMLInputElement | null,
): () => void {
  if (!parser) {
    parser = new WedgeParser(opts);
    idleMs = opts.idleMs ?? idleMs;
    document.addEventListener('keydown', onKeyDown, true);
  }
  handlers.push(handler);
  if (field) fields.set(handler, field);
  markReady();
  return () => {
    const i = handlers.lastIndexOf(handler);
    if (i >= 0) handlers.splice(i, 1);
    fields.delete(handler);
    if (handlers.length === 0) parser?.reset();
    markReady();
  };
}

/** `data-wedge="ready"` on <html> while a scanner listens (tests wait for it before scanning). */
function markReady(): void {
  if (typeof document === 'undefined') return;
  if (handlers.length > 0) document.documentElement.dataset.wedge = 'ready';
  else delete document.documentElement.dataset.wedge;
}
