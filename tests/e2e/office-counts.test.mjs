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
    await card.getByTestId('var-accept').click();
    await flowOk(page, `Count of ${binCode} accepted`);
    await card.waitFor({ state: 'detached' });

    // A plan of two chosen bins, created and generated on the desk.
    const others = [...bins.keys()].filter((b) => b !== binCode).slice(0, 2);
    await page.getByTestId('office-tab-plans').click();
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
});
