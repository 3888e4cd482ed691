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

/** A fresh browser and a phone-sized context (390×844, touch, English). */
export async function openPhone({ extraArgs = [], permissions = [] } = {}) {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...BASE_ARGS, ...extraArgs],
  });
  const context = await browser.newContext({
    baseURL: BASE_URL,
    viewport: { width: 390, height: 844 },
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

/** Type like a wedge scanner: a burst of keys a few ms apart, then Enter. */
export async function wedgeScan(page, code) {
  await page.keyboard.type(code, { delay: 5 });
  await page.keyboard.press('Enter');
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
  await page.getByRole('heading', { name: 'Scan your badge' }).waitFor();
  await wedgeScan(page, user.badge);
  await page.getByRole('heading', { name: 'Enter your PIN' }).waitFor();
  await tapPin(page, user.pin);
  await page.getByRole('heading', { name: 'My tasks' }).waitFor();
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
