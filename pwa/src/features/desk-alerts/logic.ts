import type { ConditionKind } from './ops';

/**
 * Which numbers each condition takes (backend/alerts/rules.py): a threshold
 * for minimum and maximum (needed), safety stock (optional: computed from
 * demand when absent) and the counted ones (optional, at least 1); days for
 * expiry, no movement and the counted ones (needed), for no other.
 */
export const CONDITION_FIELDS: Record<ConditionKind, { threshold: 'required' | 'optional' | 'none'; days: 'required' | 'none' }> = {
  BELOW_SAFETY_STOCK: { threshold: 'optional', days: 'none' },
  BELOW_MINIMUM: { threshold: 'required', days: 'none' },
  ABOVE_MAXIMUM: { threshold: 'required', days: 'none' },
  EXPIRY_WITHIN: { threshold: 'none', days: 'required' },
  NO_MOVEMENT: { threshold: 'none', days: 'required' },
  COUNT_VARIANCE: { threshold: 'optional', days: 'required' },
  NEGATIVE_AVAILABILITY: { threshold: 'optional', days: 'required' },
};

export interface ConditionDraft {
  kind: ConditionKind;
  threshold: string;
  days: string;
}

export interface RuleDraft {
  name: string;
  combine: 'ALL' | 'ANY';
  severity: 'INFO' | 'WARNING' | 'CRITICAL';
  scope: 'WAREHOUSE' | 'ITEM' | 'CATEGORY' | 'ABC' | 'STORAGE';
  scopeValue: string;
  conditions: ConditionDraft[];
  repeatMinutes: string;
  quietFrom: string;
  quietTo: string;
  emailTo: string;
  webhookUrl: string;
  webhookSecret: string;
}

const whole = (s: string): number | null | 'bad' => {
  if (!s.trim()) return null;
  const n = Number(s);
  return Number.isInteger(n) && n >= 0 ? n : 'bad';
};

/** "22:00" → minutes after midnight; '' → null. */
export function minuteOf(hhmm: string): number | null | 'bad' {
  if (!hhmm.trim()) return null;
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm.trim());
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) return 'bad';
  return Number(m[1]) * 60 + Number(m[2]);
}

export function hhmmOf(minute: number | null): string {
  if (minute === null) return '';
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

/**
 * The createAlertRule input, or the first field the form gets wrong. The
 * server checks the rule's sense again (ALERT_RULE_INVALID: a minimum above
 * the maximum, ALL of below-minimum and above-maximum…).
 */
export type RuleField = 'name' | 'conditions' | 'threshold' | 'days' | 'repeatMinutes' | 'quiet' | 'emailTo' | 'webhookUrl' | 'scopeValue';

export function ruleInput(d: RuleDraft, warehouseId: string | null): { ok: true; input: Record<string, unknown> } | { ok: false; field: RuleField } {
  if (!d.name.trim()) return { ok: false, field: 'name' };
  if (d.conditions.length === 0) return { ok: false, field: 'conditions' };
  const conditions: Record<string, unknown>[] = [];
  for (const c of d.conditions) {
    const spec = CONDITION_FIELDS[c.kind];
    const threshold = whole(c.threshold);
    const days = whole(c.days);
    if (threshold === 'bad' || (spec.threshold === 'required' && threshold === null)) return { ok: false, field: 'threshold' };
    if (days === 'bad' || (spec.days === 'required' && (days === null || days === 0))) return { ok: false, field: 'days' };
    conditions.push({ kind: c.kind, threshold: spec.threshold === 'none' ? null : threshold, days: spec.days === 'none' ? null : days });
  }
  const repeat = whole(d.repeatMinutes);
  if (repeat === 'bad' || repeat === 0) return { ok: false, field: 'repeatMinutes' };
  const quietStart = minuteOf(d.quietFrom);
  const quietEnd = minuteOf(d.quietTo);
  if (quietStart === 'bad' || quietEnd === 'bad' || (quietStart === null) !== (quietEnd === null)) return { ok: false, field: 'quiet' };
  const emails = d.emailTo.split(/[\s,;]+/).filter(Boolean);
  if (emails.some((e) => !/^[^@\s]+@[^@\s]+$/.test(e))) return { ok: false, field: 'emailTo' };
  const hook = d.webhookUrl.trim();
  if (hook && !/^https?:\/\//.test(hook)) return { ok: false, field: 'webhookUrl' };
  const value = d.scopeValue.trim();
  if (d.scope !== 'WAREHOUSE' && !value) return { ok: false, field: 'scopeValue' };
  return {
    ok: true,
    input: {
      name: d.name.trim(),
      warehouseId,
      combine: d.combine,
      severity: d.severity,
      conditions,
      itemSku: d.scope === 'ITEM' ? value : null,
      category: d.scope === 'CATEGORY' ? value : null,
      abcClass: d.scope === 'ABC' ? value.toUpperCase() : null,
      storageClass: d.scope === 'STORAGE' ? value : null,
      repeatMinutes: repeat ?? 240,
      quietStartMinute: quietStart,
      quietEndMinute: quietEnd,
      emailTo: emails.length ? emails : null,
      webhookUrl: hook || null,
      webhookSecret: hook && d.webhookSecret.trim() ? d.webhookSecret.trim() : null,
    },
  };
}
