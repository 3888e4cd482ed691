import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { SLOW, creds, gql, must, openPhone, passwordToken, signInByWedge } from './helpers.mjs';

const TABLET = { width: 1024, height: 768 };

async function openFromMenu(page, name) {
  await page.getByTestId('menu-button').click();
  await page.getByTestId(`nav-${name}`).click();
}

async function shot(page, name) {
  if (process.env.E2E_SHOTS) await page.screenshot({ path: `${process.env.E2E_SHOTS}/${name}.png` });
}

test('a supervisor reads a PO on the inbound desk, approves one, is refused their own, and exports analytics as CSV', async () => {
  const supervisor = creds('supervisor');
  const token = await passwordToken(supervisor);
  const { openPurchaseOrders } = await gql(
    `query { openPurchaseOrders { number supplierName lines { itemSku quantity received } } }`,
    {},
    token,
  );
  const po = openPurchaseOrders[0];
  assert.ok(po && po.lines.length > 0, 'the demo has an open PO with lines');
  const submitted = await gql(`query { purchaseOrders(state: "SUBMITTED") { edges { node { number code } } } }`, {}, token);
  const waiting = submitted.purchaseOrders.edges[0]?.node;
  assert.ok(waiting, 'the demo has a PO waiting for approval');

  const { browser, context, page, problems } = await openPhone({ viewport: TABLET });
  try {
    await signInByWedge(page, supervisor);

    // Inbound desk: the open orders listed, one opened with its lines beside the list.
    await openFromMenu(page, 'desk');
    await page.getByTestId('desk').waitFor({ timeout: SLOW });
    const item = page.locator(`[data-testid="po-item"][data-po="${po.number}"]`);
    await item.waitFor({ timeout: SLOW });
    assert.match(await item.textContent(), new RegExp(po.supplierName));
    await item.click();
    const detail = page.getByTestId('po-detail');
    await detail.waitFor();
    assert.equal(await detail.getByRole('heading', { level: 2 }).textContent(), po.number);
    for (const line of po.lines) {
      const row = detail.locator(`[data-testid="po-line"][data-sku="${line.itemSku}"]`);
      assert.equal(await row.count(), 1, `line ${line.itemSku} shown`);
      const cells = await row.locator('td').allTextContents();
      assert.ok(cells[2].startsWith(String(line.quantity)), `ordered ${line.quantity}: ${cells[2]}`);
      assert.equal(cells[3], String(line.received));
    }
    // Both panes side by side on a tablet.
    const list = await page.getByTestId('po-list').boundingBox();
    const pane = await detail.boundingBox();
    assert.ok(list && pane && pane.x > list.x + list.width - 1, 'list left, detail right');
    await shot(page, 'desk-po');

    // A PO waiting for approval: approve it from the desk.
    await page.getByTestId('po-filter').selectOption('SUBMITTED');
    await page.locator(`[data-testid="po-item"][data-po="${waiting.number}"]`).click({ timeout: SLOW });
    await page.getByTestId('po-approve').click();
    await page.getByTestId('flow-message').filter({ hasText: `${waiting.number} approved` }).waitFor({ timeout: SLOW });
    const after = await gql(`query($c: String!) { purchaseOrder(code: $c) { state } }`, { c: waiting.code }, token);
    assert.equal(after.purchaseOrder.state, 'APPROVED');

    // An order this supervisor wrote: the server refuses their approval, and the desk says why.
    const own = await must(
      `mutation($input: CreatePurchaseOrderInput!) { createPurchaseOrder(input: $input) { __typename ... on PurchaseOrderSuccess { purchaseOrder { code number } } ... on UserError { code message } } }`,
      { input: { supplierCode: 'SUP-NORD', lines: [{ itemSku: po.lines[0].itemSku, quantity: 10, unitPriceCents: 10000 }] } },
      token,
      'createPurchaseOrder',
      'PurchaseOrderSuccess',
    );
    const mine = own.purchaseOrder;
    // The draft is submitted from the desk; the demo rule asks for an approval.
    await page.getByTestId('po-filter').selectOption('DRAFT');
    await page.locator(`[data-testid="po-item"][data-po="${mine.number}"]`).click({ timeout: SLOW });
    await page.getByTestId('po-submit').click();
    await page.getByTestId('flow-message').filter({ hasText: `${mine.number} submitted for approval` }).waitFor({ timeout: SLOW });
    const sent = await gql(`query($c: String!) { purchaseOrder(code: $c) { state } }`, { c: mine.code }, token);
    assert.equal(sent.purchaseOrder.state, 'SUBMITTED', 'the demo rule asks for an approval');
    // Drafting from the purchase suggestions answers with what it made.
    await page.getByTestId('po-draft').click();
    await page.getByTestId('flow-message').filter({ hasText: 'draft order(s) from the purchase suggestions' }).waitFor({ timeout: SLOW });
    await page.getByTestId('po-filter').selectOption('ALL');
    await page.getByTestId('po-filter').selectOption('SUBMITTED');
    await page.locator(`[data-testid="po-item"][data-po="${mine.number}"]`).click({ timeout: SLOW });
    await page.getByTestId('po-approve').click();
    await page.getByTestId('flow-error').filter({ hasText: 'Someone else must approve this.' }).waitFor({ timeout: SLOW });
    // A rejection needs a reason: asked for on the screen before anything is sent.
    await page.getByTestId('po-reject').click();
    await page.getByTestId('po-confirm').click();
    await page.getByTestId('flow-error').filter({ hasText: 'Say why the order is rejected.' }).waitFor();
    const still = await gql(`query($c: String!) { purchaseOrder(code: $c) { state } }`, { c: mine.code }, token);
    assert.equal(still.purchaseOrder.state, 'SUBMITTED');

    // Supplier figures, one row per supplier.
    await page.getByTestId('desk-tab-suppliers').click();
    await page.getByTestId('suppliers').waitFor({ timeout: SLOW });
    assert.ok((await page.getByTestId('suppliers').locator('tbody tr').count()) >= 1);

    // Analytics: the stock value chart draws one bar per category with the server's figures.
    await openFromMenu(page, 'analytics');
    const chart = page.getByTestId('chart-value');
    await chart.waitFor({ timeout: SLOW });
    const { stockValue } = await gql(`query { stockValue(groupBy: CATEGORY) { key valueCents } }`, {}, token);
    assert.ok(stockValue.length > 1 && stockValue.some((r) => r.valueCents > 0), 'the demo stock has a value');
    const bars = chart.locator('.chart-bar');
    assert.equal(await bars.count(), stockValue.length);
    const drawn = Object.fromEntries(
      await bars.evaluateAll((els) => els.map((el) => [el.getAttribute('data-key'), Number(el.getAttribute('data-value'))])),
    );
    for (const row of stockValue) assert.equal(drawn[row.key], row.valueCents / 100, row.key);
    // The widest bar belongs to the largest value.
    const widths = await bars.locator('rect').evaluateAll((els) => els.map((el) => Number(el.getAttribute('width'))));
    const largest = stockValue.reduce((a, b) => (b.valueCents > a.valueCents ? b : a));
    const keys = await bars.evaluateAll((els) => els.map((el) => el.getAttribute('data-key')));
    assert.equal(keys[widths.indexOf(Math.max(...widths))], largest.key);
    await shot(page, 'analytics-value');

    // The CSV export: a file with the header row and one data row per category.
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: SLOW }), page.getByTestId('an-csv').click()]);
    assert.match(download.suggestedFilename(), /^wms-stock-value-category-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = (await readFile(await download.path(), 'utf8')).replace(/^\ufeff/, '');
    const lines = text.trim().split('\n');
    assert.equal(lines[0], 'key,quantity,value_cents,items');
    assert.equal(lines.length - 1, stockValue.length);
    for (const row of stockValue) assert.ok(lines.some((l) => l.startsWith(`${row.key},`) && l.includes(`,${row.valueCents},`)), row.key);

    // Another report answers too (the fresh demo has no movements yet: a chart or the empty note).
    await page.getByTestId('an-tab-trends').click();
    await page.locator('[data-testid="chart-trends"], [data-testid="an-empty"]').first().waitFor({ timeout: SLOW });
    await shot(page, 'analytics-trends');

    assert.deepEqual(problems, []);
  } finally {
    await context.close().catch(() => {});
    await browser.close();
  }
});

