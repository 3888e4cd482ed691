import { describe, expect, it } from 'vitest';
import type { Task, TaskEvent } from './logic';
import { applyTaskEvent, byUrgency, mergeFetched, priorityBand } from './logic';

const me = 'u1';
const task = (id: string, over: Partial<Task> = {}): Task => ({
  id,
  kind: 'PICK',
  state: 'OPEN',
  title: `Task ${id}`,
  priority: 5,
  binCode: 'BIN-A01-001-1-X',
  zoneCode: 'A',
  assigneeId: null,
  createdAt: '2026-11-22T10:00:00Z',
  reference: null,
  ...over,
});
const ev = (change: string, t: Task): TaskEvent => ({ change, task: t });

describe('applyTaskEvent', () => {
  it('puts a new task on top and reports it', () => {
    const r = applyTaskEvent([task('1'), task('2')], ev('CREATED', task('3')), me);
    expect(r.tasks.map((t) => t.id)).toEqual(['3', '1', '2']);
    expect(r.added?.id).toBe('3');
  });

  it('updates a known task in place', () => {
    const r = applyTaskEvent([task('1'), task('2')], ev('CLAIMED', task('2', { state: 'CLAIMED', assigneeId: me })), me);
    expect(r.tasks.map((t) => [t.id, t.state])).toEqual([
      ['1', 'OPEN'],
      ['2', 'CLAIMED'],
    ]);
    expect(r.added).toBeNull();
  });

  it('keeps a released task (it is open again) and lists one that comes back', () => {
    const r = applyTaskEvent([task('1')], ev('RELEASED', task('2')), me);
    expect(r.tasks.map((t) => t.id)).toEqual(['2', '1']);
  });

  it('removes finished, cancelled and others\u2019 tasks', () => {
    const list = [task('1'), task('2'), task('3')];
    expect(applyTaskEvent(list, ev('DONE', task('1', { state: 'DONE' })), me).tasks.map((t) => t.id)).toEqual(['2', '3']);
    expect(applyTaskEvent(list, ev('CANCELLED', task('2')), me).tasks.map((t) => t.id)).toEqual(['1', '3']);
    expect(applyTaskEvent(list, ev('CLAIMED', task('3', { assigneeId: 'u2' })), me).tasks.map((t) => t.id)).toEqual(['1', '2']);
  });

  it('ignores a finish event for a task it never had', () => {
    const list = [task('1')];
    const r = applyTaskEvent(list, ev('DONE', task('9', { state: 'DONE' })), me);
    expect(r.tasks).toBe(list);
    expect(r.added).toBeNull();
  });
});

describe('mergeFetched', () => {
  it('replays events that arrived while the list was loading', () => {
    const fetched = [task('1'), task('2')];
    const merged = mergeFetched(fetched, [ev('CREATED', task('3')), ev('CANCELLED', task('1'))], me);
    expect(merged.map((t) => t.id)).toEqual(['3', '2']);
  });

  it('does not duplicate a task that is both fetched and pushed', () => {
    const merged = mergeFetched([task('1')], [ev('CREATED', task('1'))], me);
    expect(merged.map((t) => t.id)).toEqual(['1']);
  });
});

describe('priorityBand', () => {
  it('bands integers', () => {
    expect(priorityBand(1)).toBe('urgent');
    expect(priorityBand(2)).toBe('high');
    expect(priorityBand(3)).toBe('high');
    expect(priorityBand(5)).toBe('normal');
    expect(priorityBand(7)).toBe('low');
    expect(priorityBand(9)).toBe('low');
  });
});

describe('byUrgency', () => {
  it('sorts by priority, then age', () => {
    const list = [
      task('1', { priority: 5, createdAt: '2026-11-22T10:00:00Z' }),
      task('2', { priority: 2, createdAt: '2026-11-22T11:00:00Z' }),
      task('3', { priority: 5, createdAt: '2026-11-22T09:00:00Z' }),
      task('4', { priority: 1, createdAt: '2026-11-22T12:00:00Z' }),
    ];
    expect(list.sort(byUrgency).map((t) => t.id)).toEqual(['4', '2', '3', '1']);
  });
});
