// The office desk at 1024×768 (counts): the decision checked through the API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SLOW, creds, gql, must, openPhone, passwordToken, randomUUID, signInByWedge } from './helpers.mjs';
import { TABLET, ERR, openOffice, shot, flowOk, quants } from './office.mjs';

test('a count with a variance: accepted on the desk, the quant is corrected; a count plan generates its tasks', async () => {
  const supervisorUser = creds('supervisor');
  const supervisor = await passwordToken(supervisorUser);
  const picker = await passwordToken(creds('picker'));
  // A bin whose stock is untracked, reserved nowhere, at least 10 of one item (a variance of 1 needs no recount).
  const all = await quants(supervisor, {}, { free: true });
  const bins = new Map();
  for (const x of all) bins.set(x.bin.code, [...(bins.get(x.bin.code) ?? []), x]);
  const [binCode, content] = [...bins].find(([, qs]) => qs.every((x) => x.item.tracking === 'NONE' && !x.lot && x.reserved === 0 && x.status === 'AVAILABLE') && qs.some((x) => x.onHand >= 10)) ?? [];
  assert.ok(binCode, 'a bin to count');
  const off = content.find((x) => x.onHand >= 10);
  const req = await must(`mutation($input: RequestBinCountInput!) { requestBinCount(input: $input) { __typename ... on RequestBinCountSuccess { count { countId taskId } } ${ERR} } }`, { input: { binCode, idempotencyKey: randomUUID() } }, supervisor, 'requestBinCount', 'RequestBinCountSuccess');
  await must(`mutation($input: TaskRefInput!) { claimTask(input: $input) { __typename ${ERR} } }`, { input: { taskId: req.count.taskId, idempotencyKey: randomUUID() } }, picker, 'claimTask', 'TaskSuccess');
  const lines = content.map((x) => ({ itemCode: x.item.sku, quantity: x === off ? x.onHand - 1 : x.onHand }));
  await must(`mutation($input: SubmitCountInput!) { submitCount(input: $input) { __typename ... on SubmitCountSuccess { countId } ${ERR} } }`, { input: { taskId: req.count.taskId, lines, idempotencyKey: randomUUID() } }, picker, 'submitCount', 'SubmitCountSuccess');

  const { browser, page, problems } = await openPhone({ viewport: TABLET });
  try {
    await signInByWedge(page, supervisorUser);
    await openOffice(page, 'variances');
    const card = page.locator(`[data-testid="variance"][data-count="${req.count.countId}"]`);
    await card.waitFor({ timeout: SLOW });
    const cells = await card.locator(`[data-testid="variance-line"][data-sku="${off.item.sku}"] td`).allTextContents();
    assert.equal(cells[3], '−1');
    await shot(page, 'desk-variances');
    await card.getByTestId('var-cause').selectOption('MISCOUNT');
    await card.getByTestId('var-accept').click();
    await flowOk(page, `Count of ${binCode} accepted`);
    await card.waitFor({ state: 'detached' });

    // The count schedule saved on the desk (due counts are not generated here: they would hold
    // every stocked bin of the shared demo warehouse).
    await page.getByTestId('office-tab-plans').click();
    await page.getByTestId('count-schedule').waitFor({ timeout: SLOW });
    await page.getByTestId('sched-aDays').fill('20');
    await page.getByTestId('sched-bDays').fill('60');
    await page.getByTestId('sched-save').click();
    await flowOk(page, 'Count schedule saved');
    const { countSchedule } = await gql(`query { countSchedule { aDays bDays cDays configured } }`, {}, supervisor);
    assert.deepEqual(countSchedule, { aDays: 20, bDays: 60, cDays: 365, configured: true });

    // A plan of two chosen bins, created and generated on the desk.
    const others = [...bins.keys()].filter((b) => b !== binCode).slice(0, 2);
    const name = `E2E plan ${Date.now()}`;
    await page.getByTestId('plan-name').fill(name);
    await page.getByTestId('plan-kind').selectOption('ADHOC');
    await page.getByTestId('plan-bins-input').fill(others.join('\n'));
    await page.getByTestId('plan-create').click();
    await flowOk(page, `Plan ${name} created: 2 bins`);
    const plan = page.locator(`[data-testid="count-plan"][data-name="${name}"]`);
    await plan.getByTestId('plan-generate').click();
    await flowOk(page, `${name}: 2 count tasks on the floor`);
    await plan.getByTestId('plan-open').filter({ hasText: '2' }).waitFor({ timeout: SLOW });
    await plan.getByTestId('plan-counted').filter({ hasText: '0 of 2' }).waitFor({ timeout: SLOW });
    await shot(page, 'desk-plans');
    const planId = await plan.getAttribute('data-plan');
    const { countSheets } = await gql(`query($p: ID) { countSheets(planId: $p) { edges { node { binCode } } } }`, { p: planId }, supervisor);
    assert.deepEqual(countSheets.edges.map((e) => e.node.binCode).sort(), [...others].sort());
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
  const now = (await quants(supervisor, { sku: off.item.sku, bin: binCode })).find((x) => x.status === 'AVAILABLE');
  assert.equal(now.onHand, off.onHand - 1, 'the book follows the accepted count');
  const { countReviews } = await gql(`query { countReviews(first: 200, state: "CLOSED") { edges { node { countId cause } } } }`, {}, supervisor);
  const decided = countReviews.edges.map((e) => e.node).find((r) => r.countId === req.count.countId);
  assert.equal(decided.cause, 'MISCOUNT', 'the cause chosen is kept with the decision');
  const { stockMoves } = await gql(`query($b: String, $s: String) { stockMoves(first: 50, binCode: $b, itemSku: $s) { edges { node { reason quantity reference } } } }`, { b: binCode, s: off.item.sku }, supervisor);
  assert.ok(stockMoves.edges.some((e) => e.node.reason === 'ADJUST_OUT' && e.node.quantity === 1 && e.node.reference.endsWith('MISCOUNT')), JSON.stringify(stockMoves));
});
