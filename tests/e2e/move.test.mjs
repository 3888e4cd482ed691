import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SLOW, creds, gql, openPhone, passwordToken, settle, signInByWedge, wedgeScan } from './helpers.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const HANDHELD = { width: 360, height: 740 };
const STOCK = `query($bin: String) { stock(first: 200, status: "AVAILABLE", binCode: $bin) {
  edges { node { available item { sku tracking expiryTracked gtins } bin { code label zone { kind } } } } } }`;

async function shot(page, name) {
  if (process.env.E2E_SHOTS) await page.screenshot({ path: `${process.env.E2E_SHOTS}/${name}.png` });
}

async function onBin(token, binCode, sku) {
  const data = await gql(STOCK, { bin: binCode }, token);
  return data.stock.edges.map((e) => e.node).filter((q) => q.item.sku === sku).reduce((n, q) => n + q.available, 0);
}

test('a picker moves 3 units from one bin to another by wedge scans', async () => {
  const supervisor = await passwordToken(creds('supervisor'));
  const quants = (await gql(STOCK, { bin: null }, supervisor)).stock.edges.map((e) => e.node);
  // The last one: the count test takes the first such bin, and a bin being counted cannot move.
  const source = quants.filter((q) => q.item.tracking === 'NONE' && !q.item.expiryTracked && q.item.gtins.length > 0 && q.available >= 3).at(-1);
  assert.ok(source, 'a bin with at least 3 free units of an untracked item with a GTIN');
  const bins = await gql(`query { bins(first: 100, zoneCode: "RSV") { edges { node { code label } } } }`, {}, supervisor);
  const target = bins.bins.edges.map((e) => e.node).find((b) => b.code !== source.bin.code);
  assert.ok(target, 'another bin to move to');
  const before = await onBin(supervisor, target.code, source.item.sku);

  const { browser, page, problems } = await openPhone({ viewport: HANDHELD });
  try {
    await signInByWedge(page, creds('picker'));
    await page.getByTestId('menu-button').click();
    await page.getByTestId('nav-move').click();
    await page.locator('[data-testid="move-step"][data-step="from"]').waitFor({ timeout: SLOW });
    await settle(page);
    await shot(page, 'move-1-from');
    await wedgeScan(page, source.bin.code);

    await page.locator('[data-testid="move-step"][data-step="what"]').waitFor({ timeout: SLOW });
    // A bin where the item belongs is refused, with a reason.
    await settle(page);
    await wedgeScan(page, target.code);
    await page.getByTestId('flow-error').filter({ hasText: 'Whole bin' }).waitFor({ timeout: SLOW });
    await shot(page, 'move-2-what');
    await settle(page);
    await wedgeScan(page, source.item.gtins[0]);

    await page.locator('[data-testid="move-step"][data-step="qty"]').waitFor({ timeout: SLOW });
    await page.locator('.pin-key[data-key="clear"]').click();
    await page.locator('.pin-key[data-key="3"]').click();
    await shot(page, 'move-3-qty');
    await page.getByTestId('qty-confirm').click();

    await page.locator('[data-testid="move-step"][data-step="to"]').waitFor({ timeout: SLOW });
    await page.getByTestId('move-what').filter({ hasText: `3 × ${source.item.sku}` }).waitFor();
    await shot(page, 'move-4-to');
    await settle(page);
    await wedgeScan(page, target.code);

    const done = page.getByTestId('move-done');
    await done.waitFor({ timeout: SLOW });
    await page.getByTestId('move-lines').filter({ hasText: `3 × ${source.item.sku}` }).waitFor();
    await page.getByTestId('move-done-to').filter({ hasText: target.label }).waitFor();
    await shot(page, 'move-5-done');
    assert.equal(await onBin(supervisor, target.code, source.item.sku), before + 3);
    assert.deepEqual(problems, []);
  } finally {
    if (process.env.E2E_SHOTS) await page.screenshot({ path: `${process.env.E2E_SHOTS}/move-last.png` }).catch(() => {});
    await browser.close();
  }
});

test('a move scanned offline waits in the outbox and is made once the link is back', async () => {
  const supervisor = await passwordToken(creds('supervisor'));
  const quants = (await gql(STOCK, { bin: null }, supervisor)).stock.edges.map((e) => e.node);
  const candidates = quants.filter((q) => q.item.tracking === 'NONE' && !q.item.expiryTracked && q.item.gtins.length > 0 && q.available >= 2);
  // Neither the first (count test), the middle (transfer test) nor the last (the test above).
  const source = candidates.at(-2);
  assert.ok(source, 'a second bin with free units of an untracked item with a GTIN');
  const bins = await gql(`query { bins(first: 100, zoneCode: "RSV") { edges { node { code label } } } }`, {}, supervisor);
  const target = bins.bins.edges.map((e) => e.node).filter((b) => b.code !== source.bin.code).at(-1);
  const before = await onBin(supervisor, target.code, source.item.sku);

  const { browser, context, page, problems } = await openPhone({ viewport: HANDHELD });
  try {
    await signInByWedge(page, creds('picker'));
    await page.locator('[data-testid="link-status"][data-status="online"]').waitFor({ timeout: SLOW });
    await page.getByTestId('menu-button').click();
    await page.getByTestId('nav-move').click();
    await page.locator('[data-testid="move-step"][data-step="from"]').waitFor({ timeout: SLOW });
    await context.setOffline(true);
    await settle(page);
    await wedgeScan(page, source.bin.code);
    await page.locator('[data-testid="move-step"][data-step="what"]').waitFor({ timeout: SLOW });
    await settle(page);
    await wedgeScan(page, source.item.gtins[0]);
    await page.locator('[data-testid="move-step"][data-step="qty"]').waitFor({ timeout: SLOW });
    await page.locator('.pin-key[data-key="clear"]').click();
    await page.locator('.pin-key[data-key="2"]').click();
    await page.getByTestId('qty-confirm').click();
    await page.locator('[data-testid="move-step"][data-step="to"]').waitFor({ timeout: SLOW });
    await settle(page);
    await wedgeScan(page, target.code);
    await page.getByTestId('move-done').filter({ hasText: 'Move saved on this device' }).waitFor({ timeout: SLOW });
    await shot(page, 'move-6-queued');
    assert.equal(await onBin(supervisor, target.code, source.item.sku), before, 'nothing moved while offline');

    // Back online: the outbox goes out by itself (on the "online" event, when the
    // socket reconnects, or at the next retry of a waiting outbox), with no reload.
    await context.setOffline(false);
    let after = before;
    for (let i = 0; i < 60 && after === before; i++) {
      await sleep(500);
      after = await onBin(supervisor, target.code, source.item.sku);
    }
    assert.equal(after, before + 2);
    assert.deepEqual(problems.filter((p) => !/Failed to fetch|ERR_INTERNET_DISCONNECTED|WebSocket/i.test(p)), []);
  } finally {
    await browser.close();
  }
});
