import { describe, expect, it } from 'vitest';
import { auditCsv, csvField, newestFirst } from './csv';

const row = (id: string, at: string, action = 'approveAdjustment') => ({ id, at, userId: '3', userName: 'Sam Super', deviceId: 'dev, 1', action, entity: 'adjustment', entityId: '12' });

describe('audit CSV', () => {
  it('writes a header and quotes what needs quoting', () => {
    expect(auditCsv([row('1', '2026-12-01T10:00:00Z')])).toBe(
      'id,at,user_id,device_id,action,entity,entity_id,user_name\r\n1,2026-12-01T10:00:00Z,3,"dev, 1",approveAdjustment,adjustment,12,Sam Super\r\n',
    );
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField(null)).toBe('');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
  });

  it('puts the latest entries first', () => {
    expect(newestFirst([row('1', '2026-12-01T10:00:00Z'), row('3', '2026-12-02T10:00:00Z'), row('2', '2026-12-01T10:00:00Z')]).map((r) => r.id)).toEqual(['3', '2', '1']);
  });
});

describe('audit filters', () => {
  it('leaves empty fields out and sends local times as UTC instants', async () => {
    const { NO_FILTERS, auditVariables } = await import('./ops');
    const v = auditVariables({ ...NO_FILTERS, username: ' sup ', since: '2026-12-01T08:00' });
    expect(v.username).toBe('sup');
    expect(v.entity).toBeNull();
    expect(v.until).toBeNull();
    expect(v.since).toBe(new Date('2026-12-01T08:00').toISOString());
  });
});
