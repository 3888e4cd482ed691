import type { SessionUserFragment as User } from '../graphql/generated/graphql';
import { kvDelete, kvGet, kvSet } from './db';
import { uuid } from './uuid';

export interface Session {
  token: string;
  expiresAt: string;
  user: User;
}

const SESSION_KEY = 'session';
const DEVICE_KEY = 'deviceId';
const DEVICE_LS_KEY = 'wms.deviceId';

export async function loadSession(now = Date.now()): Promise<Session | null> {
  const s = await kvGet<Session>(SESSION_KEY);
  if (!s?.token) return null;
  const exp = Date.parse(s.expiresAt);
  if (Number.isFinite(exp) && exp <= now) {
    await kvDelete(SESSION_KEY);
    return null;
  }
  return s;
}

export async function saveSession(s: Session): Promise<void> {
  await kvSet(SESSION_KEY, s);
}

export async function clearSession(): Promise<void> {
  await kvDelete(SESSION_KEY);
}

/**
 * A stable id for this handheld, sent with every sign-in (audit: "from which
 * device"). Kept in both IndexedDB and localStorage so clearing one keeps it.
 */
export async function deviceId(): Promise<string> {
  let id: string | null | undefined = null;
  try {
    id = localStorage.getItem(DEVICE_LS_KEY);
  } catch {
    /* storage may be blocked */
  }
  id ||= await kvGet<string>(DEVICE_KEY).catch(() => undefined);
  id ||= uuid();
  try {
    localStorage.setItem(DEVICE_LS_KEY, id);
  } catch {
    /* ignore */
  }
  await kvSet(DEVICE_KEY, id).catch(() => {});
  return id;
}
