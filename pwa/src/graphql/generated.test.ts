import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generate } from '@graphql-codegen/cli';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import config from '../../codegen';
import * as generated from './generated/graphql';

const root = fileURLToPath(new URL('../..', import.meta.url));
const schemaFile = fileURLToPath(new URL('../../../schema.graphql', import.meta.url));
const outFile = 'src/graphql/generated/graphql.ts';

/** Every document the app sends (the generated *Document exports). */
function documents(): [string, string][] {
  return Object.entries(generated)
    .filter(([name, value]) => name.endsWith('Document') && value instanceof generated.TypedDocumentString)
    .map(([name, value]) => [name, value.toString()]);
}

describe('generated operations', () => {
  it('are what `npm run codegen` makes from schema.graphql and the operations files now', async () => {
    // The generator fails here when an operation does not validate against the schema.
    const prev = process.cwd();
    process.chdir(root);
    try {
      const files = await generate({ ...config, cwd: root }, false);
      const out = files.find((f: { filename: string; content: string }) => f.filename.endsWith(outFile));
      expect(out, 'generated file').toBeDefined();
      expect(out!.content === readFileSync(`${root}/${outFile}`, 'utf8'), 'src/graphql/generated is out of date: run `npm run codegen`').toBe(true);
    } finally {
      process.chdir(prev);
    }
  }, 60_000);

  it('are each valid against schema.graphql, fragments included', () => {
    const schema = buildSchema(readFileSync(schemaFile, 'utf8'));
    const docs = documents();
    expect(docs.length).toBeGreaterThan(60);
    for (const [name, text] of docs) {
      expect(validate(schema, parse(text)).map((e) => e.message), name).toEqual([]);
    }
  });
});
