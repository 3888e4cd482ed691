import type { MessageKey } from '../../i18n';
import type { Outcome } from '../../ui/flow/mutate';
import type { useFlowFeedback } from '../../ui/flow/Flow';

type Feedback = ReturnType<typeof useFlowFeedback>;
type T = (key: MessageKey, params?: Record<string, string | number>) => string;

/**
 * Show a save's outcome: a refusal keeps its translated code as the headline and
 * names the field on screen (in the reader's language) with the server's specifics;
 * a taken code says which code. Returns the saved data, or null after a refusal.
 */
export function answered<T2>(
  out: Outcome<T2>,
  fb: Feedback,
  t: T,
  label: (field: string) => string,
  valueOf: (field: string) => string,
  markBad: (field: string | null) => void,
): T2 | null {
  if (out.status === 'refused') {
    markBad(out.field);
    const f = out.field;
    const detail =
      out.code === 'DUPLICATE' && f && f !== 'services'
        ? t('setup.detail.taken', { field: label(f), value: valueOf(f) })
        : f
          ? t('setup.detail.field', { field: label(f), message: out.message })
          : out.message;
    fb.refused({ code: out.code, message: detail });
    return null;
  }
  if (!fb.outcome(out) || out.status !== 'ok') return null;
  markBad(null);
  return out.data;
}
