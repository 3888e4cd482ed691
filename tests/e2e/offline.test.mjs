import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SLOW, creds, openPhone, signInByWedge } from './helpers.mjs';

test('the shell loads offline once the service worker is active', async () => {
  const picker = creds('picker');
  const { browser, context, page } = await openPhone();
  try {
    await signInByWedge(page, picker);
    await page.getByTestId('task-count').waitFor();
    // The shell is cached and the worker controls the page. The app's "ready to
    // work offline" note shows for a few seconds only (and may have come and
    // gone while a loaded machine was signing in), so wait for what it leaves
    // behind: the version it was shown for.
    await page.waitForFunction(
      () => !!localStorage.getItem('wms.offlineReadySeen') && !!navigator.serviceWorker.controller,
      null,
      { timeout: SLOW },
    );

    await context.setOffline(true);
    await page.reload();
    await page.getByRole('heading', { name: 'My tasks' }).waitFor({ timeout: SLOW });
    await page.locator('[data-testid="link-status"][data-status="offline"]').waitFor();
    // The tasks shown are the copy saved on the device.
    await page.getByTestId('task-count').waitFor();
    const controlled = await page.evaluate(() => !!navigator.serviceWorker.controller);
    assert.equal(controlled, true);

    // A new tab opened while offline also gets the shell from the cache.
    const second = await context.newPage();
    await second.goto('/');
    await second.getByRole('heading', { name: 'My tasks' }).waitFor({ timeout: SLOW });
    await context.setOffline(false);
  } finally {
    await browser.close();
  }
});
