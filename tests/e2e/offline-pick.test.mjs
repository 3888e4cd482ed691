import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SLOW, creds, flowStep, gql, makeCode, must, openPhone, passwordToken, randomUUID, settle, signInByWedge, wedgeScan } from './helpers.mjs';

const ERR = '... on UserError { code message field }';
const shots = process.env.E2E_SHOTS;

/** Two stocked, untracked items with a GTIN. */
async function twoItems(token) {
  const data = await gql(
    `query { stock(first: 200, status: "AVAILABLE") { edges { node { available item { sku tracking expiryTracked gtins } } } } }`,
    {},
    token,
  );
  const seen = new Map();
  for (const { node } of data.stock.edges) {
    const it = node.item;
    if (node.available < 6 || it.tracking !== 'NONE' || it.expiryTracked || it.gtins.length === 0 || seen.has(it.sku)) continue;
    seen.set(it.sku, it);
    if (seen.size === 2) break;
  }
  assert.equal(seen.size, 2, 'the demo has two stocked untracked items with a GTIN');
  skus = [...seen.keys()];
  return skus;
}

/** Orders → a released wave → its one pick task. */
async function pickTask(planner, orders) {
  const customer = (await gql(`query { customers(first: 1) { edges { node { code } } } }`, {}, planner)).customers.edges[0].node.code;
  const ids = [];
  for (const lines of orders) {
    const o = await must(
      `mutation($input: CreateSalesOrderInput!) { createSalesOrder(input: $input) { __typename ... on SalesOrderSuccess { order { id } } ${ERR} } }`,
      { input: { number: `E2E-OFF-${randomUUID().slice(0, 8)}`, customerCode: customer, lines, idempotencyKey: randomUUID() } },
      planner,
      'createSalesOrder',
      'SalesOrderSuccess',
    );
    ids.push(o.order.id);
  }
  const wave = await must(
    `mutation($input: WavePlanInput!) { createWave(input: $input) { __typename ... on CreateWaveSuccess { wave { id } } ${ERR} } }`,
    { input: { orderIds: ids, cartLimits: { totes: 4 }, idempotencyKey: randomUUID() } },
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
  assert.equal(released.pickTaskIds.length, 1, 'one cart');
  return { taskId: released.pickTaskIds[0], waveId: wave.wave.id };
}

const route = async (taskId, token) =>
  (
    await gql(
      `query($id: ID!) { pickTaskProgress(taskId: $id, route: true) { __typename ... on PickProgress { step taskState linesDone linesTotal unitsPicked
          stops { lineId binCode gtin quantity orderNumber } } ${ERR} } }`,
      { id: taskId },
      token,
    )
  ).pickTaskProgress;

let skus = [];
/** The PICK moves into the given totes, from the ledger (of the test's items). */
async function pickMoves(token, totes) {
  const moves = [];
  for (const sku of skus) {
    const data = await gql(`query($sku: String) { stockMoves(first: 500, itemSku: $sku) { edges { node { id quantity reason reference } } } }`, { sku }, token);
    moves.push(...data.stockMoves.edges.map((e) => e.node).filter((n) => n.reason === 'PICK' && totes.includes(n.reference)));
  }
  return moves;
}

/** Open the task while online (it is claimed and its route kept on the device), with the worker in control. */
async function openTask(page, taskId) {
  const card = page.locator(`[data-testid="task-card"][data-task-id="${taskId}"]`);
  await card.waitFor({ timeout: SLOW });
  await page.waitForFunction(() => !!localStorage.getItem('wms.offlineReadySeen') && !!navigator.serviceWorker.controller, null, { timeout: SLOW });
  await card.click();
  // The prompt shows (disabled) while the claim is on its way; it is enabled once the task is held.
  await page.locator('[data-testid="scan-prompt"][data-thing="bin"] input:enabled').waitFor({ timeout: SLOW });
  await settle(page);
}

/** Scan one stop to the end: bin, item, (quantity,) tote. Returns how many scans and keypad taps it took. */
async function pickStop(page, stop, tote) {
  let scans = 0;
  let taps = 0;
  for (let guard = 0; guard < 6; guard++) {
    const step = await flowStep(page);
    if (step === 'qty') {
      taps += 1;
      await page.getByTestId('qty-confirm').click();
      await page.locator('[data-testid="scan-prompt"][data-thing="tote"]').waitFor();
      continue;
    }
    const code = step === 'bin' ? stop.binCode : step === 'item' ? stop.gtin : tote;
    await settle(page);
    const before = await page.getByTestId('flow-progress').textContent();
    await wedgeScan(page, code);
    scans += 1;
    await page.waitForFunction(
      ([thing, text]) =>
        !!document.querySelector('[data-testid="flow-error"]') ||
        !document.querySelector(`[data-testid="scan-prompt"][data-thing="${thing}"]`) ||
        document.querySelector('[data-testid="flow-progress"]')?.textContent !== text,
      [step, before],
      { timeout: SLOW },
    ).catch(async (e) => {
      if (shots) await page.screenshot({ path: `${shots}/stuck-${step}.png` });
      throw new Error(`the screen did not move on after the ${step} scan ${code}: ${e.message}`);
    });
    const error = page.getByTestId('flow-error');
    if ((await error.count()) > 0) assert.fail(`the ${step} scan was refused: ${await error.first().textContent()}`);
    if (step === 'tote') return { scans, taps };
    // A one-unit line of a one-order cart goes into the known tote without a scan.
    if (step === 'item' && ['bin', 'done'].includes(await flowStep(page))) return { scans, taps };
  }
  throw new Error('the stop never finished');
}

test('a pick goes on offline, survives a reload, and lands exactly once when the network is back', async () => {
  const picker = creds('picker');
  const planner = await passwordToken(creds('planner'));
  const pickerApi = await passwordToken(picker);
  const [a, b] = await twoItems(planner);
  // Two orders: four pick lines on one cart, one of them for two units.
  const { taskId, waveId } = await pickTask(planner, [
    [
      { itemSku: a, quantity: 1 },
      { itemSku: b, quantity: 2 },
    ],
    [
      { itemSku: a, quantity: 1 },
      { itemSku: b, quantity: 1 },
    ],
  ]);
  const totes = {};
  const toteFor = (order) => (totes[order] ??= makeCode('TOTE', `OFF${Object.keys(totes).length}${Date.now() % 1_000_000}`));

  const { browser, context, page, problems } = await openPhone();
  try {
    await signInByWedge(page, picker);
    await openTask(page, taskId);
    const start = await route(taskId, pickerApi);
    assert.equal(start.taskState, 'CLAIMED', 'opening the task claimed it');
    assert.equal(start.stops.length, 4);
    const [s1, s2, s3, s4] = start.stops;

    await context.setOffline(true);
    await page.locator('[data-testid="link-status"][data-status="offline"]').waitFor({ timeout: SLOW });
    const figures = [];
    figures.push(await pickStop(page, s1, toteFor(s1.orderNumber)));
    figures.push(await pickStop(page, s2, toteFor(s2.orderNumber)));
    if (shots) await page.screenshot({ path: `${shots}/offline-pick.png` });
    figures.push(await pickStop(page, s3, toteFor(s3.orderNumber)));
    const waiting = Number(await page.getByTestId('sync-state').getAttribute('data-waiting'));
    const scans = figures.reduce((n, f) => n + f.scans, 0);
    assert.equal(waiting, scans, 'every offline scan waits in the outbox');
    assert.equal(await page.getByTestId('sync-state').getAttribute('data-state'), 'waiting');
    // Nothing reached the server yet.
    assert.equal((await pickMoves(planner, Object.values(totes))).length, 0);

    // Reload without a network: the shell from the service worker, the task and its progress from IndexedDB.
    await page.reload();
    await page.locator('[data-testid="scan-prompt"][data-thing="bin"]').waitFor({ timeout: SLOW });
    assert.match(await page.getByTestId('progress-lines').textContent(), /3\/4/);
    assert.equal(Number(await page.getByTestId('sync-state').getAttribute('data-waiting')), scans);
    if (shots) await page.screenshot({ path: `${shots}/offline-reloaded.png` });
    await page.getByRole('button', { name: 'Back' }).click();
    await page.getByTestId('task-count').waitFor();
    assert.equal(await page.locator('[role="alert"]').filter({ hasText: 'Could not load' }).count(), 0, 'no load error offline');
    assert.equal(await page.locator(`[data-testid="task-card"][data-task-id="${taskId}"]`).count(), 1, 'the task is still listed');
    if (shots) await page.screenshot({ path: `${shots}/offline-list.png` });

    await context.setOffline(false);
    await page.locator('[data-testid="sync-state"][data-state="waiting"], [data-testid="sync-state"][data-state="syncing"]').waitFor({ state: 'detached', timeout: SLOW });
    assert.equal(await page.locator('[data-testid="sync-state"][data-state="conflict"]').count(), 0);

    // The ledger has the three picks, once each.
    const moves = await pickMoves(planner, Object.values(totes));
    assert.equal(moves.length, 3, JSON.stringify(moves));
    assert.deepEqual(
      moves.map((m) => m.quantity).sort(),
      [s1, s2, s3].map((s) => s.quantity).sort(),
    );
    const after = await route(taskId, pickerApi);
    assert.equal(after.linesDone, 3);
    assert.equal(after.unitsPicked, s1.quantity + s2.quantity + s3.quantity);
    assert.deepEqual(after.stops.map((s) => s.lineId), [s4.lineId]);
    const wave = (await gql(`query($id: ID!) { wave(id: $id) { linesPicked } }`, { id: waveId }, planner)).wave;
    assert.equal(wave.linesPicked, 3);

    // And the last line, online, finishes the cart.
    await page.locator(`[data-testid="task-card"][data-task-id="${taskId}"]`).click();
    await page.locator('[data-testid="scan-prompt"][data-thing="bin"]').waitFor({ timeout: SLOW });
    await settle(page);
    await pickStop(page, s4, toteFor(s4.orderNumber));
    await page.getByTestId('flow-done').waitFor({ timeout: SLOW });
    assert.equal((await pickMoves(planner, Object.values(totes))).length, 4);
    assert.equal((await route(taskId, pickerApi)).step, 'DONE');
    console.log(`offline figures: ${JSON.stringify(figures)} (scans and keypad taps per line), ${scans} changes queued`);
    assert.deepEqual(problems.filter((p) => !/Failed to load resource|ERR_INTERNET_DISCONNECTED|net::/.test(p)), []);
  } finally {
    if (shots) await page.screenshot({ path: `${shots}/offline-last.png` }).catch(() => {});
    await browser.close();
  }
});

test('a replay refused because a supervisor released the task is shown with its code and lands after the picker claims again', async () => {
  const picker = creds('picker');
  const planner = await passwordToken(creds('planner'));
  const supervisor = await passwordToken(creds('supervisor'));
  const pickerApi = await passwordToken(picker);
  const [a, b] = await twoItems(planner);
  const { taskId } = await pickTask(planner, [
    [
      { itemSku: a, quantity: 1 },
      { itemSku: b, quantity: 1 },
    ],
  ]);
  const tote = makeCode('TOTE', `CF${Date.now() % 1_000_000}`);

  const { browser, context, page } = await openPhone();
  try {
    await signInByWedge(page, picker);
    await openTask(page, taskId);
    const [s1, s2] = (await route(taskId, pickerApi)).stops;

    await context.setOffline(true);
    await page.locator('[data-testid="link-status"][data-status="offline"]').waitFor({ timeout: SLOW });
    await pickStop(page, s1, tote);
    await pickStop(page, s2, tote);
    await page.getByTestId('flow-done').waitFor();

    // Meanwhile the supervisor gives the task back to the pool.
    const released = await gql(
      `mutation($input: TaskRefInput!) { releaseTask(input: $input) { __typename ${ERR} } }`,
      { input: { taskId, idempotencyKey: randomUUID() } },
      supervisor,
    );
    assert.equal(released.releaseTask.__typename, 'TaskSuccess', JSON.stringify(released));

    await context.setOffline(false);
    const conflict = page.getByTestId('conflict');
    await conflict.waitFor({ timeout: SLOW });
    assert.equal(await conflict.getAttribute('data-code'), 'INVALID_STATE');
    assert.equal(await page.getByTestId('conflict-code').textContent(), 'INVALID_STATE');
    assert.match(await page.getByTestId('conflict-message').textContent(), /Claim this task first/);
    assert.equal(await page.getByTestId('sync-state').getAttribute('data-state'), 'conflict');
    // Nothing landed, nothing was dropped: all six scans still wait on the device.
    assert.equal((await pickMoves(planner, [tote])).length, 0);
    assert.equal(Number(await page.getByTestId('sync-state').getAttribute('data-waiting')), 6);
    assert.equal((await route(taskId, pickerApi)).taskState, 'OPEN');
    if (shots) await page.screenshot({ path: `${shots}/offline-conflict.png` });

    await page.getByTestId('conflict-retry').click();
    await page.getByTestId('conflict').waitFor({ state: 'detached', timeout: SLOW });
    await page.locator('[data-testid="sync-state"][data-state="waiting"], [data-testid="sync-state"][data-state="syncing"], [data-testid="sync-state"][data-state="conflict"]').waitFor({ state: 'detached', timeout: SLOW });
    const moves = await pickMoves(planner, [tote]);
    assert.equal(moves.length, 2, JSON.stringify(moves));
    const end = await route(taskId, pickerApi);
    assert.equal(end.step, 'DONE');
    assert.equal(end.linesDone, 2);
  } finally {
    if (shots) await page.screenshot({ path: `${shots}/conflict-last.png` }).catch(() => {});
    await browser.close();
  }
});
