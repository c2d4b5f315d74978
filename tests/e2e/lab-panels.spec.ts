/**
 * The Lab's panels beyond the main journey: the cart and signing out everywhere, the sequence
 * diagram, the timeline's filters and Clear, the tabs on a phone, and using it all from the keyboard.
 */
import { expect, test } from './lab-fixtures.ts';

test.describe('the demo app', () => {
  test('keeps a cart in the session, lists devices, and signs out everywhere', async ({ lab }) => {
    await lab.open();
    await lab.signIn('ada');

    await lab.app.getByLabel('Item').selectOption('Shortbread');
    await lab.app.getByRole('button', { name: 'Add to cart' }).click();
    await expect(lab.app.getByRole('list', { name: 'Cart' }).getByRole('listitem')).toHaveText(['Shortbread']);
    await expect(lab.inspector.getByRole('table').getByText('{"cart":["Shortbread"]}')).toBeVisible();

    await lab.app.getByRole('button', { name: 'Your devices' }).click();
    await expect(lab.app.getByRole('list', { name: 'Your devices' }).getByRole('listitem')).toHaveCount(1);
    await expect(lab.app.getByRole('list', { name: 'Your devices' })).toContainText('This device');

    await lab.app.getByRole('button', { name: 'Sign out everywhere' }).click();
    await expect(lab.result).toContainText('Signed out everywhere: 1 session ended.');
    await expect(lab.requestGroup('POST /api/logout-everywhere').getByText('Sessions revoked')).toBeVisible();
    await expect(lab.inspector.getByText('The store is empty: nobody is signed in.')).toBeVisible();
    await expect(lab.inspector.getByText('No cookies.')).toBeVisible();
  });
});

test.describe('the sequence diagram', () => {
  test('draws the browser, the server and the store, and the sign-in between them', async ({ lab, page }) => {
    await lab.open();
    await lab.signIn('ada');

    await page.getByRole('radio', { name: 'Diagram' }).check();
    const diagram = page.getByRole('region', { name: 'Sequence diagram of events' });
    await expect(diagram).toBeVisible();
    await expect(lab.timeline).toBeHidden();

    const svg = diagram.getByRole('img', { name: /^Sequence diagram of \d+ events between the browser, the server and its IndexedDB store/ });
    await expect(svg).toBeVisible();
    await expect(svg.locator('.lab-seq-lifeline')).toHaveCount(3);
    await expect(svg.locator('text', { hasText: 'POST /api/login' })).toBeVisible();
    await expect(svg.locator('text', { hasText: /^create\(/ })).toBeVisible();
    await expect(svg.locator('text', { hasText: /^Set-Cookie: / }).first()).toBeVisible();
    await expect(diagram.getByText('Store (IndexedDB)')).toBeVisible();

    // New events are drawn as they happen.
    const arrows = await svg.locator('.lab-seq-arrow').count();
    const accountRequests = await svg.locator('text', { hasText: 'GET /api/account' }).count();
    await lab.app.getByRole('button', { name: 'Reload page' }).click();
    // The page's first request was a GET /api/account too: wait for one more, not for any.
    await expect(svg.locator('text', { hasText: 'GET /api/account' })).toHaveCount(accountRequests + 1);
    await expect.poll(() => svg.locator('.lab-seq-arrow').count()).toBeGreaterThan(arrows);

    await page.getByRole('radio', { name: 'List' }).check();
    await expect(lab.timeline).toBeVisible();
  });
});

test.describe('the timeline', () => {
  test('filters events by kind, and Clear empties it', async ({ lab, page }) => {
    await lab.open();
    await lab.signIn('ada');

    const storeCalls = lab.timeline.locator('.lab-ev[data-category="store"]');
    await expect(storeCalls.first()).toBeVisible();
    await page.getByRole('checkbox', { name: 'Store calls' }).uncheck();
    await expect(storeCalls.first()).toBeHidden();
    await expect(lab.timeline.getByText('POST /api/login')).toBeVisible();

    await page.getByRole('checkbox', { name: 'Requests' }).uncheck();
    await expect(lab.timeline.locator('.lab-ev[data-category="http"]').first()).toBeHidden();
    await expect(lab.timeline.getByText('Session created')).toBeVisible();

    await page.getByRole('checkbox', { name: 'Store calls' }).check();
    await expect(storeCalls.first()).toBeVisible();

    await page.getByRole('button', { name: 'Clear' }).click();
    await expect(lab.timeline.locator('.lab-ev')).toHaveCount(0);
    await expect(lab.timeline.getByText('Cleared. New events appear here as they happen.')).toBeVisible();

    await page.getByRole('checkbox', { name: 'Requests' }).check();
    await lab.app.getByRole('button', { name: 'Reload page' }).click();
    await expect(lab.timeline.getByText('GET /api/account')).toBeVisible();
    await expect(lab.timeline.getByText('POST /api/login')).toHaveCount(0);
  });
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('the panels are tabs, and the Lab works from the keyboard alone', async ({ lab, page }) => {
    await lab.open();
    const tabs = page.getByRole('tablist', { name: 'Lab panels' });
    await expect(tabs).toBeVisible();
    await expect(tabs.getByRole('tab')).toHaveText(['App', /^Timeline/, 'Inspector']);
    await expect(tabs.getByRole('tab', { name: 'App' })).toHaveAttribute('aria-selected', 'true');
    await expect(lab.timeline).toBeHidden();

    // Sign in with the keyboard: the name field, then Enter.
    await lab.app.getByLabel('Your name').focus();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('lin');
    await page.keyboard.press('Enter');
    await expect(lab.app.getByText('Signed in as lin', { exact: true })).toBeVisible();

    // The Timeline tab counts what happened meanwhile; arrow keys move between tabs.
    const timelineTab = tabs.getByRole('tab', { name: /^Timeline/ });
    await expect(timelineTab.locator('.ui-tab-badge')).toHaveText(/^\d+$/);
    await tabs.getByRole('tab', { name: 'App' }).focus();
    await page.keyboard.press('ArrowRight');
    await expect(timelineTab).toBeFocused();
    await expect(timelineTab).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('tabpanel', { name: /^Timeline/ })).toBeVisible();
    await expect(lab.timeline.getByText(/^store\.create\(/)).toBeVisible();
    await expect(timelineTab.locator('.ui-tab-badge')).toBeHidden();
    await expect(lab.app).toBeHidden();

    await page.keyboard.press('End');
    await expect(tabs.getByRole('tab', { name: 'Inspector' })).toBeFocused();
    await expect(lab.inspector.locator('[data-lab="jar"]').getByText('HttpOnly')).toBeVisible();

    // The store's table fits the phone: its last column (the data) is not cut off.
    const records = lab.inspector.locator('[data-lab="records"]');
    await expect(records.getByRole('cell', { name: '{"cart":[]}' })).toBeVisible();
    const [table, wrap] = await records.evaluate((element) => [element.scrollWidth, element.parentElement!.clientWidth]);
    expect(table).toBeLessThanOrEqual(wrap!);
  });
});
