import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { deleteDB } from 'idb';
import { DB_NAME, closeDb, kvGet } from './db';
import { clearConflict, discard, enqueue, flush, pending, pendingCount } from './queue';

beforeEach(async () => {
  await closeDb();
  await deleteDB(DB_NAME);
});

const names = async () => (await pending()).map((m) => m.name);

describe('outbox', () => {
  it('keeps mutations in order with their idempotency keys', async () => {
    const a = await enqueue('confirmPick', 'mutation A', { n: 1 });
    const b = await enqueue('confirmPick', 'mutation B', { n: 2 }, 'fixed-key');
    expect(a.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(b.idempotencyKey).toBe('fixed-key');
    expect((await pending()).map((m) => m.query)).toEqual(['mutation A', 'mutation B']);
  });

  it('writes the change and the screen state in one transaction', async () => {
    await enqueue('pickScanBin', 'q', {}, 'k1', { group: 'task:7', kv: { key: 'pick:7', value: { step: 'SCAN_ITEM' } } });
    expect(await kvGet('pick:7')).toEqual({ step: 'SCAN_ITEM' });
    expect((await pending())[0].group).toBe('task:7');
  });

  it('replays in order and removes what was answered', async () => {
    await enqueue('one', 'q1', {});
    await enqueue('two', 'q2', {});
    const seen: string[] = [];
    const sent = await flush(async (m) => {
      seen.push(m.name);
      return 'done';
    });
    expect(sent).toBe(2);
    expect(seen).toEqual(['one', 'two']);
    expect(await pendingCount()).toBe(0);
  });

  it('stops at the first network failure and keeps the rest, counting the attempt', async () => {
    await enqueue('one', 'q1', {});
    await enqueue('two', 'q2', {});
    await enqueue('three', 'q3', {});
    const sent = await flush(async (m) => {
      if (m.name === 'two') throw new Error('offline');
      return 'done';
    });
    expect(sent).toBe(1);
    const left = await pending();
    expect(left.map((m) => m.name)).toEqual(['two', 'three']);
    expect(left[0].attempts).toBe(1);
    expect(left[0].lastError).toBe('offline');
  });

  it('a refused change holds back the rest of its group; other groups go on', async () => {
    await enqueue('bin-1', 'q', {}, 'a1', { group: 'task:1' });
    await enqueue('bin-2', 'q', {}, 'b1', { group: 'task:2' });
    await enqueue('item-1', 'q', {}, 'a2', { group: 'task:1' });
    await enqueue('item-2', 'q', {}, 'b2', { group: 'task:2' });
    const seen: string[] = [];
    const sent = await flush(async (m) => {
      seen.push(m.name);
      return m.name === 'bin-1' ? { conflict: { code: 'TASK_HELD_BY_OTHER', message: 'Another picker holds this task', field: 'taskId' } } : 'done';
    });
    expect(seen).toEqual(['bin-1', 'bin-2', 'item-2']);
    expect(sent).toBe(2);
    const left = await pending();
    expect(left.map((m) => m.name)).toEqual(['bin-1', 'item-1']);
    expect(left[0].conflict).toMatchObject({ code: 'TASK_HELD_BY_OTHER', field: 'taskId' });
    expect(left[1].conflict).toBeUndefined();

    // Until the person decides, nothing of that group is sent again.
    const again: string[] = [];
    await flush(async (m) => {
      again.push(m.name);
      return 'done';
    });
    expect(again).toEqual([]);

    // Retried (the task was given back): the group goes through in order.
    await clearConflict('a1');
    await flush(async (m) => {
      again.push(m.name);
      return 'done';
    });
    expect(again).toEqual(['bin-1', 'item-1']);
    expect(await pendingCount()).toBe(0);
  });

  it('a change without a group holds back nothing else', async () => {
    await enqueue('lonely', 'q', {});
    await enqueue('next', 'q', {});
    await flush(async (m) => (m.name === 'lonely' ? { conflict: { code: 'X', message: 'no', field: null } } : 'done'));
    expect(await names()).toEqual(['lonely']);
  });

  it('discarding is the person’s choice and removes only what they chose', async () => {
    await enqueue('one', 'q', {}, 'k1', { group: 'g' });
    await enqueue('two', 'q', {}, 'k2', { group: 'g' });
    await enqueue('three', 'q', {}, 'k3', { group: 'g' });
    await discard(['k1', 'k2']);
    expect(await names()).toEqual(['three']);
  });

  it('re-enqueueing the same key replaces, never duplicates', async () => {
    await enqueue('one', 'q1', { qty: 1 }, 'k1');
    await enqueue('one', 'q1', { qty: 2 }, 'k1');
    const left = await pending();
    expect(left).toHaveLength(1);
    expect(left[0].variables).toEqual({ qty: 2 });
  });
});
