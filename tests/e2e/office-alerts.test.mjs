// The office desk at 1024×768 (alerts): the decision checked through the API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SLOW, creds, gql, must, openPhone, passwordToken, randomUUID, signInByWedge } from './helpers.mjs';
import { TABLET, openOffice, shot, flowOk, flowError, quants } from './office.mjs';

test('an alert rule made on the desk fires; acknowledged on the desk, the API shows it acknowledged', async () => {
  const supervisorUser = creds('supervisor');
  const supervisor = await passwordToken(supervisorUser);
  const q = (await quants(supervisor, { status: 'AVAILABLE' }))[0];
  const name = `E2E low ${Date.now()}`;
  let alert = null;
  const { browser, page, problems } = await openPhone({ viewport: TABLET });
  try {
    await signInByWedge(page, supervisorUser);
    await openOffice(page, 'alerts');
    await page.getByTestId('alerts-rules').click();
    await page.getByTestId('rule-name').fill(name);
    await page.getByTestId('rule-scope').selectOption('ITEM');
    await page.getByTestId('rule-scope-value').fill(q.item.sku);
    // A minimum no stock reaches: it fires on the next evaluation.
    await page.getByTestId('rule-threshold').fill('');
    await page.getByTestId('rule-create').click();
    await flowError(page, 'Check this field: Threshold');
    await page.getByTestId('rule-threshold').fill('999999');
    await page.getByTestId('rule-severity').selectOption('CRITICAL');
    await page.getByTestId('rule-create').click();
    await flowOk(page, `Rule ${name} created`);
    await page.locator(`[data-testid="alert-rule"][data-name="${name}"][data-active="true"]`).waitFor();
    await page.getByTestId('alert-rules').scrollIntoViewIfNeeded();
    await shot(page, 'desk-rules');

    const { alertRules } = await gql(`query { alertRules(first: 200) { edges { node { id name severity conditions { kind threshold } } } } }`, {}, supervisor);
    const rule = alertRules.edges.map((e) => e.node).find((r) => r.name === name);
    assert.deepEqual(rule.conditions, [{ kind: 'BELOW_MINIMUM', threshold: 999999 }]);
    assert.equal(rule.severity, 'CRITICAL');
    // The evaluator runs in the server (WMS_ALERT_INTERVAL_SECONDS in scripts/e2e.sh).
    for (let i = 0; i < 60 && !alert; i++) {
      const { alerts } = await gql(`query { alerts(first: 200) { edges { node { id ruleId state } } } }`, {}, supervisor);
      alert = alerts.edges.map((e) => e.node).find((a) => a.ruleId === rule.id) ?? null;
      if (!alert) await new Promise((r) => setTimeout(r, 1000));
    }
    assert.ok(alert, 'the rule raised an alert');

    await page.getByTestId('alerts-inbox').click();
    const card = page.locator(`[data-testid="alert"][data-id="${alert.id}"]`);
    await card.waitFor({ timeout: SLOW });
    await shot(page, 'desk-alerts');
    await card.getByTestId('alert-ack').click();
    await flowOk(page, 'Acknowledged');
    await page.locator(`[data-testid="alert"][data-id="${alert.id}"][data-state="ACKNOWLEDGED"]`).waitFor();
    // Snoozed for eight hours: no notices until then.
    await card.getByTestId('alert-snooze-for').selectOption('480');
    await card.getByTestId('alert-snooze').click();
    await flowOk(page, 'Snoozed until');
    await card.getByTestId('alert-snoozed').waitFor();
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
  const { alerts } = await gql(`query { alerts(first: 200, state: ACKNOWLEDGED) { edges { node { id acknowledgedBy acknowledgedAt } } } }`, {}, supervisor);
  const acked = alerts.edges.map((e) => e.node).find((a) => a.id === alert.id);
  assert.ok(acked?.acknowledgedAt && acked.acknowledgedBy, 'acknowledged, by whom and when');
  const { alerts: all } = await gql(`query { alerts(first: 200, includeResolved: true) { edges { node { id snoozedUntil } } } }`, {}, supervisor);
  const hours = (Date.parse(all.edges.map((e) => e.node).find((a) => a.id === alert.id).snoozedUntil) - Date.now()) / 3_600_000;
  assert.ok(hours > 7.9 && hours <= 8, `snoozed for eight hours (${hours.toFixed(2)})`);
});
