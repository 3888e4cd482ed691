import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { SLOW, creds, gql, openPhone, passwordToken, settle, signInByWedge, wedgeScan } from './helpers.mjs';

const HANDHELD = { width: 360, height: 740 };
const STOCK = `query { stock(first: 200, status: "AVAILABLE") {
  edges { node { available item { sku tracking expiryTracked gtins } bin { code label } } } } }`;

async function shot(page, name) {
  if (process.env.E2E_SHOTS) await page.screenshot({ path: `${process.env.E2E_SHOTS}/${name}.png` });
}

/** The demo has one warehouse; a second one to ship to is added straight into the test database. */
function secondWarehouse() {
  const url = process.env.DATABASE_URL ?? '';
  const m = /^sqlite\+aiosqlite:\/\/\/(.+)$/.exec(url);
  if (!m) return false;
  const sql = `INSERT OR IGNORE INTO warehouses (code, name, address, timezone, n_aisles, cells_per_aisle, cell_length_m, aisle_pitch_m, cross_aisle_width_m, n_blocks, depot_aisle)
    VALUES ('W2', 'Second DC', '{}', 'UTC', 0, 0, 1.3, 3.0, 3.0, 1, 0)`;
  execFileSync('python3', ['-c', 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2]); c.commit()', m[1], sql]);
  return true;
}

test('a supervisor ships 2 units to another warehouse by wedge scans', async (t) => {
  if (!secondWarehouse()) {
    t.skip('needs the SQLite database of scripts/e2e.sh');
    return;
  }
  const supervisor = await passwordToken(creds('supervisor'));
  const quants = (await gql(STOCK, {}, supervisor)).stock.edges
    .map((e) => e.node)
    .filter((q) => q.item.tracking === 'NONE' && !q.item.expiryTracked && q.item.gtins.length > 0 && q.available >= 5);
  // The count and move tests take the first and the last such bin.
  const source = quants[Math.floor(quants.length / 2)];
  assert.ok(source, 'a bin with free units of an untracked item with a GTIN');

  const { browser, page, problems } = await openPhone({ viewport: HANDHELD });
  try {
    await signInByWedge(page, creds('supervisor'));
    await page.getByTestId('menu-button').click();
    await page.getByTestId('nav-move').click();
    await page.getByTestId('mode-transfer').click();
    await page.locator('[data-testid="scan-prompt"][data-thing="bin"]').waitFor({ timeout: SLOW });
    await settle(page);
    await wedgeScan(page, source.bin.code);
    await page.locator('[data-testid="scan-prompt"][data-thing="item"]').waitFor({ timeout: SLOW });
    await settle(page);
    await wedgeScan(page, source.item.gtins[0]);
    await page.getByTestId('qty-pad').waitFor({ timeout: SLOW });
    await page.locator('.pin-key[data-key="clear"]').click();
    await page.locator('.pin-key[data-key="2"]').click();
    await page.getByTestId('qty-confirm').click();
    await page.getByTestId('transfer-list').filter({ hasText: `2 × ${source.item.sku}` }).waitFor({ timeout: SLOW });
    await shot(page, 'transfer-1-lines');

    await page.getByTestId('transfer-next').click();
    await page.getByTestId('transfer-to').fill('w2');
    await shot(page, 'transfer-2-ship');
    await page.getByTestId('transfer-ship').click();
    const done = page.getByTestId('transfer-done');
    await done.filter({ hasText: 'W1 → W2' }).waitFor({ timeout: SLOW });
    await page.getByTestId('transfer-lines').filter({ hasText: `2 × ${source.item.sku}` }).waitFor();
    await shot(page, 'transfer-3-done');
    const reference = (await page.getByTestId('transfer-reference').textContent()).trim();

    const transit = await gql(`query { stockInTransit(first: 50) { edges { node { reference toWarehouseCode lines { itemSku quantity fromBinCode } } } } }`, {}, supervisor);
    const found = transit.stockInTransit.edges.map((e) => e.node).find((n) => n.reference === reference);
    assert.ok(found, `transfer ${reference} in transit`);
    assert.equal(found.toWarehouseCode, 'W2');
    assert.deepEqual(found.lines, [{ itemSku: source.item.sku, quantity: 2, fromBinCode: source.bin.code }]);
    assert.deepEqual(problems, []);
  } finally {
    if (process.env.E2E_SHOTS) await page.screenshot({ path: `${process.env.E2E_SHOTS}/transfer-last.png` }).catch(() => {});
    await browser.close();
  }
});

