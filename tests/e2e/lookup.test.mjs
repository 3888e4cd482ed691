import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SLOW, creds, gql, openPhone, passwordToken, settle, signInByWedge, wedgeScan } from './helpers.mjs';

const STOCK = `query { stock(first: 200) { edges { node { onHand item { sku gtins } bin { code } lot { lotNumber } } } } }`;
const ITEM_STOCK = `query($code: String!) { itemStock(code: $code) { __typename
  ... on ItemStock { item { sku } totals { onHand } lines { binCode lotNumber status onHand reserved free } withheld { binCode } }
  ... on UserError { code } } }`;
const BIN_CONTENTS = `query($code: String!) { binContents(code: $code) { __typename
  ... on BinContents { bin { code } lines { binCode itemSku lotNumber status onHand } } ... on UserError { code } } }`;
const HISTORY = `query($item: String, $bin: String) { stockHistory(itemCode: $item, binCode: $bin, first: 30) {
  __typename ... on StockHistory { lines { id } } ... on UserError { code } } }`;

async function shot(page, name) {
  if (process.env.E2E_SHOTS) await page.screenshot({ path: `${process.env.E2E_SHOTS}/${name}.png` });
}

/** What the screen lists, one "bin|sku|lot|status|onHand" a line, sorted. */
async function shownLines(page) {
  const rows = page.getByTestId('lookup-lines').getByTestId('lookup-line');
  const out = [];
  for (const row of await rows.all()) {
    const bin = await row.getAttribute('data-bin');
    const sku = await row.getAttribute('data-sku');
    const lot = await row.getAttribute('data-lot');
    const onHand = (await row.getByTestId('line-on-hand').textContent()).trim();
    out.push(`${bin}|${sku}|${lot}|${onHand}`);
  }
  return out.sort();
}

const apiLines = (lines, sku) => lines.map((l) => `${l.binCode}|${l.itemSku ?? sku}|${l.lotNumber ?? ''}|${l.onHand}`).sort();

test('a picker looks an item up by its GTIN, then a bin, and sees what the API says', async () => {
  const supervisor = await passwordToken(creds('supervisor'));
  const picker = await passwordToken(creds('picker'));
  // A lot-tracked item with a GTIN in the most bins: lots, expiries and bins worth checking line by line.
  const quants = (await gql(STOCK, {}, supervisor)).stock.edges.map((e) => e.node).filter((q) => q.onHand > 0 && q.item.gtins.length > 0);
  const bins = new Map();
  for (const q of quants) bins.set(q.item.sku, (bins.get(q.item.sku) ?? new Set()).add(`${q.bin.code}/${q.lot?.lotNumber ?? ''}`));
  const lotted = new Set(quants.filter((q) => q.lot).map((q) => q.item.sku));
  const score = (s) => bins.get(s).size + (lotted.has(s) ? 1000 : 0);
  const sku = [...bins.keys()].sort((a, b) => score(b) - score(a))[0];
  assert.ok(sku, 'an item with a GTIN in stock');
  const gtin = quants.find((q) => q.item.sku === sku).item.gtins[0];

  const { browser, page, problems } = await openPhone();
  try {
    await signInByWedge(page, creds('picker'));
    await page.getByTestId('menu-button').click();
    await page.getByTestId('nav-lookup').click();
    await page.getByTestId('lookup').waitFor({ timeout: SLOW });
    await settle(page);
    await wedgeScan(page, gtin);

    await page.locator(`[data-testid="lookup-item"][data-sku="${sku}"]`).waitFor({ timeout: SLOW });
    const item = (await gql(ITEM_STOCK, { code: gtin }, picker)).itemStock;
    assert.equal(item.__typename, 'ItemStock');
    assert.ok(item.lines.length > 0);
    assert.deepEqual(await shownLines(page), apiLines(item.lines, sku));
    assert.equal(Number(await page.getByTestId('total-on-hand').textContent()), item.totals.onHand);
    // Bins a count holds are named apart, without quantities.
    const withheld = await page.getByTestId('lookup-withheld').locator('li').evaluateAll((els) => els.map((e) => e.getAttribute('data-bin')));
    assert.deepEqual(withheld.sort(), item.withheld.map((w) => w.binCode).sort());
    // The "ready to work offline" toast would cover the list in the picture.
    const toast = page.getByTestId('offline-ready');
    if (await toast.isVisible()) await toast.getByRole('button').click();
    await shot(page, 'lookup');

    // A line's ledger history: who, when, why.
    const first = item.lines[0];
    await page.locator(`[data-testid="lookup-line"][data-bin="${first.binCode}"]`).first().getByTestId('lookup-line-open').click();
    await page.getByTestId('lookup-history').waitFor({ timeout: SLOW });
    const moves = (await gql(HISTORY, { item: sku, bin: first.binCode }, picker)).stockHistory;
    assert.equal(await page.getByTestId('lookup-move').count(), moves.lines.length);
    await shot(page, 'lookup-history');
    await page.getByTestId('lookup-back').click();
    await page.getByTestId('lookup-item').waitFor();

    // The bin: typed-in like a wedge scan, its contents as binContents says.
    await settle(page);
    await wedgeScan(page, first.binCode);
    await page.locator(`[data-testid="lookup-bin"][data-bin="${first.binCode}"]`).waitFor({ timeout: SLOW });
    const contents = (await gql(BIN_CONTENTS, { code: first.binCode }, picker)).binContents;
    assert.equal(contents.__typename, 'BinContents');
    assert.deepEqual(await shownLines(page), apiLines(contents.lines, null));
    await shot(page, 'lookup-bin');

    // A lot: where it came from, where it is, where it went.
    const lotted = contents.lines.find((l) => l.lotNumber);
    if (lotted) {
      await page.locator(`[data-testid="lookup-line"][data-lot="${lotted.lotNumber}"]`).first().getByTestId('lookup-lot').click();
      await page.locator(`[data-testid="lookup-lot-trace"][data-lot="${lotted.lotNumber}"]`).waitFor({ timeout: SLOW });
      await shot(page, 'lookup-lot');
      await page.getByTestId('lookup-back').click();
      await page.getByTestId('lookup-bin').waitFor();
    }

    // A code that is nothing: a typed error on screen, the last answer kept.
    await settle(page);
    await wedgeScan(page, 'NO-SUCH-ITEM-9');
    await page.getByTestId('flow-error').waitFor({ timeout: SLOW });
    assert.deepEqual(problems, []);
  } finally {
    if (process.env.E2E_SHOTS) await page.screenshot({ path: `${process.env.E2E_SHOTS}/lookup-last.png` }).catch(() => {});
    await browser.close();
  }
});
