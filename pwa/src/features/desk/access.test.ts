import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ANALYTICS_NEEDS, DESK_NEEDS, GRANTS, can, rolesWith, type DeskPermission } from './access';

const permissionsPy = fileURLToPath(new URL('../../../../backend/core/auth/permissions.py', import.meta.url));

/**
 * The server's role table, read from permissions.py: a tiny evaluator for the
 * set expressions it is written in (`_READ | {Perm.X}`, `set(Perm) - {…}`,
 * names defined above, parentheses).
 */
function serverGrants(): Map<string, Set<string>> {
  const src = readFileSync(permissionsPy, 'utf8');
  const permBody = src.slice(src.indexOf('class Perm'), src.indexOf('\n\n\n', src.indexOf('class Perm')));
  const perms = new Map([...permBody.matchAll(/^\s+([A-Z_]+)\s*=\s*"([a-z._]+)"/gm)].map((m) => [m[1], m[2]]));
  const roleBody = src.slice(src.indexOf('class Role'), src.indexOf('class Perm'));
  const roles = new Map([...roleBody.matchAll(/^\s+([A-Z_]+)\s*=\s*"([a-z]+)"/gm)].map((m) => [m[1], m[2]]));
  const names = new Map<string, Set<string>>();

  const evaluate = (expr: string): Set<string> => {
    const tokens = expr.match(/set\(Perm\)|frozenset\(|Perm\.[A-Z_]+|[A-Za-z_]+|[{}()|,-]/g) ?? [];
    let i = 0;
    const atom = (): Set<string> => {
      const tok = tokens[i++];
      if (tok === 'set(Perm)' || tok === 'Perm') return new Set(perms.values());
      if (tok === '(' || tok === 'frozenset(') {
        const v = union();
        i++; // ')'
        return v;
      }
      if (tok === '{') {
        const out = new Set<string>();
        while (tokens[i] !== '}') {
          const t = tokens[i++];
          if (t.startsWith('Perm.')) out.add(perms.get(t.slice(5))!);
        }
        i++;
        return out;
      }
      const named = names.get(tok);
      if (!named) throw new Error(`unknown name ${tok}`);
      return named;
    };
    const union = (): Set<string> => {
      let acc = atom();
      while (tokens[i] === '|' || tokens[i] === '-') {
        const op = tokens[i++];
        const rhs = atom();
        acc = op === '|' ? new Set([...acc, ...rhs]) : new Set([...acc].filter((p) => !rhs.has(p)));
      }
      return acc;
    };
    return union();
  };

  for (const m of src.matchAll(/^(_[A-Z]+) = ([^\n]+)$/gm)) names.set(m[1], evaluate(m[2]));
  const table = src.slice(src.indexOf('ROLE_PERMISSIONS'), src.indexOf('TASK_ROLES'));
  const grants = new Map<string, Set<string>>();
  for (const m of table.matchAll(/Role\.([A-Z]+): frozenset\(([\s\S]*?)\),\n\s*(?=Role\.|\})/g)) {
    grants.set(roles.get(m[1])!, evaluate(m[2]));
  }
  return grants;
}

describe('desk access', () => {
  it('matches the server role table for every permission it uses', () => {
    const server = serverGrants();
    expect(server.size).toBe(8);
    for (const perm of Object.keys(GRANTS) as DeskPermission[]) {
      const holders = [...server].filter(([, ps]) => ps.has(perm)).map(([r]) => r).sort();
      expect([...GRANTS[perm]].sort(), perm).toEqual(holders);
    }
  });

  it('offers the desk and analytics to the roles that can read them, decisions to supervisors', () => {
    expect(rolesWith(DESK_NEEDS).sort()).toEqual(['admin', 'planner', 'supervisor', 'viewer']);
    expect(rolesWith(ANALYTICS_NEEDS).sort()).toEqual(['admin', 'planner', 'supervisor', 'viewer']);
    expect(can(['planner'], 'purchase.approve')).toBe(false);
    expect(can(['supervisor'], 'purchase.approve')).toBe(true);
    expect(can(['receiver', 'admin'], 'master.write')).toBe(true);
    expect(can(['picker'], 'stock.read')).toBe(false);
  });
});
