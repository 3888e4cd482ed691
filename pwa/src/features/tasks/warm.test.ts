import { describe, expect, it } from 'vitest';
import type { Task } from './logic';
import { toWarm } from './warm';

const task = (id: string, kind: string, assigneeId: string | null): Task => ({
  id,
  kind,
  state: assigneeId ? 'CLAIMED' : 'OPEN',
  title: kind,
  priority: 5,
  binCode: null,
  zoneCode: null,
  assigneeId,
  createdAt: '2026-12-01T00:00:00Z',
  reference: null,
});

describe('which task copies are warmed', () => {
  it('takes my tasks and open ones of the kinds with a device copy, in list order, up to the limit', () => {
    const tasks = [task('1', 'PICK', 'me'), task('2', 'PICK', 'other'), task('3', 'RECEIVE', null), task('4', 'COUNT', null), task('5', 'PUTAWAY', 'me')];
    expect(toWarm(tasks, 'me').map((t) => t.id)).toEqual(['1', '4', '5']);
    expect(toWarm(tasks, 'me', 2).map((t) => t.id)).toEqual(['1', '4']);
  });
});
