import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SLOW, creds, flowStep, gql, makeCode, must, openPhone, passwordToken, randomUUID, settle, signInByWedge, wedgeScan } from './helpers.mjs';

/*
 * The handheld in the field: the bin's place as printed on its label, keys
 * typed on a PDA keypad without tapping a field, the quantity pad on hardware
 * keys, refusals with their specifics, and the receiving trap.
 */

const ERR = '... on UserError { code message field }';
const shots = process.env.E2E_SHOTS;

/** Stocked, untracked items with a GTIN: `n` of them. */
async function untrackedStock(token, n) {
  const data = await gql(
    `query { stock(first: 200, status: "AVAILABLE") { edges { node { available item { sku name tracking expiryTracked gtins } } } } }`,
    {},
    token,
  );
  const seen = new Map();
  for (const { node } of data.stock.edges) {
    const it = node.item;
    if (node.available < 4 || it.tracking !== 'NONE' || it.expiryTracked || it.gtins.length === 0 || seen.has(it.sku)) continue;
    seen.set(it.sku, it);
    if (seen.size === n) break;
  }
  assert.equal(seen.size, n, `the demo has ${n} stocked untracked items with a GTIN`);
  return [...seen.values()];
}

/** Type like a person on a PDA keypad: one key at a time, nothing focused first. */
async function typeByHand(page, text) {
  await page.evaluate(() => (document.activeElement instanceof HTMLElement ? document.activeElement.blur() : undefined));
  await page.keyboard.type(text, { delay: 120 });
  await page.keyboard.press('Enter');
}

