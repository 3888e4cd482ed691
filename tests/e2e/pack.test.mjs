import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { SLOW, creds, gql, makeCode, must, openPhone, passwordToken, randomUUID, settle, signInByWedge, wedgeScan } from './helpers.mjs';

const ERR = '... on UserError { code message field }';
const PROGRESS = `__typename ... on PickProgress { step next { lineId binCode gtin quantity askQuantity } } ${ERR}`;

/** A stocked, untracked item with a GTIN (two units of it). */
async function orderLines(token) {
  const data = await gql(
    `query { stock(first: 200, status: "AVAILABLE") { edges { node { available item { sku tracking expiryTracked gtins } } } } }`,
    {},
    token,
  );
  for (const { node } of data.stock.edges) {
    const it = node.item;
    if (node.available >= 3 && it.tracking === 'NONE' && !it.expiryTracked && it.gtins.length > 0) {
      return { lines: [{ itemSku: it.sku, quantity: 2 }], gtin: it.gtins[0] };
    }
  }
  throw new Error('no stocked untracked item with a GTIN');
}

/** Pick a released task to the end through the API, into `tote`. */
async function pickThroughApi(taskId, tote, token) {
  await must(`mutation($input: TaskRefInput!) { claimTask(input: $input) { __typename ... on TaskSuccess { task { id } } ${ERR} } }`, { input: { taskId, idempotencyKey: randomUUID() } }, token, 'claimTask', 'TaskSuccess');
  let p = (await gql(`query($id: ID!) { pickTaskProgress(taskId: $id) { ${PROGRESS} } }`, { id: taskId }, token)).pickTaskProgress;
  for (let guard = 0; guard < 40 && p.step !== 'DONE'; guard++) {
    const base = { taskId, lineId: p.next.lineId, idempotencyKey: randomUUID() };
    if (p.step === 'SCAN_BIN') {
      p = await must(`mutation($input: PickScanInput!) { pickScanBin(input: $input) { ${PROGRESS} } }`, { input: { ...base, code: p.next.binCode } }, token, 'pickScanBin', 'PickProgress');
    } else if (p.step === 'SCAN_ITEM') {
      p = await must(`mutation($input: PickScanInput!) { pickScanItem(input: $input) { ${PROGRESS} } }`, { input: { ...base, code: p.next.gtin } }, token, 'pickScanItem', 'PickProgress');
    } else {
      const quantity = p.next.askQuantity ? p.next.quantity : null;
      p = await must(`mutation($input: PickConfirmInput!) { pickConfirm(input: $input) { ${PROGRESS} } }`, { input: { ...base, toteCode: tote, quantity } }, token, 'pickConfirm', 'PickProgress');
    }
  }
  assert.equal(p.step, 'DONE');
}

test('a picked order is packed at the station, the carton closed, the order shipped and its label PDF downloaded', async () => {
  const planner = await passwordToken(creds('planner'));
  const picker = await passwordToken(creds('picker'));
  const customer = (await gql(`query { customers(first: 1) { edges { node { code } } } }`, {}, planner)).customers.edges[0].node.code;
  const { lines, gtin } = await orderLines(planner);
  const order = await must(
    `mutation($input: CreateSalesOrderInput!) { createSalesOrder(input: $input) { __typename ... on SalesOrderSuccess { order { id number } } ${ERR} } }`,
    { input: { number: `E2E-PACK-${Date.now()}`, customerCode: customer, lines, idempotencyKey: randomUUID() } },
    planner,
    'createSalesOrder',
    'SalesOrderSuccess',
  );
  const wave = await must(
    `mutation($input: WavePlanInput!) { createWave(input: $input) { __typename ... on CreateWaveSuccess { wave { id } } ${ERR} } }`,
    { input: { orderIds: [order.order.id], cartLimits: { totes: 2 }, idempotencyKey: randomUUID() } },
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
  const tote = makeCode('TOTE', `PK${Date.now() % 1_000_000}`);
  await pickThroughApi(released.pickTaskIds[0], tote, picker);

  const { browser, context, page, problems } = await openPhone({ viewport: { width: 1024, height: 768 } });
  // This test reads English whatever the user's profile language.
  await context.addInitScript(() => localStorage.setItem('wms.locale', 'en'));
  try {
    await signInByWedge(page, creds('shipper'));
    await page.getByTestId('menu-button').click();
    await page.getByTestId('nav-pack').click();

    await page.locator('[data-testid="scan-prompt"][data-thing="tote"]').waitFor({ timeout: SLOW });
    await settle(page);
    await wedgeScan(page, tote);
    await page.getByTestId('pack-lines').waitFor({ timeout: SLOW });

    // Every unit is scanned.
    for (let unit = 0; unit < 2; unit++) {
      await page.locator('[data-testid="scan-prompt"][data-thing="unit"]').waitFor({ timeout: SLOW });
      await settle(page);
      const before = await page.getByTestId('pack-lines').textContent();
      await wedgeScan(page, gtin);
      await page.waitForFunction((text) => document.querySelector('[data-testid="pack-lines"]')?.textContent !== text, before, { timeout: SLOW });
    }
    await page.getByTestId('close-carton').click();
    await page.locator('[data-testid="ship"]:not([disabled])').waitFor({ timeout: SLOW });
    await page.getByTestId('ship').click();
    await page.getByTestId('shipped').waitFor({ timeout: SLOW });

    const [download] = await Promise.all([page.waitForEvent('download', { timeout: SLOW }), page.getByTestId('download-label').click()]);
    const path = await download.path();
    const head = readFileSync(path).subarray(0, 5).toString('latin1');
    assert.equal(head, '%PDF-', 'the label is a PDF');
    assert.match(download.suggestedFilename(), /\.pdf$/);
    assert.equal(await page.getByTestId('flow-error').count(), 0);
    assert.deepEqual(problems, []);
  } finally {
    if (process.env.E2E_SHOTS) await page.screenshot({ path: `${process.env.E2E_SHOTS}/pack-last.png` }).catch(() => {});
    await browser.close();
  }
});
