// Master data on the office desk at 1024×768: an item with two packaging levels
// created and changed on the items screen, items imported from a CSV (a dry run
// shows the bad row by line and column; fixed, it applies), then read back through the API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SLOW, creds, gql, openPhone, passwordToken, signInByWedge } from './helpers.mjs';
import { TABLET, flowError, flowOk, openOffice, shot } from './office.mjs';

/** A GTIN with its check digit (GS1 mod 10) after `body`. */
function gtin(body) {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += Number(body[body.length - 1 - i]) * (i % 2 === 0 ? 3 : 1);
  return body + String((10 - (sum % 10)) % 10);
}

const ITEM = `query($sku: String) { item(sku: $sku) { sku name specification brand category baseUnit tracking expiryTracked
  shelfLifeDays minRemainingLifeDays lengthMm widthMm heightMm weightG storageClass abcClass unitCostCents active gtins
  packagings { level quantity gtin weightG lengthMm } } }`;

test('items are created, changed and imported on the desk; the API reads back every field', async () => {
  const supervisorUser = creds('supervisor');
  const supervisor = await passwordToken(supervisorUser);
  const stamp = String(Date.now()).slice(-7);
  const sku = `E2E-MD-${stamp}`;
  const each = gtin(`29${stamp}001`); // EAN-13
  const caseGtin = gtin(`1${each.slice(0, 12)}`); // GTIN-14 of the case
  let customer = '';
  const wrong = each.slice(0, 12) + String((Number(each[12]) + 1) % 10);
  const good2 = gtin(`29${stamp}102`); // the imported row fixed

  const { browser, page, problems } = await openPhone({ viewport: TABLET });
  try {
    await signInByWedge(page, supervisorUser);
    await openOffice(page, 'items');
    await page.getByTestId('md-item-new').click();
    const form = page.getByTestId('md-item-form');
    await form.waitFor({ timeout: SLOW });
    await form.getByTestId('md-sku').fill(sku);
    await form.getByTestId('md-name').fill('Jasmine tea 250 g');
    await form.getByTestId('md-specification').fill('loose leaf, tin');
    await form.getByTestId('md-brand').fill('Fujian Gardens');
    await form.getByTestId('md-category').fill('Tea');
    await form.getByTestId('md-base-unit').fill('EA');
    await form.getByTestId('md-gtin').fill(wrong);
    await form.getByTestId('md-each-lengthMm').fill('90');
    await form.getByTestId('md-each-widthMm').fill('90');
    await form.getByTestId('md-each-heightMm').fill('120');
    await form.getByTestId('md-each-weightG').fill('310');
    await form.getByTestId('md-case-on').check();
    await form.getByTestId('md-case-quantity').fill('12');
    await form.getByTestId('md-case-gtin').fill(caseGtin);
    await form.getByTestId('md-case-lengthMm').fill('400');
    await form.getByTestId('md-case-weightG').fill('3900');
    await form.getByTestId('md-pallet-on').check();
    await form.getByTestId('md-pallet-quantity').fill('480');
    await form.getByTestId('md-storage').selectOption('COLD');
    await form.getByTestId('md-tracking').selectOption('LOT');
    await form.getByTestId('md-expiry').check();
    await form.getByTestId('md-shelf-life').fill('540');
    await form.getByTestId('md-min-life').fill('120');
    await form.getByTestId('md-abc').selectOption('A');
    await form.getByTestId('md-unit-cost').fill('4.50');

    // A GTIN with a wrong check digit: refused, translated, with the digit it should end in.
    await form.getByTestId('md-item-save').click();
    await flowError(page, 'The GTIN check digit is wrong');
    const detail = await page.getByTestId('flow-error-detail').textContent();
    assert.equal(detail, `GTIN ${wrong}: its last digit should be ${each[12]}.`);
    assert.equal(await form.getByTestId('md-gtin').getAttribute('aria-invalid'), 'true');

    await form.getByTestId('md-gtin').fill(each);
    await form.getByTestId('md-item-save').click();
    await flowOk(page, `Item ${sku} created.`);
    await page.locator(`[data-testid="md-item"][data-sku="${sku}"]`).waitFor();
    await shot(page, 'desk-items');

    // Change it: a new name, 24 to the case, the pallet level taken away.
    await form.getByTestId('md-name').fill('Jasmine tea 250 g (new tin)');
    await form.getByTestId('md-case-quantity').fill('24');
    await form.getByTestId('md-pallet-on').uncheck();
    await form.getByTestId('md-item-save').click();
    await flowOk(page, `Item ${sku} saved.`);

    // Another item may not take this item's case GTIN: the refusal names the owner.
    await page.getByTestId('md-item-new').click();
    await form.getByTestId('md-sku').fill(`${sku}-B`);
    await form.getByTestId('md-name').fill('Second');
    await form.getByTestId('md-gtin').fill(caseGtin);
    await form.getByTestId('md-item-save').click();
    await flowError(page, 'This already exists.');
    assert.equal(await page.getByTestId('flow-error-detail').textContent(), `GTIN ${caseGtin} already names item ${sku}.`);

    // Suppliers and customers: a customer's credit limit beside what its open orders are worth.
    await page.getByTestId('office-tab-parties').click();
    await page.getByTestId('md-party-tab-CUSTOMER').click();
    const customers = page.locator('[data-testid="md-party-list"][data-kind="CUSTOMER"] [data-testid="md-party"]');
    await customers.first().waitFor({ timeout: SLOW });
    customer = await customers.first().getAttribute('data-code');
    await customers.first().click();
    const partyForm = page.getByTestId('md-party-form');
    await partyForm.getByTestId('md-p-contact').fill('Li Wei');
    await partyForm.getByTestId('md-p-terms').fill('30 days net');
    await partyForm.getByTestId('md-p-rating').selectOption('4');
    await partyForm.getByTestId('md-p-credit').fill('2500.00');
    await partyForm.getByTestId('md-party-save').click();
    await flowOk(page, `${customer} saved.`);
    const exposure = page.getByTestId('md-p-exposure');
    await exposure.waitFor();
    assert.match(await exposure.textContent(), /of a limit of 2,500\.00/);
    await exposure.scrollIntoViewIfNeeded();
    await shot(page, 'desk-parties');

    // Import: a dry run finds the bad row (line 3, gtin), nothing lands; fixed, it applies.
    await page.getByTestId('office-tab-imports').click();
    await page.getByTestId('md-imp-kind').selectOption('items');
    const header = 'sku,name,brand,base_unit,gtin,tracking,expiry_tracked,shelf_life_days,storage_class,abc_class,unit_cost_cents,case_qty,case_gtin,case_weight_g\n';
    const rows = (third) =>
      header +
      `${sku}-I1,Oolong 100 g,Anxi,EA,${gtin(`29${stamp}101`)},LOT,yes,720,AMBIENT,B,890,20,,2100\n` +
      `${sku}-I2,Pu-erh cake,Menghai,EA,${third},NONE,no,,AMBIENT,C,1500,,,\n` +
      `${sku}-I3,White tea,Fuding,PCS,,NONE,no,,COLD,A,2300,6,${gtin(`1${gtin(`29${stamp}103`).slice(0, 12)}`)},900\n`;
    const bad2 = good2.slice(0, 12) + String((Number(good2[12]) + 3) % 10);
    const file = page.getByTestId('md-imp-file');
    await file.setInputFiles({ name: 'items.csv', mimeType: 'text/csv', buffer: Buffer.from(rows(bad2)) });
    await page.getByTestId('md-imp-dry-run').click();
    const report = page.getByTestId('md-imp-report');
    await report.waitFor({ timeout: SLOW });
    await flowError(page, 'Some rows have errors');
    const errors = page.getByTestId('md-imp-error');
    assert.equal(await errors.count(), 1);
    assert.equal(await errors.first().getAttribute('data-line'), '3');
    assert.equal(await errors.first().getAttribute('data-column'), 'gtin');
    assert.equal(await errors.first().getAttribute('data-code'), 'GTIN_BAD_CHECK_DIGIT');
    assert.ok(await page.getByTestId('md-imp-apply').isDisabled(), 'no apply before a clean dry run');
    await errors.first().scrollIntoViewIfNeeded();
    await shot(page, 'desk-import');
    const none = await gql(ITEM, { sku: `${sku}-I1` }, supervisor);
    assert.equal(none.item, null, 'a dry run changes nothing');

    await file.setInputFiles({ name: 'items.csv', mimeType: 'text/csv', buffer: Buffer.from(rows(good2)) });
    await page.getByTestId('md-imp-dry-run').click();
    await flowOk(page, 'All 3 rows are fine');
    await page.getByTestId('md-imp-apply').click();
    await flowOk(page, '3 rows of Items applied.');
    await page.locator('[data-testid="md-imp-report"][data-applied="yes"]').waitFor();
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }

  const made = (await gql(ITEM, { sku }, supervisor)).item;
  assert.deepEqual(
    { ...made, packagings: undefined },
    {
      sku,
      name: 'Jasmine tea 250 g (new tin)',
      specification: 'loose leaf, tin',
      brand: 'Fujian Gardens',
      category: 'Tea',
      baseUnit: 'EA',
      tracking: 'LOT',
      expiryTracked: true,
      shelfLifeDays: 540,
      minRemainingLifeDays: 120,
      lengthMm: 90,
      widthMm: 90,
      heightMm: 120,
      weightG: 310,
      storageClass: 'COLD',
      abcClass: 'A',
      unitCostCents: 450,
      active: true,
      gtins: [`0${each}`, caseGtin],
      packagings: undefined,
    },
  );
  assert.deepEqual(made.packagings, [{ level: 'CASE', quantity: 24, gtin: caseGtin, weightG: 3900, lengthMm: 400 }]);
  assert.equal((await gql(ITEM, { sku: `${sku}-B` }, supervisor)).item, null, 'the refused item was not created');

  const party = await gql(`query($code: String!) { party(kind: CUSTOMER, code: $code) { contactName paymentTerms rating creditLimitCents exposureCents } }`, { code: customer }, supervisor);
  assert.deepEqual({ ...party.party, exposureCents: typeof party.party.exposureCents }, { contactName: 'Li Wei', paymentTerms: '30 days net', rating: 4, creditLimitCents: 250000, exposureCents: 'number' });

  const i1 = (await gql(ITEM, { sku: `${sku}-I1` }, supervisor)).item;
  assert.equal(i1.brand, 'Anxi');
  assert.equal(i1.tracking, 'LOT');
  assert.equal(i1.expiryTracked, true);
  assert.equal(i1.shelfLifeDays, 720);
  assert.equal(i1.unitCostCents, 890);
  assert.deepEqual(i1.packagings.map((p) => [p.level, p.quantity, p.weightG]), [['CASE', 20, 2100]]);
  const i2 = (await gql(ITEM, { sku: `${sku}-I2` }, supervisor)).item;
  assert.deepEqual(i2.gtins, [`0${good2}`]);
  const i3 = (await gql(ITEM, { sku: `${sku}-I3` }, supervisor)).item;
  assert.equal(i3.baseUnit, 'PCS');
  assert.equal(i3.storageClass, 'COLD');
  assert.equal(i3.abcClass, 'A');
  assert.equal(i3.packagings[0].quantity, 6);
});
