import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SLOW, creds, flowStep, gql, openPhone, passwordToken, settle, signInByWedge, wedgeScan } from './helpers.mjs';

/** An open PO with a RECEIVE task and a line of an untracked item that has a GTIN. */
async function receivablePo(token) {
  const data = await gql(
    `query { openPurchaseOrders { code state receiveTaskId lines { itemSku remaining } } }`,
    {},
    token,
  );
  for (const po of data.openPurchaseOrders) {
    if (!po.receiveTaskId) continue;
    for (const line of po.lines) {
      if (line.remaining <= 0) continue;
      const { item } = await gql(`query($sku: String!) { item(sku: $sku) { sku tracking expiryTracked gtins packagings { quantity gtin } } }`, { sku: line.itemSku }, token);
      const unitGtin = item.gtins.find((g) => !item.packagings.some((p) => p.gtin === g && p.quantity > 1));
      if (item.tracking === 'NONE' && !item.expiryTracked && unitGtin) return { po, line, gtin: unitGtin };
    }
  }
  throw new Error('the demo has no open PO with an untracked line');
}

test('a receiver receives a PO line by wedge scans and puts it away by scanning the suggested bin', async () => {
  const receiver = creds('receiver');
  const supervisor = await passwordToken(creds('supervisor'));
  const { po, line, gtin } = await receivablePo(supervisor);
  const { browser, page, problems } = await openPhone();
  try {
    await signInByWedge(page, receiver);
    const card = page.locator(`[data-testid="task-card"][data-task-id="${po.receiveTaskId}"]`);
    await card.waitFor({ timeout: SLOW });
    await card.click();

    // Scan the PO named on the screen.
    assert.equal(await flowStep(page), 'po');
    assert.equal((await page.getByTestId('expected').textContent())?.trim(), po.code);
    await settle(page);
    await wedgeScan(page, po.code);

    // Scan the article; the line's quantity is asked (more than one expected) and confirmed.
    await page.locator('[data-testid="scan-prompt"][data-thing="item"]').waitFor({ timeout: SLOW });
    await settle(page);
    await wedgeScan(page, gtin);
    if (line.remaining > 1) {
      await page.getByTestId('qty-pad').waitFor({ timeout: SLOW });
      assert.equal(await page.getByTestId('qty-value').textContent(), String(line.remaining));
      await page.getByTestId('qty-confirm').click();
    }
    await page.getByTestId('flow-message').filter({ hasText: `Received ${line.remaining} × ${line.itemSku}` }).waitFor({ timeout: SLOW });

    // Close the receipt: a putaway task is made, and taken from here.
    await page.getByTestId('close-receipt').click();
    await page.getByTestId('start-putaway').click({ timeout: SLOW });

    // The suggested bin, big, with its reasons; scanning it puts the stock away.
    await page.locator('[data-testid="scan-prompt"][data-thing="bin"]').waitFor({ timeout: SLOW });
    await page.getByTestId('suggestions').waitFor();
    const bin = (await page.getByTestId('expected').textContent())?.trim();
    assert.ok(bin, 'a suggested bin is shown');
    await settle(page);
    await wedgeScan(page, bin);
    await page.getByTestId('flow-done').waitFor({ timeout: SLOW });
    assert.equal(await page.getByTestId('flow-error').count(), 0);

    // The stock is on the bin.
    const stock = await gql(
      `query($bin: String!, $sku: String!) { stock(binCode: $bin, itemSku: $sku) { edges { node { onHand } } } }`,
      { bin, sku: line.itemSku },
      supervisor,
    );
    const onHand = stock.stock.edges.reduce((s, e) => s + e.node.onHand, 0);
    assert.ok(onHand >= line.remaining, `at least ${line.remaining} on ${bin}, found ${onHand}`);
    assert.deepEqual(problems, []);
  } finally {
    if (process.env.E2E_SHOTS) await page.screenshot({ path: `${process.env.E2E_SHOTS}/receive-last.png` }).catch(() => {});
    await browser.close();
  }
});
