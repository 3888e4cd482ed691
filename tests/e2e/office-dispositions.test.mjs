// The office desk at 1024×768 (rework and scrap): the ledger checked through the API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SLOW, creds, gql, openPhone, passwordToken, signInByWedge } from './helpers.mjs';
import { TABLET, openOffice, shot, flowOk, quants } from './office.mjs';

// Above this value (quantity × unit cost) a disposition waits for a second person (WMS default).
const APPROVAL_CENTS = 10_000;

async function openStockRow(page, binCode, sku) {
  await page.getByTestId('st-bin').fill(binCode);
  await page.getByTestId('st-item').fill(sku);
  await page.getByTestId('st-search').click();
  const row = page.locator(`[data-testid="st-quant"][data-sku="${sku}"][data-status="AVAILABLE"]`);
  await row.waitFor({ timeout: SLOW });
  return row;
}

test('scrap books stock out at once; a costly rework waits for a second person, who approves it on the desk', async () => {
  const supervisorUser = creds('supervisor');
  const adminUser = creds('admin');
  const supervisor = await passwordToken(supervisorUser);
  // Untracked free stock whose value is above the approval threshold, with a unit to spare for the scrap.
  const free = (await quants(supervisor, { status: 'AVAILABLE' }, { free: true })).filter((x) => x.item.tracking === 'NONE' && !x.lot && x.reserved === 0 && !x.bin.blocked);
  let pick = null;
  for (const q of free) {
    const { item } = await gql(`query($sku: String!) { item(sku: $sku) { unitCostCents } }`, { sku: q.item.sku }, supervisor);
    const units = Math.floor(APPROVAL_CENTS / item.unitCostCents) + 1;
    if (units + 1 <= q.onHand) {
      pick = { q, units };
      break;
    }
  }
  assert.ok(pick, 'free stock worth more than the approval threshold');
  const { q, units } = pick;
  const [binCode, sku] = [q.bin.code, q.item.sku];

  const { browser, page, problems } = await openPhone({ viewport: TABLET });
  try {
    await signInByWedge(page, supervisorUser);
    await openOffice(page, 'stock');
    let row = await openStockRow(page, binCode, sku);
    await row.getByTestId('st-scrap').click();
    const form = page.getByTestId('disp-form');
    await form.waitFor();
    await page.getByTestId('disp-qty').fill('1');
    await page.getByTestId('disp-reason').fill('crushed by a pallet jack');
    await page.getByTestId('disp-send').click();
    await flowOk(page, `1 × ${sku} on ${binCode} scrapped`);

    row = await openStockRow(page, binCode, sku);
    await row.getByTestId('st-rework').click();
    await page.getByTestId('disp-qty').fill(String(units));
    await page.getByTestId('disp-reason').fill('labels misprinted');
    await page.getByTestId('disp-send').click();
    await flowOk(page, `${units} × ${sku} on ${binCode} waits for a second person`);
    const mine = page.locator('[data-testid="disp-pending"][data-kind="REWORK"]').filter({ hasText: sku });
    await mine.getByTestId('disp-own').waitFor({ timeout: SLOW });
    await shot(page, 'desk-dispositions');
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }

  const second = await openPhone({ viewport: TABLET });
  try {
    await signInByWedge(second.page, adminUser);
    await openOffice(second.page, 'stock');
    const card = second.page.locator('[data-testid="disp-pending"][data-kind="REWORK"]').filter({ hasText: sku });
    await card.getByTestId('disp-approve').click({ timeout: SLOW });
    await flowOk(second.page, `${units} × ${sku} on ${binCode} moved to rework`);
    await card.waitFor({ state: 'detached' });
    assert.deepEqual(second.problems, []);
  } finally {
    await second.browser.close();
  }

  // What landed: a SCRAP move out of the bin and a status change to REWORK, in the ledger and the quants.
  const { stockMoves } = await gql(`query($b: String, $s: String) { stockMoves(first: 100, binCode: $b, itemSku: $s) { edges { node { reason quantity fromStatus toStatus toBinId reference } } } }`, { b: binCode, s: sku }, supervisor);
  const moves = stockMoves.edges.map((e) => e.node);
  assert.ok(moves.some((m) => m.reason === 'SCRAP' && m.quantity === 1 && m.toBinId === null && m.reference.includes('crushed')), JSON.stringify(moves));
  assert.ok(moves.some((m) => m.reason === 'STATUS_CHANGE' && m.quantity === units && m.fromStatus === 'AVAILABLE' && m.toStatus === 'REWORK'), JSON.stringify(moves));
  const after = await quants(supervisor, { sku, bin: binCode });
  assert.equal(after.find((x) => x.status === 'AVAILABLE')?.onHand ?? 0, q.onHand - 1 - units);
  assert.equal(after.find((x) => x.status === 'REWORK')?.onHand, units);
  const { dispositions } = await gql(`query { dispositions(first: 100, state: "APPROVED") { edges { node { kind itemSku binCode quantity decidedBy } } } }`, {}, supervisor);
  const mineDone = dispositions.edges.map((e) => e.node).filter((d) => d.itemSku === sku && d.binCode === binCode);
  assert.deepEqual(mineDone.map((d) => [d.kind, d.quantity]).sort(), [['REWORK', units], ['SCRAP', 1]]);
  assert.ok(mineDone.find((d) => d.kind === 'REWORK').decidedBy, 'approved by a second person');
});
