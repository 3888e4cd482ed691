// The office orders desk at 1024×768: create → edit before release → list filters →
// a credit hold approved; every step checked through the API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SLOW, creds, gql, openPhone, passwordToken, randomUUID, signInByWedge } from './helpers.mjs';
import { ERR, TABLET, openOffice, shot, flowOk, quants } from './office.mjs';

const ORDER = `query($n: String) { salesOrder(number: $n) { id state priority promisedDate creditDecision source lines { itemSku quantity reserved } } }`;

test('an order is created, edited, found by the filters, and a credit hold approved on the desk', async () => {
  const supervisorUser = creds('supervisor');
  const supervisor = await passwordToken(supervisorUser);
  const planner = await passwordToken(creds('planner'));
  const { customers } = await gql(`query { customers(first: 1) { edges { node { code } } } }`, {}, supervisor);
  const customer = customers.edges[0].node.code;
  const q = (await quants(supervisor, { status: 'AVAILABLE' }, { free: true })).find((x) => x.item.tracking === 'NONE' && x.available >= 6);
  assert.ok(q, 'free stock to order');
  const sku = q.item.sku;
  const stamp = Date.now();
  const number = `E2E-OD-${stamp}`;
  const heldNumber = `E2E-OH-${stamp}`;
  // A customer with a credit limit of one cent: any order with a priced item is held.
  const tight = `E2E-TIGHT-${stamp}`.slice(0, 32);
  const party = await gql(
    `mutation($input: PartyInput!) { createParty(input: $input) { __typename ${ERR} } }`,
    { input: { kind: 'CUSTOMER', code: tight, name: 'Tight credit', creditLimitCents: 1, idempotencyKey: randomUUID() } },
    supervisor,
  );
  assert.equal(party.createParty.__typename, 'PartySuccess', JSON.stringify(party));
  // Taken by the planner (the supervisor may not approve their own order).
  const held = await gql(
    `mutation($input: CreateSalesOrderInput!) { createSalesOrder(input: $input) { __typename ... on SalesOrderSuccess { order { state } } ${ERR} } }`,
    { input: { number: heldNumber, customerCode: tight, lines: [{ itemSku: sku, quantity: 1 }] } },
    planner,
  );
  const unitCost = (await gql(`query($s: String!) { item(sku: $s) { unitCostCents } }`, { s: sku }, supervisor)).item?.unitCostCents ?? 0;
  assert.ok(unitCost > 1, 'the demo prices its items');
  assert.equal(held.createSalesOrder.order.state, 'CREDIT_HOLD');

  const { browser, page, problems } = await openPhone({ viewport: TABLET });
  try {
    await signInByWedge(page, supervisorUser);
    await openOffice(page, 'orders');
    await page.getByTestId('so-new').waitFor({ timeout: SLOW });
    // Create, with a promised date.
    await page.getByTestId('so-new').click();
    await page.getByTestId('so-number').fill(number);
    await page.getByTestId('so-customer').fill(customer);
    await page.getByTestId('so-priority').fill('4');
    await page.getByTestId('so-new-promised').fill('2031-06-15');
    await page.getByTestId('so-line-sku').first().fill(sku);
    await page.getByTestId('so-line-qty').first().fill('2');
    await page.getByTestId('so-create').click();
    await flowOk(page, `Order ${number} created`);
    const detail = page.getByTestId('so-detail');
    await detail.waitFor();
    const created = await gql(ORDER, { n: number }, supervisor);
    assert.equal(created.salesOrder.promisedDate, '2031-06-15');
    assert.deepEqual(created.salesOrder.lines.map((l) => l.quantity), [2]);

    // Edit before release: quantity 2 → 3, priority 4 → 1.
    await detail.getByTestId('so-edit').click();
    await detail.getByTestId('so-edit-priority').fill('1');
    await detail.getByTestId('so-edit-qty').first().fill('3');
    await detail.getByTestId('so-edit-save').click();
    await flowOk(page, `Order ${number} changed`);
    await detail.getByTestId('so-line-quantity').filter({ hasText: '3' }).waitFor();
    const edited = await gql(ORDER, { n: number }, supervisor);
    assert.equal(edited.salesOrder.priority, 1);
    assert.deepEqual(edited.salesOrder.lines.map((l) => [l.quantity, l.reserved]), [[3, 3]]);
    await shot(page, 'desk-orders-edit');

    // The list's filters: by number and promised date it is there; another date range hides it.
    await page.getByTestId('so-find').fill(number);
    await page.getByTestId('so-apply-filters').click();
    const row = page.locator(`[data-testid="so-item"][data-number="${number}"]`);
    await row.waitFor();
    await page.getByTestId('so-promised-from').fill('2031-07-01');
    await row.waitFor({ state: 'detached' });
    await page.getByTestId('so-promised-from').fill('2031-06-01');
    await page.getByTestId('so-promised-to').fill('2031-06-30');
    await row.waitFor();

    // The held order: filtered by state, opened, approved.
    await page.getByTestId('so-promised-from').fill('');
    await page.getByTestId('so-promised-to').fill('');
    await page.getByTestId('so-find').fill(heldNumber);
    await page.getByTestId('so-state').selectOption('CREDIT_HOLD');
    const heldRow = page.locator(`[data-testid="so-item"][data-number="${heldNumber}"]`);
    await heldRow.click();
    await page.getByTestId('so-credit-panel').waitFor();
    await shot(page, 'desk-orders-credit');
    await page.getByTestId('so-credit-approve').click();
    await flowOk(page, `${heldNumber} approved`);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
  const after = await gql(ORDER, { n: number }, supervisor);
  assert.equal(after.salesOrder.state, 'RESERVED');
  assert.deepEqual(after.salesOrder.lines.map((l) => [l.itemSku, l.quantity, l.reserved]), [[sku, 3, 3]]);
  const decided = await gql(ORDER, { n: heldNumber }, supervisor);
  assert.ok(['RESERVED', 'PARTIALLY_RESERVED', 'BACKORDERED'].includes(decided.salesOrder.state), decided.salesOrder.state);
  assert.equal(decided.salesOrder.creditDecision, 'APPROVED');
});
