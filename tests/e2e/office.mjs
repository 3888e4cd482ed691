// Shared pieces of the office desk's browser tests (office-*.test.mjs).
import { SLOW, countedBins, gql } from './helpers.mjs';

export const TABLET = { width: 1024, height: 768 };
export const ERR = '... on UserError { code message field }';

export async function openOffice(page, section) {
  await page.getByTestId('menu-button').click();
  await page.getByTestId('nav-office').click();
  await page.getByTestId('office').waitFor({ timeout: SLOW });
  if (section) await page.getByTestId(`office-tab-${section}`).click();
}

export async function shot(page, name) {
  if (process.env.E2E_SHOTS) await page.screenshot({ path: `${process.env.E2E_SHOTS}/${name}.png` });
}

export async function flowOk(page, text) {
  try {
    await page.getByTestId('flow-message').filter({ hasText: text }).waitFor({ timeout: SLOW });
  } catch (e) {
    // Say what the desk showed instead (a refusal, another message).
    const shown = await page.locator('[data-testid="flow-error"], [data-testid="flow-message"]').allTextContents();
    throw new Error(`waited for "${text}", the desk shows ${JSON.stringify(shown)}: ${e.message}`);
  }
}

export async function flowError(page, text) {
  await page.getByTestId('flow-error').filter({ hasText: text }).waitFor({ timeout: SLOW });
}

/** Stock on bins; with `free`, leaving out bins with a count open (their stock is held). */
export async function quants(token, filter, { free = false } = {}) {
  const counted = free ? await countedBins(token) : new Set();
  const d = await gql(
    `query($sku: String, $bin: String, $status: String) { stock(first: 200, itemSku: $sku, binCode: $bin, status: $status) { edges { node { status onHand reserved available item { sku tracking expiryTracked gtins } bin { code blocked } lot { lotNumber } } } } }`,
    filter,
    token,
  );
  return d.stock.edges.map((e) => e.node).filter((q) => !counted.has(q.bin.code));
}

export const ADJUST = `mutation($input: AdjustStockInput!) { adjustStock(input: $input) { __typename ... on AdjustmentSuccess { adjustment { id state moveId quantity } } ${ERR} } }`;

