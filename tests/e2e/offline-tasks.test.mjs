import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SLOW, countedBins, creds, gql, must, openPhone, passwordToken, randomUUID, settle, signInByWedge, wedgeScan } from './helpers.mjs';

const ERR = '... on UserError { code message field }';
const shots = process.env.E2E_SHOTS;

/** Offline on the device, with the service worker in control (a reload comes from its cache). */
async function goOffline(page, context) {
  await page.waitForFunction(() => !!localStorage.getItem('wms.offlineReadySeen') && !!navigator.serviceWorker.controller, null, { timeout: SLOW });
  await context.setOffline(true);
  await page.locator('[data-testid="link-status"][data-status="offline"]').waitFor({ timeout: SLOW });
}

async function backOnlineAndSynced(page, context) {
  await context.setOffline(false);
  await page
    .locator('[data-testid="sync-state"][data-state="waiting"], [data-testid="sync-state"][data-state="syncing"]')
    .waitFor({ state: 'detached', timeout: SLOW });
  assert.equal(await page.locator('[data-testid="sync-state"][data-state="conflict"]').count(), 0, 'no conflict');
}

const waiting = async (page) => Number((await page.getByTestId('sync-state').getAttribute('data-waiting')) ?? 0);

/** Every count of this task the server has, whatever became of it. */
async function countsOf(taskId, token) {
  const found = [];
  for (const state of ['CLOSED', 'PENDING_APPROVAL', 'RECOUNTED', 'APPROVED', 'REJECTED']) {
    const d = await gql(
      `query($s: String) { countReviews(first: 200, state: $s) { edges { node { countId taskId state submittedAt lines { itemSku counted } } } } }`,
      { s: state },
      token,
    );
    found.push(...d.countReviews.edges.map((e) => e.node).filter((n) => n.taskId === taskId));
  }
  return found;
}

test('a count made offline survives reloads and is submitted exactly once when the network is back', async () => {
  const supervisor = await passwordToken(creds('supervisor'));
  const data = await gql(
    `query { stock(first: 100, status: "AVAILABLE") { edges { node { item { sku tracking expiryTracked gtins } bin { code } } } } }`,
    {},
    supervisor,
  );
  const counted = await countedBins(supervisor);
  const quant = data.stock.edges
    .map((e) => e.node)
    .find((q) => q.item.tracking === 'NONE' && !q.item.expiryTracked && q.item.gtins.length > 0 && !counted.has(q.bin.code));
  assert.ok(quant, 'a bin with an untracked item that has a GTIN');
  const req = await must(
    `mutation($input: RequestBinCountInput!) { requestBinCount(input: $input) { __typename ... on RequestBinCountSuccess { count { taskId } } ${ERR} } }`,
    { input: { binCode: quant.bin.code, idempotencyKey: randomUUID() } },
    supervisor,
    'requestBinCount',
    'RequestBinCountSuccess',
  );
  const taskId = req.count.taskId;

  const { browser, context, page, problems } = await openPhone();
  try {
    await signInByWedge(page, creds('picker'));
    const card = page.locator(`[data-testid="task-card"][data-task-id="${taskId}"]`);
    await card.waitFor({ timeout: SLOW });
    await card.click();
    await page.locator('[data-testid="scan-prompt"][data-thing="bin"]').waitFor({ timeout: SLOW });
    await goOffline(page, context);

    await settle(page);
    await wedgeScan(page, quant.bin.code);
    await page.locator('[data-testid="scan-prompt"][data-thing="item"]').waitFor({ timeout: SLOW });
    for (let i = 0; i < 3; i++) {
      await settle(page);
      await wedgeScan(page, quant.item.gtins[0]);
      await page.getByTestId('counted').filter({ hasText: `× ${i + 1}` }).waitFor({ timeout: SLOW });
    }
    // The count so far lives on the device: a reload without network keeps it.
    await page.reload();
    await page.getByTestId('counted').filter({ hasText: '× 3' }).waitFor({ timeout: SLOW });
    await page.getByTestId('submit-count').click();
    await page.getByTestId('count-kept').waitFor({ timeout: SLOW });
    assert.equal(await waiting(page), 1, 'the submission waits in the outbox');
    assert.equal((await countsOf(taskId, supervisor)).filter((c) => c.submittedAt).length, 0, 'nothing reached the server');
    if (shots) await page.screenshot({ path: `${shots}/offline-count-kept.png` });

    await page.reload();
    await page.getByTestId('count-kept').waitFor({ timeout: SLOW });
    assert.equal(await waiting(page), 1);

    await backOnlineAndSynced(page, context);
    const counts = (await countsOf(taskId, supervisor)).filter((c) => c.submittedAt);
    assert.equal(counts.length, 1, JSON.stringify(counts));
    assert.deepEqual(
      counts[0].lines.filter((l) => l.itemSku === quant.item.sku).map((l) => l.counted),
      [3],
    );
    assert.deepEqual(problems.filter((p) => !/Failed to load resource|ERR_INTERNET_DISCONNECTED|net::/.test(p)), []);
  } finally {
    if (shots) await page.screenshot({ path: `${shots}/offline-count-last.png` }).catch(() => {});
    await browser.close();
  }
});

