import { useState } from 'preact/hooks';
import { startSession } from '../../auth';
import { cue } from '../../feedback';
import { AuthError, NetworkError, RequestError, gql, isUserError } from '../../graphql/client';
import { SignInDocument, SignInWithBadgeDocument, type SignInMutation } from '../../graphql/generated/graphql';

type SignInResult = SignInMutation['signIn'];
import { LOCALES, chooseLocale, useI18n } from '../../i18n';
import { readScan } from '../../offline/scan';
import { deviceId } from '../../offline/session';
import { Scanner } from '../../scanner/Scanner';
import { PinPad } from './PinPad';

type Step = 'badge' | 'pin' | 'password';

interface Props {
  expired?: boolean;
}

function errorCodeOf(err: unknown): string {
  if (err instanceof NetworkError) return 'NETWORK';
  if (err instanceof AuthError) return 'UNAUTHENTICATED';
  if (err instanceof RequestError && /^[A-Z_]+$/.test(err.code)) return err.code;
  return 'REQUEST_FAILED';
}

export function SignInScreen({ expired }: Props) {
  const { t, err, locale } = useI18n();
  const [step, setStep] = useState<Step>('badge');
  const [badge, setBadge] = useState('');
  const [pin, setPin] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(expired ? t('session.expired') : null);

  const fail = (code: string) => {
    setError(code === 'NETWORK' && !navigator.onLine ? t('signin.offline') : err(code));
    cue('error');
  };

  const finish = async (result: SignInResult) => {
    if (result.__typename === 'SignInSuccess') {
      cue('success');
      await startSession({ token: result.token, expiresAt: result.expiresAt, user: result.user });
      return true;
    }
    fail(isUserError(result) ? result.code : 'REQUEST_FAILED');
    return false;
  };

  const submitPin = async () => {
    if (busy || !pin) return;
    setBusy(true);
    setError(null);
    try {
      const data = await gql(SignInWithBadgeDocument, {
        badge,
        pin,
        device: await deviceId(),
      });
      if (!(await finish(data.signInWithBadge))) setPin('');
    } catch (e) {
      fail(errorCodeOf(e));
      setPin('');
    } finally {
      setBusy(false);
    }
  };

  const submitPassword = async (ev: Event) => {
    ev.preventDefault();
    if (busy || !username || !password) return;
    setBusy(true);
    setError(null);
    try {
      const data = await gql(SignInDocument, {
        username: username.trim(),
        password,
        device: await deviceId(),
      });
      if (!(await finish(data.signIn))) setPassword('');
    } catch (e) {
      fail(errorCodeOf(e));
    } finally {
      setBusy(false);
    }
  };

  const goTo = (next: Step) => {
    setError(null);
    setPin('');
    setStep(next);
  };

  return (
    <main class="signin">
      <header class="signin-brand">
        <img src="/icons/icon.svg" alt="" width={56} height={56} />
        <h1>{t('app.name')}</h1>
      </header>

      <section class="card signin-card" aria-live="polite">
        {step === 'badge' ? (
          <>
            <div class="signin-badge-art" aria-hidden="true">
              <BadgeIcon />
            </div>
            <h2 class="signin-title">{t('signin.scanBadge')}</h2>
            <p class="muted">{t('signin.scanBadgeHint')}</p>
            {error ? <Alert text={error} /> : null}
            <Scanner
              onScan={(code) => {
                // Typed or scanned, a badge is checked here (shape and check character)
                // so nobody is asked for a PIN after a mistyped or foreign code.
                const read = readScan(code);
                if (read.kind === 'error') return fail(read.code);
                if (read.kind !== 'internal' || read.prefix !== 'BADGE') return fail('SCAN_WRONG_KIND');
                cue('success');
                setBadge(read.code);
                goTo('pin');
              }}
              manualLabel={t('signin.badge')}
            />
          </>
        ) : null}

        {step === 'pin' ? (
          <>
            <h2 class="signin-title">{t('signin.enterPin')}</h2>
            <p class="signin-badge-code">
              <span class="muted">{t('signin.badge')}</span> <code data-testid="badge-code">{badge}</code>
            </p>
            {error ? <Alert text={error} /> : null}
            <PinPad value={pin} onChange={setPin} onSubmit={submitPin} disabled={busy} />
            {busy ? <p class="muted center">{t('signin.signingIn')}</p> : null}
            <button type="button" class="btn btn-ghost btn-block" onClick={() => goTo('badge')} disabled={busy}>
              {t('signin.changeBadge')}
            </button>
          </>
        ) : null}

        {step === 'password' ? (
          <form class="stack" onSubmit={submitPassword}>
            <h2 class="signin-title">{t('signin.title')}</h2>
            {error ? <Alert text={error} /> : null}
            <label class="field">
              <span>{t('signin.username')}</span>
              <input
                class="input"
                name="username"
                autocomplete="username"
                autocapitalize="none"
                spellcheck={false}
                value={username}
                onInput={(e) => setUsername((e.currentTarget as HTMLInputElement).value)}
                disabled={busy}
              />
            </label>
            <label class="field">
              <span>{t('signin.password')}</span>
              <input
                class="input"
                name="password"
                type="password"
                autocomplete="current-password"
                value={password}
                onInput={(e) => setPassword((e.currentTarget as HTMLInputElement).value)}
                disabled={busy}
              />
            </label>
            <button type="submit" class="btn btn-primary btn-block btn-lg" disabled={busy || !username || !password}>
              {busy ? t('signin.signingIn') : t('signin.submit')}
            </button>
          </form>
        ) : null}
      </section>

      <div class="signin-alt stack">
        {step === 'password' ? (
          <button type="button" class="btn btn-ghost btn-block" onClick={() => goTo('badge')}>
            {t('signin.withBadge')}
          </button>
        ) : (
          <button type="button" class="btn btn-ghost btn-block" onClick={() => goTo('password')}>
            {t('signin.withPassword')}
          </button>
        )}
        <div class="lang-switch" role="group" aria-label={t('app.language')}>
          {LOCALES.map((l) => (
            <button
              type="button"
              class={locale === l.id ? 'seg on' : 'seg'}
              aria-pressed={locale === l.id}
              lang={l.id}
              onClick={() => chooseLocale(l.id)}
            >
              {l.label}
            </button>
          ))}
        </div>
      </div>
    </main>
  );
}

function Alert({ text }: { text: string }) {
  return (
    <p class="alert alert-error" role="alert" data-testid="signin-error">
      {text}
    </p>
  );
}

function BadgeIcon() {
  return (
    <svg viewBox="0 0 64 64" width="64" height="64">
      <rect x="10" y="6" width="44" height="52" rx="6" fill="none" stroke="currentColor" stroke-width="3" />
      <rect x="26" y="2" width="12" height="8" rx="2" fill="currentColor" />
      <circle cx="32" cy="24" r="7" fill="currentColor" />
      <path d="M20 40c2-6 7-8 12-8s10 2 12 8" fill="none" stroke="currentColor" stroke-width="3" />
      <g fill="currentColor">
        <rect x="18" y="46" width="2" height="7" />
        <rect x="22" y="46" width="1" height="7" />
        <rect x="25" y="46" width="3" height="7" />
        <rect x="30" y="46" width="1" height="7" />
        <rect x="33" y="46" width="2" height="7" />
        <rect x="37" y="46" width="1" height="7" />
        <rect x="40" y="46" width="3" height="7" />
        <rect x="45" y="46" width="1" height="7" />
      </g>
    </svg>
  );
}
