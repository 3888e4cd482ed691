import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SLOW, creds, gql, must, openPhone, passwordToken, settle, signInByWedge, wedgeScan } from './helpers.mjs';

const ERR = '... on UserError { code message field }';
const HANDHELD = { width: 360, height: 740 };
const STOCK = `query($bin: String, $wh: ID) { stock(first: 500, status: "AVAILABLE", binCode: $bin, warehouseId: $wh) {
  edges { node { available reserved item { sku tracking expiryTracked gtins } bin { code label zone { kind } } } } } }`;

async function shot(page, name) {
  if (process.env.E2E_SHOTS) await page.screenshot({ path: `${process.env.E2E_SHOTS}/${name}.png` });
}

test('a picker refills a pick face from reserve by wedge scans (REPLENISH task)', async () => {
  const supervisor = await passwordToken(creds('supervisor'));
  // One warehouse throughout (other tests leave stock in a second one): its pick faces,
  // its stock, and the replenishment evaluated there.
  const faces = await gql(`query { bins(first: 200, zoneCode: "PF") { edges { node { code label warehouseId } } } }`, {}, supervisor);
  const warehouseId = faces.bins.edges[0].node.warehouseId;
  const quants = (await gql(STOCK, { bin: null, wh: warehouseId }, supervisor)).stock.edges.map((e) => e.node);
  const plain = (q) => q.item.tracking === 'NONE' && !q.item.expiryTracked && q.item.gtins.length > 0;
  // An item with free stock in exactly one reserve bin, so the task takes from that bin alone.
  const reserve = quants.filter((q) => plain(q) && q.bin.zone.kind === 'RESERVE' && q.available >= 2);
  const source = reserve.find((q) => reserve.filter((r) => r.item.sku === q.item.sku).length === 1);
  assert.ok(source, 'an untracked item with free stock in one reserve bin');
  const stocked = new Set(quants.map((q) => q.bin.code));
  const face = faces.bins.edges.map((e) => e.node).find((b) => b.warehouseId === warehouseId && !stocked.has(b.code));
  assert.ok(face, 'an empty pick face');
  const quantity = source.available;

  await must(
    `mutation($input: SetReplenishmentSettingInput!) { setReplenishmentSetting(input: $input) { __typename ... on ReplenishmentSettingSuccess { setting { id } } ${ERR} } }`,
    { input: { itemSku: source.item.sku, binCode: face.code, minQty: 1, maxQty: quantity } },
    supervisor,
    'setReplenishmentSetting',
    'ReplenishmentSettingSuccess',
  );

  const { browser, page, problems } = await openPhone({ viewport: HANDHELD });
  try {
    await signInByWedge(page, creds('picker'));
    await page.locator('[data-testid="link-status"][data-status="online"]').waitFor({ timeout: SLOW });
    const evaluated = await must(
      `mutation($wh: ID) { evaluateReplenishment(input: { warehouseId: $wh }) { __typename ... on EvaluateReplenishmentSuccess { created { id title binCode } } ${ERR} } }`,
      { wh: warehouseId },
      supervisor,
      'evaluateReplenishment',
      'EvaluateReplenishmentSuccess',
    );
    const task = evaluated.created.find((t) => t.binCode === source.bin.code);
    assert.ok(task, `a REPLENISH task from ${source.bin.label}: ${JSON.stringify(evaluated.created)}`);

    const card = page.locator(`[data-testid="task-card"][data-task-id="${task.id}"]`);
    await card.waitFor({ timeout: SLOW });
    await card.click();
    await page.locator('[data-testid="scan-prompt"][data-thing="bin"]').waitFor({ timeout: SLOW });
    await page.getByTestId('expected').filter({ hasText: source.bin.label }).waitFor({ timeout: SLOW });
    // The task is claimed before the first scan counts: the scanner waits enabled.
    await page.locator('[data-testid="scan-prompt"][data-thing="bin"] input:enabled').waitFor({ timeout: SLOW });
    await settle(page);
    await shot(page, 'replenish-1-from');

    // The pick face first is the wrong bin: refused, nothing moves.
    await wedgeScan(page, face.code);
    await page.getByTestId('flow-error').filter({ hasText: 'Wrong bin' }).waitFor({ timeout: SLOW });
    await settle(page);
    await wedgeScan(page, source.bin.code);

    await page.locator('[data-testid="scan-prompt"][data-thing="item"]').waitFor({ timeout: SLOW });
    await settle(page);
    await wedgeScan(page, source.item.gtins[0]);

    await page.getByTestId('qty-pad').waitFor({ timeout: SLOW });
    await page.getByTestId('qty-value').filter({ hasText: String(quantity) }).waitFor();
    await shot(page, 'replenish-2-qty');
    await page.getByTestId('qty-confirm').click();

    await page.locator('[data-testid="scan-prompt"][data-thing="bin"]').waitFor({ timeout: SLOW });
    await page.getByTestId('expected').filter({ hasText: face.label }).waitFor();
    await settle(page);
    await shot(page, 'replenish-3-to');
    await wedgeScan(page, face.code);

    await page.getByTestId('flow-done').filter({ hasText: `Moved ${quantity} × ${source.item.sku} to ${face.label}` }).waitFor({ timeout: SLOW });
    await shot(page, 'replenish-4-done');
    const onFace = (await gql(STOCK, { bin: face.code }, supervisor)).stock.edges.map((e) => e.node);
    assert.equal(onFace.filter((q) => q.item.sku === source.item.sku).reduce((n, q) => n + q.available, 0), quantity);
    assert.deepEqual(problems, []);
  } finally {
    if (process.env.E2E_SHOTS) await page.screenshot({ path: `${process.env.E2E_SHOTS}/replenish-last.png` }).catch(() => {});
    await browser.close();
  }
});
