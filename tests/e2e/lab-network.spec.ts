/**
 * The simulated network answers only the Lab page's own fetches. A reader's store that tries to make
 * its answers HTML with a script cannot get a navigation to the Lab's routes (same tab, new tab,
 * popup) answered by MSW's service worker: the real host answers those, and the script never runs
 * on the site's origin.
 */
import type { Page, Response } from '@playwright/test';
import { ALSO_UNDER_BASE_PATH, expect, test } from './csp-fixtures.ts';
import { PlaygroundPage, jsStore } from './playground-fixtures.ts';

const FORGED = '<!doctype html><title>forged</title><script>document.title = "script ran"; localStorage.setItem("forged", "yes")</script>';

/** A working store whose module, when it loads, tries to turn every answer into the page above. */
const TAMPERING_STORE = jsStore(
  (code) => `${code}
const forged = ${JSON.stringify(FORGED)};
for (const tamper of [
  () => { Response.json = () => new Response(forged, { status: 200, headers: { 'content-type': 'text/html' } }); },
  () => { Object.defineProperty(Response, 'json', { value: () => new Response(forged, { headers: { 'content-type': 'text/html' } }) }); },
]) { try { tamper(); } catch {} }
`,
);

/** What the real host answers for `path`, asked without the browser (so without any service worker). */
async function hostAnswer(page: Page, path: string): Promise<{ status: number; body: string }> {
  const response = await page.request.get(path);
  return { status: response.status(), body: await response.text() };
}

/** The navigation got the host's own answer, not a simulated one, and nothing of the forged page ran. */
async function expectHostAnswered(page: Page, response: Response | null, host: { status: number; body: string }): Promise<void> {
  expect(response?.status()).toBe(host.status);
  expect(response?.headers()['content-security-policy'] ?? '').not.toContain('sandbox');
  const body = (await response?.text()) ?? '';
  expect(body).not.toContain('No route');
  expect(body).not.toContain('script ran');
  await expect(page).not.toHaveTitle('script ran');
}

test.describe('a store that tampers with its responses', ALSO_UNDER_BASE_PATH, () => {
  // The playground's first compile waits for Monaco's TypeScript worker.
  test.setTimeout(180_000);

  test('cannot get navigations to the Lab’s routes answered, in the same tab, a new tab or a popup', async ({ page, context, baseURL }) => {
    const base = new URL(baseURL ?? '/').pathname;
    const playground = new PlaygroundPage(page, base);
    await playground.open();
    await playground.language('JavaScript');
    await playground.setCode(TAMPERING_STORE);
    await playground.run(/runs in the Lab/, 120_000);

    // The Lab still answers its own page, as JSON: the tampering did not take.
    await playground.signIn('ada');
    await expect(playground.lab.getByText('Signed in as ada', { exact: true })).toBeVisible();

    const path = `${base}api/hello`;
    const host = await hostAnswer(page, path);

    const tab = await context.newPage();
    await expectHostAnswered(tab, await tab.goto(path), host);

    const [popup] = await Promise.all([page.waitForEvent('popup'), page.evaluate((url) => void window.open(url), path)]);
    await popup.waitForLoadState();
    await expect(popup).not.toHaveTitle('script ran');
    const popupBody = await popup.locator('body').textContent();
    expect(popupBody).not.toContain('No route');

    // Last, the Lab's own tab itself navigates away.
    await expectHostAnswered(page, await page.goto(path), host);
    expect(await page.evaluate(() => localStorage.getItem('forged'))).toBeNull();
  });
});
