import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SLOW, creds, openPhone, tapPin } from './helpers.mjs';

test('a badge read by the camera (fake y4m device), then the PIN, signs the picker in', async () => {
  const picker = creds('picker');
  const y4m = process.env.E2E_Y4M;
  assert.ok(y4m, 'E2E_Y4M: the harness renders the picker badge into a y4m file');
  const { browser, page, problems } = await openPhone({
    extraArgs: [
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${y4m}`,
    ],
    permissions: ['camera'],
  });
  try {
    await page.goto('/');
    await page.getByRole('heading', { name: 'Scan your badge' }).waitFor();
    await page.getByRole('button', { name: 'Camera' }).click();
    await page.getByTestId('camera-video').waitFor();
    await page.getByRole('heading', { name: 'Enter your PIN' }).waitFor({ timeout: SLOW });
    assert.equal(await page.getByTestId('badge-code').textContent(), picker.badge);
    // The camera is closed once the code is read.
    assert.equal(await page.getByTestId('camera-video').count(), 0);
    await tapPin(page, picker.pin);
    await page.getByRole('heading', { name: 'My tasks' }).waitFor({ timeout: SLOW });
    // The decoder's wasm came from our own origin, not a CDN.
    const wasm = await page.evaluate(() =>
      performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.endsWith('.wasm')),
    );
    assert.ok(wasm.length > 0, 'the zxing wasm was loaded');
    for (const url of wasm) assert.ok(url.startsWith(new URL(page.url()).origin), url);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});
