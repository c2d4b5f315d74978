/**
 * A reader's journey through the Lab on /lab/, against the real simulation (MSW's service worker,
 * the server worker, the simulated cookie jar): sign in, expire, restart, and a store that hangs.
 * Runs in both Playwright projects: the site at the root and under /session-lab/.
 */
import { ALSO_UNDER_BASE_PATH } from './csp-fixtures.ts';
import { expect, test } from './lab-fixtures.ts';

test.describe('signing in', ALSO_UNDER_BASE_PATH, () => {
  test('stores a session and sets an HttpOnly cookie that page script cannot read', async ({ lab, page }) => {
    await lab.open();
    await lab.signIn('ada');

    const login = lab.requestGroup('POST /api/login');
    await expect(login.getByText(/^store\.create\(.+\)/)).toBeVisible();
    await expect(login.getByText('Session created')).toBeVisible();
    await expect(login.getByText(/^200 OK/)).toBeVisible();
    await expect(login.getByText(/Set-Cookie: \S+=/)).toBeVisible();
    await expect(login.getByText(/^Browser stored cookie /)).toBeVisible();

    // The store holds a record for ada, keyed by a hash, never the cookie's token.
    const records = lab.inspector.getByRole('table');
    await expect(records.getByRole('row')).toHaveCount(2);
    await expect(records.getByRole('row').nth(1).getByRole('cell').nth(1)).toHaveText('ada');

    // The browser's jar holds an HttpOnly session cookie...
    const jar = lab.inspector.locator('[data-lab="jar"] > li');
    await expect(jar).toHaveCount(1);
    await expect(jar.getByText('HttpOnly')).toHaveAttribute('data-on', 'true');
    const name = (await jar.locator('.lab-cookie-name').textContent()) ?? '';
    const shownValue = ((await jar.locator('.lab-cookie-value').textContent()) ?? '').replace(/…$/, '');
    expect(name).not.toBe('');
    expect(shownValue.length).toBeGreaterThanOrEqual(8);

    // ...that page script cannot see: not in document.cookie, and no token kept in localStorage.
    const scriptView = await page.evaluate(() => ({
      cookie: document.cookie,
      storage: Object.keys(localStorage).map((key) => `${key}=${localStorage.getItem(key)}`),
    }));
    expect(scriptView.cookie).not.toContain(`${name}=`);
    expect(scriptView.storage.filter((entry) => entry.includes(shownValue) || entry.includes(`${name}=`))).toEqual([]);
    await expect(lab.inspector.locator('output')).not.toContainText(name);

    // The cookie goes back with the next request, and the server knows who this is.
    await lab.reloadAccount();
    const account = lab.requestGroup('GET /api/account');
    await expect(account.getByText(`Cookie sent: ${name}`)).toBeVisible();
    await expect(account.getByText('Session loaded')).toBeVisible();
    await expect(account.getByText(/^200 OK/)).toBeVisible();
    await expect(lab.result).toContainText('you are still signed in');
  });
});

test.describe('the virtual clock', () => {
  test('an hour later the session has expired and the account request is refused', async ({ lab }) => {
    await lab.open();
    await lab.signIn('grace');

    // The default session lasts 30 minutes without a request.
    await lab.jump('1 hour');
    await lab.reloadAccount();

    const account = lab.requestGroup('GET /api/account');
    await expect(account.getByText(/^401 Unauthorized/)).toBeVisible();
    await expect(lab.timeline.getByText(/^(Session expired|Cleaned 1 expired session)$/).first()).toBeVisible();
    await expect(lab.result).toContainText('You are signed out.');
    await expect(lab.result).toContainText(/expired/);
    await expect(lab.app.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await expect(lab.inspector.getByText('The store is empty: nobody is signed in.')).toBeVisible();
  });
});

test.describe('restarting the server', ALSO_UNDER_BASE_PATH, () => {
  test('signs the reader out on the Memory store', async ({ lab }) => {
    await lab.open();
    await lab.controls.getByRole('radio', { name: /^Memory Records live in the server/ }).check();
    await expect(lab.statusLine).toHaveText(/^Server restarted on the Memory store/);

    await lab.signIn('ada');
    await lab.restartServer();
    await lab.reloadAccount();

    await expect(lab.requestGroup('GET /api/account').getByText(/^401 Unauthorized/)).toBeVisible();
    await expect(lab.result).toContainText('its Memory store forgot every session');
    await expect(lab.app.getByRole('button', { name: 'Sign in' })).toBeVisible();
  });

  test('keeps the reader signed in on the IndexedDB store', async ({ lab }) => {
    await lab.open();
    await expect(lab.controls.getByRole('radio', { name: /^IndexedDB/ })).toBeChecked();

    await lab.signIn('ada');
    await lab.restartServer();
    await lab.reloadAccount();

    await expect(lab.requestGroup('GET /api/account').getByText(/^200 OK/)).toBeVisible();
    await expect(lab.result).toContainText('you are still signed in');
    await expect(lab.app.getByText('Signed in as ada', { exact: true })).toBeVisible();
  });
});

test.describe('a store that hangs', () => {
  test('leaves the page responsive, and the timeline shows the timeout', async ({ lab }) => {
    await lab.open('?store=faulty-hang');
    await expect(lab.controls.getByRole('radio', { name: /^Hanging store/ })).toBeChecked();

    const signIn = lab.app.getByRole('button', { name: /^(Sign in|Signing in…)$/ });
    await lab.app.getByLabel('Your name').fill('ada');

    // While the sign-in waits on the store, the other controls still work. The proof is the order of
    // events, not a stopwatch: the jump reached the timeline while the sign-in button still said it
    // was waiting. The store gives up after 1.5 s, so the watcher is in place before the sign-in and
    // the jump follows it at once: a busy machine spends none of those 1.5 s on checks in between.
    const signInWhenJumped = lab.timeline.evaluate(
      (timeline, button) =>
        new Promise<string>((resolve) => {
          new MutationObserver((_, observer) => {
            if (!timeline.textContent?.includes('Clock jumped')) return;
            observer.disconnect();
            resolve(`${button?.textContent ?? ''} (aria-disabled: ${button?.getAttribute('aria-disabled')})`);
          }).observe(timeline, { childList: true, subtree: true, characterData: true });
        }),
      await signIn.elementHandle(),
    );
    await signIn.click();
    await lab.jump('1 minute');
    expect(await signInWhenJumped).toBe('Signing in… (aria-disabled: true)');

    const login = lab.requestGroup('POST /api/login');
    await expect(login.getByText(/^store\.create\(.+\)$/)).toBeVisible();
    await expect(login.getByText(/^timeout/)).toBeVisible({ timeout: 10_000 });
    await expect(login.getByText(/^503 Service Unavailable/)).toBeVisible();
    await expect(lab.result).toContainText('The session store is not working.');
    await expect(lab.result).toContainText('did not answer create()');
    await expect(signIn).toHaveText('Sign in');
    await expect(signIn).not.toHaveAttribute('aria-disabled');
  });
});
