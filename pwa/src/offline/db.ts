import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

export interface PendingMutation {
  /** Client-made UUID sent as input.idempotencyKey; also the record key. */
  idempotencyKey: string;
  /** Operation name, for display and debugging. */
  name: string;
  query: string;
  variables: Record<string, unknown>;
  createdAt: number;
  attempts: number;
  lastError?: string;
  /**
   * Changes of one group (e.g. `task:42`) depend on each other: they are sent
   * in order and one the server refused holds back the rest of its group.
   * Without a group a change stands alone.
   */
  group?: string;
  /** What the server said when it refused this change on replay; kept until the person decides. */
  conflict?: Conflict;
  /** A line the person can read: what this change was ("Bin BIN-A01-… for line 7"). */
  summary?: string;
}

export interface Conflict {
  code: string;
  message: string;
  field: string | null;
  at: number;
}

interface WmsDB extends DBSchema {
  kv: { key: string; value: unknown };
  outbox: {
    key: string;
    value: PendingMutation;
    indexes: { byCreatedAt: number };
  };
}

export const DB_NAME = 'wms-handheld';
const DB_VERSION = 1;

let dbPromise: Promise<IDBPDatabase<WmsDB>> | null = null;

export function db(): Promise<IDBPDatabase<WmsDB>> {
  dbPromise ??= openDB<WmsDB>(DB_NAME, DB_VERSION, {
    upgrade(database, oldVersion) {
      if (oldVersion < 1) {
        database.createObjectStore('kv');
        const outbox = database.createObjectStore('outbox', { keyPath: 'idempotencyKey' });
        outbox.createIndex('byCreatedAt', 'createdAt');
      }
    },
  });
  return dbPromise;
}

export async function kvGet<T>(key: string): Promise<T | undefined> {
  return (await (await db()).get('kv', key)) as T | undefined;
}

export async function kvSet(key: string, value: unknown): Promise<void> {
  await (await db()).put('kv', value, key);
}

export async function kvDelete(key: string): Promise<void> {
  await (await db()).delete('kv', key);
}

/** Close the connection (tests, or before deleting the database). */
export async function closeDb(): Promise<void> {
  const p = dbPromise;
  dbPromise = null;
  if (p) (await p).close();
}
