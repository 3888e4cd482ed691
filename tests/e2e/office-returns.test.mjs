// A customer return across roles: shipped through the API, authorised on the office desk
// at 1024×768, received on a phone at 390×844 (one unit restocked to a bin, one scrapped),
// then the return, the ledger and the stock checked through the API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SLOW, creds, gql, makeCode, must, openPhone, passwordToken, randomUUID, settle, signInByWedge, wedgeScan } from './helpers.mjs';
import { TABLET, ERR, openOffice, shot, flowOk, quants } from './office.mjs';

const PROGRESS = `__typename ... on PickProgress { step next { lineId binCode gtin quantity askQuantity } } ${ERR}`;

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

/** Two units of an untracked item with a GTIN, ordered, picked, packed and shipped through the API. */
async function shippedOrder() {
  const planner = await passwordToken(creds('planner'));
  const picker = await passwordToken(creds('picker'));
  const packer = await passwordToken(creds('packer'));
  const shipper = await passwordToken(creds('shipper'));
  const stock = (await quants(planner, { status: 'AVAILABLE' }, { free: true })).find((x) => x.available >= 3 && x.item.tracking === 'NONE' && !x.item.expiryTracked && x.item.gtins.length > 0);
  assert.ok(stock, 'a stocked untracked item with a GTIN');
  const { sku } = stock.item;
  const gtin = stock.item.gtins[0];
  const customer = (await gql(`query { customers(first: 1) { edges { node { code } } } }`, {}, planner)).customers.edges[0].node.code;
  const carrier = (await gql(`query { carriers(first: 1) { edges { node { code } } } }`, {}, planner)).carriers.edges[0].node.code;
  const { order } = await must(
    `mutation($input: CreateSalesOrderInput!) { createSalesOrder(input: $input) { __typename ... on SalesOrderSuccess { order { id number } } ${ERR} } }`,
    { input: { number: `E2E-RMA-${Date.now()}`, customerCode: customer, carrierCode: carrier, lines: [{ itemSku: sku, quantity: 2 }], idempotencyKey: randomUUID() } },
    planner,
    'createSalesOrder',
    'SalesOrderSuccess',
  );
  const wave = await must(`mutation($input: WavePlanInput!) { createWave(input: $input) { __typename ... on CreateWaveSuccess { wave { id } } ${ERR} } }`, { input: { orderIds: [order.id], cartLimits: { totes: 2 }, idempotencyKey: randomUUID() } }, planner, 'createWave', 'CreateWaveSuccess');
  const released = await must(`mutation($input: ReleaseWaveInput!) { releaseWave(input: $input) { __typename ... on ReleaseWaveSuccess { pickTaskIds } ${ERR} } }`, { input: { waveId: wave.wave.id, idempotencyKey: randomUUID() } }, planner, 'releaseWave', 'ReleaseWaveSuccess');
  const tote = makeCode('TOTE', `RM${Date.now() % 1_000_000}`);
  await pickThroughApi(released.pickTaskIds[0], tote, picker);
  const started = await must(`mutation($input: StartPackingInput!) { startPacking(input: $input) { __typename ... on PackSessionSuccess { session { id } } ${ERR} } }`, { input: { code: tote, idempotencyKey: randomUUID() } }, packer, 'startPacking', 'PackSessionSuccess');
  for (let unit = 0; unit < 2; unit++) {
    await must(`mutation($input: PackScanInput!) { packScan(input: $input) { __typename ... on PackScanSuccess { session { id } } ${ERR} } }`, { input: { sessionId: started.session.id, code: gtin, idempotencyKey: randomUUID() } }, packer, 'packScan', 'PackScanSuccess');
  }
  await must(`mutation($input: CloseCartonInput!) { closeCarton(input: $input) { __typename ... on CloseCartonSuccess { orderPacked } ${ERR} } }`, { input: { sessionId: started.session.id, idempotencyKey: randomUUID() } }, packer, 'closeCarton', 'CloseCartonSuccess');
  const shipped = await must(`mutation($input: ShipInput!) { ship(input: $input) { __typename ... on ShipSuccess { shipment { id trackingNumber } } ${ERR} } }`, { input: { orderIds: [order.id], carrierCode: carrier, idempotencyKey: randomUUID() } }, shipper, 'ship', 'ShipSuccess');
  return { order, sku, gtin, bin: stock.bin.code, shipment: shipped.shipment };
}

async function onHand(token, sku, bin = null) {
  const rows = await quants(token, bin ? { sku, bin } : { sku });
  return rows.reduce((n, q) => n + q.onHand, 0);
}