/** A receiving bin in W2 and receiver1 allowed to work there, through the app's own models. */
function receivingBinInSecondWarehouse() {
  const m = /^sqlite\+aiosqlite:\/\/\/(.+)$/.exec(process.env.DATABASE_URL ?? '');
  if (!m) return null;
  const script = `
import sys
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session
from backend.core.db import models as m
from backend.scan import CodeKind, make_code
with Session(create_engine("sqlite:///" + sys.argv[1])) as s:
    wh = s.scalar(select(m.Warehouse).where(m.Warehouse.code == "W2"))
    zone = m.Zone(warehouse_id=wh.id, code="RCV", name="Receiving", kind="RECEIVING")
    s.add(zone)
    s.flush()
    code = make_code(CodeKind.BIN, "W2-RCV-01")
    s.add(m.Bin(warehouse_id=wh.id, zone_id=zone.id, code=code, label="RCV-01"))
    user = s.scalar(select(m.User).where(m.User.username == "receiver1"))
    s.add(m.UserWarehouse(user_id=user.id, warehouse_id=wh.id))
    s.commit()
    print(code)
`;
  return execFileSync('.venv/bin/python', ['-c', script, m[1]], { encoding: 'utf8' }).trim();
}

test('a receiver at the other warehouse receives the transfer by the reference on its note', async (t) => {
  const supervisor = await passwordToken(creds('supervisor'));
  const transit = await gql(`query { stockInTransit(first: 50) { edges { node { reference toWarehouseCode lines { quantity } } } } }`, {}, supervisor);
  const shipment = transit.stockInTransit.edges.map((e) => e.node).find((n) => n.toWarehouseCode === 'W2');
  if (!shipment) {
    t.skip('needs the transfer shipped by the test above');
    return;
  }
  const bin = receivingBinInSecondWarehouse();
  assert.ok(bin, 'a receiving bin in W2');
  const units = shipment.lines.reduce((n, l) => n + l.quantity, 0);

  const { browser, page, problems } = await openPhone({ viewport: HANDHELD });
  try {
    await signInByWedge(page, creds('receiver'));
    await page.getByTestId('menu-button').click();
    await page.getByTestId('nav-move').click();
    await page.getByTestId('mode-receive').click();
    await page.locator('[data-testid="scan-prompt"][data-thing="transfer"]').waitFor({ timeout: SLOW });
    await settle(page);
    await wedgeScan(page, shipment.reference);
    await page.locator('[data-testid="scan-prompt"][data-thing="bin"]').waitFor({ timeout: SLOW });
    await shot(page, 'transfer-4-receive');
    await settle(page);
    await wedgeScan(page, bin);
    await page.getByTestId('flow-done').filter({ hasText: `Transfer ${shipment.reference} from W1: ${units} unit(s) in RCV-01` }).waitFor({ timeout: SLOW });
    await shot(page, 'transfer-5-received');
    const left = await gql(`query { stockInTransit(first: 50) { edges { node { reference } } } }`, {}, supervisor);
    assert.ok(!left.stockInTransit.edges.some((e) => e.node.reference === shipment.reference), 'no longer in transit');
    assert.deepEqual(problems, []);
  } finally {
    if (process.env.E2E_SHOTS) await page.screenshot({ path: `${process.env.E2E_SHOTS}/transfer-receive-last.png` }).catch(() => {});
    await browser.close();
  }
});
