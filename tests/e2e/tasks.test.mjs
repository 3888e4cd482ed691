import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { SLOW, creds, gql, openPhone, passwordToken, randomUUID, signInByWedge } from './helpers.mjs';

const CREATE_TASK = `
mutation($input: CreateTaskInput!) {
  createTask(input: $input) {
    __typename
    ... on TaskSuccess { task { id title } }
    ... on UserError { code message field }
  }
}`;

async function firstBinCode(token) {
  const data = await gql(`query { bins(first: 1) { edges { node { code } } } }`, {}, token);
  const code = data.bins.edges[0]?.node.code;
  assert.ok(code, 'the demo warehouse has bins');
  return code;
}

test('a task created by a supervisor appears on the picker\u2019s list without a reload', async () => {
  const picker = creds('picker');
  const supervisorToken = await passwordToken(creds('supervisor'));
  const binCode = await firstBinCode(supervisorToken);
  const { browser, page, problems } = await openPhone();
  try {
    await signInByWedge(page, picker);
    await page.locator('[data-testid="link-status"][data-status="online"]').waitFor();
    await page.getByTestId('task-count').waitFor();
    // Mark the document: a reload would lose the mark.
    await page.evaluate(() => {
      window.__noReload = true;
    });

    const title = 'Clear the aisle after a spill';
    const data = await gql(
      CREATE_TASK,
      { input: { kind: 'MOVE', binCode, title, priority: 2, idempotencyKey: randomUUID() } },
      supervisorToken,
    );
    assert.equal(data.createTask.__typename, 'TaskSuccess', JSON.stringify(data.createTask));

    const card = page.getByTestId('task-card').filter({ hasText: title });
    await card.waitFor({ timeout: SLOW });
    assert.equal(await page.evaluate(() => window.__noReload), true, 'no reload happened');
    // New tasks go on top, highlighted for a moment.
    assert.match((await page.getByTestId('task-card').first().textContent()) ?? '', new RegExp(title));
    assert.match((await card.getAttribute('class')) ?? '', /\bfresh\b/);
    assert.match((await card.textContent()) ?? '', new RegExp(binCode));

    // Tapping it opens its details.
    await card.click();
    await page.getByTestId('task-detail').waitFor();
    assert.match((await page.getByTestId('task-detail').textContent()) ?? '', new RegExp(title));
    await page.getByRole('button', { name: 'Back' }).click();
    await page.getByTestId('task-list').waitFor();
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('screenshot of the task list at 390x844', async () => {
  const out = process.env.E2E_SCREENSHOT;
  if (!out) return;
  const picker = creds('picker');
  const supervisorToken = await passwordToken(creds('supervisor'));
  const binCode = await firstBinCode(supervisorToken);
  const { browser, page } = await openPhone();
  try {
    await signInByWedge(page, picker);
    await page.locator('[data-testid="link-status"][data-status="online"]').waitFor();
    await page.getByTestId('task-count').waitFor();
    // Let the one-time "ready to work offline" note come and go first.
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    const note = page.getByTestId('offline-ready');
    if (await note.waitFor({ timeout: 5_000 }).then(() => true, () => false)) {
      await page.getByRole('button', { name: 'Dismiss' }).click().catch(() => {});
      await note.waitFor({ state: 'detached' });
    }
    const data = await gql(
      CREATE_TASK,
      { input: { kind: 'PICK', binCode, title: 'Pick 6 × Thermal labels 100×150', priority: 1, idempotencyKey: randomUUID() } },
      supervisorToken,
    );
    assert.equal(data.createTask.__typename, 'TaskSuccess', JSON.stringify(data.createTask));
    await page.getByTestId('task-card').filter({ hasText: 'Thermal labels' }).waitFor();
    await page.waitForTimeout(600); // the arrival highlight is mid-way: shows how new tasks look
    mkdirSync(dirname(out), { recursive: true });
    await page.screenshot({ path: out });
  } finally {
    await browser.close();
  }
});
