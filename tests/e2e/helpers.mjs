// Shared pieces of the browser tests: Chromium via playwright-core (from
// pwa/node_modules), the server the harness started, the demo credentials.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';

const require = createRequire(new URL('../../pwa/package.json', import.meta.url));
const { chromium } = require('playwright-core');

export const BASE_URL = need('E2E_BASE_URL');
export const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';

function need(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the browser tests with scripts/e2e.sh`);
  return v;
}

export function creds(role) {
  const all = JSON.parse(readFileSync(need('E2E_CREDS'), 'utf8'));
  const found = all.find((c) => c.role === role);
  if (!found) throw new Error(`no ${role} in the demo credentials`);
  return found;
}

const BASE_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

/** A fresh browser and a phone-sized context (390×844 unless told, touch, English). */
export async function openPhone({ extraArgs = [], permissions = [], viewport = { width: 390, height: 844 } } = {}) {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...BASE_ARGS, ...extraArgs],
  });
  const context = await browser.newContext({
    baseURL: BASE_URL,
    viewport,
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'en-US',
    permissions,
  });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  return { browser, context, page, problems };
}

/** How long a step that involves the server may take on a loaded machine. */
export const SLOW = 60_000;

/**
 * Wait until the page listens for wedge scans and its main thread has had an
 * idle moment (the app has mounted, compiled and settled).
 */
export async function settle(page) {
  await page.locator('html[data-wedge="ready"]').waitFor({ state: 'attached', timeout: SLOW });
  await page.evaluate(
    () =>
      new Promise((resolve) => {
        const idle = window.requestIdleCallback ?? ((fn) => setTimeout(fn, 50));
        idle(() => idle(() => resolve(undefined), { timeout: 2000 }), { timeout: 2000 });
      }),
  );
}

const KEY_CODES = { '-': ['Minus', 189], '.': ['Period', 190], '/': ['Slash', 191], ' ': ['Space', 32] };

function keyParams(ch) {
  if (ch === '\n') return { key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13, text: '\r' };
  if (/[a-z]/i.test(ch)) {
    return { key: ch, code: `Key${ch.toUpperCase()}`, windowsVirtualKeyCode: ch.toUpperCase().charCodeAt(0), text: ch };
  }
  if (/[0-9]/.test(ch)) return { key: ch, code: `Digit${ch}`, windowsVirtualKeyCode: ch.charCodeAt(0), text: ch };
  const [code, vk] = KEY_CODES[ch] ?? ['', 0];
  return { key: ch, code, windowsVirtualKeyCode: vk, text: ch };
}

/**
 * Type like a hardware wedge scanner: the whole burst, `gapMs` a key, then
 * Enter. A scanner does not wait for the page, so the key events are sent to
 * the browser all at once, each stamped with the time it was "typed"; a busy
 * page then handles them late, as it would a real scanner's (Playwright's
 * keyboard.type instead waits for the page to handle each key before typing
 * the next, so a stalled page would open a gap a real scanner never makes).
 */
export async function wedgeScan(page, code, { gapMs = 5 } = {}) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const start = Date.now() / 1000;
    const sends = [];
    [...code, '\n'].forEach((ch, i) => {
      const p = keyParams(ch);
      const at = start + (i * gapMs) / 1000;
      sends.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', ...p, unmodifiedText: p.text, timestamp: at }));
      sends.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: p.key, code: p.code, windowsVirtualKeyCode: p.windowsVirtualKeyCode, timestamp: at + 0.001 }));
    });
    await Promise.all(sends);
  } finally {
    await cdp.detach().catch(() => {});
  }
}

export async function tapPin(page, pin) {
  for (const digit of pin) {
    await page.locator(`.pin-key[data-digit="${digit}"]`).click();
  }
  await page.getByRole('button', { name: 'OK', exact: true }).click();
}

/** Sign in with the badge through the keyboard wedge, then the PIN pad. */
export async function signInByWedge(page, user) {
  await page.goto('/');
  await page.getByRole('heading', { name: 'Scan your badge' }).waitFor({ timeout: SLOW });
  await settle(page);
  await wedgeScan(page, user.badge);
  await page.getByRole('heading', { name: 'Enter your PIN' }).waitFor();
  await tapPin(page, user.pin);
  // argon2 checks the PIN: slow on purpose, slower on a loaded machine.
  await page.getByRole('heading', { name: 'My tasks' }).waitFor({ timeout: SLOW });
}

/** A GraphQL call from the test itself (as another user, e.g. a supervisor). */
export async function gql(query, variables = {}, token = null) {
  const res = await fetch(new URL('/graphql', BASE_URL), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data;
}

export async function passwordToken(user) {
  const data = await gql(
    `mutation($u: String!, $p: String!, $d: String!) {
      signIn(input: {username: $u, password: $p, deviceId: $d}) {
        __typename
        ... on SignInSuccess { token }
        ... on UserError { code message }
      }
    }`,
    { u: user.username, p: user.password, d: randomUUID() },
  );
  if (!data.signIn.token) throw new Error(`sign-in refused: ${JSON.stringify(data.signIn)}`);
  return data.signIn.token;
}

export { randomUUID };

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** A printable internal code KIND-BODY-C (ISO 7064 MOD 37,36 check character, as backend/scan/internal.py). */
export function makeCode(kind, body) {
  const payload = `${kind}-${body.toUpperCase()}`;
  let p = 36;
  for (const ch of payload.replace(/-/g, '')) {
    const s = (p + ALPHABET.indexOf(ch)) % 36 || 36;
    p = (s * 2) % 37;
  }
  return `${payload}-${ALPHABET[(37 - p) % 36]}`;
}

/** A GraphQL call whose answer must be the success member `typename` of a result union. */
export async function must(query, variables, token, field, typename) {
  const data = await gql(query, variables, token);
  const result = data[field];
  if (result.__typename !== typename) throw new Error(`${field}: ${JSON.stringify(result)}`);
  return result;
}

/** Wait until the page shows a guided-flow step (or the end), and say which. */
export async function flowStep(page) {
  // A prompt counts once its scanner takes input: a pick task's bin prompt shows,
  // disabled, while the claim is on its way, and a scan then would be dropped.
  const step = page.locator('[data-testid="scan-prompt"]:has(input:enabled), [data-testid="qty-pad"], [data-testid="flow-done"]').first();
  await step.waitFor({ timeout: SLOW });
  if ((await step.getAttribute('data-testid')) === 'flow-done') return 'done';
  if ((await step.getAttribute('data-testid')) === 'qty-pad') return 'qty';
  return step.getAttribute('data-thing');
}

/**
 * Bins with a count open (demo count tasks, recounts other tests left): their stock
 * cannot change hands, and a second count there is refused, so tests that need a free
 * bin pass these over.
 */
export async function countedBins(token) {
  const d = await gql(`query { countSheets(first: 500) { edges { node { binCode } } } }`, {}, token);
  return new Set(d.countSheets.edges.map((e) => e.node.binCode));
}
