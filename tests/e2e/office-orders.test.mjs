// The office desk at 1024×768 (orders): the decision checked through the API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SLOW, creds, gql, must, openPhone, passwordToken, randomUUID, signInByWedge } from './helpers.mjs';
import { TABLET, openOffice, shot, flowOk, quants } from './office.mjs';

test('a sales order created on the desk is reserved; cancelled on the desk it is CANCELLED and its reservations released', async () => {
  const supervisorUser = creds('supervisor');
  const supervisor = await passwordToken(supervisorUser);
  const { customers } = await gql(`query { customers(first: 1) { edges { node { code } } } }`, {}, supervisor);
  const customer = customers.edges[0].node.code;
  const q = (await quants(supervisor, { status: 'AVAILABLE' })).find((x) => x.item.tracking === 'NONE' && x.available >= 3);
  assert.ok(q, 'free stock to order');
  const reservedOf = async () => (await quants(supervisor, { sku: q.item.sku })).reduce((s, x) => s + x.reserved, 0);
  const before = await reservedOf();
  const number = `E2E-SO-${Date.now()}`;

  const { browser, page, problems } = await openPhone({ viewport: TABLET });
  try {
    await signInByWedge(page, supervisorUser);
    await openOffice(page, 'orders');
    await page.getByTestId('so-new').waitFor({ timeout: SLOW });
    await page.getByTestId('so-new').click();
    await page.getByTestId('so-number').fill(number);
    await page.getByTestId('so-customer').fill(customer);
    await page.getByTestId('so-new-channel').fill('web');
    await page.getByTestId('so-priority').fill('2');
    await page.getByTestId('so-line-sku').first().fill(q.item.sku);
    await page.getByTestId('so-line-qty').first().fill('2');
    await page.getByTestId('so-create').click();
    await flowOk(page, `Order ${number} created`);
    const detail = page.getByTestId('so-detail');
    await detail.waitFor();
    const created = await gql(`query($n: String) { salesOrder(number: $n) { id state channel priority lines { reserved } } }`, { n: number }, supervisor);
    assert.equal(created.salesOrder.channel, 'WEB');
    assert.equal(created.salesOrder.priority, 2);
    const reserved = created.salesOrder.lines[0].reserved;
    assert.equal(await reservedOf(), before + reserved);
    await page.locator(`[data-testid="so-item"][data-number="${number}"]`).waitFor();
    await shot(page, 'desk-orders');

    await detail.getByTestId('so-cancel').click();
    await detail.getByTestId('so-confirm-cancel').click();
    await flowOk(page, `${number} cancelled: ${reserved} reserved units released`);
    await page.locator('[data-testid="so-detail"][data-state="CANCELLED"]').waitFor();
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
  const after = await gql(`query($n: String) { salesOrder(number: $n) { state lines { reserved } } }`, { n: number }, supervisor);
  assert.equal(after.salesOrder.state, 'CANCELLED');
  assert.deepEqual(after.salesOrder.lines.map((l) => l.reserved), [0]);
  assert.equal(await reservedOf(), before, 'the reservations are released');
});
