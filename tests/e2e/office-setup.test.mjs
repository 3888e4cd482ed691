// The setup lists on the office desk at 1024×768: a carrier with two services (a
// taken code refused first), a carton type, a printer at a station (a bad address
// refused by the server) and a purchase approval rule, each made on the screens and
// read back through the API; the rule and the carton are then retired on the screens
// so other journeys on this server are not changed by them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SLOW, creds, gql, openPhone, passwordToken, signInByWedge } from './helpers.mjs';
import { TABLET, flowError, flowOk, openOffice, shot } from './office.mjs';

const CARRIER = `query($code: String!) { party(kind: CARRIER, code: $code) { code name adapter services active } }`;
const CARTONS = `{ cartonTypes(includeInactive: true) { code name lengthMm widthMm heightMm tareWeightGrams maxWeightGrams active } }`;
const PRINTERS = `query($station: String) { printers(station: $station) { name station kind address raw active } }`;
const RULES = `{ approvalRules { id level approverRole minAmountCents abcClass storageClass warehouseId active } }`;

test('carriers, cartons, printers and approval rules are set up on the desk; the API reads them back', async () => {
  const supervisorUser = creds('supervisor');
  const supervisor = await passwordToken(supervisorUser);
  const stamp = String(Date.now()).slice(-6);
  const carrier = `E2E${stamp}`;
  const carton = `E2E-BOX-${stamp}`;
  const printer = `E2E Zebra ${stamp}`;
  const station = `E2E-PACK-${stamp}`;
  let ruleId = '';

  const { browser, page, problems } = await openPhone({ viewport: TABLET });
  try {
    await signInByWedge(page, supervisorUser);
    await openOffice(page, 'setup');

    // Carriers: a taken code is refused with the server's code, translated, naming the code.
    await page.getByTestId('setup-carrier').first().waitFor({ timeout: SLOW });
    await page.getByTestId('setup-carrier-new').click();
    const form = page.getByTestId('setup-carrier-form');
    await form.getByTestId('setup-carrier-code').fill('own');
    await form.getByTestId('setup-carrier-name').fill('JD Logistics');
    await form.getByTestId('setup-carrier-adapter').selectOption('manual');
    await form.getByTestId('setup-service-code').nth(0).fill('eco');
    await form.getByTestId('setup-service-name').nth(0).fill('Economy (3 days)');
    await form.getByTestId('setup-service-add').click();
    await form.getByTestId('setup-service-code').nth(1).fill('xpress');
    await form.getByTestId('setup-service-name').nth(1).fill('Express');
    await form.getByTestId('setup-carrier-save').click();
    await flowError(page, 'This already exists.');
    assert.equal(await page.getByTestId('flow-error-detail').textContent(), 'Code OWN is already taken.');
    assert.equal(await form.getByTestId('setup-carrier-code').getAttribute('aria-invalid'), 'true');

    // Express becomes the default (first) service, then the carrier is created.
    await form.getByTestId('setup-service').nth(1).getByRole('button', { name: 'Make default' }).click();
    await form.getByTestId('setup-carrier-code').fill(carrier.toLowerCase());
    await form.getByTestId('setup-carrier-save').click();
    await flowOk(page, `Carrier ${carrier} created.`);
    await page.locator(`[data-testid="setup-carrier"][data-code="${carrier}"]`).waitFor();

    // Carton types: sizes, tare and the weight limit.
    await page.getByTestId('setup-tab-cartons').click();
    await page.getByTestId('setup-carton-new').click();
    const box = page.getByTestId('setup-carton-form');
    await box.getByTestId('setup-carton-code').fill(carton);
    await box.getByTestId('setup-carton-name').fill('Wine box, 6 bottles');
    await box.getByTestId('setup-carton-lengthMm').fill('310');
    await box.getByTestId('setup-carton-widthMm').fill('220');
    await box.getByTestId('setup-carton-heightMm').fill('340');
    await box.getByTestId('setup-carton-tareWeightGrams').fill('420');
    await box.getByTestId('setup-carton-maxWeightGrams').fill('9000');
    await box.getByTestId('setup-carton-save').click();
    await flowOk(page, `Carton type ${carton} created.`);
    await page.locator(`[data-testid="setup-carton"][data-code="${carton}"]`).waitFor();

    // Printers: the server refuses a port out of range; a good address is saved.
    await page.getByTestId('setup-tab-printers').click();
    await page.getByTestId('setup-printer-new').click();
    const pf = page.getByTestId('setup-printer-form');
    await pf.getByTestId('setup-printer-name').fill(printer);
    await pf.getByTestId('setup-printer-station').fill(station);
    await pf.getByTestId('setup-printer-kind').selectOption('RAW_TCP');
    await pf.getByTestId('setup-printer-address').fill('127.0.0.1:99999');
    await pf.getByTestId('setup-printer-save').click();
    await flowError(page, 'Some input is not valid.');
    assert.match(await page.getByTestId('flow-error-detail').textContent(), /^Address: /);
    await pf.getByTestId('setup-printer-address').fill('127.0.0.1:9100');
    await pf.getByTestId('setup-printer-save').click();
    await flowOk(page, `Printer ${printer} added.`);
    await page.locator(`[data-testid="setup-printer"][data-name="${printer}"]`).waitFor();

    // Approval rules: orders from 5,000.00 holding class A items need an admin at level 2.
    await page.getByTestId('setup-tab-rules').click();
    const rf = page.getByTestId('setup-rule-form');
    await rf.waitFor({ timeout: SLOW });
    const before = await page.getByTestId('setup-rule').count();
    await rf.getByTestId('setup-rule-level').fill('2');
    await rf.getByTestId('setup-rule-role').selectOption('admin');
    await rf.getByTestId('setup-rule-amount').fill('5000');
    await rf.getByTestId('setup-rule-abc').selectOption('A');
    await rf.getByTestId('setup-rule-add').click();
    await flowOk(page, 'Approval rule at level 2 added.');
    await page.getByTestId('setup-rule').nth(before).waitFor();
    const rules = (await gql(RULES, {}, supervisor)).approvalRules;
    const rule = rules.find((r) => r.level === 2 && r.minAmountCents === 500000 && r.abcClass === 'A');
    assert.ok(rule, `the rule is in ${JSON.stringify(rules)}`);
    assert.deepEqual({ ...rule, id: undefined }, { id: undefined, level: 2, approverRole: 'admin', minAmountCents: 500000, abcClass: 'A', storageClass: null, warehouseId: null, active: true });
    ruleId = rule.id;
    await shot(page, 'desk-setup');

    // Reason codes are shown with their meaning.
    await page.getByTestId('setup-tab-reasons').click();
    assert.equal(await page.getByTestId('setup-reason').count(), 5);

    // Retire the rule and the carton on the screens (nothing else on this server should change).
    await page.getByTestId('setup-tab-rules').click();
    await page.locator(`[data-testid="setup-rule"][data-id="${ruleId}"]`).getByTestId('setup-rule-retire').click();
    await flowOk(page, 'Approval rule at level 2 retired.');
    await page.getByTestId('setup-tab-cartons').click();
    await page.locator(`[data-testid="setup-carton"][data-code="${carton}"]`).click();
    await box.getByTestId('setup-carton-active').uncheck();
    await box.getByTestId('setup-carton-save').click();
    await flowOk(page, `Carton type ${carton} saved.`);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }

  const made = (await gql(CARRIER, { code: carrier }, supervisor)).party;
  assert.deepEqual(made, { code: carrier, name: 'JD Logistics', adapter: 'manual', services: ['XPRESS:Express', 'ECO:Economy (3 days)'], active: true });
  const boxes = (await gql(CARTONS, {}, supervisor)).cartonTypes;
  assert.deepEqual(
    boxes.find((c) => c.code === carton),
    { code: carton, name: 'Wine box, 6 bottles', lengthMm: 310, widthMm: 220, heightMm: 340, tareWeightGrams: 420, maxWeightGrams: 9000, active: false },
  );
  const printers = (await gql(PRINTERS, { station }, supervisor)).printers;
  assert.deepEqual(printers, [{ name: printer, station, kind: 'RAW_TCP', address: '127.0.0.1:9100', raw: false, active: true }]);
  const left = (await gql(RULES, {}, supervisor)).approvalRules;
  assert.ok(!left.some((r) => r.id === ruleId), 'a retired rule no longer applies');
});
