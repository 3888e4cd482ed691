import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import * as analytics from './analytics';
import * as desk from './desk';

const schemaFile = fileURLToPath(new URL('../../../schema.graphql', import.meta.url));

describe('desk and analytics operations', () => {
  it('are valid against schema.graphql', () => {
    const schema = buildSchema(readFileSync(schemaFile, 'utf8'));
    const docs = Object.entries({ ...desk, ...analytics }).filter(
      ([, v]) => typeof v === 'string' && /^\s*(query|mutation)\b/.test(v),
    ) as [string, string][];
    expect(docs.length).toBeGreaterThanOrEqual(17);
    for (const [name, text] of docs) {
      expect(validate(schema, parse(text)).map((e) => e.message), name).toEqual([]);
    }
  });
});
