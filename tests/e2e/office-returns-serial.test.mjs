// A customer return of serialised goods across roles: a serial-tracked item made, bought,
// received with its serials, put away, ordered, picked, packed by serial and shipped through
// the API; two of the three shipped serials ticked for return on the office desk at 1024×768;
// on a phone at 390×844 each unit scanned by its GTIN and then its serial label, one restocked
// to a bin and one scrapped. The serial register, the ledger, the stock and the return are
// then read through the API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SLOW, creds, gql, makeCode, must, openPhone, passwordToken, randomUUID, settle, signInByWedge, wedgeScan } from './helpers.mjs';
import { TABLET, ERR, openOffice, shot, flowOk, quants } from './office.mjs';

const PROGRESS = `__typename ... on PickProgress { step next { lineId binCode gtin quantity askQuantity } } ${ERR}`;

/** A GTIN-13 in the restricted-circulation range (prefix 20–29) with its check digit. */
function gtin13(body12) {
  const sum = [...body12].reverse().reduce((n, d, i) => n + Number(d) * (i % 2 === 0 ? 3 : 1), 0);
  return `${body12}${(10 - (sum % 10)) % 10}`;
}

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

/**
 * A new serial-tracked item (so no other test's stock or counts touch it): three units
 * bought, received each with its serial, put away, then ordered, picked, packed serial by
 * serial and shipped, all through the API.
 */
