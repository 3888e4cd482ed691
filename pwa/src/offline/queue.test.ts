import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { deleteDB } from 'idb';
import { DB_NAME, closeDb } from './db';
import { enqueue, flush, pending, pendingCount } from './queue';

beforeEach(async () => {
  await closeDb();
  await deleteDB(DB_NAME);
});

describe('outbox', () => {
  it('keeps mutations in order with their idempotency keys', async () => {
    const a = await enqueue('confirmPick', 'mutation A', { n: 1 });
    const b = await enqueue('confirmPick', 'mutation B', { n: 2 }, 'fixed-key');
    expect(a.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(b.idempotencyKey).toBe('fixed-key');
    expect((await pending()).map((m) => m.query)).toEqual(['mutation A', 'mutation B']);
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

  it('re-enqueueing the same key replaces, never duplicates', async () => {
    await enqueue('one', 'q1', { qty: 1 }, 'k1');
    await enqueue('one', 'q1', { qty: 2 }, 'k1');
    const left = await pending();
    expect(left).toHaveLength(1);
    expect(left[0].variables).toEqual({ qty: 2 });
  });
});