test('a multi-unit pick line with no tap: typed bin, wedge item, hardware Enter on the pad, wedge tote', async () => {
  const planner = await passwordToken(creds('planner'));
  const pickerApi = await passwordToken(creds('picker'));
  const customer = (await gql(`query { customers(first: 1) { edges { node { code } } } }`, {}, planner)).customers.edges[0].node.code;
  const [wanted, other] = await untrackedStock(planner, 2);
  const order = await must(
    `mutation($input: CreateSalesOrderInput!) { createSalesOrder(input: $input) { __typename ... on SalesOrderSuccess { order { id } } ${ERR} } }`,
    { input: { number: `E2E-FLOOR-${Date.now()}`, customerCode: customer, lines: [{ itemSku: wanted.sku, quantity: 3 }], idempotencyKey: randomUUID() } },
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
  const taskId = released.pickTaskIds[0];
  const progress = async () =>
    (await gql(
      `query($id: ID!) { pickTaskProgress(taskId: $id) { __typename ... on PickProgress { step unitsPicked unitsTotal next { binCode binLabel quantity } } ${ERR} } }`,
      { id: taskId },
      pickerApi,
    )).pickTaskProgress;

  const { browser, context, page, problems } = await openPhone();
  await context.addInitScript(() => localStorage.setItem('wms.locale', 'en'));
  try {
    await signInByWedge(page, creds('picker'));
    const card = page.locator(`[data-testid="task-card"][data-task-id="${taskId}"]`);
    await card.waitFor({ timeout: SLOW });
    await card.click();

    const tote = makeCode('TOTE', `FL${Date.now() % 1_000_000}`);
    const taps = { count: 0 };
    await page.exposeFunction('__tap', () => {
      taps.count += 1;
    });
    await page.evaluate(() => document.addEventListener('pointerdown', () => window.__tap(), true));

    let sawWrongItem = false;
    for (let guard = 0; guard < 20; guard++) {
      const step = await flowStep(page);
      if (step === 'done') break;
      if (step === 'qty') {
        await settle(page).catch(() => {});
        await page.keyboard.press('Enter'); // the hardware key, not the on-screen button
        await page.locator('[data-testid="scan-prompt"][data-thing="tote"]').waitFor({ timeout: SLOW });
        continue;
      }
      const p = await progress();
      await settle(page);
      const before = await page.getByTestId('flow-progress').textContent();
      if (step === 'bin') {
        // Aisle, bay and level shown are the label's (A07-025-1 → Aisle 07 · Bay 025 · Level 1).
        const m = /^[A-Z]*(\d+)-(\d+)-(\d+)$/.exec(p.next.binLabel);
        assert.ok(m, `a rack label: ${p.next.binLabel}`);
        const place = (await page.getByTestId('bin-place').textContent())?.trim();
        if (shots) await page.screenshot({ path: `${shots}/floor-pick-bin-390.png` });
        assert.equal(place, `Aisle ${m[1]} · Bay ${m[2]} · Level ${m[3]}`);
        await typeByHand(page, p.next.binCode);
      } else if (step === 'item') {
        if (!sawWrongItem) {
          // The wrong article: the server's specifics reach the picker, and what to do.
          await wedgeScan(page, other.gtins[0]);
          const error = page.getByTestId('flow-error');
          await error.waitFor({ timeout: SLOW });
          const text = (await error.textContent()) ?? '';
          assert.match(text, /scan the item shown/i);
          assert.ok(text.includes(wanted.sku), `names the item to take: ${text}`);
          if (shots) await page.screenshot({ path: `${shots}/floor-pick-wrong-item-390.png` });
          sawWrongItem = true;
          await settle(page);
        }
        await wedgeScan(page, wanted.gtins[0]);
      } else {
        await wedgeScan(page, tote);
      }
      await page.waitForFunction(
        ([thing, text]) =>
          !document.querySelector(`[data-testid="scan-prompt"][data-thing="${thing}"]`) ||
          document.querySelector('[data-testid="flow-progress"]')?.textContent !== text,
        [step, before],
        { timeout: SLOW },
      );
    }
    await page.getByTestId('flow-done').waitFor({ timeout: SLOW });
    assert.ok(sawWrongItem);
    assert.equal(taps.count, 0, 'no tap during the pick');
    const end = await progress();
    assert.equal(end.step, 'DONE');
    assert.equal(end.unitsPicked, 3, 'all three units picked, by keys alone');
    assert.deepEqual(problems, []);
  } finally {
    if (shots) await page.screenshot({ path: `${shots}/floor-pick-last.png` }).catch(() => {});
    await browser.close();
  }
});

test('a lot-tracked article that is not on the order is refused at once, with a way out, and nothing is recorded', async () => {
  const supervisor = await passwordToken(creds('supervisor'));
  const data = await gql(`query { openPurchaseOrders { code number receiveTaskId lines { itemSku } } }`, {}, supervisor);
  const po = data.openPurchaseOrders.find((o) => o.receiveTaskId);
  assert.ok(po, 'an open PO with a receive task');
  const onPo = new Set(po.lines.map((l) => l.itemSku));
  const items = (await gql(`query { items(first: 200) { edges { node { sku tracking gtins } } } }`, {}, supervisor)).items.edges.map((e) => e.node);
  const stray = items.find((i) => i.tracking === 'LOT' && i.gtins.length > 0 && !onPo.has(i.sku));
  assert.ok(stray, 'a lot-tracked item with a GTIN that is not on the PO');
  const movesOf = async () => (await gql(`query($sku: String!) { stockMoves(first: 200, itemSku: $sku) { edges { node { id } } } }`, { sku: stray.sku }, supervisor)).stockMoves.edges.length;
  const movesBefore = await movesOf();

  const { browser, context, page, problems } = await openPhone();
  await context.addInitScript(() => localStorage.setItem('wms.locale', 'en'));
  try {
    await signInByWedge(page, creds('receiver'));
    const card = page.locator(`[data-testid="task-card"][data-task-id="${po.receiveTaskId}"]`);
    await card.waitFor({ timeout: SLOW });
    await card.click();
    assert.equal(await flowStep(page), 'po');
    await settle(page);
    await wedgeScan(page, po.code);
    await page.locator('[data-testid="scan-prompt"][data-thing="item"]').waitFor({ timeout: SLOW });
    await settle(page);
    await wedgeScan(page, stray.gtins[0]);

    const error = page.getByTestId('flow-error');
    await error.waitFor({ timeout: SLOW });
    const text = (await error.textContent()) ?? '';
    assert.match(text, /not on this order/i);
    assert.ok(text.includes(stray.sku), `the article is named: ${text}`);
    if (shots) await page.screenshot({ path: `${shots}/floor-receive-not-on-order-390.png` });
    // Not asked for a lot: still scanning items.
    assert.equal(await page.locator('[data-testid="scan-prompt"][data-thing="lot"]').count(), 0);
    assert.equal(await flowStep(page), 'item');

    // Nothing recorded: no receipt line for it, no stock move.
    const receipts = await gql(`query { receipts(first: 50, state: "OPEN") { edges { node { poCode lines { itemSku } } } } }`, {}, supervisor);
    const mine = receipts.receipts.edges.map((e) => e.node).filter((r) => r.poCode === po.code);
    assert.ok(mine.length > 0, 'the receipt was started');
    assert.ok(mine.every((r) => r.lines.every((l) => l.itemSku !== stray.sku)), 'no receipt line for the stray article');
    assert.equal(await movesOf(), movesBefore, 'no stock move for the stray article');
    assert.deepEqual(problems, []);
  } finally {
    if (shots) await page.screenshot({ path: `${shots}/floor-receive-last.png` }).catch(() => {});
    await browser.close();
  }
});

test('the packing station: a second carton, a wrong weight refused, and an extra unit refused out loud', async () => {
  const planner = await passwordToken(creds('planner'));
  const picker = await passwordToken(creds('picker'));
  const shipper = await passwordToken(creds('shipper'));
  const customer = (await gql(`query { customers(first: 1) { edges { node { code } } } }`, {}, planner)).customers.edges[0].node.code;
  const [it] = await untrackedStock(planner, 1);
  const order = await must(
    `mutation($input: CreateSalesOrderInput!) { createSalesOrder(input: $input) { __typename ... on SalesOrderSuccess { order { id } } ${ERR} } }`,
    { input: { number: `E2E-PACK2-${Date.now()}`, customerCode: customer, lines: [{ itemSku: it.sku, quantity: 2 }], idempotencyKey: randomUUID() } },
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
  const tote = makeCode('TOTE', `PW${Date.now() % 1_000_000}`);
  const taskId = released.pickTaskIds[0];
  const PROGRESS = `__typename ... on PickProgress { step next { lineId binCode gtin quantity askQuantity } } ${ERR}`;
  await must(`mutation($input: TaskRefInput!) { claimTask(input: $input) { __typename ... on TaskSuccess { task { id } } ${ERR} } }`, { input: { taskId, idempotencyKey: randomUUID() } }, picker, 'claimTask', 'TaskSuccess');
  let p = (await gql(`query($id: ID!) { pickTaskProgress(taskId: $id) { ${PROGRESS} } }`, { id: taskId }, picker)).pickTaskProgress;
  for (let guard = 0; guard < 20 && p.step !== 'DONE'; guard++) {
    const base = { taskId, lineId: p.next.lineId, idempotencyKey: randomUUID() };
    if (p.step === 'SCAN_BIN') p = await must(`mutation($input: PickScanInput!) { pickScanBin(input: $input) { ${PROGRESS} } }`, { input: { ...base, code: p.next.binCode } }, picker, 'pickScanBin', 'PickProgress');
    else if (p.step === 'SCAN_ITEM') p = await must(`mutation($input: PickScanInput!) { pickScanItem(input: $input) { ${PROGRESS} } }`, { input: { ...base, code: p.next.gtin } }, picker, 'pickScanItem', 'PickProgress');
    else p = await must(`mutation($input: PickConfirmInput!) { pickConfirm(input: $input) { ${PROGRESS} } }`, { input: { ...base, toteCode: tote, quantity: p.next.askQuantity ? p.next.quantity : null } }, picker, 'pickConfirm', 'PickProgress');
  }
  assert.equal(p.step, 'DONE');

  const { browser, context, page, problems } = await openPhone({ viewport: { width: 1024, height: 768 } });
  await context.addInitScript(() => localStorage.setItem('wms.locale', 'en'));
  const packedLines = () => page.getByTestId('pack-lines').textContent();
  try {
    await signInByWedge(page, creds('shipper'));
    await page.getByTestId('menu-button').click();
    await page.getByTestId('nav-pack').click();
    await page.locator('[data-testid="scan-prompt"][data-thing="tote"]').waitFor({ timeout: SLOW });
    await settle(page);
    await wedgeScan(page, tote);
    await page.getByTestId('pack-lines').waitFor({ timeout: SLOW });

    // One unit in the first carton, closed as not the last.
    await page.locator('[data-testid="scan-prompt"][data-thing="unit"]').waitFor({ timeout: SLOW });
    await settle(page);
    let before = await packedLines();
    await wedgeScan(page, it.gtins[0]);
    await page.waitForFunction((text) => document.querySelector('[data-testid="pack-lines"]')?.textContent !== text, before, { timeout: SLOW });
    await page.getByTestId('new-carton').click();
    await page.getByTestId('flow-message').filter({ hasText: 'Carton 1 closed' }).waitFor({ timeout: SLOW });

    // The second unit into a new carton: the order is complete.
    await settle(page);
    before = await packedLines();
    await wedgeScan(page, it.gtins[0]);
    await page.waitForFunction((text) => document.querySelector('[data-testid="pack-lines"]')?.textContent !== text, before, { timeout: SLOW });
    await page.getByTestId('all-packed').waitFor({ timeout: SLOW });

    // An extra unit: refused with the server's specifics, nothing packed.
    await settle(page);
    await wedgeScan(page, it.gtins[0]);
    const error = page.getByTestId('flow-error');
    await error.waitFor({ timeout: SLOW });
    const text = (await error.textContent()) ?? '';
    assert.match(text, /set it aside/i);
    assert.ok(text.includes(it.sku), `the server's words name the article: ${text}`);

    // A weight that cannot be right is refused by the weight check; the real one closes the carton.
    await page.getByTestId('carton-weight').fill('999999');
    if (shots) await page.screenshot({ path: `${shots}/floor-pack-1024.png` });
    await page.getByTestId('close-carton').click();
    await page.getByTestId('flow-error').filter({ hasText: /weigh|carries at most/i }).waitFor({ timeout: SLOW });
    if (shots) await page.screenshot({ path: `${shots}/floor-pack-weight-1024.png` });
    const session = (await gql(`query($id: ID!) { salesOrder(id: $id) { id state } }`, { id: order.order.id }, shipper)).salesOrder;
    assert.notEqual(session.state, 'PACKED', 'a refused weight closes nothing');
    await page.getByTestId('carton-weight').fill('');
    await page.getByTestId('close-carton').click();
    await page.getByTestId('pack-cartons').waitFor({ timeout: SLOW });
    await page.locator('[data-testid="ship"]:not([disabled])').waitFor({ timeout: SLOW });
    if (shots) await page.screenshot({ path: `${shots}/floor-pack-closed-1024.png` });

    // Through the API: two closed cartons holding one unit each.
    const sessions = await gql(`query($id: ID!) { salesOrder(id: $id) { state } }`, { id: order.order.id }, shipper);
    assert.equal(sessions.salesOrder.state, 'PACKED');
    const cartons = await page.getByTestId('pack-cartons').locator('li').count();
    assert.equal(cartons, 2);
    assert.deepEqual(problems, []);
  } finally {
    if (shots) await page.screenshot({ path: `${shots}/floor-pack-last.png` }).catch(() => {});
    await browser.close();
  }
});
