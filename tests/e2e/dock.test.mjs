import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASE_URL, SLOW, creds, gql, makeCode, must, openPhone, passwordToken, randomUUID, settle, signInByWedge, wedgeScan } from './helpers.mjs';

const ERR = '... on UserError { code message field }';
const PROGRESS = `__typename ... on PickProgress { step next { lineId binCode gtin quantity askQuantity } } ${ERR}`;

/** A stocked, untracked item with a GTIN. */
async function stockedItem(token) {
  const data = await gql(`query { stock(first: 200, status: "AVAILABLE") { edges { node { available item { sku tracking expiryTracked gtins } } } } }`, {}, token);
  for (const { node } of data.stock.edges) {
    const it = node.item;
    if (node.available >= 3 && it.tracking === 'NONE' && !it.expiryTracked && it.gtins.length > 0) return { sku: it.sku, gtin: it.gtins[0] };
  }
  throw new Error('no stocked untracked item with a GTIN');
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

/** Every barcode in a PDF, as a dock scanner reads the printed label (203 dpi). */
function decodePdf(pdf) {
  const dir = mkdtempSync(join(tmpdir(), 'dock-label-'));
  try {
    writeFileSync(join(dir, 'label.pdf'), pdf);
    execFileSync('pdftoppm', ['-r', '203', '-png', join(dir, 'label.pdf'), join(dir, 'page')]);
    const codes = [];
    for (const png of readdirSync(dir).filter((f) => f.endsWith('.png'))) {
      const out = execFileSync('zbarimg', ['--nodbus', '--raw', '-q', join(dir, png)], { encoding: 'utf8' });
      codes.push(...out.split('\n').map((s) => s.trim()).filter(Boolean));
    }
    return codes;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function fetchPdf(url, token) {
  const res = await fetch(new URL(url, BASE_URL), { headers: { authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200, `${url}: ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

test('the packer closes the carton; the shipper scans its printed SSCC label at the dock and ships; the labels scan and the stock leaves the ledger', async () => {
  const planner = await passwordToken(creds('planner'));
  const picker = await passwordToken(creds('picker'));
  const packer = await passwordToken(creds('packer'));
  const shipper = await passwordToken(creds('shipper'));
  const customer = (await gql(`query { customers(first: 1) { edges { node { code } } } }`, {}, planner)).customers.edges[0].node.code;
  const carrier = (await gql(`query { carriers(first: 1) { edges { node { code name } } } }`, {}, planner)).carriers.edges[0].node;
  const { sku, gtin } = await stockedItem(planner);
  const order = (
    await must(
      `mutation($input: CreateSalesOrderInput!) { createSalesOrder(input: $input) { __typename ... on SalesOrderSuccess { order { id number } } ${ERR} } }`,
      { input: { number: `E2E-DOCK-${Date.now()}`, customerCode: customer, carrierCode: carrier.code, lines: [{ itemSku: sku, quantity: 2 }], idempotencyKey: randomUUID() } },
      planner,
      'createSalesOrder',
      'SalesOrderSuccess',
    )
  ).order;
  const wave = await must(`mutation($input: WavePlanInput!) { createWave(input: $input) { __typename ... on CreateWaveSuccess { wave { id } } ${ERR} } }`, { input: { orderIds: [order.id], cartLimits: { totes: 2 }, idempotencyKey: randomUUID() } }, planner, 'createWave', 'CreateWaveSuccess');
  const released = await must(`mutation($input: ReleaseWaveInput!) { releaseWave(input: $input) { __typename ... on ReleaseWaveSuccess { pickTaskIds } ${ERR} } }`, { input: { waveId: wave.wave.id, idempotencyKey: randomUUID() } }, planner, 'releaseWave', 'ReleaseWaveSuccess');
  const tote = makeCode('TOTE', `DK${Date.now() % 1_000_000}`);
  await pickThroughApi(released.pickTaskIds[0], tote, picker);

  // The packer packs both units and closes the carton.
  const SESSION = 'session { id }';
  const started = await must(`mutation($input: StartPackingInput!) { startPacking(input: $input) { __typename ... on PackSessionSuccess { ${SESSION} } ${ERR} } }`, { input: { code: tote, idempotencyKey: randomUUID() } }, packer, 'startPacking', 'PackSessionSuccess');
  for (let unit = 0; unit < 2; unit++) {
    await must(`mutation($input: PackScanInput!) { packScan(input: $input) { __typename ... on PackScanSuccess { ${SESSION} } ${ERR} } }`, { input: { sessionId: started.session.id, code: gtin, idempotencyKey: randomUUID() } }, packer, 'packScan', 'PackScanSuccess');
  }
  const closed = await must(`mutation($input: CloseCartonInput!) { closeCarton(input: $input) { __typename ... on CloseCartonSuccess { carton { sscc labelUrl } orderPacked } ${ERR} } }`, { input: { sessionId: started.session.id, idempotencyKey: randomUUID() } }, packer, 'closeCarton', 'CloseCartonSuccess');
  assert.equal(closed.orderPacked, true);

  // The carton label as printed at the bench, read back as the dock scanner reads it.
  const cartonCodes = decodePdf(await fetchPdf(closed.carton.labelUrl, packer));
  const labelScan = cartonCodes.find((c) => c.endsWith(closed.carton.sscc));
  assert.ok(labelScan, `the carton label's barcodes ${JSON.stringify(cartonCodes)} carry SSCC ${closed.carton.sscc}`);

  const { browser, context, page, problems } = await openPhone();
  await context.addInitScript(() => localStorage.setItem('wms.locale', 'en'));
  try {
    await signInByWedge(page, creds('shipper'));
    await page.getByTestId('menu-button').click();
    await page.getByTestId('nav-dock').click();
    await page.getByTestId('ready-list').waitFor({ timeout: SLOW });
    await page.getByTestId('ready-order').filter({ hasText: order.number }).waitFor({ timeout: SLOW });
    if (process.env.E2E_SHOTS) await page.screenshot({ path: `${process.env.E2E_SHOTS}/dock-390.png`, fullPage: true });
    await settle(page);

    // The carton's label goes onto this carrier's pickup.
    await wedgeScan(page, labelScan);
    await page.getByTestId('pickup').filter({ hasText: order.number }).waitFor({ timeout: SLOW });
    assert.match(await page.getByTestId('pickup-tally').textContent(), /1 of 1/);
    if (process.env.E2E_SHOTS) {
      await page.setViewportSize({ width: 1024, height: 768 });
      await page.screenshot({ path: `${process.env.E2E_SHOTS}/dock-1024.png` });
      await page.setViewportSize({ width: 390, height: 844 });
    }
    await page.getByTestId('ship').click();
    await page.getByTestId('shipped').waitFor({ timeout: SLOW });
    const tracking = (await page.getByTestId('tracking').textContent()).trim();

    const [download] = await Promise.all([page.waitForEvent('download', { timeout: SLOW }), page.getByTestId('download-label').click()]);
    const pdf = readFileSync(await download.path());
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    const shippedCodes = decodePdf(pdf);
    assert.ok(shippedCodes.includes(tracking), `the shipping label carries tracking ${tracking}: ${JSON.stringify(shippedCodes)}`);
    assert.ok(shippedCodes.some((c) => c.endsWith(closed.carton.sscc)), 'the shipping label carries the carton SSCC');

    // Judged through the API: the order shipped with this tracking number, the stock left.
    const so = (await gql(`query($id: ID!) { salesOrder(id: $id) { state } }`, { id: order.id }, shipper)).salesOrder;
    assert.equal(so.state, 'SHIPPED');
    const shipments = (await gql(`query { shipments(first: 200) { edges { node { trackingNumber orderIds cartons { sscc } } } } }`, {}, shipper)).shipments.edges.map((e) => e.node);
    const shipment = shipments.find((s) => s.orderIds.includes(order.id));
    assert.equal(shipment?.trackingNumber, tracking);
    assert.deepEqual(shipment.cartons.map((c) => c.sscc), [closed.carton.sscc]);
    let after = null;
    const shipMoves = [];
    for (let pageNo = 0; pageNo < 50; pageNo++) {
      const moves = (await gql(`query($sku: String, $after: String) { stockMoves(first: 200, itemSku: $sku, after: $after) { edges { node { reason quantity reference fromBinId toBinId } } pageInfo { hasNextPage endCursor } } }`, { sku, after }, planner)).stockMoves;
      shipMoves.push(...moves.edges.map((e) => e.node).filter((m) => m.reason === 'SHIP' && m.reference === tracking));
      if (!moves.pageInfo.hasNextPage) break;
      after = moves.pageInfo.endCursor;
    }
    assert.equal(shipMoves.length, 1, 'one ledger entry takes the carton out');
    assert.equal(Math.abs(shipMoves[0].quantity), 2);
    assert.equal(shipMoves[0].toBinId, null, 'the stock left the warehouse');

    // Scanned again, the label is refused with a reason, and nothing ships twice.
    await settle(page);
    await wedgeScan(page, labelScan);
    await page.getByTestId('flow-error').filter({ hasText: /shipped already/ }).waitFor({ timeout: SLOW });
    assert.deepEqual(problems, []);
  } finally {
    if (process.env.E2E_SHOTS) await page.screenshot({ path: `${process.env.E2E_SHOTS}/dock-last.png` }).catch(() => {});
    await browser.close();
  }
});
