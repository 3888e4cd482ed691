import { WedgeParser, defaultWedgeOptions, type WedgeOptions } from './wedge';

/**
 * One document-level keydown listener for the whole app. The most recently
 * mounted scanner receives wedge scans; the others wait underneath (a dialog
 * with its own scanner takes over and gives back when it closes).
 */

export type WedgeHandler = (code: string) => void;

/** Marks the text field a scanner owns; keys typed there are watched too. */
export const SCAN_FIELD_ATTR = 'data-scan-field';

const handlers: WedgeHandler[] = [];
let parser: WedgeParser | null = null;
let idleTimer: ReturnType<typeof setTimeout> | undefined;
let idleMs = defaultWedgeOptions.idleMs;

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

function onKeyDown(ev: KeyboardEvent): void {
  if (!parser || handlers.length === 0 || ev.isComposing) return;
  const target = classifyTarget(ev.target);
  if (target === 'editable') return; // typing into a form: not ours
  lastTarget = target;
  lastField = ev.target;
  // Time of handling, not ev.timeStamp: the idle timer runs on this clock too,
  // and a busy main thread delivers a scanner's queued keys together anyway.
  const now = performance.now();
  const step = parser.key(ev, now);
  if (step.consume) {
    ev.preventDefault();
    ev.stopPropagation();
  }
  for (const code of step.codes) deliver(code, target, ev.target);
  clearTimeout(idleTimer);
  if (parser.pending) {
    idleTimer = setTimeout(() => {
      const code = parser?.idle(performance.now());
      if (code) deliver(code, lastTarget, lastField);
    }, idleMs + 5);
  }
}

/** Start listening for `handler`; returns the function that stops it. */
export function subscribeWedge(handler: WedgeHandler, opts: Partial<WedgeOptions> = {}): () => void {
  if (!parser) {
    parser = new WedgeParser(opts);
    idleMs = opts.idleMs ?? idleMs;
    document.addEventListener('keydown', onKeyDown, true);
  }
  handlers.push(handler);
  return () => {
    const i = handlers.lastIndexOf(handler);
    if (i >= 0) handlers.splice(i, 1);
    if (handlers.length === 0) parser?.reset();
  };
}
