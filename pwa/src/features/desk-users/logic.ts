/** The roles the server knows (backend/core/auth/permissions.py Role), most powerful first. */
export const ROLES = ['admin', 'supervisor', 'planner', 'receiver', 'picker', 'packer', 'shipper', 'viewer'] as const;

export interface UserDraft {
  username: string;
  displayName: string;
  roles: string[];
  warehouseIds: string[];
  password: string;
  pin: string;
}

export const EMPTY_USER: UserDraft = { username: '', displayName: '', roles: [], warehouseIds: [], password: '', pin: '' };

export type Built<T> = { ok: true; input: T } | { ok: false; field: keyof UserDraft };

/** The UserInput to create, or the first field the server would refuse (it checks again). */
export function newUserInput(d: UserDraft, locale: string): Built<Record<string, unknown>> {
  const username = d.username.trim();
  if (!username || username.length > 64 || !/^[A-Za-z0-9._-]+$/.test(username)) return { ok: false, field: 'username' };
  if (!d.displayName.trim()) return { ok: false, field: 'displayName' };
  if (d.roles.length === 0) return { ok: false, field: 'roles' };
  if (d.password.length < 8) return { ok: false, field: 'password' };
  if (d.pin && !/^\d{4,8}$/.test(d.pin)) return { ok: false, field: 'pin' };
  return {
    ok: true,
    input: {
      username,
      displayName: d.displayName.trim(),
      roles: d.roles,
      warehouseIds: d.warehouseIds,
      locale,
      password: d.password,
      pin: d.pin || null,
    },
  };
}

/** Add or remove `value` (a role, a warehouse), keeping the list's first entry first: it is the home warehouse. */
export function toggled(list: readonly string[], value: string, on: boolean): string[] {
  return on ? (list.includes(value) ? [...list] : [...list, value]) : list.filter((v) => v !== value);
}

type Random = (n: number) => Uint32Array;
const cryptoRandom: Random = (n) => crypto.getRandomValues(new Uint32Array(n));

/**
 * New secrets made on this device and shown once: digits for a PIN, and a
 * password without look-alike characters (0/O, 1/l/I) so it can be read aloud
 * or copied from a screen. Rejection sampling keeps every character equally likely.
 */
const PASSWORD_CHARS = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function pick(alphabet: string, length: number, random: Random): string {
  const limit = Math.floor(0x1_0000_0000 / alphabet.length) * alphabet.length;
  let out = '';
  while (out.length < length) {
    for (const n of random(length)) {
      if (n < limit && out.length < length) out += alphabet[n % alphabet.length];
    }
  }
  return out;
}

export function newPin(random: Random = cryptoRandom): string {
  return pick('0123456789', 6, random);
}

export function newPassword(random: Random = cryptoRandom): string {
  return pick(PASSWORD_CHARS, 12, random);
}
