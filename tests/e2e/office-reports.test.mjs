// The office desk at 1024×768 (stock reports): figures on screen equal the API's, CSVs hold the same rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { SLOW, creds, gql, openPhone, passwordToken, signInByWedge } from './helpers.mjs';
import { TABLET, openOffice, shot } from './office.mjs';

async function csvOf(page, testid) {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: SLOW }), page.getByTestId(testid).click()]);
  return (await readFile(await download.path(), 'utf8')).replace(/^\ufeff/, '').trim().split('\n');
}

test('stock age, stock level history and lot trace on the desk match the API and export as CSV', async () => {
  const user = creds('supervisor');
  const token = await passwordToken(user);
  const { stockAge } = await gql(`query { stockAge(limit: 200) { __typename ... on StockAge { rows { sku warehouseCode onHand buckets { quantity } } csv } } }`, {}, token);
  assert.equal(stockAge.__typename, 'StockAge');
  assert.ok(stockAge.rows.length > 0, 'the demo has stock');
  const { browser, page, problems } = await openPhone({ viewport: TABLET });
  try {
    await signInByWedge(page, user);
    await openOffice(page, 'reports');
    await page.getByTestId('age-show').click();
    await page.getByTestId('age-table').waitFor({ timeout: SLOW });
    for (const r of stockAge.rows.slice(0, 5)) {
      const row = page.locator(`[data-testid="age-row"][data-sku="${r.sku}"][data-warehouse="${r.warehouseCode}"]`);
      assert.equal(Number(await row.getByTestId('age-onhand').textContent()), r.onHand);
      assert.deepEqual((await row.getByTestId('age-bucket').allTextContents()).map(Number), r.buckets.map((b) => b.quantity));
    }
    assert.ok((await page.getByTestId('age-chart').locator('rect').count()) > 0, 'stacked bars drawn');
    // The one-time "ready to work offline" note would cover the table in the picture.
    const note = page.getByTestId('offline-ready');
    if (await note.isVisible()) {
      await note.getByRole('button').click().catch(() => {});
      await note.waitFor({ state: 'detached' }).catch(() => {});
    }
    await shot(page, 'desk-reports');
    const ageCsv = await csvOf(page, 'age-csv');
    assert.deepEqual(ageCsv, stockAge.csv.trim().split('\n'));

    // Level history of the first aged item in its warehouse over the last 30 days.
    const first = stockAge.rows[0];
    const { warehouses } = await gql(`query { warehouses { id code } }`, {}, token);
    const wh = warehouses.find((w) => w.code === first.warehouseCode);
    const { item } = await gql(`query($s: String!) { item(sku: $s) { id } }`, { s: first.sku }, token);
    const to = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 29 * 86400_000).toISOString().slice(0, 10);
    const { stockLevelHistory: h } = await gql(
      `query($i: ID!, $w: ID!, $f: Date!, $t: Date!) { stockLevelHistory(itemId: $i, warehouseId: $w, from: $f, to: $t) { __typename ... on StockLevelHistory { days { day onHand } csv } } }`,
      { i: item.id, w: wh.id, f: from, t: to },
      token,
    );
    assert.equal(h.days.at(-1).onHand, first.onHand, 'today ends with what is on hand');
    await page.getByTestId('rep-levels').click();
    await page.getByTestId('lvl-item').fill(first.sku);
    await page.getByTestId('lvl-wh').fill(wh.id);
    await page.getByTestId('lvl-from').fill(from);
    await page.getByTestId('lvl-to').fill(to);
    await page.getByTestId('lvl-show').click();
    await page.getByTestId('lvl-table').waitFor({ timeout: SLOW });
    assert.deepEqual((await page.getByTestId('lvl-onhand').allTextContents()).map(Number), h.days.map((d) => d.onHand));
    assert.ok((await page.getByTestId('lvl-chart').locator('path').count()) > 0, 'the line drawn');
    assert.deepEqual(await csvOf(page, 'lvl-csv'), h.csv.trim().split('\n'));

    // Lot trace of a lot the demo holds.
    let lot = null;
    for (const r of stockAge.rows) {
      const { itemStock } = await gql(`query($c: String!) { itemStock(code: $c) { __typename ... on ItemStock { lines { lotNumber } } } }`, { c: r.sku }, token);
      const line = (itemStock.lines ?? []).find((l) => l.lotNumber);
      if (line) { lot = { sku: r.sku, number: line.lotNumber }; break; }
    }
    if (lot) {
      const { lotTrace } = await gql(`query($i: String!, $l: String!) { lotTrace(itemCode: $i, lotNumber: $l) { __typename ... on LotTrace { received { quantity } onHand { onHand } shipped { quantity } } } }`, { i: lot.sku, l: lot.number }, token);
      await page.getByTestId('rep-lot').click();
      await page.getByTestId('lot-item').fill(lot.sku);
      await page.getByTestId('lot-number').fill(lot.number);
      await page.getByTestId('lot-show').click();
      await page.getByTestId('lot-table').waitFor({ timeout: SLOW });
      assert.equal(await page.getByTestId('lot-receipt').count(), lotTrace.received.length);
      assert.equal(await page.getByTestId('lot-stock').count(), lotTrace.onHand.length);
      assert.equal(await page.getByTestId('lot-shipment').count(), lotTrace.shipped.length);
      const lotCsv = await csvOf(page, 'lot-csv');
      assert.equal(lotCsv.length, 1 + lotTrace.received.length + lotTrace.onHand.length + lotTrace.shipped.length);
      assert.equal(lotCsv.filter((l) => l.startsWith('ON_HAND,')).map((l) => Number(l.split(',')[4])).reduce((a, b) => a + b, 0), lotTrace.onHand.reduce((a, s) => a + s.onHand, 0));
    }
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});
