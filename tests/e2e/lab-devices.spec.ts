/**
 * Several simulated browsers on the built site, as a reader uses them: a user's devices seen and
 * signed out from another device, a sensitive action behind a fresh sign-in on the virtual clock,
 * and session fixation staged from the attacker's own browser.
 */
import { expect, test } from './lab-fixtures.ts';

test.describe('several browsers', () => {
  test('sign in on Laptop and Phone, sign the Phone out from the Laptop, and confirm the password once the sign-in is stale', async ({ lab }) => {
    await lab.open('?store=memory&browsers=laptop,phone,attacker');
    await lab.signIn('ada');
    await lab.useBrowser('Phone');
    await expect(lab.result).toContainText('Not signed in.');
    await lab.signIn('ada');
    await expect(lab.servedBy('POST /api/login')).toHaveCount(0);
    await expect(lab.requestGroup('POST /api/login').locator('.lab-ev-browser').first()).toHaveText('Phone');

    await lab.useBrowser('Laptop');
    await lab.app.getByRole('button', { name: 'Your devices' }).click();
    const devices = lab.app.getByRole('list', { name: 'Your devices' }).getByRole('listitem');
    await expect(devices).toHaveCount(2);
    await expect(devices.filter({ hasText: 'This device' })).toContainText('Chrome on macOS (Laptop)');
    await expect(devices.filter({ hasText: 'Safari on iPhone (Phone)' })).toContainText('network 198.51.100.0');
    await lab.app.getByRole('button', { name: 'Sign out Safari on iPhone (Phone)' }).click();
    await expect(lab.result).toContainText('Safari on iPhone (Phone) is signed out.');
    await expect(devices).toHaveCount(1);

    // The Phone still shows its page, until its next request finds no session.
    await lab.useBrowser('Phone');
    await expect(lab.app.getByText('Signed in as ada', { exact: true })).toBeVisible();
    await lab.reloadAccount();
    await expect(lab.result).toContainText('You are signed out.');
    await expect(lab.result).toContainText('This device was signed out from another one');

    await lab.useBrowser('Laptop');
    await lab.app.getByRole('button', { name: 'Change email' }).click();
    await expect(lab.result).toContainText('Your email is now ada@example.com.');
    await lab.jump('10 minutes');
    await lab.app.getByLabel('New email address').fill('ada@example.org');
    await lab.app.getByRole('button', { name: 'Change email' }).click();
    await expect(lab.result).toContainText('Confirm your password to change your email.');
    const password = lab.app.getByLabel('Password', { exact: true });
    await expect(password).toBeFocused();
    await password.fill('correct horse');
    await lab.app.getByRole('button', { name: 'Confirm' }).click();
    await expect(lab.result).toContainText('Your email is now ada@example.org.');
    await expect(lab.app.getByRole('heading', { name: 'Confirm your password' })).toBeHidden();
  });

  test('the attacker plants their cookie in the Laptop; the victim’s sign-in makes it useless', async ({ lab }) => {
    await lab.open('?store=memory&browsers=laptop,phone,attacker');
    await lab.useBrowser('Attacker');
    await expect(lab.result).toContainText('Not signed in.');
    await lab.signIn('mallory');
    await lab.app.getByRole('button', { name: 'Plant my session cookie in the Laptop' }).click();
    await expect(lab.result).toContainText('Your cookie is planted in the Laptop’s browser.');
    await expect(lab.timeline.getByText('Cookie session planted in the browser')).toBeVisible();

    // The victim's page was signed out; the browser's reload sends the planted cookie.
    await lab.useBrowser('Laptop');
    await lab.app.getByRole('button', { name: 'Reload this page' }).click();
    await expect(lab.result).toContainText('Page reloaded: signed in as mallory.');
    await expect(lab.app.getByText('Signed in as mallory', { exact: true })).toBeVisible();
    await lab.app.getByLabel('Sign in as someone else').fill('ada');
    await lab.app.getByRole('button', { name: 'Sign in' }).click();
    await expect(lab.app.getByText('Signed in as ada', { exact: true })).toBeVisible();
    await expect(lab.result).toContainText('created a new one with a new id');

    await lab.useBrowser('Attacker');
    await lab.reloadAccount();
    await expect(lab.result).toContainText('You are signed out.');
    await expect(lab.result).toContainText('signing in gives a new id');
  });
});
