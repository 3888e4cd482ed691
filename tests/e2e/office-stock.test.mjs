// The office desk at 1024×768 (stock): the decision checked through the API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SLOW, creds, gql, must, openPhone, passwordToken, randomUUID, signInByWedge } from './helpers.mjs';
import { TABLET, ERR, openOffice, shot, flowOk, flowError, quants } from './office.mjs';

test('a bin blocked on the desk refuses a putaway until it is unblocked; a quant frozen there is BLOCKED', async () => {
  const supervisorUser = creds('supervisor');
  const supervisor = await passwordToken(supervisorUser);
  const receiver = await passwordToken(creds('receiver'));
  // Receive one untracked unit of an open order and close the receipt: a putaway task.
  const { openPurchaseOrders } = await gql(`query { openPurchaseOrders { code lines { itemSku remaining } } }`, {}, supervisor);
  let target = null;
  for (const po of openPurchaseOrders) {
    for (const line of po.lines) {
      if (target || line.remaining <= 0) continue;
      const { item } = await gql(`query($sku: String!) { item(sku: $sku) { sku tracking expiryTracked gtins packagings { gtin } } }`, { sku: line.itemSku }, supervisor);
      const unit = item.gtins.find((g) => !item.packagings.some((p) => p.gtin === g));
      if (item.tracking === 'NONE' && !item.expiryTracked && unit) target = { po, sku: item.sku, gtin: unit };
    }
  }
  assert.ok(target, 'an open order of an untracked item');
  const started = await must(`mutation($input: StartReceiptInput!) { startReceipt(input: $input) { __typename ... on StartReceiptSuccess { receipt { id } } ${ERR} } }`, { input: { poCode: target.po.code, idempotencyKey: randomUUID() } }, receiver, 'startReceipt', 'StartReceiptSuccess');
  await must(`mutation($input: ScanReceiveInput!) { scanReceive(input: $input) { __typename ... on ScanReceiveSuccess { received { status } } ${ERR} } }`, { input: { receiptId: started.receipt.id, code: target.gtin, idempotencyKey: randomUUID() } }, receiver, 'scanReceive', 'ScanReceiveSuccess');
  const closed = await must(`mutation($input: ReceiptIdInput!) { closeReceipt(input: $input) { __typename ... on CloseReceiptSuccess { putawayTaskIds } ${ERR} } }`, { input: { receiptId: started.receipt.id, idempotencyKey: randomUUID() } }, receiver, 'closeReceipt', 'CloseReceiptSuccess');
  const taskId = closed.putawayTaskIds[0];
  assert.ok(taskId, 'a putaway task');
  const { putawaySuggestion } = await gql(`query($t: ID!) { putawaySuggestion(taskId: $t) { __typename ... on PutawayPlan { suggestions { binCode } } ${ERR} } }`, { t: taskId }, receiver);
  const binCode = putawaySuggestion.suggestions[0].binCode;
  const PUT = `mutation($input: ScanPutawayInput!) { scanPutaway(input: $input) { __typename ... on ScanPutawaySuccess { binCode quantity } ${ERR} } }`;

  const { browser, page, problems } = await openPhone({ viewport: TABLET });
  try {
    await signInByWedge(page, supervisorUser);
    await openOffice(page, 'stock');
    await page.getByTestId('st-bin').fill(binCode);
    await page.getByTestId('st-search').click();
    const card = page.getByTestId('st-bin-card');
    await card.waitFor({ timeout: SLOW });
    await page.getByTestId('st-block').click();
    await flowError(page, 'Say why the bin is blocked');
    await page.getByTestId('st-reason').fill('rack upright hit by a forklift');
    await page.getByTestId('st-block').click();
    await flowOk(page, `Bin ${binCode} blocked`);
    await page.locator('[data-testid="st-bin-card"][data-blocked="true"]').waitFor();
    await shot(page, 'desk-stock');

    // The putaway into the blocked bin is refused, with an override reason or without.
    const refused = await gql(PUT, { input: { taskId, binCode, overrideReason: 'closest', idempotencyKey: randomUUID() } }, receiver);
    assert.equal(refused.scanPutaway.code, 'BIN_NOT_SUITABLE', JSON.stringify(refused));
    assert.match(refused.scanPutaway.message, /BIN_BLOCKED/);
    const { bin } = await gql(`query($c: String!) { bin(code: $c) { blocked } }`, { c: binCode }, supervisor);
    assert.equal(bin.blocked, true);

    await page.getByTestId('st-unblock').click();
    await flowOk(page, `Bin ${binCode} unblocked`);
    // Back in service: the same putaway is taken (no longer the first suggestion, so with a reason).
    const put = await gql(PUT, { input: { taskId, binCode, overrideReason: 'closest', idempotencyKey: randomUUID() } }, receiver);
    assert.equal(put.scanPutaway.__typename, 'ScanPutawaySuccess', JSON.stringify(put));

    // Freeze what was put away there: it is BLOCKED in the book, then released.
    await page.getByTestId('st-bin').fill(binCode);
    await page.getByTestId('st-item').fill(target.sku);
    await page.getByTestId('st-search').click();
    const row = page.locator(`[data-testid="st-quant"][data-sku="${target.sku}"][data-status="AVAILABLE"]`);
    await row.getByTestId('st-freeze').click({ timeout: SLOW });
    await flowOk(page, `× ${target.sku} now Frozen`);
    const frozen = await quants(supervisor, { sku: target.sku, bin: binCode, status: 'BLOCKED' });
    assert.ok(frozen.length === 1 && frozen[0].onHand >= 1, JSON.stringify(frozen));
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});
