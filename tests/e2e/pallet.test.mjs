import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SLOW, creds, flowStep, gql, openPhone, passwordToken, settle, signInByWedge, wedgeScan } from './helpers.mjs';

/** The demo's announced pallet (advance shipping notice) and its purchase order. */
async function announcedPallet(token) {
  const data = await gql(`query { openPurchaseOrders { code receiveTaskId } }`, {}, token);
  for (const po of data.openPurchaseOrders) {
    if (!po.receiveTaskId) continue;
    const { inboundPallets } = await gql(
      `query($po: String!) { inboundPallets(poCode: $po, state: "EXPECTED") { sscc lines { quantity } } }`,
      { po: po.code },
      token,
    );
    if (inboundPallets.length) return { po, pallet: inboundPallets[0] };
  }
  throw new Error('the demo has no announced pallet');
}

test('a receiver receives a whole announced pallet by scanning its SSCC', async () => {
  const supervisor = await passwordToken(creds('supervisor'));
  const { po, pallet } = await announcedPallet(supervisor);
  const units = pallet.lines.reduce((s, l) => s + l.quantity, 0);
  const { browser, page, problems } = await openPhone();
  try {
    await signInByWedge(page, creds('receiver'));
    const card = page.locator(`[data-testid="task-card"][data-task-id="${po.receiveTaskId}"]`);
    await card.waitFor({ timeout: SLOW });
    await card.click();
    assert.equal(await flowStep(page), 'po');
    await settle(page);
    await wedgeScan(page, po.code);

    // One scan of the pallet label (GS1-128 with AI 00) receives every line on it.
    await page.locator('[data-testid="scan-prompt"][data-thing="item"]').waitFor({ timeout: SLOW });
    await settle(page);
    await wedgeScan(page, `]C100${pallet.sscc}`);
    const message = `Pallet ${pallet.sscc} received: ${pallet.lines.length} line(s), ${units} unit(s)`;
    await page.getByTestId('flow-message').filter({ hasText: message }).waitFor({ timeout: SLOW });

    // Scanned again, it is refused with the reason, and nothing is received twice.
    await settle(page);
    await wedgeScan(page, `]C100${pallet.sscc}`);
    await page.getByTestId('flow-error').filter({ hasText: 'received already' }).waitFor({ timeout: SLOW });
    const after = await gql(
      `query($po: String!) { inboundPallets(poCode: $po) { sscc state } purchaseOrder(code: $po) { lines { remaining } } }`,
      { po: po.code },
      supervisor,
    );
    assert.equal(after.inboundPallets.find((p) => p.sscc === pallet.sscc).state, 'RECEIVED');
    assert.ok(after.purchaseOrder.lines.every((l) => l.remaining === 0));
    assert.deepEqual(problems, []);
  } finally {
    if (process.env.E2E_SHOTS) await page.screenshot({ path: `${process.env.E2E_SHOTS}/pallet-last.png` }).catch(() => {});
    await browser.close();
  }
});