/** An open PO line of an untracked item with a unit GTIN, received and closed by API: its putaway task. */
async function putawayTask(receiverToken, token) {
  const data = await gql(`query { openPurchaseOrders { id code state receiveTaskId lines { itemSku remaining } } }`, {}, token);
  // From the last order back: receive.test.mjs takes the first such line, and this test
  // receives its line whole, which would leave that test nothing to receive.
  for (const po of [...data.openPurchaseOrders].reverse()) {
    // An order announced as pallets belongs to pallet.test.mjs (received by its SSCC).
    const { inboundPallets } = await gql(`query($po: String!) { inboundPallets(poCode: $po) { sscc } }`, { po: po.code }, token);
    if (inboundPallets.length) continue;
    for (const line of po.lines) {
      if (line.remaining <= 0) continue;
      const { item } = await gql(`query($sku: String!) { item(sku: $sku) { sku tracking expiryTracked gtins packagings { quantity gtin } } }`, { sku: line.itemSku }, token);
      const gtin = item.gtins.find((g) => !item.packagings.some((p) => p.gtin === g && p.quantity > 1));
      if (item.tracking !== 'NONE' || item.expiryTracked || !gtin) continue;
      return { po, line, gtin };
    }
  }
  throw new Error('the demo has no open PO with an untracked line');
}

test('a putaway scanned offline is settled by the server on sync and lands exactly once', async () => {
  const receiver = creds('receiver');
  const supervisor = await passwordToken(creds('supervisor'));
  const { po, line, gtin } = await putawayTask(null, supervisor);
  const { browser, context, page, problems } = await openPhone();
  try {
    // Received online (the receive flow has its own tests); the putaway is opened while online.
    await signInByWedge(page, receiver);
    const card = page.locator(`[data-testid="task-card"][data-task-id="${po.receiveTaskId}"]`);
    await card.waitFor({ timeout: SLOW });
    await card.click();
    await settle(page);
    await wedgeScan(page, po.code);
    await page.locator('[data-testid="scan-prompt"][data-thing="item"]').waitFor({ timeout: SLOW });
    await settle(page);
    await wedgeScan(page, gtin);
    // One unit only: the rest of the line stays for receive.test.mjs (the demo has one
    // such line), and the order stays open with its receive task.
    if (line.remaining > 1) {
      await page.getByTestId('qty-pad').waitFor({ timeout: SLOW });
      await page.keyboard.press('1');
      await page.getByTestId('qty-confirm').click();
    }
    await page.getByTestId('flow-message').filter({ hasText: 'Received 1' }).waitFor({ timeout: SLOW });
    await page.getByTestId('close-receipt').click();
    await page.getByTestId('start-putaway').click({ timeout: SLOW });
    await page.locator('[data-testid="scan-prompt"][data-thing="bin"]').waitFor({ timeout: SLOW });
    const bin = (await page.getByTestId('expected').textContent())?.trim();
    assert.ok(bin, 'a suggested bin is shown');
    const putawayUrl = page.url();

    const movesTo = async () =>
      (await gql(`query($sku: String, $bin: String) { stockMoves(first: 500, itemSku: $sku, binCode: $bin) { edges { node { id quantity reason toBinId } } } }`, { sku: line.itemSku, bin }, supervisor)).stockMoves.edges
        .map((e) => e.node)
        .filter((n) => n.reason === 'PUTAWAY');
    const before = (await movesTo()).length;

    await goOffline(page, context);
    await settle(page);
    await wedgeScan(page, bin);
    await page.getByTestId('settled-on-sync').waitFor({ timeout: SLOW });
    assert.match(await page.getByTestId('settled-on-sync').textContent(), new RegExp(`${bin}.*network is back`));
    assert.equal(await waiting(page), 1);
    assert.equal((await movesTo()).length, before, 'nothing reached the server');
    if (shots) await page.screenshot({ path: `${shots}/offline-putaway-kept.png` });

    // A reload without network: the putaway stays done on the device, still waiting.
    await page.goto(putawayUrl);
    await page.getByTestId('settled-on-sync').waitFor({ timeout: SLOW });
    assert.equal(await waiting(page), 1);

    await backOnlineAndSynced(page, context);
    const after = await movesTo();
    assert.equal(after.length, before + 1, JSON.stringify(after));
    assert.equal(after.at(-1)?.quantity ?? after[0].quantity, 1);
    const stock = await gql(
      `query($bin: String!, $sku: String!) { stock(binCode: $bin, itemSku: $sku) { edges { node { onHand } } } }`,
      { bin, sku: line.itemSku },
      supervisor,
    );
    assert.ok(stock.stock.edges.reduce((s, e) => s + e.node.onHand, 0) >= 1);
    assert.deepEqual(problems.filter((p) => !/Failed to load resource|ERR_INTERNET_DISCONNECTED|net::/.test(p)), []);
  } finally {
    if (shots) await page.screenshot({ path: `${shots}/offline-putaway-last.png` }).catch(() => {});
    await browser.close();
  }
});
