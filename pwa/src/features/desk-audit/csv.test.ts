import { describe, expect, it } from 'vitest';
import { auditCsv, csvField, newestFirst } from './csv';

const row = (id: string, at: string, action = 'approveAdjustment') => ({ id, at, userId: '3', deviceId: 'dev, 1', action, entity: 'adjustment', entityId: '12' });

describe('audit CSV', () => {
  it('writes a header and quotes what needs quoting', () => {
    expect(auditCsv([row('1', '2026-12-01T10:00:00Z')])).toBe(
      'id,at,user_id,device_id,action,entity,entity_id\r\n1,2026-12-01T10:00:00Z,3,"dev, 1",approveAdjustment,adjustment,12\r\n',
    );
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField(null)).toBe('');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
  });

  it('puts the latest entries first', () => {
    expect(newestFirst([row('1', '2026-12-01T10:00:00Z'), row('3', '2026-12-02T10:00:00Z'), row('2', '2026-12-01T10:00:00Z')]).map((r) => r.id)).toEqual(['3', '2', '1']);
  });
});
