import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SLOW, creds, flowStep, gql, makeCode, must, openPhone, passwordToken, randomUUID, settle, signInByWedge, wedgeScan } from './helpers.mjs';

const ERR = '... on UserError { code message field }';
const shots = process.env.E2E_SHOTS;

/** A released one-order wave of two lines of stocked untracked items: its pick task. */
async function pickTask(planner) {
  const data = await gql(
    `query { stock(first: 200, status: "AVAILABLE") { edges { node { available item { sku tracking expiryTracked gtins } } } } }`,
    {},
    planner,
  );
  const skus = [];
  for (const { node } of data.stock.edges) {
    const it = node.item;
    if (node.available < 6 || it.tracking !== 'NONE' || it.expiryTracked || it.gtins.length === 0 || skus.includes(it.sku)) continue;
    skus.push(it.sku);
    if (skus.length === 2) break;
  }
  assert.equal(skus.length, 2);
  const customer = (await gql(`query { customers(first: 1) { edges { node { code } } } }`, {}, planner)).customers.edges[0].node.code;
  const order = await must(
    `mutation($input: CreateSalesOrderInput!) { createSalesOrder(input: $input) { __typename ... on SalesOrderSuccess { order { id } } ${ERR} } }`,
    { input: { number: `E2E-DEV-${randomUUID().slice(0, 8)}`, customerCode: customer, lines: skus.map((itemSku) => ({ itemSku, quantity: 1 })), idempotencyKey: randomUUID() } },
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

async function stopsOf(taskId, token) {
  const r = await gql(`query($id: ID!) { pickTaskProgress(taskId: $id, route: true) { ... on PickProgress { stops { binCode gtin } } } }`, { id: taskId }, token);
  return r.pickTaskProgress.stops;
}

test('a picker’s refused offline scans show on the supervisor’s device list once the handheld is back online', async () => {
  const picker = creds('picker');
  const planner = await passwordToken(creds('planner'));
  const supervisorToken = await passwordToken(creds('supervisor'));
  const taskId = await pickTask(planner);
  const tote = makeCode('TOTE', `DV${Date.now() % 1_000_000}`);

  const phone = await openPhone();
  const desk = await openPhone({ viewport: { width: 1024, height: 768 } });
  try {
    const { page, context } = phone;
    await signInByWedge(page, picker);
    const card = page.locator(`[data-testid="task-card"][data-task-id="${taskId}"]`);
    await card.waitFor({ timeout: SLOW });
    await page.waitForFunction(() => !!localStorage.getItem('wms.offlineReadySeen') && !!navigator.serviceWorker.controller, null, { timeout: SLOW });
    await card.click();
    // Enabled once the claim has landed: only then may the link drop.
    await page.locator('[data-testid="scan-prompt"][data-thing="bin"] input:enabled').waitFor({ timeout: SLOW });
    const stops = await stopsOf(taskId, await passwordToken(picker));
    const deviceId = await page.evaluate(() => localStorage.getItem('wms.deviceId'));
    assert.ok(deviceId);

    await context.setOffline(true);
    await page.locator('[data-testid="link-status"][data-status="offline"]').waitFor({ timeout: SLOW });
    // One line offline: bin, item, tote.
    for (const code of [stops[0].binCode, stops[0].gtin, tote]) {
      const step = await flowStep(page);
      assert.ok(['bin', 'item', 'tote'].includes(step), step);
      await settle(page);
      await wedgeScan(page, code);
      await page.locator(`[data-testid="sync-state"]`).waitFor({ timeout: SLOW });
    }
    await page.waitForFunction(() => document.querySelector('[data-testid="sync-state"]')?.getAttribute('data-waiting') === '3', null, { timeout: SLOW });

    // Meanwhile the supervisor gives the task back to the pool: the replay is refused.
    const released = await gql(`mutation($input: TaskRefInput!) { releaseTask(input: $input) { __typename ${ERR} } }`, { input: { taskId, idempotencyKey: randomUUID() } }, supervisorToken);
    assert.equal(released.releaseTask.__typename, 'TaskSuccess', JSON.stringify(released));

    await context.setOffline(false);
    await page.getByTestId('conflict').waitFor({ timeout: SLOW });

    // The handheld reported its outbox: three waiting, one refused.
    let reported = null;
    for (let i = 0; i < 60 && !reported; i++) {
      const d = await gql(`query { deviceSyncStates { deviceId username waiting conflicts conflictCodes oldestWaitingAt } }`, {}, supervisorToken);
      reported = d.deviceSyncStates.find((x) => x.deviceId === deviceId && x.conflicts > 0) ?? null;
      if (!reported) await new Promise((r) => setTimeout(r, 500));
    }
    assert.ok(reported, 'the device reported its refused change');
    assert.equal(reported.username, picker.username);
    assert.equal(reported.waiting, 3);
    assert.equal(reported.conflicts, 1);
    assert.deepEqual(reported.conflictCodes, ['INVALID_STATE']);
    assert.ok(reported.oldestWaitingAt);

    // The supervisor's desk lists it.
    const sup = desk.page;
    await signInByWedge(sup, creds('supervisor'));
    await sup.getByTestId('menu-button').click();
    await sup.getByTestId('nav-desk').click();
    await sup.getByTestId('desk-tab-devices').click({ timeout: SLOW });
    const row = sup.locator(`[data-testid="device-row"][data-device="${deviceId}"]`);
    await row.waitFor({ timeout: SLOW });
    assert.equal(await row.getAttribute('data-conflicts'), '1');
    assert.equal(await row.getAttribute('data-waiting'), '3');
    assert.match(await row.getByTestId('device-conflicts').textContent(), /INVALID_STATE/);
    if (shots) await sup.screenshot({ path: `${shots}/desk-devices.png` });
    assert.deepEqual(desk.problems, []);
  } finally {
    await phone.browser.close();
    await desk.browser.close();
  }
});
