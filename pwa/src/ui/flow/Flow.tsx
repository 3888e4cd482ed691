import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { cue } from '../../feedback';
import { useI18n, type MessageKey } from '../../i18n';
import { errorMessage, type ErrorMessage, type ErrorParams, type Refusal } from './errors';
import { Scanner } from '../../scanner/Scanner';
import { metresText, needsKeypad, padHardwareKey, padKey, padTyping, progressFraction, type PadTyping, type Tally } from './logic';
import type { Outcome } from './mutate';
import { speak } from './speech';

/*
 * The guided-flow kit: the pieces every scan-driven task screen is made of.
 * One thing to do at a time, said big; the scanner always listening; the
 * keypad only when a quantity must be keyed; progress always in view; big
 * buttons at the bottom, within reach of a thumb.
 */

export type Thing = 'bin' | 'item' | 'tote' | 'po' | 'order' | 'carton' | 'lot' | 'unit' | 'code' | 'transfer';

export type FlowMessage = { kind: 'error' | 'ok' | 'info'; text: string; detail?: string | null };

/** Feedback for a flow: beeps, vibration, the message on screen and (errors) spoken. */
export function useFlowFeedback() {
  const { t, locale } = useI18n();
  const [message, setMessage] = useState<FlowMessage | null>(null);

  const show = useCallback(
    (m: ErrorMessage) => {
      cue('error');
      speak(m.text, locale);
      setMessage({ kind: 'error', text: m.text, detail: m.detail });
    },
    [locale],
  );
  const error = useCallback((text: string) => show({ text, detail: null }), [show]);

  return useMemo(
    () => ({
      message,
      clear: () => setMessage(null),
      /** Success chirp, with an optional line of text. */
      ok: (text?: string) => {
        cue('success');
        setMessage(text ? { kind: 'ok', text } : null);
      },
      info: (text: string) => setMessage({ kind: 'info', text }),
      /**
       * A client-side refusal by code (backend/core/errors.py codes), with the
       * screen's facts for the specific line (`errorDetail.CODE`).
       */
      errorCode: (code: string, params?: ErrorParams) => show(errorMessage({ code }, locale, params)),
      /** The server's refusal: translated headline, specifics kept. */
      refused: (r: Refusal, params?: ErrorParams) => show(errorMessage(r, locale, params)),
      error,
      /**
       * React to a mutation's outcome: true when it went through (or was kept
       * for later, which is said on screen); false after an error was shown.
       * `params` are the screen's facts (scanned, expected…) for the specifics.
       */
      outcome: <T,>(o: Outcome<T>, params?: ErrorParams): o is Extract<Outcome<T>, { status: 'ok' | 'queued' }> => {
        if (o.status === 'ok') return true;
        if (o.status === 'queued') {
          cue('success');
          setMessage({ kind: 'info', text: t('flow.queued') });
          return true;
        }
        show(o.status === 'refused' ? errorMessage(o, locale, params) : errorMessage({ code: o.code }, locale));
        return false;
      },
    }),
    [message, show, error, t, locale],
  );
}

export function FlowMessageView({ message }: { message: FlowMessage | null }) {
  const box = useRef<HTMLDivElement>(null);
  // A refusal after a tap at the bottom of a long screen must not stay scrolled out of sight.
  useEffect(() => {
    if (message?.kind === 'error') box.current?.scrollIntoView?.({ block: 'nearest' });
  }, [message]);
  if (!message) return null;
  return (
    <div
      ref={box}
      class={`flow-msg flow-msg-${message.kind}`}
      role={message.kind === 'error' ? 'alert' : 'status'}
      data-testid={message.kind === 'error' ? 'flow-error' : 'flow-message'}
    >
      <p class="flow-msg-text">{message.text}</p>
      {message.detail ? (
        <p class="flow-msg-detail" data-testid="flow-error-detail">
          {message.detail}
        </p>
      ) : null}
    </div>
  );
}

export interface ProgressProps {
  lines?: Tally;
  units?: Tally;
  metresLeft?: number | null;
}

