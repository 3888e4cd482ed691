import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import * as control from './control';
import * as inbound from './inbound';
import * as operations from './operations';
import * as outbound from './outbound';
import * as packing from './packing';
import * as planner from './planner';

const schemaFile = fileURLToPath(new URL('../../../schema.graphql', import.meta.url));

/** Every GraphQL document the app sends, by module and name. */
function documents(): [string, string][] {
  const modules = { operations, control, inbound, outbound, packing, planner };
  return Object.entries(modules).flatMap(([mod, exports]) =>
    Object.entries(exports)
      .filter(([, v]) => typeof v === 'string' && /^\s*(query|mutation|subscription)\b/.test(v))
      .map(([name, v]) => [`${mod}.${name}`, v as string] as [string, string]),
  );
}

describe('operations', () => {
  it('are valid against schema.graphql', () => {
    const schema = buildSchema(readFileSync(schemaFile, 'utf8'));
    const docs = documents();
    expect(docs.length).toBeGreaterThan(20);
    for (const [name, text] of docs) {
      const errors = validate(schema, parse(text)).map((e) => e.message);
      expect(errors, name).toEqual([]);
    }
  });
});