async function shippedSerials() {
  const admin = await passwordToken(creds('admin'));
  const receiver = await passwordToken(creds('receiver'));
  const planner = await passwordToken(creds('planner'));
  const picker = await passwordToken(creds('picker'));
  const packer = await passwordToken(creds('packer'));
  const shipper = await passwordToken(creds('shipper'));
  const stamp = `${Date.now()}`.slice(-9);
  const sku = `E2E-SN-${stamp}`;
  const made = await must(
    `mutation($input: ItemInput!) { createItem(input: $input) { __typename ... on ItemSuccess { item { sku tracking gtins } } ${ERR} } }`,
    { input: { sku, name: 'Returnable scanner', category: 'Electronics', gtin: gtin13(`209${stamp}`), tracking: 'SERIAL', lengthMm: 150, widthMm: 80, heightMm: 40, weightG: 300, unitCostCents: 100, idempotencyKey: randomUUID() } },
    admin,
    'createItem',
    'ItemSuccess',
  );
  assert.equal(made.item.tracking, 'SERIAL');
  const gtin = made.item.gtins[0];
  const serials = ['A', 'B', 'C'].map((x) => `SN${stamp}${x}`);

  const supplier = (await gql(`query { suppliers(first: 1) { edges { node { code } } } }`, {}, admin)).suppliers.edges[0].node.code;
  const po = await must(
    `mutation($input: CreatePurchaseOrderInput!) { createPurchaseOrder(input: $input) { __typename ... on PurchaseOrderSuccess { purchaseOrder { code } } ${ERR} } }`,
    { input: { supplierCode: supplier, lines: [{ itemSku: sku, quantity: serials.length, unitPriceCents: 100 }], idempotencyKey: randomUUID() } },
    admin,
    'createPurchaseOrder',
    'PurchaseOrderSuccess',
  );
  const submitted = await must(
    `mutation($c: String!) { submitPurchaseOrder(input: {poCode: $c}) { __typename ... on PurchaseOrderSuccess { purchaseOrder { state } } ${ERR} } }`,
    { c: po.purchaseOrder.code },
    admin,
    'submitPurchaseOrder',
    'PurchaseOrderSuccess',
  );
  assert.equal(submitted.purchaseOrder.state, 'APPROVED', 'under the demo approval amount');
  const started = await must(`mutation($input: StartReceiptInput!) { startReceipt(input: $input) { __typename ... on StartReceiptSuccess { receipt { id } } ${ERR} } }`, { input: { poCode: po.purchaseOrder.code, idempotencyKey: randomUUID() } }, receiver, 'startReceipt', 'StartReceiptSuccess');
  for (const serial of serials) {
    const got = await must(
      `mutation($input: ScanReceiveInput!) { scanReceive(input: $input) { __typename ... on ScanReceiveSuccess { received { serialNumber status } } ${ERR} } }`,
      { input: { receiptId: started.receipt.id, code: `(01)${gtin}(21)${serial}`, idempotencyKey: randomUUID() } },
      receiver,
      'scanReceive',
      'ScanReceiveSuccess',
    );
    assert.equal(got.received.serialNumber, serial);
  }
  const closed = await must(`mutation($input: ReceiptIdInput!) { closeReceipt(input: $input) { __typename ... on CloseReceiptSuccess { putawayTaskIds } ${ERR} } }`, { input: { receiptId: started.receipt.id, idempotencyKey: randomUUID() } }, receiver, 'closeReceipt', 'CloseReceiptSuccess');
  assert.equal(closed.putawayTaskIds.length, 1, JSON.stringify(closed));
  const taskId = closed.putawayTaskIds[0];
  const { putawaySuggestion } = await gql(`query($t: ID!) { putawaySuggestion(taskId: $t) { __typename ... on PutawayPlan { suggestions { binCode } } ${ERR} } }`, { t: taskId }, receiver);
  assert.ok(putawaySuggestion.suggestions?.length, JSON.stringify(putawaySuggestion));
  const bin = putawaySuggestion.suggestions[0].binCode;
  const put = await must(
    `mutation($input: ScanPutawayInput!) { scanPutaway(input: $input) { __typename ... on ScanPutawaySuccess { binCode quantity taskDone } ${ERR} } }`,
    { input: { taskId, binCode: bin, idempotencyKey: randomUUID() } },
    receiver,
    'scanPutaway',
    'ScanPutawaySuccess',
  );
  assert.equal(put.quantity, serials.length);

  const customer = (await gql(`query { customers(first: 1) { edges { node { code } } } }`, {}, planner)).customers.edges[0].node.code;
  const carrier = (await gql(`query { carriers(first: 1) { edges { node { code } } } }`, {}, planner)).carriers.edges[0].node.code;
  const { order } = await must(
    `mutation($input: CreateSalesOrderInput!) { createSalesOrder(input: $input) { __typename ... on SalesOrderSuccess { order { id number } } ${ERR} } }`,
    { input: { number: `E2E-RMA-SN-${stamp}`, customerCode: customer, carrierCode: carrier, lines: [{ itemSku: sku, quantity: serials.length }], idempotencyKey: randomUUID() } },
    planner,
    'createSalesOrder',
    'SalesOrderSuccess',
  );
  const wave = await must(`mutation($input: WavePlanInput!) { createWave(input: $input) { __typename ... on CreateWaveSuccess { wave { id } } ${ERR} } }`, { input: { orderIds: [order.id], cartLimits: { totes: 2 }, idempotencyKey: randomUUID() } }, planner, 'createWave', 'CreateWaveSuccess');
  const released = await must(`mutation($input: ReleaseWaveInput!) { releaseWave(input: $input) { __typename ... on ReleaseWaveSuccess { pickTaskIds } ${ERR} } }`, { input: { waveId: wave.wave.id, idempotencyKey: randomUUID() } }, planner, 'releaseWave', 'ReleaseWaveSuccess');
  assert.equal(released.pickTaskIds.length, 1, JSON.stringify(released));
  const tote = makeCode('TOTE', `RS${stamp.slice(-6)}`);
  await pickThroughApi(released.pickTaskIds[0], tote, picker);
  const packing = await must(`mutation($input: StartPackingInput!) { startPacking(input: $input) { __typename ... on PackSessionSuccess { session { id } } ${ERR} } }`, { input: { code: tote, idempotencyKey: randomUUID() } }, packer, 'startPacking', 'PackSessionSuccess');
  for (const serial of serials) {
    await must(`mutation($input: PackScanInput!) { packScan(input: $input) { __typename ... on PackScanSuccess { session { id } } ${ERR} } }`, { input: { sessionId: packing.session.id, code: `(01)${gtin}(21)${serial}`, idempotencyKey: randomUUID() } }, packer, 'packScan', 'PackScanSuccess');
  }
  await must(`mutation($input: CloseCartonInput!) { closeCarton(input: $input) { __typename ... on CloseCartonSuccess { orderPacked } ${ERR} } }`, { input: { sessionId: packing.session.id, idempotencyKey: randomUUID() } }, packer, 'closeCarton', 'CloseCartonSuccess');
  const shipped = await must(`mutation($input: ShipInput!) { ship(input: $input) { __typename ... on ShipSuccess { shipment { id trackingNumber } } ${ERR} } }`, { input: { orderIds: [order.id], carrierCode: carrier, idempotencyKey: randomUUID() } }, shipper, 'ship', 'ShipSuccess');
  return { order, sku, gtin, serials, bin, shipment: shipped.shipment };
}

async function trace(token, sku, serial) {
  const d = await gql(`query($sku: String!, $sn: String!) { serialNumber(itemSku: $sku, serialNumber: $sn) { serialNumber state warehouseId leftAt leftReference } }`, { sku, sn: serial }, token);
  return d.serialNumber;
}

