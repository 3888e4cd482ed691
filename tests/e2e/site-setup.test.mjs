// A new site set up from the desk at 1024×768 (warehouse, layout from the generator,
// a dock bin, a user scoped to it), then worked on a phone by that user: receive,
// put away, pick. It ends by reading the ledger through the API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SLOW, creds, flowStep, gql, makeCode, must, openPhone, passwordToken, randomUUID, settle, signInByWedge, wedgeScan } from './helpers.mjs';
import { ERR, TABLET, flowError, flowOk, openOffice, shot } from './office.mjs';

/** A demo item without lot, serial or expiry tracking that has a GTIN of one unit. */
async function plainItem(token) {
  const d = await gql(`query { items(first: 200) { edges { node { sku tracking expiryTracked gtins packagings { quantity gtin } } } } }`, {}, token);
  for (const { node: item } of d.items.edges) {
    const unit = item.gtins.find((g) => !item.packagings.some((p) => p.gtin === g && p.quantity > 1));
    if (item.tracking === 'NONE' && !item.expiryTracked && unit) return { sku: item.sku, gtin: unit };
  }
  throw new Error('the demo has no untracked item with a unit GTIN');
}

test('a warehouse drawn with the layout generator and a user made on the desk receive, put away and pick on the phone', async () => {
  const admin = await passwordToken(creds('admin'));
  const stamp = Date.now() % 100_000;
  const code = `S${stamp}`;
  const username = `site.${stamp}`;
  const password = `site-pass-${stamp}`;

  const desk = await openPhone({ viewport: TABLET });
  let phone = null;
  let bin = '';
  let item = { sku: '', gtin: '' };
  try {
    const page = desk.page;
    await signInByWedge(page, creds('admin'));
    await openOffice(page, 'site');

    // A new, empty warehouse.
    await page.getByTestId('wh-code').fill(code);
    await page.getByTestId('wh-name').fill('New site');
    await page.getByTestId('wh-create').click();
    await flowOk(page, `Warehouse ${code} created`);
    const detail = page.locator(`[data-testid="wh-detail"][data-code="${code}"]`);
    await detail.waitFor({ timeout: SLOW });

    // Its racking from the generator: previewed on the map, then saved.
    await page.getByTestId('gen-aisles').fill('3');
    await page.getByTestId('gen-bays').fill('8');
    await page.getByTestId('gen-levels').fill('2');
    await page.getByTestId('gen-pickFaceLevels').fill('2');
    await page.getByTestId('gen-nBlocks').fill('2');
    assert.equal(await page.getByTestId('gen-save').isDisabled(), true, 'nothing to save before a preview');
    await page.getByTestId('gen-preview').click();
    await page.getByTestId('layout-map').waitFor({ timeout: SLOW });
    assert.match(await page.getByTestId('preview-summary').textContent(), /96 bins in 3 aisles of 8 bays; 0 codes exist/);
    assert.equal(await page.getByTestId('map-bin').count(), 3 * 8 * 2, 'one rectangle a bay and side');
    assert.equal(await page.getByTestId('map-aisle').count(), 3);
    assert.equal(await page.getByTestId('map-cross-aisle').count(), 3, 'front, middle and back cross aisles');
    assert.equal(await page.getByTestId('map-depot').count(), 1);
    const whs = async () => (await gql(`query { warehouses { id code name nAisles cellsPerAisle nBlocks } }`, {}, admin)).warehouses.find((w) => w.code === code);
    assert.equal((await whs()).nAisles, 0, 'a preview saves nothing');
    // The calm "ready to work offline" note would cover the map's legend in the picture.
    const note = page.getByTestId('offline-ready');
    if (await note.count()) await note.getByRole('button').click();
    await page.getByTestId('preview').scrollIntoViewIfNeeded();
    await shot(page, 'desk-layout');
    await page.getByTestId('gen-save').click();
    await flowOk(page, 'Layout saved: 96 bins created, 0 updated, 0 retired');
    const wh = await whs();
    assert.deepEqual([wh.nAisles, wh.cellsPerAisle, wh.nBlocks], [3, 8, 2]);

    // A receiving dock and a packing bench, outside the racking: goods arrive on the
    // one, and picks end at the other.
    for (const [zone, kind, label] of [
      ['RCV', 'RECEIVING', 'DOCK-01'],
      ['PACK', 'PACKING', 'PACK-01'],
    ]) {
      await page.getByTestId('zone-code').fill(zone);
      await page.getByTestId('zone-name').fill(zone === 'RCV' ? 'Dock' : 'Packing');
      await page.getByTestId('zone-kind').selectOption(kind);
      await page.getByTestId('zone-save').click();
      await flowOk(page, `Zone ${zone} saved`);
      await page.getByTestId('bin-zone').selectOption(zone);
      await page.getByTestId('bin-label').fill(label);
      await page.getByTestId('bin-add').click();
      await flowOk(page, `Bin BIN-${code}-${label}`);
    }

    // An empty bin is retired and brought back.
    const first = page.getByTestId('bin-row').first();
    const firstCode = await first.getAttribute('data-code');
    await first.getByTestId('bin-toggle').click();
    await page.locator(`[data-testid="bin-row"][data-code="${firstCode}"][data-active="false"]`).waitFor({ timeout: SLOW });
    await page.locator(`[data-testid="bin-row"][data-code="${firstCode}"]`).getByTestId('bin-toggle').click();
    await page.locator(`[data-testid="bin-row"][data-code="${firstCode}"][data-active="true"]`).waitFor({ timeout: SLOW });

    await page.getByTestId('wh-rename').fill('New site, hall 1');
    await page.getByTestId('wh-rename-save').click();
    await flowOk(page, `Warehouse ${code} renamed`);
    assert.equal((await whs()).name, 'New site, hall 1');

    // A receiver scoped to the new warehouse; then also a picker; a new PIN shown once.
    await page.getByTestId('office-tab-users').click();
    await page.getByTestId('user-new').click({ timeout: SLOW });
    await page.getByTestId('user-username').fill(username);
    await page.getByTestId('user-name').fill('Site Worker');
    await page.getByTestId('role-receiver').check();
    await page.getByTestId(`wh-${code}`).check();
    await page.getByTestId('user-password').fill(password);
    await page.getByTestId('user-pin').fill('2580');
    await page.getByTestId('user-create').click();
    await flowOk(page, `User ${username} created`);
    const userDetail = page.locator(`[data-testid="user-detail"][data-username="${username}"]`);
    await userDetail.waitFor({ timeout: SLOW });
    await userDetail.getByTestId('role-picker').check();
    await userDetail.getByTestId('user-save').click();
    await flowOk(page, `${username}: roles and warehouses saved`);
    await userDetail.getByTestId('user-reset-pin').click();
    const pin = ((await page.getByTestId('user-secret-value').textContent({ timeout: SLOW })) ?? '').trim();
    assert.match(pin, /^\d{6}$/);
    await userDetail.getByTestId('user-badge').click();
    await flowOk(page, `Badge of ${username} ready to print`);
    await shot(page, 'desk-users');
    await userDetail.getByTestId('user-secret-done').click();
    assert.equal(await page.getByTestId('user-secret').count(), 0, 'the secret is gone once handed over');

    const users = await gql(`query { users(first: 500) { edges { node { id username roles warehouseIds badgeCode active } } } }`, {}, admin);
    const worker = users.users.edges.map((e) => e.node).find((u) => u.username === username);
    assert.deepEqual(worker.roles, ['picker', 'receiver']);
    assert.deepEqual(worker.warehouseIds, [wh.id]);
    assert.ok(worker.badgeCode && worker.active);

    // A purchase order for the new warehouse (no screen makes one for another site).
    item = await plainItem(admin);
    const supplier = (await gql(`query { suppliers(first: 1) { edges { node { code } } } }`, {}, admin)).suppliers.edges[0].node.code;
    const po = await must(
      `mutation($input: CreatePurchaseOrderInput!) { createPurchaseOrder(input: $input) { __typename ... on PurchaseOrderSuccess { purchaseOrder { code } } ${ERR} } }`,
      { input: { supplierCode: supplier, warehouseId: wh.id, lines: [{ itemSku: item.sku, quantity: 6, unitPriceCents: 100 }], idempotencyKey: randomUUID() } },
      admin,
      'createPurchaseOrder',
      'PurchaseOrderSuccess',
    );
    const submitted = await must(
      `mutation($c: String!) { submitPurchaseOrder(input: {poCode: $c}) { __typename ... on PurchaseOrderSuccess { purchaseOrder { code state receiveTaskId } } ${ERR} } }`,
      { c: po.purchaseOrder.code },
      admin,
      'submitPurchaseOrder',
      'PurchaseOrderSuccess',
    );
    assert.equal(submitted.purchaseOrder.state, 'APPROVED');

    // On the phone, as the new user: receive the order and put it away where putaway says.
    phone = await openPhone();
    const hand = phone.page;
    await signInByWedge(hand, { badge: worker.badgeCode, pin });
    const card = hand.locator(`[data-testid="task-card"][data-task-id="${submitted.purchaseOrder.receiveTaskId}"]`);
    await card.waitFor({ timeout: SLOW });
    await card.click();
    assert.equal(await flowStep(hand), 'po');
    await settle(hand);
    await wedgeScan(hand, po.purchaseOrder.code);
    await hand.locator('[data-testid="scan-prompt"][data-thing="item"]').waitFor({ timeout: SLOW });
    await settle(hand);
    await wedgeScan(hand, item.gtin);
    await hand.getByTestId('qty-pad').waitFor({ timeout: SLOW });
    await hand.getByTestId('qty-confirm').click();
    await hand.getByTestId('flow-message').filter({ hasText: `Received 6 × ${item.sku}` }).waitFor({ timeout: SLOW });
    await hand.getByTestId('close-receipt').click();
    await hand.getByTestId('start-putaway').click({ timeout: SLOW });
    await hand.locator('[data-testid="scan-prompt"][data-thing="bin"]').waitFor({ timeout: SLOW });
    bin = (await hand.getByTestId('expected').textContent())?.trim() ?? '';
    assert.ok(bin.startsWith(`BIN-${code}-A0`), `putaway suggests a generated bin, not ${bin}`);
    await settle(hand);
    await wedgeScan(hand, bin);
    await hand.getByTestId('flow-done').waitFor({ timeout: SLOW });
    assert.equal(await hand.getByTestId('flow-error').count(), 0);

    // A sales order of two from the new warehouse, a wave, released to the phone.
    const customer = (await gql(`query { customers(first: 1) { edges { node { code } } } }`, {}, admin)).customers.edges[0].node.code;
    const order = await must(
      `mutation($input: CreateSalesOrderInput!) { createSalesOrder(input: $input) { __typename ... on SalesOrderSuccess { order { id number lines { reserved } } } ${ERR} } }`,
      { input: { number: `SITE-${stamp}`, customerCode: customer, warehouseId: wh.id, lines: [{ itemSku: item.sku, quantity: 2 }], idempotencyKey: randomUUID() } },
      admin,
      'createSalesOrder',
      'SalesOrderSuccess',
    );
    assert.deepEqual(order.order.lines.map((l) => l.reserved), [2]);
    const wave = await must(
      `mutation($input: WavePlanInput!) { createWave(input: $input) { __typename ... on CreateWaveSuccess { wave { id } } ${ERR} } }`,
      { input: { orderIds: [order.order.id], warehouseId: wh.id, cartLimits: { totes: 2 }, idempotencyKey: randomUUID() } },
      admin,
      'createWave',
      'CreateWaveSuccess',
    );
    const released = await must(
      `mutation($input: ReleaseWaveInput!) { releaseWave(input: $input) { __typename ... on ReleaseWaveSuccess { pickTaskIds } ${ERR} } }`,
      { input: { waveId: wave.wave.id, idempotencyKey: randomUUID() } },
      admin,
      'releaseWave',
      'ReleaseWaveSuccess',
    );
    const [taskId] = released.pickTaskIds;

    const workerApi = await passwordToken({ username, password });
    const progress = async () =>
      (await gql(`query($id: ID!) { pickTaskProgress(taskId: $id) { __typename ... on PickProgress { step next { binCode gtin } } ${ERR} } }`, { id: taskId }, workerApi)).pickTaskProgress;
    await hand.getByTestId('flow-done').waitFor();
    await hand.goto('/');
    const pickCard = hand.locator(`[data-testid="task-card"][data-task-id="${taskId}"]`);
    await pickCard.waitFor({ timeout: SLOW });
    await pickCard.click();
    const tote = makeCode('TOTE', `S${stamp}`);
    for (let guard = 0; guard < 12; guard++) {
      const step = await flowStep(hand);
      if (step === 'done') break;
      if (step === 'qty') {
        await hand.getByTestId('qty-confirm').click();
        await hand.locator('[data-testid="scan-prompt"][data-thing="tote"]').waitFor({ timeout: SLOW });
        continue;
      }
      const p = await progress();
      const scanned = step === 'bin' ? p.next.binCode : step === 'item' ? p.next.gtin : tote;
      if (step === 'bin') assert.equal(scanned, bin, 'the pick goes to the bin the stock was put away in');
      await settle(hand);
      const before = await hand.getByTestId('flow-progress').textContent();
      await wedgeScan(hand, scanned);
      await hand.waitForFunction(
        ([thing, text]) =>
          !document.querySelector(`[data-testid="scan-prompt"][data-thing="${thing}"]`) ||
          document.querySelector('[data-testid="flow-progress"]')?.textContent !== text,
        [step, before],
        { timeout: SLOW },
      );
    }
    await hand.getByTestId('flow-done').waitFor({ timeout: SLOW });
    assert.equal((await progress()).step, 'DONE');
    assert.deepEqual(phone.problems, []);

    // Back on the desk: the bin with stock cannot be retired, and says which and why.
    await page.getByTestId('office-tab-site').click();
    await page.locator(`[data-testid="wh-item"][data-code="${code}"]`).click({ timeout: SLOW });
    await page.getByTestId('bin-find').fill(bin.split('-').slice(2, -1).join('-'));
    await page.locator(`[data-testid="bin-row"][data-code="${bin}"]`).getByTestId('bin-toggle').click({ timeout: SLOW });
    await flowError(page, 'Bins that hold stock cannot be removed or moved');
    const why = await page.getByTestId('flow-error-detail').textContent();
    assert.match(why, /1 bin\(s\) would lose their stock, the first A0\d-/);
    assert.deepEqual(desk.problems, []);
  } finally {
    if (process.env.E2E_SHOTS && phone) await phone.page.screenshot({ path: `${process.env.E2E_SHOTS}/site-setup-phone-last.png` }).catch(() => {});
    await desk.browser.close();
    if (phone) await phone.browser.close();
  }

  // What landed, read through the API: the ledger of the bin the stock was put away in.
  const history = await gql(
    `query($bin: String!) { stockHistory(binCode: $bin, first: 50) { __typename ... on StockHistory { lines { itemSku quantity fromBin toBin reason username } } ${ERR} } }`,
    { bin },
    admin,
  );
  assert.equal(history.stockHistory.__typename, 'StockHistory', JSON.stringify(history));
  const lines = history.stockHistory.lines.filter((l) => l.itemSku === item.sku);
  const put = lines.find((l) => l.reason === 'PUTAWAY');
  const picked = lines.find((l) => l.reason === 'PICK');
  assert.ok(put && picked, JSON.stringify(lines));
  assert.deepEqual([put.quantity, put.username, put.fromBin, put.toBin], [6, username, makeCode('BIN', `${code}-DOCK-01`), bin]);
  assert.deepEqual([picked.quantity, picked.username, picked.fromBin], [2, username, bin]);
  const left = await gql(`query($bin: String!, $sku: String!) { stock(binCode: $bin, itemSku: $sku) { edges { node { onHand reserved } } } }`, { bin, sku: item.sku }, admin);
  assert.deepEqual(left.stock.edges.map((e) => [e.node.onHand, e.node.reserved]), [[4, 0]], 'four left on the shelf, none held');
});