test('ship → authorise on the desk → receive on the phone → restock one, scrap one: the return is credited and the stock agrees', async () => {
  const { order, sku, gtin, bin, shipment } = await shippedOrder();
  const supervisorUser = creds('supervisor');
  const supervisor = await passwordToken(supervisorUser);
  const totalBefore = await onHand(supervisor, sku);
  const binBefore = await onHand(supervisor, sku, bin);

  // The office desk: find the shipment by its tracking number, return both units.
  const desk = await openPhone({ viewport: TABLET });
  let rmaNumber;
  try {
    await signInByWedge(desk.page, supervisorUser);
    await openOffice(desk.page, 'returns');
    await desk.page.getByTestId('returns-code').fill(shipment.trackingNumber);
    await desk.page.getByTestId('returns-search').click();
    const card = desk.page.locator(`[data-testid="returnable"][data-order="${order.number}"]`);
    const line = card.locator(`[data-testid="returnable-line"][data-sku="${sku}"]`);
    await line.waitFor({ timeout: SLOW });
    await line.getByTestId('return-qty').fill('2');
    await card.getByTestId('return-reason').fill('Arrived too late');
    await card.getByTestId('return-authorise').click();
    await flowOk(desk.page, `authorised for order ${order.number}`);
    rmaNumber = /RMA-\d+/.exec(await desk.page.getByTestId('flow-message').textContent())[0];
    await desk.page.locator(`[data-testid="return-row"][data-number="${rmaNumber}"][data-state="AUTHORISED"]`).waitFor({ timeout: SLOW });
    // Nothing more of that line may come back now.
    await line.filter({ has: desk.page.locator('input[disabled]') }).waitFor({ timeout: SLOW });
    await calm(desk.page);
    await shot(desk.page, 'desk-returns');
    assert.deepEqual(desk.problems, []);
  } finally {
    await desk.browser.close();
  }

  // The receiver's phone: the return label, both units, then a disposition for each.
  const phone = await openPhone();
  try {
    await signInByWedge(phone.page, creds('receiver'));
    await phone.page.getByTestId('menu-button').click();
    await phone.page.getByTestId('nav-receive').click();
    await phone.page.getByTestId('receive-return').click();
    await settle(phone.page);
    await wedgeScan(phone.page, rmaNumber);
    await phone.page.getByTestId('rr-header').filter({ hasText: rmaNumber }).waitFor({ timeout: SLOW });
    for (let unit = 1; unit <= 2; unit++) {
      await settle(phone.page);
      await wedgeScan(phone.page, gtin);
      await phone.page.locator('[data-testid="rr-unit"]').nth(unit - 1).waitFor({ timeout: SLOW });
    }
    await phone.page.locator('[data-testid="rr-unit"][data-decided="no"]').first().getByTestId('rr-decide').click();
    await phone.page.getByTestId('rr-disp-RESTOCK').click();
    await settle(phone.page);
    await wedgeScan(phone.page, bin);
    await phone.page.locator('[data-testid="rr-unit"][data-decided="yes"]').waitFor({ timeout: SLOW });
    await calm(phone.page);
    await shot(phone.page, 'handheld-return');
    await phone.page.locator('[data-testid="rr-unit"][data-decided="no"]').first().getByTestId('rr-decide').click();
    await phone.page.getByTestId('rr-disp-SCRAP').click();
    await phone.page.getByTestId('flow-done').filter({ hasText: 'Return complete' }).waitFor({ timeout: SLOW });
    assert.deepEqual(phone.problems, []);
  } finally {
    await phone.browser.close();
  }

  // Through the API: the return is credited with one unit restocked to the bin and one scrapped.
  const [rma] = (await gql(`query($code: String) { customerReturns(code: $code) { id state creditReference lines { quantity received } units { disposition toBinCode } } }`, { code: rmaNumber }, supervisor)).customerReturns;
  assert.equal(rma.state, 'CREDITED');
  assert.ok(rma.creditReference);
  assert.deepEqual(rma.units.map((u) => u.disposition).sort(), ['RESTOCK', 'SCRAP']);
  assert.equal(rma.units.find((u) => u.disposition === 'RESTOCK').toBinCode, bin);
  assert.equal(await onHand(supervisor, sku, bin), binBefore + 1, 'the restocked unit is on its bin');
  assert.equal(await onHand(supervisor, sku), totalBefore + 1, 'two came back, one was scrapped');
  // The ledger: what came back and what left again, each a move of the item.
  const { stockMoves } = await gql(`query($sku: String) { stockMoves(first: 50, itemSku: $sku) { edges { node { id quantity reason fromBinId toBinId } } } }`, { sku }, supervisor);
  const moves = stockMoves.edges.map((e) => e.node);
  assert.ok(moves.some((mv) => mv.quantity > 0 && mv.fromBinId === null), 'the returned units entered the ledger');
  assert.ok(moves.some((mv) => mv.toBinId === null && mv.fromBinId !== null && /SCRAP/i.test(mv.reason)), `a scrap move: ${JSON.stringify(moves.slice(0, 8))}`);
});

/** The "ready to work offline" note is dismissed before a screenshot: it would hide the screen's foot. */
async function calm(page) {
  const note = page.getByTestId('offline-ready');
  if (await note.isVisible()) await note.getByRole('button').click();
}
