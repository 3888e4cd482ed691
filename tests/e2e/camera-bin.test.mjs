// The camera reads a real printed bin label: rendered by the backend's printing
// (the bin_labels template), rasterised at 203 dpi, cropped, blurred like a
// phone camera and played through Chromium's fake camera. zbarimg must read the
// same pixels (the label is fine), and the move must land through the API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SLOW, creds, gql, openPhone, passwordToken, settle, signInByWedge, wedgeScan } from './helpers.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const STOCK = `query($bin: String) { stock(first: 200, status: "AVAILABLE", binCode: $bin) {
  edges { node { available item { sku tracking expiryTracked gtins } bin { code label } } } } }`;

async function shot(page, name) {
  if (process.env.E2E_SHOTS) await page.screenshot({ path: `${process.env.E2E_SHOTS}/${name}.png` });
}

async function onBin(token, binCode, sku) {
  const data = await gql(STOCK, { bin: binCode }, token);
  return data.stock.edges.map((e) => e.node).filter((q) => q.item.sku === sku).reduce((n, q) => n + q.available, 0);
}

const run = promisify(execFile);

/**
 * A y4m of the printed label of `code`, and what zbarimg reads from the same
 * frame. Asynchronous on purpose: a blocked event loop would keep a pooled
 * HTTP connection the server has meanwhile closed, and the next fetch fails.
 */
async function labelVideo(code, dir) {
  const y4m = join(dir, 'bin.y4m');
  const png = join(dir, 'bin.png');
  await run(join(ROOT, '.venv/bin/python'), ['tests/e2e/bin_label_y4m.py', code, y4m, '--png', png], {
    cwd: ROOT,
    env: { ...process.env, PYTHONPATH: ROOT },
  });
  // zbarimg exits 4 when it finds nothing: that is an answer here, not an error.
  const zbar = await run('zbarimg', ['--raw', '-q', png]).catch((err) => ({ stdout: err.stdout ?? '' }));
  return { y4m, zbar: zbar.stdout.trim() };
}

/** A source bin and a reserve bin none of the other browser tests use. */
async function pickBins(supervisor) {
  const quants = (await gql(STOCK, { bin: null }, supervisor)).stock.edges.map((e) => e.node);
  const candidates = quants.filter((q) => q.item.tracking === 'NONE' && !q.item.expiryTracked && q.item.gtins.length > 0 && q.available >= 2);
  // move.test takes the last two, count.test the first, the transfer test the middle one.
  const source = candidates.at(-3);
  assert.ok(source && candidates.length >= 5, 'enough bins with free units of an untracked item with a GTIN');
  const bins = await gql(`query { bins(first: 100, zoneCode: "RSV") { edges { node { code label } } } }`, {}, supervisor);
  const target = bins.bins.edges.map((e) => e.node).filter((b) => b.code !== source.bin.code).at(1);
  assert.ok(target, 'a reserve bin to move to');
  return { source, target };
}

test('a printed Code 128 bin label read by the camera finishes a move', async (t) => {
  const supervisor = await passwordToken(creds('supervisor'));
  const { source, target } = await pickBins(supervisor);
  const dir = mkdtempSync(join(tmpdir(), 'wms-cam-'));
  const { y4m, zbar } = await labelVideo(target.code, dir);
  assert.equal(zbar, target.code, 'zbarimg reads the label from the very frame the camera shows');
  const before = await onBin(supervisor, target.code, source.item.sku);

  const { browser, page, problems } = await openPhone({
    extraArgs: ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${y4m}`],
    permissions: ['camera'],
  });
  try {
    await signInByWedge(page, creds('picker'));
    await page.getByTestId('menu-button').click();
    await page.getByTestId('nav-move').click();
    await page.locator('[data-testid="move-step"][data-step="from"]').waitFor({ timeout: SLOW });
    await settle(page);
    await wedgeScan(page, source.bin.code);
    await page.locator('[data-testid="move-step"][data-step="what"]').waitFor({ timeout: SLOW });
    await settle(page);
    await wedgeScan(page, source.item.gtins[0]);
    await page.locator('[data-testid="move-step"][data-step="qty"]').waitFor({ timeout: SLOW });
    await page.locator('.pin-key[data-key="clear"]').click();
    await page.locator('.pin-key[data-key="2"]').click();
    await page.getByTestId('qty-confirm').click();
    await page.locator('[data-testid="move-step"][data-step="to"]').waitFor({ timeout: SLOW });

    // The target bin by camera: its printed label is what the camera sees.
    await page.getByRole('button', { name: 'Camera' }).click();
    await page.getByTestId('move-done').waitFor({ timeout: SLOW });
    await page.getByTestId('move-done-to').filter({ hasText: target.label }).waitFor();
    assert.equal(await page.getByTestId('camera-video').count(), 0, 'the camera closes once the code is read');
    assert.equal(await onBin(supervisor, target.code, source.item.sku), before + 2, 'the move landed in the scanned bin');

    const timing = await page.evaluate(() => {
      const ms = (name) => performance.getEntriesByName(name).map((e) => Math.round(e.duration * 10) / 10);
      return { ready: ms('scan:decoder-ready'), frames: ms('scan:frame'), firstRead: ms('scan:first-read') };
    });
    t.diagnostic(`decoder ready ${timing.ready} ms; first read ${timing.firstRead} ms after the video started; frames ${timing.frames.join(', ')} ms`);
    assert.equal(timing.firstRead.length, 1);
    assert.ok(timing.frames.length >= 1);
    // The decoder's wasm came from our own origin, not a CDN.
    const wasm = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.endsWith('.wasm')));
    assert.ok(wasm.length > 0, 'the zxing wasm was loaded');
    for (const url of wasm) assert.ok(url.startsWith(new URL(page.url()).origin), url);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('with nothing to read the camera gives hints, then typing is one tap away', async (t) => {
  const supervisor = await passwordToken(creds('supervisor'));
  const { source } = await pickBins(supervisor);
  // Chromium's own fake camera: a moving test pattern, no barcode in it.
  const { browser, page, problems } = await openPhone({
    extraArgs: ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'],
    permissions: ['camera'],
  });
  try {
    await signInByWedge(page, creds('picker'));
    await page.getByTestId('menu-button').click();
    await page.getByTestId('nav-move').click();
    await page.locator('[data-testid="move-step"][data-step="from"]').waitFor({ timeout: SLOW });
    await page.getByRole('button', { name: 'Camera' }).click();
    const status = page.getByTestId('camera-status');
    await status.filter({ hasText: 'Point the camera' }).waitFor({ timeout: SLOW });
    await status.filter({ hasText: 'Hold steady' }).waitFor({ timeout: 10_000 });
    await shot(page, 'camera-hint-390');
    await status.filter({ hasText: 'more light' }).waitFor({ timeout: 10_000 });
    // The fake camera has no torch, so there is no torch button.
    assert.equal(await page.getByTestId('camera-torch').count(), 0);
    await status.filter({ hasText: "Can't read it" }).waitFor({ timeout: 10_000 });
    await shot(page, 'camera-type-390');

    // What a frame that reads nothing costs (every pass tried), from 12 s of frames.
    const frames = await page.evaluate(() => performance.getEntriesByName('scan:frame').map((e) => e.duration).sort((a, b) => a - b));
    assert.ok(frames.length > 10, `the camera kept decoding (${frames.length} frames)`);
    const q = (p) => Math.round(frames[Math.floor(p * (frames.length - 1))]);
    t.diagnostic(`${frames.length} unread frames: p50 ${q(0.5)} ms, p90 ${q(0.9)} ms, max ${q(1)} ms`);

    await page.getByTestId('camera-type').click();
    assert.equal(await page.getByTestId('camera-video').count(), 0, 'typing closes the camera');
    const field = page.locator('#scan-manual');
    await page.waitForFunction(() => document.activeElement?.id === 'scan-manual');
    await field.fill(source.bin.code);
    await field.press('Enter');
    await page.locator('[data-testid="move-step"][data-step="what"]').waitFor({ timeout: SLOW });
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('a refused camera says so and leaves the typed code working', async () => {
  // No fake UI and no camera permission: getUserMedia is refused.
  const { browser, page } = await openPhone({ extraArgs: ['--use-fake-device-for-media-stream'] });
  try {
    await page.goto('/');
    await page.getByRole('heading', { name: 'Scan your badge' }).waitFor({ timeout: SLOW });
    await page.getByRole('button', { name: 'Camera' }).click();
    await page.getByTestId('camera-status').filter({ hasText: 'Camera access was refused' }).waitFor({ timeout: SLOW });
    await shot(page, 'camera-denied-390');
    await page.getByTestId('camera-type').click();
    await page.waitForFunction(() => document.activeElement?.id === 'scan-manual');
    const picker = creds('picker');
    await page.locator('#scan-manual').fill(picker.badge);
    await page.locator('#scan-manual').press('Enter');
    await page.getByRole('heading', { name: 'Enter your PIN' }).waitFor({ timeout: SLOW });
  } finally {
    await browser.close();
  }
});
