import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';

// Every hand-written operation text of the office desk, checked against the committed
// schema: a renamed field fails here rather than on a supervisor's screen.
const schema = buildSchema(readFileSync(fileURLToPath(new URL('../../../../schema.graphql', import.meta.url)), 'utf8'));
const modules = import.meta.glob(['../desk-*/ops.ts', '../inbound/returnOps.ts'], { eager: true }) as Record<string, Record<string, unknown>>;

function operations(value: unknown): string[] {
  if (typeof value === 'string') return /^\s*(query|mutation|subscription)\b/.test(value) ? [value] : [];
  if (value && typeof value === 'object') return Object.values(value).flatMap(operations);
  return [];
}

describe('hand-written desk operations', () => {
  const found = Object.entries(modules).flatMap(([file, mod]) => operations(mod).map((text) => [file, text] as const));
  it('finds them', () => {
    expect(found.length).toBeGreaterThan(20);
  });
  it.each(found.map(([file, text]) => [`${file}: ${/(query|mutation)\s+(\w+)/.exec(text)?.[2] ?? text.slice(0, 40)}`, text]))('%s validates', (_name, text) => {
    const errors = validate(schema, parse(text));
    expect(errors.map((e) => e.message)).toEqual([]);
  });
});

describe('exception kinds', () => {
  it('are the schema\'s ExceptionKind values, each with its label', async () => {
    const { KINDS } = await import('./ops');
    const { en } = await import('../../i18n/en');
    const kind = schema.getType('ExceptionKind');
    const values = kind && 'getValues' in kind ? (kind as unknown as { getValues(): readonly { name: string }[] }).getValues().map((v) => v.name) : [];
    expect([...KINDS].sort()).toEqual([...values].sort());
    for (const k of KINDS) expect(en).toHaveProperty(`inbox.kind.${k}`);
  });
});

