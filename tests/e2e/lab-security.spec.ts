/**
 * The security demos on the built site, done as a reader does them: tamper with the cookie in the
 * jar, and rotate and retire the signing secret. Session fixation, staged from the attacker's own
 * browser, is in lab-devices.spec.ts.
 */
import { expect, test, type LabPage } from './lab-fixtures.ts';

/** How many store calls the newest group for `request` shows in the timeline. */
async function storeCallsIn(lab: LabPage, request: string): Promise<number> {
  return lab.requestGroup(request).locator('.lab-ev[data-category="store"]').count();
}

test.describe('tampering with the cookie', () => {
  test('gets it rejected on the next request, before any store lookup, and cleared', async ({ lab }) => {
    await lab.open('?store=memory');
    await lab.signIn('ada');
    const jar = lab.inspector.getByRole('list', { name: 'Browser cookie jar' });
    const value = jar.locator('.lab-cookie-value');
    const before = await value.textContent();

    await jar.getByRole('button', { name: 'Tamper with it' }).click();
    await expect(value).not.toHaveText(before ?? '');
    await expect(lab.timeline.getByText('Cookie session edited in the browser')).toBeVisible();
    // Focus stays on the button, though the jar was redrawn.
    await expect(jar.getByRole('button', { name: 'Tamper with it' })).toBeFocused();

    await lab.reloadAccount();
    await expect(lab.result).toContainText('You are signed out.');
    await expect(lab.result).toContainText('not one this server signed');
    const group = lab.requestGroup('GET /api/account');
    await expect(group.getByText('Cookie session rejected')).toBeVisible();
    await expect(group.getByText('the signature does not verify: no store lookup')).toBeVisible();
    expect(await storeCallsIn(lab, 'GET /api/account')).toBe(0);
    await expect(lab.inspector.getByText('No cookies.')).toBeVisible();
    // Forging the cookie did nothing to the session in the store.
    await expect(lab.inspector.getByRole('table').getByRole('cell', { name: 'ada', exact: true })).toBeVisible();
  });
});

test.describe('rotating the signing secret', () => {
  test('re-signs the cookie and keeps the session; retiring the old secret too early signs the user out', async ({ lab }) => {
    await lab.open('?store=memory');
    await lab.signIn('ada');
    const secrets = lab.controls.getByRole('group', { name: 'Signing secrets' });
    const retire = secrets.getByRole('button', { name: 'Retire earlier secrets' });
    await expect(retire).toHaveAttribute('aria-disabled', 'true');

    await secrets.getByRole('button', { name: 'Rotate secret' }).click();
    await expect(lab.timeline.getByText('Signing secret rotated')).toBeVisible();
    await expect(secrets).toContainText('1 earlier one verifies too');
    await expect(retire).not.toHaveAttribute('aria-disabled');

    await lab.reloadAccount();
    await expect(lab.result).toContainText('still signed in');
    await expect(lab.requestGroup('GET /api/account').getByText('Server re-signs cookie session')).toBeVisible();

    await secrets.getByRole('button', { name: 'Rotate secret' }).click();
    await expect(secrets).toContainText('2 earlier ones verify too');
    await retire.click();
    await expect(lab.timeline.getByText('Earlier secrets retired')).toBeVisible();
    await expect(retire).toHaveAttribute('aria-disabled', 'true');

    await lab.reloadAccount();
    await expect(lab.result).toContainText('You are signed out.');
    await expect(lab.requestGroup('GET /api/account').getByText('Cookie session rejected')).toBeVisible();
  });
});

test.describe('the Cookies page', () => {
  test('runs the tamper demo in its own Lab, beside the secret controls', async ({ lab, page }) => {
    const response = await page.goto('./sessions/cookies/');
    expect(response?.status()).toBe(200);
    await lab.app.scrollIntoViewIfNeeded();
    await expect(lab.result).toContainText('Not signed in.', { timeout: 20_000 });
    await lab.signIn('ada');
    await expect(lab.controls.getByRole('group', { name: 'Signing secrets' })).toBeVisible();
    // In the page's column the panels are tabs.
    await page.getByRole('tab', { name: 'Inspector' }).click();
    await lab.inspector.getByRole('button', { name: 'Tamper with it' }).click();
    await page.getByRole('tab', { name: 'App' }).click();
    await lab.app.getByRole('button', { name: 'Reload page' }).click();
    await expect(lab.result).toContainText('You are signed out.');
    await expect(lab.result).toContainText('not one this server signed');
  });
});