test('planners read the desk and analytics but decide nothing; floor roles do not see them', async () => {
  const { browser, page, problems } = await openPhone({ viewport: TABLET });
  try {
    await signInByWedge(page, creds('planner'));
    await openFromMenu(page, 'desk');
    await page.locator('[data-testid="po-item"]').first().click({ timeout: SLOW });
    await page.getByTestId('po-detail').waitFor();
    assert.equal(await page.getByTestId('po-actions').count(), 0, 'no decisions for a planner');
    await openFromMenu(page, 'analytics');
    await page.getByTestId('an-tab-abc').click();
    await page.getByTestId('table-abc').waitFor({ timeout: SLOW });
    assert.equal(await page.getByTestId('abc-reclass').count(), 0, 'no re-class for a planner');
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }

  const phone = await openPhone();
  try {
    await signInByWedge(phone.page, creds('picker'));
    await phone.page.getByTestId('menu-button').click();
    await phone.page.getByRole('menu').waitFor();
    assert.equal(await phone.page.getByTestId('nav-desk').count(), 0);
    assert.equal(await phone.page.getByTestId('nav-analytics').count(), 0);
    assert.deepEqual(phone.problems, []);
  } finally {
    await phone.browser.close();
  }
});

test('a supervisor traces a serial number received at the dock', async () => {
  const supervisor = creds('supervisor');
  const token = await passwordToken(supervisor);
  const receiver = await passwordToken(creds('receiver'));
  // A serialised line of an open order, received by one GS1 scan carrying its serial.
  const { openPurchaseOrders } = await gql(`query { openPurchaseOrders { code lines { itemSku remaining } } }`, {}, token);
  let target = null;
  for (const po of openPurchaseOrders) {
    for (const line of po.lines) {
      if (line.remaining <= 0) continue;
      const { item } = await gql(`query($sku: String!) { item(sku: $sku) { sku tracking gtins packagings { gtin } } }`, { sku: line.itemSku }, token);
      const unit = item.gtins.find((g) => !item.packagings.some((p) => p.gtin === g));
      if (item.tracking === 'SERIAL' && unit) target = { po, sku: item.sku, gtin: unit };
    }
  }
  assert.ok(target, 'the demo has an open order of a serialised item');
  const started = await must(
    `mutation($input: StartReceiptInput!) { startReceipt(input: $input) { __typename ... on StartReceiptSuccess { receipt { id } } ... on UserError { code message } } }`,
    { input: { poCode: target.po.code, idempotencyKey: `e2e-sn-start-${Date.now()}` } },
    receiver,
    'startReceipt',
    'StartReceiptSuccess',
  );
  const serial = `E2E-${Date.now()}`;
  await must(
    `mutation($input: ScanReceiveInput!) { scanReceive(input: $input) { __typename ... on ScanReceiveSuccess { received { serialNumber } } ... on UserError { code message } } }`,
    { input: { receiptId: started.receipt.id, code: `(01)${target.gtin}(21)${serial}`, idempotencyKey: `e2e-sn-${serial}` } },
    receiver,
    'scanReceive',
    'ScanReceiveSuccess',
  );

  const { browser, page, problems } = await openPhone({ viewport: TABLET });
  try {
    await signInByWedge(page, supervisor);
    await openFromMenu(page, 'desk');
    await page.getByTestId('desk-tab-serials').click();
    await page.getByTestId('sn-sku').fill(target.sku);
    await page.getByTestId('sn-serial').fill('NEVER-SEEN');
    await page.getByTestId('sn-look').click();
    await page.getByTestId('sn-unknown').waitFor({ timeout: SLOW });
    await page.getByTestId('sn-serial').fill(serial);
    await page.getByTestId('sn-look').click();
    const trace = page.locator('[data-testid="sn-trace"][data-state="IN_STOCK"]');
    await trace.waitFor({ timeout: SLOW });
    assert.match(await trace.textContent(), new RegExp(`${target.sku} · ${serial}`));
    assert.match(await trace.textContent(), /In stock/);
    await shot(page, 'desk-serial');
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});
