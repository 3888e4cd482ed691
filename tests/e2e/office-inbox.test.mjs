// The exception inbox at 1024×768: an adjustment waiting for approval is found among
// everything waiting, opened with its history, approved; the ledger has its move.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SLOW, creds, gql, must, openPhone, passwordToken, randomUUID, signInByWedge } from './helpers.mjs';
import { TABLET, ADJUST, openOffice, shot, flowOk, quants } from './office.mjs';

test('the inbox lists an adjustment with its bin, item and requester by name; approving it from the detail writes the ledger move', async () => {
  const admin = await passwordToken(creds('admin'));
  const supervisorUser = creds('supervisor');
  const supervisor = await passwordToken(supervisorUser);
  const q = (await quants(supervisor, { status: 'AVAILABLE' }, { free: true })).find((x) => x.item.tracking === 'NONE' && !x.lot);
  assert.ok(q, 'an untracked quant');
  const filed = await must(ADJUST, { input: { binCode: q.bin.code, itemCode: q.item.sku, quantity: 300, reasonCode: 'FOUND', note: 'inbox test', idempotencyKey: randomUUID() } }, admin, 'adjustStock', 'AdjustmentSuccess');
  assert.equal(filed.adjustment.state, 'PENDING');
  const { me } = await gql('query { me { displayName } }', {}, admin);
  const before = (await quants(supervisor, { sku: q.item.sku, bin: q.bin.code, status: 'AVAILABLE' })).find((x) => !x.lot).onHand;

  const { browser, page, problems } = await openPhone({ viewport: TABLET });
  try {
    await signInByWedge(page, supervisorUser);
    await openOffice(page, null);
    // The menu counts everything waiting; every tab is on screen (the strip wraps, nothing scrolls away).
    const tab = page.getByTestId('office-tab-inbox');
    await tab.filter({ hasText: /\(\d+\)/ }).waitFor({ timeout: SLOW });
    for (const t of await page.locator('[role="tab"]').all()) {
      const box = await t.boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= TABLET.width, `tab ${await t.textContent()} fits in 1024 px`);
    }
    await tab.click();
    await page.getByTestId('inbox-chip-ADJUSTMENT').click();
    const row = page.locator(`[data-testid="inbox-row"][data-kind="ADJUSTMENT"][data-id="${filed.adjustment.id}"]`);
    await row.waitFor({ timeout: SLOW });
    const text = await row.textContent();
    // The bin by its label, the item by SKU, the requester by name (no ids).
    assert.ok(text.includes(q.item.sku) && text.includes(me.displayName) && (await row.locator('td.code').first().textContent()).trim().length > 1, text);
    // Only adjustments are listed with the chip on.
    const kinds = await page.locator('[data-testid="inbox-row"]').evaluateAll((els) => [...new Set(els.map((e) => e.dataset.kind))]);
    assert.deepEqual(kinds, ['ADJUSTMENT']);
    await row.click();
    const detail = page.getByTestId('inbox-detail');
    await detail.getByTestId('inbox-history').locator('li[data-action="adjustStock"]').waitFor({ timeout: SLOW });
    assert.ok((await detail.getByTestId('inbox-history').textContent()).includes(me.displayName));
    await calm(page);
    await shot(page, 'desk-inbox');
    await detail.getByTestId('inbox-act-approveAdjustment').click();
    await flowOk(page, 'Approve: done');
    await row.waitFor({ state: 'detached', timeout: SLOW });
    // The audit trail filtered by the approver's user name shows the approval, by name.
    await page.getByTestId('office-tab-audit').click();
    await page.getByTestId('audit-user').fill(supervisorUser.username);
    await page.getByTestId('audit-entity').selectOption('adjustment');
    await page.getByTestId('audit-id').fill(filed.adjustment.id);
    await page.getByTestId('audit-show').click();
    const approval = page.locator(`[data-testid="audit-row"][data-action="approveAdjustment"][data-entity-id="${filed.adjustment.id}"]`);
    await approval.waitFor({ timeout: SLOW });
    // The requester's own entry is filtered out: only the supervisor's rows remain.
    assert.equal(await page.locator('[data-testid="audit-row"][data-action="adjustStock"]').count(), 0);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
  const { adjustments } = await gql(`query { adjustments(state: "APPROVED", first: 200) { edges { node { id moveId } } } }`, {}, supervisor);
  const done = adjustments.edges.map((e) => e.node).find((a) => a.id === filed.adjustment.id);
  assert.ok(done?.moveId, 'approved with a ledger move');
  const { stockMoves } = await gql(`query($sku: String, $bin: String) { stockMoves(first: 500, itemSku: $sku, binCode: $bin) { edges { node { id quantity } } } }`, { sku: q.item.sku, bin: q.bin.code }, supervisor);
  assert.equal(stockMoves.edges.map((e) => e.node).find((mv) => mv.id === done.moveId)?.quantity, 300);
  const after = (await quants(supervisor, { sku: q.item.sku, bin: q.bin.code, status: 'AVAILABLE' })).find((x) => !x.lot).onHand;
  assert.equal(after, before + 300);
});

/** The "ready to work offline" note is dismissed before a screenshot: it would hide the screen's foot. */
async function calm(page) {
  const note = page.getByTestId('offline-ready');
  if (await note.isVisible()) await note.getByRole('button').click();
}
