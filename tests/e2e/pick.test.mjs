import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SLOW, creds, flowStep, gql, makeCode, must, openPhone, passwordToken, randomUUID, settle, signInByWedge, wedgeScan } from './helpers.mjs';

const ERR = '... on UserError { code message field }';

/** Two lines of stocked, untracked items with a GTIN: one unit of the first, two of the second. */
async function pickableLines(token) {
  const data = await gql(
    `query { stock(first: 200, status: "AVAILABLE") { edges { node { available item { sku tracking expiryTracked gtins } bin { code } } } } }`,
    {},
    token,
  );
  const seen = new Map();
  for (const { node } of data.stock.edges) {
    const it = node.item;
    if (node.available < 3 || it.tracking !== 'NONE' || it.expiryTracked || it.gtins.length === 0 || seen.has(it.sku)) continue;
    seen.set(it.sku, it);
    if (seen.size === 2) break;
  }
  assert.equal(seen.size, 2, 'the demo has two stocked untracked items with a GTIN');
  const [a, b] = [...seen.values()];
  return [
    { itemSku: a.sku, quantity: 1 },
    { itemSku: b.sku, quantity: 2 },
  ];
}

test('a released wave reaches the signed-in picker without a reload and is picked to the end by wedge scans', async () => {
  const picker = creds('picker');
  const planner = await passwordToken(creds('planner'));
  const pickerApi = await passwordToken(picker);
  const customer = (await gql(`query { customers(first: 1) { edges { node { code } } } }`, {}, planner)).customers.edges[0].node.code;
  const lines = await pickableLines(planner);
  const order = await must(
    `mutation($input: CreateSalesOrderInput!) { createSalesOrder(input: $input) { __typename ... on SalesOrderSuccess { order { id number state } } ${ERR} } }`,
    { input: { number: `E2E-${Date.now()}`, customerCode: customer, lines, idempotencyKey: randomUUID() } },
    planner,
    'createSalesOrder',
    'SalesOrderSuccess',
  );

  const { browser, page, problems } = await openPhone();
  try {
    await signInByWedge(page, picker);
    await page.locator('[data-testid="link-status"][data-status="online"]').waitFor({ timeout: SLOW });
    await page.evaluate(() => {
      window.__noReload = true;
    });

    const wave = await must(
      `mutation($input: WavePlanInput!) { createWave(input: $input) { __typename ... on CreateWaveSuccess { wave { id code } } ${ERR} } }`,
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
    const taskId = released.pickTaskIds[0];
    assert.ok(taskId, 'the wave made a pick task');

    const card = page.locator(`[data-testid="task-card"][data-task-id="${taskId}"]`);
    await card.waitFor({ timeout: SLOW });
    assert.equal(await page.evaluate(() => window.__noReload), true, 'no reload happened');
    await card.click();

    const tote = makeCode('TOTE', `E2E${Date.now() % 1_000_000}`);
    const progress = async () =>
      (await gql(
        `query($id: ID!) { pickTaskProgress(taskId: $id) { __typename ... on PickProgress { step next { binCode gtin quantity } } ${ERR} } }`,
        { id: taskId },
        pickerApi,
      )).pickTaskProgress;

    let keyed = 0;
    for (let guard = 0; guard < 40; guard++) {
      const step = await flowStep(page);
      if (step === 'done') break;
      // The progress bar is always there while picking.
      await page.getByTestId('flow-progress').waitFor();
      if (step === 'qty') {
        keyed += 1;
        await page.getByTestId('qty-confirm').click();
        await page.locator('[data-testid="scan-prompt"][data-thing="tote"]').waitFor();
        continue;
      }
      const p = await progress();
      assert.equal(p.__typename, 'PickProgress', JSON.stringify(p));
      await settle(page);
      const before = await page.getByTestId('flow-progress').textContent();
      const code = step === 'bin' ? p.next.binCode : step === 'item' ? p.next.gtin : tote;
      assert.ok(code, `a code to scan for ${step}`);
      await wedgeScan(page, code);
      // The step moves on (the same prompt for another stop shows other figures).
      await page.waitForFunction(
        ([thing, text]) =>
          !document.querySelector(`[data-testid="scan-prompt"][data-thing="${thing}"]`) ||
          document.querySelector('[data-testid="flow-progress"]')?.textContent !== text,
        [step, before],
        { timeout: SLOW },
      );
    }
    await page.getByTestId('flow-done').waitFor({ timeout: SLOW });
    if (process.env.E2E_SHOTS) await page.screenshot({ path: `${process.env.E2E_SHOTS}/pick-done.png` });
    assert.equal(keyed, 1, 'the quantity was asked once: only for the line of two');
    assert.equal(await page.getByTestId('flow-error').count(), 0);
    const end = await progress();
    assert.equal(end.step, 'DONE');
    assert.deepEqual(problems, []);
  } finally {
    if (process.env.E2E_SHOTS) await page.screenshot({ path: `${process.env.E2E_SHOTS}/pick-last.png` }).catch(() => {});
    await browser.close();
  }
});
