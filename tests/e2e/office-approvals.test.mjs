// The office desk at 1024×768 (approvals): the decision checked through the API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { SLOW, creds, gql, must, openPhone, passwordToken, randomUUID, signInByWedge } from './helpers.mjs';
import { TABLET, ERR, ADJUST, openOffice, shot, flowOk, quants } from './office.mjs';

test('an adjustment over the threshold: another supervisor approves it on the desk, the ledger has the move; one’s own waits', async () => {
  const admin = await passwordToken(creds('admin'));
  const supervisorUser = creds('supervisor');
  const supervisor = await passwordToken(supervisorUser);
  const q = (await quants(supervisor, { status: 'AVAILABLE' }, { free: true })).find((x) => x.item.tracking === 'NONE' && !x.lot);
  assert.ok(q, 'an untracked quant');
  // 500 found units of anything that costs something is over the 100.00 threshold.
  const filed = await must(ADJUST, { input: { binCode: q.bin.code, itemCode: q.item.sku, quantity: 500, reasonCode: 'FOUND', note: 'found behind the rack', idempotencyKey: randomUUID() } }, admin, 'adjustStock', 'AdjustmentSuccess');
  assert.equal(filed.adjustment.state, 'PENDING');
  const mine = await must(ADJUST, { input: { binCode: q.bin.code, itemCode: q.item.sku, quantity: 400, reasonCode: 'FOUND', idempotencyKey: randomUUID() } }, supervisor, 'adjustStock', 'AdjustmentSuccess');
  assert.equal(mine.adjustment.state, 'PENDING');
  const before = (await quants(supervisor, { sku: q.item.sku, bin: q.bin.code, status: 'AVAILABLE' })).find((x) => !x.lot).onHand;

  const { browser, page, problems } = await openPhone({ viewport: TABLET });
  try {
    await signInByWedge(page, supervisorUser);
    await openOffice(page, null);
    // The tab counts what waits: at least these two.
    const tab = page.getByTestId('office-tab-approvals');
    await tab.filter({ hasText: /\(\d+\+?\)/ }).waitFor({ timeout: SLOW });
    assert.ok(Number(/\((\d+)/.exec(await tab.textContent())[1]) >= 2);

    const row = page.locator(`[data-testid="adj-row"][data-id="${filed.adjustment.id}"]`);
    await row.waitFor({ timeout: SLOW });
    // Four eyes: the supervisor's own request offers no decision.
    const own = page.locator(`[data-testid="adj-row"][data-id="${mine.adjustment.id}"]`);
    await own.getByTestId('adj-own').waitFor();
    assert.equal(await own.getByTestId('adj-approve').count(), 0);
    await shot(page, 'desk-adjustments');
    await row.getByTestId('adj-approve').click();
    await flowOk(page, `Approved: ${q.item.sku} on ${q.bin.code}`);
    await page.locator(`[data-testid="adj-row"][data-id="${filed.adjustment.id}"][data-state="APPROVED"]`).waitFor();
    // On a phone the same table scrolls sideways inside its card.
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, 'desk-adjustments-phone');
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
  // The ledger has the adjustment's move and the quant holds 500 more.
  const { adjustments } = await gql(`query { adjustments(state: "APPROVED", first: 200) { edges { node { id moveId decidedBy } } } }`, {}, supervisor);
  const done = adjustments.edges.map((e) => e.node).find((a) => a.id === filed.adjustment.id);
  assert.ok(done?.moveId, 'approved with a move');
  const { stockMoves } = await gql(`query($sku: String, $bin: String) { stockMoves(first: 500, itemSku: $sku, binCode: $bin) { edges { node { id quantity reason } } } }`, { sku: q.item.sku, bin: q.bin.code }, supervisor);
  const move = stockMoves.edges.map((e) => e.node).find((mv) => mv.id === done.moveId);
  assert.equal(move?.quantity, 500);
  const after = (await quants(supervisor, { sku: q.item.sku, bin: q.bin.code, status: 'AVAILABLE' })).find((x) => !x.lot).onHand;
  assert.equal(after, before + 500);
  // The supervisor's own request is still waiting, and the server refuses it to them.
  const refused = await gql(`mutation($input: AdjustmentDecisionInput!) { approveAdjustment(input: $input) { __typename ${ERR} } }`, { input: { adjustmentId: mine.adjustment.id, idempotencyKey: randomUUID() } }, supervisor);
  assert.equal(refused.approveAdjustment.code, 'SELF_APPROVAL');

  // The audit trail shows the approval; the CSV holds exactly the rows shown.
  const b2 = await openPhone({ viewport: TABLET });
  try {
    await signInByWedge(b2.page, supervisorUser);
    await openOffice(b2.page, 'audit');
    await b2.page.getByTestId('audit-entity').selectOption('adjustment');
    await b2.page.getByTestId('audit-id').fill(filed.adjustment.id);
    await b2.page.getByTestId('audit-show').click();
    const rows = b2.page.locator(`[data-testid="audit-row"][data-entity-id="${filed.adjustment.id}"]`);
    await rows.filter({ has: b2.page.locator('td', { hasText: 'approveAdjustment' }) }).first().waitFor({ timeout: SLOW });
    // The unfiltered first list may already hold that row: wait for the filtered answer,
    // in which every row is of this adjustment.
    await b2.page.waitForFunction(
      (id) => {
        const all = [...document.querySelectorAll('[data-testid="audit-row"]')];
        return all.length > 0 && all.every((e) => e.dataset.entityId === id) && all.some((e) => e.dataset.action === 'approveAdjustment');
      },
      filed.adjustment.id,
      { timeout: SLOW },
    );
    const actions = await b2.page.locator('[data-testid="audit-row"]').evaluateAll((els) => els.map((e) => e.dataset.action));
    assert.ok(actions.includes('adjustStock') && actions.includes('approveAdjustment'), actions.join());
    const { auditEntries } = await gql(`query($id: String) { auditEntries(first: 100, entity: "adjustment", entityId: $id) { edges { node { id action } } } }`, { id: filed.adjustment.id }, supervisor);
    assert.equal(actions.length, auditEntries.edges.length);
    await shot(b2.page, 'desk-audit');
    const [download] = await Promise.all([b2.page.waitForEvent('download'), b2.page.getByTestId('audit-csv').click()]);
    const csv = (await readFile(await download.path(), 'utf8')).replace(/^\ufeff/, '').trim().split('\r\n');
    assert.equal(csv[0], 'id,at,user_id,device_id,action,entity,entity_id,user_name');
    assert.deepEqual(csv.slice(1).map((l) => l.split(',')[4]), actions);
    assert.deepEqual(b2.problems, []);
  } finally {
    await b2.browser.close();
  }
});
