import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import * as moves from './moves';

const schemaFile = fileURLToPath(new URL('../../../schema.graphql', import.meta.url));

describe('move and replenishment operations', () => {
  it('are valid against schema.graphql', () => {
    const schema = buildSchema(readFileSync(schemaFile, 'utf8'));
    const docs = Object.entries(moves).filter(([, v]) => typeof v === 'string' && /^\s*(query|mutation)\b/.test(v)) as [string, string][];
    expect(docs.map(([name]) => name).sort()).toEqual(['COMPLETE_REPLENISHMENT', 'CREATE_TRANSFER', 'ITEM_LOOKUP', 'MOVE_STOCK', 'RECEIVE_TRANSFER', 'RELEASE_TASK', 'REPLENISH_TASK', 'RESOLVE_CODE', 'WAREHOUSES']);
    for (const [name, text] of docs) {
      expect(validate(schema, parse(text)).map((e) => e.message), name).toEqual([]);
    }
  });
});
