import { useEffect, useRef } from 'preact/hooks';
import { useI18n } from '../../i18n';

interface PinPadProps {
  value: string;
  onChange: (pin: string) => void;
  onSubmit: () => void;
  maxLength?: number;
  disabled?: boolean;
}

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];

/**
 * Big digits for gloved thumbs. A hidden-keyboard input keeps focus so a
 * handheld's hardware keypad types into it too (inputmode="none" keeps the
 * phone's soft keyboard from covering the pad).
 */
export function PinPad({ value, onChange, onSubmit, maxLength = 12, disabled }: PinPadProps) {
  const { t } = useI18n();
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    input.current?.focus();
  }, []);

  const press = (digit: string) => {
    if (disabled || value.length >= maxLength) return;
    onChange(value + digit);
  };
  const keepFocus = (e: Event) => e.preventDefault();

  return (
    <form
      class="pinpad"
      onSubmit={(e) => {
        e.preventDefault();
        if (!disabled && value) onSubmit();
      }}
    >
      <input
        ref={input}
        class="pin-input"
        type="password"
        inputMode="none"
        autocomplete="off"
        aria-label={t('signin.enterPin')}
        data-testid="pin-input"
        value={value}
        maxLength={maxLength}
        disabled={disabled}
        onInput={(e) => onChange((e.currentTarget as HTMLInputElement).value.replace(/\D/g, '').slice(0, maxLength))}
      />
      <div class="pin-dots" aria-hidden="true">
        {Array.from({ length: Math.max(4, value.length) }, (_, i) => (
          <span class={i < value.length ? 'pin-dot filled' : 'pin-dot'} />
        ))}
      </div>
      <div class="pin-grid">
        {KEYS.map((d) => (
          <button type="button" class="pin-key" onMouseDown={keepFocus} onClick={() => press(d)} disabled={disabled} data-digit={d}>
            {d}
          </button>
        ))}
        <button
          type="button"
          class="pin-key pin-key-fn"
          onMouseDown={keepFocus}
          onClick={() => onChange(value.slice(0, -1))}
          disabled={disabled || !value}
          aria-label={t('signin.pinDelete')}
        >
          <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
            <path
              fill="currentColor"
              d="M21 5H8.4a2 2 0 0 0-1.5.7L1.6 12l5.3 6.3a2 2 0 0 0 1.5.7H21a2 2 0 0 0 2-2V7a2 2 0 0 0-2-2Zm-3.3 10.3-1.4 1.4L13.6 14l-2.7 2.7-1.4-1.4 2.7-2.7-2.7-2.7 1.4-1.4 2.7 2.7 2.7-2.7 1.4 1.4-2.7 2.7 2.7 2.7Z"
            />
          </svg>
        </button>
        <button type="button" class="pin-key" onMouseDown={keepFocus} onClick={() => press('0')} disabled={disabled} data-digit="0">
          0
        </button>
        <button type="submit" class="pin-key pin-key-ok" onMouseDown={keepFocus} disabled={disabled || !value}>
          {t('scanner.ok')}
        </button>
      </div>
    </form>
  );
}