test('serialised return: two of three shipped serials authorised on the desk, scanned by serial on the phone, one restocked, one scrapped; register, ledger and stock agree', async () => {
  const { order, sku, gtin, serials, bin, shipment } = await shippedSerials();
  const [restocked, scrapped, kept] = serials;
  const supervisorUser = creds('supervisor');
  const supervisor = await passwordToken(supervisorUser);
  for (const serial of serials) {
    const t = await trace(supervisor, sku, serial);
    assert.equal(t.state, 'SHIPPED', `${serial} left with the shipment`);
    assert.equal(t.leftReference, shipment.trackingNumber);
  }
  assert.equal((await quants(supervisor, { sku })).reduce((n, q) => n + q.onHand, 0), 0, 'all three shipped');

  // The office desk: the shipment by its tracking number, two of its serials ticked.
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
    // Serials are chosen by name, not typed as a quantity.
    assert.equal(await line.getByTestId('return-qty').count(), 0);
    assert.deepEqual((await line.getByTestId('return-serial').evaluateAll((els) => els.map((e) => e.value))).sort(), [...serials].sort());
    await line.locator(`[data-testid="return-serial"][value="${restocked}"]`).check();
    await line.locator(`[data-testid="return-serial"][value="${scrapped}"]`).check();
    await card.getByTestId('return-reason').fill('Two scanners dead on arrival');
    await card.getByTestId('return-authorise').click();
    await flowOk(desk.page, `authorised for order ${order.number}`);
    rmaNumber = /RMA-\d+/.exec(await desk.page.getByTestId('flow-message').textContent())[0];
    const row = desk.page.locator(`[data-testid="return-row"][data-number="${rmaNumber}"][data-state="AUTHORISED"]`);
    await row.waitFor({ timeout: SLOW });
    assert.match(await row.textContent(), new RegExp(`${restocked}`));
    assert.match(await row.textContent(), new RegExp(`${scrapped}`));
    // Searched again after the authorisation: only the serial on no return is left to tick.
    await line.locator(`[data-testid="return-serial"][value="${restocked}"]`).waitFor({ state: 'detached', timeout: SLOW });
    assert.deepEqual(await line.getByTestId('return-serial').evaluateAll((els) => els.map((e) => e.value)), [kept]);
    await calm(desk.page);
    await shot(desk.page, 'desk-returns-serial');
    assert.deepEqual(desk.problems, []);
  } finally {
    await desk.browser.close();
  }

  // The receiver's phone: the return label, then each unit by its GTIN and its serial label.
  const phone = await openPhone();
  try {
    await signInByWedge(phone.page, creds('receiver'));
    await phone.page.getByTestId('menu-button').click();
    await phone.page.getByTestId('nav-receive').click();
    await phone.page.getByTestId('receive-return').click();
    await settle(phone.page);
    await wedgeScan(phone.page, rmaNumber);
    await phone.page.getByTestId('rr-header').filter({ hasText: rmaNumber }).waitFor({ timeout: SLOW });
    const serialPrompt = phone.page.locator('[data-testid="scan-prompt"][data-thing="code"]');
    // The serial that stayed with the customer is refused: it is not on this return.
    await settle(phone.page);
    await wedgeScan(phone.page, gtin);
    await serialPrompt.waitFor({ timeout: SLOW });
    await settle(phone.page);
    await wedgeScan(phone.page, kept);
    await phone.page.getByTestId('flow-error').filter({ hasText: `Serial ${kept} is not on this return` }).waitFor({ timeout: SLOW });
    for (const [i, serial] of [restocked, scrapped].entries()) {
      if (i > 0) {
        await settle(phone.page);
        await wedgeScan(phone.page, gtin);
        await serialPrompt.waitFor({ timeout: SLOW });
      }
      await settle(phone.page);
      await wedgeScan(phone.page, serial);
      await phone.page.locator('[data-testid="rr-unit"]').filter({ hasText: serial }).waitFor({ timeout: SLOW });
    }
    const unitOf = (serial) => phone.page.locator('[data-testid="rr-unit"]').filter({ hasText: serial });
    await unitOf(restocked).getByTestId('rr-decide').click();
    await phone.page.getByTestId('rr-disp-RESTOCK').click();
    await settle(phone.page);
    await wedgeScan(phone.page, bin);
    await phone.page.locator('[data-testid="rr-unit"][data-decided="yes"]').filter({ hasText: restocked }).waitFor({ timeout: SLOW });
    await calm(phone.page);
    await shot(phone.page, 'handheld-return-serial');
    await unitOf(scrapped).getByTestId('rr-decide').click();
    await phone.page.getByTestId('rr-disp-SCRAP').click();
    await phone.page.getByTestId('flow-done').filter({ hasText: 'Return complete' }).waitFor({ timeout: SLOW });
    assert.deepEqual(phone.problems, []);
  } finally {
    await phone.browser.close();
  }

  // Through the API. The return: credited, each serial with its disposition.
  const [rma] = (await gql(`query($code: String) { customerReturns(code: $code) { id state creditReference lines { sku quantity received serials } units { serial binCode status disposition toBinCode } } }`, { code: rmaNumber }, supervisor)).customerReturns;
  assert.equal(rma.state, 'CREDITED');
  assert.ok(rma.creditReference);
  assert.deepEqual(rma.lines.map((l) => [l.sku, l.quantity, l.received, [...l.serials].sort()]), [[sku, 2, 2, [restocked, scrapped].sort()]]);
  const bySerial = Object.fromEntries(rma.units.map((u) => [u.serial, u]));
  assert.deepEqual(Object.keys(bySerial).sort(), [restocked, scrapped].sort());
  assert.equal(bySerial[restocked].disposition, 'RESTOCK');
  assert.equal(bySerial[restocked].toBinCode, bin);
  assert.equal(bySerial[scrapped].disposition, 'SCRAP');

  // The serial register: one back in stock, one scrapped under the return, one still out.
  const back = await trace(supervisor, sku, restocked);
  assert.equal(back.state, 'IN_STOCK', JSON.stringify(back));
  assert.equal(back.leftAt, null);
  const gone = await trace(supervisor, sku, scrapped);
  assert.equal(gone.state, 'SCRAPPED', JSON.stringify(gone));
  assert.equal(gone.leftReference, rmaNumber);
  assert.equal((await trace(supervisor, sku, kept)).state, 'SHIPPED');

  // The stock: the one restocked unit, available on the bin it was scanned to, nothing on the dock.
  const stock = await quants(supervisor, { sku });
  assert.deepEqual(stock.filter((q) => q.onHand !== 0).map((q) => [q.bin.code, q.status, q.onHand]), [[bin, 'AVAILABLE', 1]]);

  // The ledger: both units in from the customer, quarantined on the dock, one at a time;
  // from there one put back on the bin scanned, one scrapped, each under the return's number.
  const dockCode = bySerial[restocked].binCode;
  assert.equal(bySerial[scrapped].binCode, dockCode);
  const binId = async (code) => (await gql(`query($c: String!) { bin(code: $c) { id } }`, { c: code }, supervisor)).bin.id;
  const [binIdOf, dockId] = [await binId(bin), await binId(dockCode)];
  const { stockMoves } = await gql(`query($sku: String) { stockMoves(first: 50, itemSku: $sku) { edges { node { id quantity reason fromBinId fromStatus toBinId toStatus reference } } } }`, { sku }, supervisor);
  const moves = stockMoves.edges.map((e) => e.node);
  const shown = JSON.stringify(moves);
  const cameBack = moves.filter((mv) => mv.reason === 'RECEIPT' && mv.toStatus === 'QUARANTINE');
  assert.deepEqual(cameBack.map((mv) => [mv.quantity, mv.fromBinId, mv.toBinId]), [[1, null, dockId], [1, null, dockId]], `the two returned units entered on the dock: ${shown}`);
  const decided = moves.filter((mv) => mv.reference === rmaNumber).map((mv) => [mv.reason, mv.quantity, mv.fromBinId, mv.fromStatus, mv.toBinId, mv.toStatus]);
  assert.deepEqual(
    decided.sort(),
    [
      ['PUTAWAY', 1, dockId, 'QUARANTINE', binIdOf, 'AVAILABLE'],
      ['SCRAP', 1, dockId, 'QUARANTINE', null, null],
    ],
    `one restock to ${bin} and one scrap, from the dock: ${shown}`,
  );
  // Every unit the ledger moved for this item adds up to what is on hand.
  const net = moves.reduce((n, mv) => n + (mv.toBinId !== null ? mv.quantity : 0) - (mv.fromBinId !== null ? mv.quantity : 0), 0);
  assert.equal(net, 1, `the ledger nets to the one unit on hand: ${shown}`);
});

/** The "ready to work offline" note is dismissed before a screenshot: it would hide the screen's foot. */
async function calm(page) {
  const note = page.getByTestId('offline-ready');
  if (await note.isVisible()) await note.getByRole('button').click();
}