export function FlowProgress({ lines, units, metresLeft }: ProgressProps) {
  const { t } = useI18n();
  const pct = Math.round(progressFraction({ lines, units }) * 100);
  return (
    <div class="flow-progress" data-testid="flow-progress">
      <div class="flow-progress-bar" role="progressbar" aria-label={t('flow.progress')} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
        <span style={{ width: `${pct}%` }} />
      </div>
      <div class="flow-progress-figures">
        {lines ? (
          <span data-testid="progress-lines">
            {t('flow.lines')} <b>{lines.done}/{lines.total}</b>
          </span>
        ) : null}
        {units ? (
          <span data-testid="progress-units">
            {t('flow.units')} <b>{units.done}/{units.total}</b>
          </span>
        ) : null}
        {metresLeft != null ? <span>{t('flow.metresLeft', { m: metresText(metresLeft) })}</span> : null}
      </div>
    </div>
  );
}

export interface ScanPromptProps {
  thing: Thing;
  /** The value to scan, shown big (a bin label, a SKU…). */
  expected?: string | null;
  /** Smaller lines under the expected value (item name, lot, quantity). */
  detail?: ComponentChildren;
  onScan: (code: string) => void;
  disabled?: boolean;
}

/** "Scan bin" and the bin, big; the scanner wired to it. */
export function ScanPrompt({ thing, expected, detail, onScan, disabled }: ScanPromptProps) {
  const { t } = useI18n();
  const thingText = t(`flow.thing.${thing}` as MessageKey);
  return (
    <section class={`flow-prompt thing-${thing}`} data-testid="scan-prompt" data-thing={thing}>
      <h2 class="flow-prompt-title">{t('flow.scan', { thing: thingText })}</h2>
      {expected ? (
        <p class="flow-expected code" data-testid="expected">
          {expected}
        </p>
      ) : null}
      {detail ? <div class="flow-detail">{detail}</div> : null}
      <Scanner onScan={(code) => onScan(code.trim())} disabled={disabled} manualLabel={t('flow.scan', { thing: thingText })} />
    </section>
  );
}

const PAD_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'clear', '0', 'back'];

export interface QtyPadProps {
  /** The quantity asked for: the pad starts there. */
  expected: number;
  /** The most that may be keyed (defaults to `expected`). */
  max?: number;
  onConfirm: (quantity: number) => void;
  disabled?: boolean;
  unit?: string;
}

