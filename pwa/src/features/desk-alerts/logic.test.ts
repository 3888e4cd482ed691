import { describe, expect, it } from 'vitest';
import { hhmmOf, minuteOf, ruleInput, type RuleDraft } from './logic';

const draft: RuleDraft = {
  name: 'Low glue',
  combine: 'ANY',
  severity: 'CRITICAL',
  scope: 'ITEM',
  scopeValue: 'GLUE-1',
  conditions: [{ kind: 'BELOW_MINIMUM', threshold: '20', days: '5' }, { kind: 'EXPIRY_WITHIN', threshold: '3', days: '30' }],
  repeatMinutes: '60',
  quietFrom: '22:00',
  quietTo: '06:30',
  emailTo: 'a@x.example, b@x.example',
  webhookUrl: 'https://hooks.example/wms',
  webhookSecret: 's3cret',
};

describe('alert rule editor', () => {
  it('sends only the numbers each condition takes', () => {
    const out = ruleInput(draft, '1');
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.input.conditions).toEqual([
      { kind: 'BELOW_MINIMUM', threshold: 20, days: null },
      { kind: 'EXPIRY_WITHIN', threshold: null, days: 30 },
    ]);
    expect(out.input).toMatchObject({ itemSku: 'GLUE-1', category: null, quietStartMinute: 1320, quietEndMinute: 390, emailTo: ['a@x.example', 'b@x.example'], repeatMinutes: 60, webhookSecret: 's3cret' });
  });

  it('names what is missing or malformed', () => {
    expect(ruleInput({ ...draft, name: '' }, null)).toEqual({ ok: false, field: 'name' });
    expect(ruleInput({ ...draft, conditions: [{ kind: 'ABOVE_MAXIMUM', threshold: '', days: '' }] }, null)).toEqual({ ok: false, field: 'threshold' });
    expect(ruleInput({ ...draft, conditions: [{ kind: 'NO_MOVEMENT', threshold: '', days: '0' }] }, null)).toEqual({ ok: false, field: 'days' });
    expect(ruleInput({ ...draft, quietTo: '' }, null)).toEqual({ ok: false, field: 'quiet' });
    expect(ruleInput({ ...draft, emailTo: 'nobody' }, null)).toEqual({ ok: false, field: 'emailTo' });
    expect(ruleInput({ ...draft, webhookUrl: 'ftp://x' }, null)).toEqual({ ok: false, field: 'webhookUrl' });
    expect(ruleInput({ ...draft, scopeValue: ' ' }, null)).toEqual({ ok: false, field: 'scopeValue' });
  });

  it('reads and writes quiet hours as minutes after midnight', () => {
    expect(minuteOf('7:05')).toBe(425);
    expect(minuteOf('24:00')).toBe('bad');
    expect(hhmmOf(425)).toBe('07:05');
    expect(hhmmOf(null)).toBe('');
  });
});
