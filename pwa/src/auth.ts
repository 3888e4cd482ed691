import { configureClient } from './graphql/client';
import { followUserLocale } from './i18n';
import { clearSession, loadSession, saveSession, type Session } from './offline/session';
import { createStore } from './store';

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
    authStore.set({ status: 'signed-in', session });
  } else {
    authStore.set({ status: 'signed-out' });
  }
}

export async function startSession(session: Session): Promise<void> {
  await saveSession(session).catch(() => {});
  followUserLocale(session.user.locale);
  authStore.set({ status: 'signed-in', session });
}

export async function endSession(reason?: 'expired'): Promise<void> {
  if (authStore.get().status === 'signed-out') return;
  await clearSession().catch(() => {});
  authStore.set({ status: 'signed-out', reason });
}

configureClient({
  token: currentToken,
  onUnauthenticated: () => void endSession('expired'),
});