/** A quantity keypad; render it only when `needsKeypad(expected)`. */
export function QtyPad({ expected, max, onConfirm, disabled, unit }: QtyPadProps) {
  const { t } = useI18n();
  const limit = max ?? expected;
  const [value, setValue] = useState(String(expected));
  const n = value === '' ? 0 : Number(value);
  // Hardware keys (a PDA keypad, gloves on): digits, Backspace, Delete, Enter.
  const typing = useRef<PadTyping>(padTyping(String(expected)));
  const latest = useRef({ onConfirm, limit, disabled });
  latest.current = { onConfirm, limit, disabled };
  // A layout effect: the keys are heard from the moment the pad is on screen. A plain
  // effect runs after paint, and a digit pressed at once was lost (and the pad then
  // confirmed the quantity it started at).
  useLayoutEffect(() => {
    const onKey = (ev: KeyboardEvent) => {
      if (latest.current.disabled || ev.ctrlKey || ev.altKey || ev.metaKey || isTextField(ev.target)) return;
      const r = padHardwareKey(typing.current, ev.key, ev.timeStamp, latest.current.limit);
      if (!r.handled) return;
      // Window capture runs before the scanner's listener: it must not take these keys for a code.
      ev.preventDefault();
      typing.current = r.state;
      setValue(r.state.value);
      if (r.confirm) latest.current.onConfirm(Number(r.state.value));
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
  const tap = (k: string) => {
    const next = padKey(value, k, limit);
    typing.current = { ...typing.current, value: next, fresh: false, before: next };
    setValue(next);
  };
  return (
    <section class="qtypad" data-testid="qty-pad">
      <div class="qtypad-display">
        <span class="qtypad-label">{t('flow.quantity')}</span>
        <output class="qtypad-value" data-testid="qty-value">
          {value || '0'}
        </output>
        <span class="qtypad-of">
          {t('flow.quantityOf', { n: value || '0', total: expected })}
          {unit ? ` ${unit}` : ''}
        </span>
      </div>
      <div class="pin-grid">
        {PAD_KEYS.map((k) => (
          <button
            type="button"
            class={k === 'clear' || k === 'back' ? 'pin-key pin-key-fn' : 'pin-key'}
            onClick={() => tap(k)}
            disabled={disabled}
            data-key={k}
            aria-label={k === 'back' ? t('signin.pinDelete') : k === 'clear' ? t('signin.pinClear') : k}
          >
            {k === 'back' ? '⌫' : k === 'clear' ? 'C' : k}
          </button>
        ))}
      </div>
      <button
        type="button"
        class="btn btn-primary btn-block btn-lg"
        disabled={disabled || value === ''}
        onClick={() => onConfirm(n)}
        data-testid="qty-confirm"
      >
        {t('flow.confirmQty', { n })}
      </button>
    </section>
  );
}

export { needsKeypad };

/** A field the person is typing into (the pad leaves those keys alone). */
function isTextField(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  if (el.isContentEditable || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return true;
  return el instanceof HTMLInputElement && !['button', 'checkbox', 'radio', 'submit', 'reset'].includes(el.type);
}

export interface FlowActionsProps {
  onSkip?: () => void;
  onShort?: () => void;
  onProblem?: () => void;
  disabled?: boolean;
}

/** Skip / Short / Problem: big, at the bottom, only those the step allows. */
export function FlowActions({ onSkip, onShort, onProblem, disabled }: FlowActionsProps) {
  const { t } = useI18n();
  if (!onSkip && !onShort && !onProblem) return null;
  return (
    <div class="flow-actions">
      {onSkip ? (
        <button type="button" class="btn btn-secondary" onClick={onSkip} disabled={disabled} data-testid="flow-skip">
          {t('flow.skip')}
        </button>
      ) : null}
      {onShort ? (
        <button type="button" class="btn btn-secondary" onClick={onShort} disabled={disabled} data-testid="flow-short">
          {t('flow.short')}
        </button>
      ) : null}
      {onProblem ? (
        <button type="button" class="btn btn-secondary flow-problem" onClick={onProblem} disabled={disabled} data-testid="flow-problem">
          {t('flow.problem')}
        </button>
      ) : null}
    </div>
  );
}

export type ProblemReason = 'damaged' | 'missingLabel' | 'binBlocked' | 'other';
const REASONS: ProblemReason[] = ['damaged', 'missingLabel', 'binBlocked', 'other'];

/** The reasons a worker can give for a problem, as big buttons. */
export function ProblemSheet({ onPick, onCancel }: { onPick: (reason: ProblemReason) => void; onCancel: () => void }) {
  const { t } = useI18n();
  return (
    <section class="flow-sheet" role="dialog" aria-label={t('flow.problemTitle')} data-testid="problem-sheet">
      <h2 class="flow-sheet-title">{t('flow.problemTitle')}</h2>
      {REASONS.map((r) => (
        <button type="button" class="btn btn-secondary btn-block btn-lg" onClick={() => onPick(r)} data-reason={r}>
          {t(`flow.problem.${r}` as MessageKey)}
        </button>
      ))}
      <button type="button" class="btn btn-ghost btn-block" onClick={onCancel}>
        {t('flow.cancel')}
      </button>
    </section>
  );
}

/** The frame of a guided screen: progress on top, the step, the message, the actions at the bottom. */
export function FlowFrame({
  progress,
  message,
  actions,
  children,
  wide,
}: {
  progress?: ComponentChildren;
  message?: FlowMessage | null;
  actions?: ComponentChildren;
  children: ComponentChildren;
  wide?: boolean;
}) {
  return (
    <div class={wide ? 'flow flow-wide' : 'flow'} data-testid="flow">
      {progress}
      <FlowMessageView message={message ?? null} />
      <div class="flow-body">{children}</div>
      {actions}
    </div>
  );
}

/** The end of a flow: a calm confirmation and the way back. */
export function FlowDone({ text, onClose }: { text?: string; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <div class="empty flow-done" data-testid="flow-done">
      <svg viewBox="0 0 48 48" width="64" height="64" aria-hidden="true">
        <circle cx="24" cy="24" r="20" fill="none" stroke="currentColor" stroke-width="3" />
        <path d="M14 25l7 7 13-14" fill="none" stroke="currentColor" stroke-width="3" stroke-linecap="round" />
      </svg>
      <p class="empty-title">{text ?? t('flow.allDone')}</p>
      <button type="button" class="btn btn-primary btn-block btn-lg" onClick={onClose}>
        {t('flow.backToTasks')}
      </button>
    </div>
  );
}
