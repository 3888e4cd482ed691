import { configureClient, gql } from './graphql/client';
import { SignOutDocument } from './graphql/generated/graphql';
import { followUserLocale } from './i18n';
import { clearSession, loadSession, saveSession, type Session } from './offline/session';
import { createStore } from './store';
import { followUserTheme } from './ui/theme';

export type AuthState =
  | { status: 'loading' }
  | { status: 'signed-out'; reason?: 'expired' }
  | { status: 'signed-in'; session: Session };

export const authStore = createStore<AuthState>({ status: 'loading' });

export function currentToken(): string | null {
  const s = authStore.get();
  return s.status === 'signed-in' ? s.session.token : null;
}

export async function restoreSession(): Promise<void> {
  let session: Session | null = null;
  try {
    session = await loadSession();
  } catch {
    session = null;
  }
  if (session) {
    followUserLocale(session.user.locale);
    followUserTheme(session.user.id);
    authStore.set({ status: 'signed-in', session });
  } else {
    authStore.set({ status: 'signed-out' });
  }
}

export async function startSession(session: Session): Promise<void> {
  await saveSession(session).catch(() => {});
  followUserLocale(session.user.locale);
  followUserTheme(session.user.id);
  authStore.set({ status: 'signed-in', session });
}

/** The user signs out: revoke the token on the server (best effort), forget it here. */
export async function signOut(): Promise<void> {
  const token = currentToken();
  if (token) {
    const revoke = gql(SignOutDocument, {}, { token }).catch(() => {});
    // Do not keep a person waiting at a dead network: the local session goes anyway.
    await Promise.race([revoke, new Promise((r) => setTimeout(r, 1500))]);
  }
  await endSession();
}

export async function endSession(reason?: 'expired'): Promise<void> {
  if (authStore.get().status === 'signed-out') return;
  await clearSession().catch(() => {});
  followUserTheme(null);
  authStore.set({ status: 'signed-out', reason });
}

configureClient({
  token: currentToken,
  onUnauthenticated: () => void endSession('expired'),
});
