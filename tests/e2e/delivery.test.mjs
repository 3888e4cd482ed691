// Themes remembered per user on a shared handheld, and the camera decoder kept
// off the wire (and out of the precache) until the camera is first opened.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SLOW, creds, gql, makeCode, must, openPhone, passwordToken, randomUUID, settle, signInByWedge, wedgeScan } from './helpers.mjs';

const ERR = '... on UserError { code message field }';
const theme = (page) => page.evaluate(() => document.documentElement.dataset.theme);

async function chooseTheme(page, id) {
  await page.getByTestId('menu-button').click();
  await page.getByTestId(`theme-${id}`).click();
  assert.equal(await page.getByTestId(`theme-${id}`).getAttribute('aria-checked'), 'true');
  await page.locator('.menu-scrim').click({ position: { x: 20, y: 600 } });
}

async function signOut(page) {
  await page.getByTestId('menu-button').click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Scan your badge' }).waitFor({ timeout: SLOW });
}

test('a theme choice lasts across a reload and comes back when the same user signs in again', async () => {
  const picker = creds('picker');
  const receiver = creds('receiver');
  const { browser, page, problems } = await openPhone();
  try {
    await signInByWedge(page, picker);
    assert.equal(await theme(page), 'light');
    await chooseTheme(page, 'dark');
    assert.equal(await theme(page), 'dark');
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.notEqual(bg, 'rgb(238, 241, 245)', 'the dark theme repaints the page');

    await page.reload();
    await page.getByRole('heading', { name: 'My tasks' }).waitFor({ timeout: SLOW });
    assert.equal(await theme(page), 'dark', 'kept across a reload');

    // Another person on the same handheld chooses their own.
    await signOut(page);
    await signInByWedge(page, receiver);
    await chooseTheme(page, 'contrast');
    assert.equal(await theme(page), 'contrast');
    await signOut(page);

    await signInByWedge(page, picker);
    assert.equal(await theme(page), 'dark', "the picker's own choice, not the last user's");
    await signOut(page);
    await signInByWedge(page, receiver);
    assert.equal(await theme(page), 'contrast');
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('the decoder wasm is neither fetched nor precached until the camera is opened; then it is cached for offline use', async () => {
  const y4m = process.env.E2E_Y4M;
  assert.ok(y4m, 'E2E_Y4M: the harness renders the picker badge into a y4m file');
  const picker = creds('picker');
  const { browser, context, page, problems } = await openPhone({
    extraArgs: ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${y4m}`],
    permissions: ['camera'],
  });
  const decoderRequests = [];
  const isDecoder = (url) => /\/assets\/(decoder-[^/]+\.js|[^/]+\.wasm)$/.test(new URL(url).pathname);
  context.on('request', (r) => isDecoder(r.url()) && decoderRequests.push(r.url()));
  context.on('serviceworker', (w) => w.on?.('request', (r) => isDecoder(r.url()) && decoderRequests.push(r.url())));
  const cachedUrls = () =>
    page.evaluate(async () => {
      const all = [];
      for (const name of await caches.keys()) {
        for (const req of await (await caches.open(name)).keys()) all.push({ cache: name, url: req.url });
      }
      return all;
    });
  try {
    await signInByWedge(page, picker);
    // The service worker has installed and precached the shell.
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.waitForFunction(() => !!navigator.serviceWorker.controller, null, { timeout: SLOW });
    const precached = await cachedUrls();
    assert.ok(precached.some((c) => /\/assets\/index-[^/]+\.js/.test(c.url)), 'the app shell is precached');
    assert.deepEqual(precached.filter((c) => isDecoder(c.url)), [], 'nothing of the decoder is precached');
    assert.deepEqual(decoderRequests, [], 'a wedge-only session never asks for the decoder');

    // The first camera use brings the decoder, and the service worker keeps it.
    await signOut(page);
    await page.getByRole('button', { name: 'Camera' }).click();
    await page.getByRole('heading', { name: 'Enter your PIN' }).waitFor({ timeout: SLOW });
    assert.equal(await page.getByTestId('badge-code').textContent(), picker.badge);
    assert.ok(decoderRequests.some((u) => u.endsWith('.wasm')), 'the wasm was fetched when the camera opened');
    await page.waitForFunction(
      async () => {
        for (const name of await caches.keys()) {
          for (const req of await (await caches.open(name)).keys()) if (req.url.endsWith('.wasm')) return true;
        }
        return false;
      },
      null,
      { timeout: SLOW },
    );
    const runtime = (await cachedUrls()).filter((c) => isDecoder(c.url));
    assert.ok(runtime.some((c) => c.url.endsWith('.wasm') && c.cache.startsWith('wms-decoder')), JSON.stringify(runtime));
    assert.ok(runtime.some((c) => /decoder-[^/]+\.js$/.test(c.url)), 'the decoder module is cached too');

    // Offline, the camera still reads the badge from the cache.
    await context.setOffline(true);
    await page.reload();
    await page.getByRole('heading', { name: 'Scan your badge' }).waitFor({ timeout: SLOW });
    await page.getByRole('button', { name: 'Camera' }).click();
    await page.getByRole('heading', { name: 'Enter your PIN' }).waitFor({ timeout: SLOW });
    assert.equal(await page.getByTestId('badge-code').textContent(), picker.badge);
    await context.setOffline(false);
    assert.deepEqual(problems.filter((p) => !/net::ERR_INTERNET_DISCONNECTED|Failed to fetch|NetworkError/.test(p)), []);
  } finally {
    await browser.close();
  }
});

/** Two stocked, untracked items with a GTIN, ordered and released as a wave: one pick task. */
async function releasedPickTask() {
  const planner = await passwordToken(creds('planner'));
  const data = await gql(
    `query { stock(first: 200, status: "AVAILABLE") { edges { node { available item { sku tracking expiryTracked gtins } } } } }`,
    {},
    planner,
  );
  const seen = new Map();
  for (const { node } of data.stock.edges) {
    const it = node.item;
    if (node.available < 3 || it.tracking !== 'NONE' || it.expiryTracked || it.gtins.length === 0 || seen.has(it.sku)) continue;
    seen.set(it.sku, it);
    if (seen.size === 2) break;
  }
  const lines = [...seen.values()].map((it, i) => ({ itemSku: it.sku, quantity: i + 1 }));
  const customer = (await gql(`query { customers(first: 1) { edges { node { code } } } }`, {}, planner)).customers.edges[0].node.code;
  const order = await must(
    `mutation($input: CreateSalesOrderInput!) { createSalesOrder(input: $input) { __typename ... on SalesOrderSuccess { order { id } } ${ERR} } }`,
    { input: { number: `THEME-${Date.now()}`, customerCode: customer, lines, idempotencyKey: randomUUID() } },
    planner,
    'createSalesOrder',
    'SalesOrderSuccess',
  );
  const wave = await must(
    `mutation($input: WavePlanInput!) { createWave(input: $input) { __typename ... on CreateWaveSuccess { wave { id } } ${ERR} } }`,
    { input: { orderIds: [order.order.id], cartLimits: { totes: 4 }, idempotencyKey: randomUUID() } },
    planner,
    'createWave',
    'CreateWaveSuccess',
  );
  const released = await must(
    `mutation($input: ReleaseWaveInput!) { releaseWave(input: $input) { __typename ... on ReleaseWaveSuccess { pickTaskIds } ${ERR} } }`,
    { input: { waveId: wave.wave.id, idempotencyKey: randomUUID() } },
    planner,
    'releaseWave',
    'ReleaseWaveSuccess',
  );
  return released.pickTaskIds[0];
}

test('screenshots: the task list and the pick screen in the dark and high-contrast themes', async (t) => {
  const out = process.env.E2E_SHOTS;
  if (!out) return t.skip('set E2E_SHOTS to a directory to write them');
  const taskId = await releasedPickTask();
  const picker = creds('picker');
  const { browser, page } = await openPhone();
  try {
    await signInByWedge(page, picker);
    for (const id of ['dark', 'contrast']) {
      await chooseTheme(page, id);
      await page.goto('/');
      await page.locator(`[data-testid="task-card"][data-task-id="${taskId}"]`).waitFor({ timeout: SLOW });
      await page.screenshot({ path: `${out}/tasks-${id}.png` });
      await page.locator(`[data-testid="task-card"][data-task-id="${taskId}"]`).click();
      await page.getByTestId('flow-progress').waitFor({ timeout: SLOW });
      await settle(page);
      // A wrong bin: the error message shows how errors look in this theme.
      await wedgeScan(page, makeCode('BIN', 'NOWHERE1'));
      await page.getByTestId('flow-error').waitFor({ timeout: SLOW });
      await page.screenshot({ path: `${out}/pick-${id}.png` });
    }
  } finally {
    await browser.close();
  }
});

