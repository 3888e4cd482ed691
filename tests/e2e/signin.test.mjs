import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SLOW, creds, openPhone, settle, signInByWedge, tapPin, wedgeScan } from './helpers.mjs';

test('a badge scanned by the keyboard wedge, then the PIN, signs the picker in', async () => {
  const picker = creds('picker');
  const { browser, page, problems } = await openPhone();
  try {
    await signInByWedge(page, picker);
    const bar = await page.locator('.appbar-sub').textContent();
    assert.ok((bar ?? '').trim().length > 0, 'the app bar names the signed-in user');
    // The session survives a reload (token kept in IndexedDB).
    await page.reload();
    await page.getByRole('heading', { name: 'My tasks' }).waitFor({ timeout: SLOW });
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('a wrong PIN is refused with a translated message', async () => {
  const picker = creds('picker');
  const { browser, page } = await openPhone();
  try {
    await page.goto('/');
    await page.getByRole('heading', { name: 'Scan your badge' }).waitFor({ timeout: SLOW });
    await settle(page);
    await wedgeScan(page, picker.badge);
    await page.getByRole('heading', { name: 'Enter your PIN' }).waitFor();
    await tapPin(page, picker.pin === '0000' ? '9999' : '0000');
    const alert = page.getByTestId('signin-error');
    await alert.waitFor({ timeout: SLOW });
    assert.equal(await alert.textContent(), 'Badge, PIN or password not recognised.');
  } finally {
    await browser.close();
  }
});

test('a code typed by hand on the badge screen is checked before a PIN is asked', async () => {
  const { browser, page } = await openPhone();
  try {
    await page.goto('/');
    await page.getByRole('heading', { name: 'Scan your badge' }).waitFor({ timeout: SLOW });
    await settle(page);
    // Typed at a person's pace with no field tapped: it lands in the badge field...
    await page.keyboard.type('BADGE', { delay: 120 });
    await page.keyboard.press('Enter');
    // ...and a code that is no badge is refused on the spot, not sent on with a PIN.
    await page.getByRole('alert').waitFor({ timeout: SLOW });
    assert.equal(await page.getByRole('heading', { name: 'Enter your PIN' }).count(), 0);
  } finally {
    await browser.close();
  }
});
