import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SLOW, creds, gql, must, openPhone, passwordToken, randomUUID, settle, signInByWedge, wedgeScan } from './helpers.mjs';

const ERR = '... on UserError { code message field }';

test('a blind count: the bin, two scans of an item, submitted', async () => {
  const supervisor = await passwordToken(creds('supervisor'));
  const data = await gql(
    `query { stock(first: 100, status: "AVAILABLE") { edges { node { onHand item { tracking expiryTracked gtins } bin { code } } } } }`,
    {},
    supervisor,
  );
  const quant = data.stock.edges.map((e) => e.node).find((q) => q.item.tracking === 'NONE' && !q.item.expiryTracked && q.item.gtins.length > 0);
  assert.ok(quant, 'a bin with an untracked item that has a GTIN');
  const { browser, page, problems } = await openPhone();
  try {
    await signInByWedge(page, creds('picker'));
    await page.locator('[data-testid="link-status"][data-status="online"]').waitFor({ timeout: SLOW });
    const req = await must(
      `mutation($input: RequestBinCountInput!) { requestBinCount(input: $input) { __typename ... on RequestBinCountSuccess { count { taskId } } ${ERR} } }`,
      { input: { binCode: quant.bin.code, idempotencyKey: randomUUID() } },
      supervisor,
      'requestBinCount',
      'RequestBinCountSuccess',
    );
    const card = page.locator(`[data-testid="task-card"][data-task-id="${req.count.taskId}"]`);
    await card.waitFor({ timeout: SLOW });
    await card.click();
    await page.locator('[data-testid="scan-prompt"][data-thing="bin"]').waitFor({ timeout: SLOW });
    await settle(page);
    await wedgeScan(page, quant.bin.code);
    await page.locator('[data-testid="scan-prompt"][data-thing="item"]').waitFor({ timeout: SLOW });
    for (let i = 0; i < 2; i++) {
      await settle(page);
      await wedgeScan(page, quant.item.gtins[0]);
      await page.getByTestId('counted').filter({ hasText: `× ${i + 1}` }).waitFor({ timeout: SLOW });
    }
    await page.getByTestId('submit-count').click();
    await page.getByTestId('flow-done').waitFor({ timeout: SLOW });
    assert.deepEqual(problems, []);
  } finally {
    if (process.env.E2E_SHOTS) await page.screenshot({ path: `${process.env.E2E_SHOTS}/count-last.png` }).catch(() => {});
    await browser.close();
  }
});
