// The README's gallery: every task screen of the handheld at 390×844, in English,
// in Chinese and in the dark theme, written to docs/screens/<screen>-<variant>.png.
// Runs only with E2E_SHOTS set (E2E_SHOTS=1 bash scripts/e2e.sh tests/e2e/screens.test.mjs);
// otherwise skipped, so the suite stays fast.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { SLOW, creds, gql, must, openPhone, passwordToken, randomUUID, settle, tapPin, wedgeScan } from './helpers.mjs';

const OUT = fileURLToPath(new URL('../../docs/screens/', import.meta.url));
const ERR = '... on UserError { code message field }';

const VARIANTS = [
  { name: 'en', locale: 'en', theme: 'light' },
  { name: 'zh', locale: 'zh-CN', theme: 'light' },
  { name: 'dark', locale: 'en', theme: 'dark' },
];

async function myTasks(token) {
  const d = await gql(`query { myTasks(first: 100) { edges { node { id kind state reference } } } }`, {}, token);
  return d.myTasks.edges.map((e) => e.node);
}

/** A released wave of one order, so the picker has a pick task to show. */
async function releasedPick(planner) {
  const stock = await gql(
    `query { stock(first: 200, status: "AVAILABLE") { edges { node { available item { sku tracking expiryTracked } } } } }`,
    {},
    planner,
  );
  const items = [];
  for (const { node } of stock.stock.edges) {
    if (node.available < 2 || node.item.tracking !== 'NONE' || node.item.expiryTracked || items.includes(node.item.sku)) continue;
    items.push(node.item.sku);
    if (items.length === 2) break;
  }
  const customer = (await gql(`query { customers(first: 1) { edges { node { code } } } }`, {}, planner)).customers.edges[0].node.code;
  const order = await must(
    `mutation($input: CreateSalesOrderInput!) { createSalesOrder(input: $input) { __typename ... on SalesOrderSuccess { order { id } } ${ERR} } }`,
    { input: { number: `SHOT-${Date.now()}`, customerCode: customer, lines: items.map((itemSku) => ({ itemSku, quantity: 1 })), idempotencyKey: randomUUID() } },
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
  await must(
    `mutation($input: ReleaseWaveInput!) { releaseWave(input: $input) { __typename ... on ReleaseWaveSuccess { pickTaskIds } ${ERR} } }`,
    { input: { waveId: wave.wave.id, idempotencyKey: randomUUID() } },
    planner,
    'releaseWave',
    'ReleaseWaveSuccess',
  );
}

/** Sign in as `role` and shoot each of `screens` ([name, hash]) in every variant. */
async function shoot(role, screens) {
  const { browser, page } = await openPhone();
  const written = [];
  try {
    // Badge and PIN; a packer's or shipper's first screen is not the task list.
    const user = creds(role);
    await page.goto('/');
    await page.getByRole('heading', { name: 'Scan your badge' }).waitFor({ timeout: SLOW });
    await settle(page);
    await wedgeScan(page, user.badge);
    await page.getByRole('heading', { name: 'Enter your PIN' }).waitFor();
    await tapPin(page, user.pin);
    await page.getByTestId('menu-button').waitFor({ timeout: SLOW });
    for (const v of VARIANTS) {
      await page.evaluate(({ locale, theme }) => {
        localStorage.setItem('wms.locale', locale);
        localStorage.setItem('wms.theme', theme);
        location.hash = '#/';
      }, v);
      await page.reload();
      await page.locator(`html[data-theme="${v.theme}"][lang="${v.locale}"]`).waitFor({ state: 'attached', timeout: SLOW });
      for (const [name, hash] of screens) {
        await page.evaluate((h) => (location.hash = h), hash);
        await page.locator('main.content, main').first().waitFor({ timeout: SLOW });
        // Lists and prompts fill in from the server; the loading line must be gone.
        await page.locator('text=/Loading|加载/').first().waitFor({ state: 'detached', timeout: SLOW }).catch(() => {});
        await page.waitForTimeout(1200);
        const path = `${OUT}${name}-${v.name}.png`;
        await page.screenshot({ path });
        written.push(path);
      }
    }
  } finally {
    await page.evaluate(() => {
      localStorage.removeItem('wms.locale');
      localStorage.setItem('wms.theme', 'light');
    }).catch(() => {});
    await browser.close();
  }
  return written;
}

test('task screens at 390×844 in English, Chinese and dark', { skip: !process.env.E2E_SHOTS && 'set E2E_SHOTS=1 to write docs/screens' }, async () => {
  const planner = await passwordToken(creds('planner'));
  const pickerToken = await passwordToken(creds('picker'));
  const receiverToken = await passwordToken(creds('receiver'));
  if (!(await myTasks(pickerToken)).some((t) => t.kind === 'PICK')) await releasedPick(planner);

  const pickerTasks = await myTasks(pickerToken);
  const receiverTasks = await myTasks(receiverToken);
  const first = (tasks, kind) => tasks.find((t) => t.kind === kind);
  const pick = first(pickerTasks, 'PICK');
  const count = first(pickerTasks, 'COUNT') ?? first(receiverTasks, 'COUNT');
  const receive = first(receiverTasks, 'RECEIVE');
  const putaway = first(receiverTasks, 'PUTAWAY') ?? first(pickerTasks, 'PUTAWAY');

  const written = [];
  written.push(
    ...(await shoot('picker', [
      ['tasks', '#/'],
      ...(pick ? [['pick', `#/task/${pick.id}`]] : []),
      ...(count && first(pickerTasks, 'COUNT') ? [['count', `#/task/${count.id}`]] : []),
      ['move', '#/move'],
    ])),
  );
  written.push(
    ...(await shoot('receiver', [
      ...(receive ? [['receive', `#/task/${receive.id}`]] : []),
      ...(putaway ? [['putaway', `#/task/${putaway.id}`]] : []),
      ...(count && !first(pickerTasks, 'COUNT') ? [['count', `#/task/${count.id}`]] : []),
    ])),
  );
  written.push(...(await shoot('packer', [['pack', '#/pack']])));
  written.push(...(await shoot('shipper', [['dock', '#/dock']])));
  console.log(`screens: ${written.length} written\n${written.join('\n')}`);
  assert.ok(written.length >= 18, `at least 6 screens × 3 variants, got ${written.length}`);
});
