/**
 * The static site as a reader meets it: pages load, assets come from the right place, navigation works.
 * Runs once per Playwright project: the site built at the root, and built under a base path.
 */
import type { Page } from '@playwright/test';
import { ALSO_UNDER_BASE_PATH, expect, test } from './csp-fixtures.ts';

/** What a page did while a test watched it. */
interface PageActivity {
  consoleErrors: string[];
  pageErrors: string[];
  failedRequests: string[];
  /** Every response from the site's own origin. */
  responses: { url: URL; status: number }[];
}

/** Starts recording errors and same-origin responses; call it before the first navigation. */
function watch(page: Page, origin: string): PageActivity {
  const activity: PageActivity = { consoleErrors: [], pageErrors: [], failedRequests: [], responses: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') activity.consoleErrors.push(`${message.text()} (at ${message.location().url})`);
  });
  page.on('pageerror', (error) => activity.pageErrors.push(error.message));
  page.on('requestfailed', (request) => {
    const reason = request.failure()?.errorText ?? 'failed';
    // Cancelled, not failed: leaving a page aborts what it still had in flight (e.g. the prefetch of the link
    // being clicked). Whatever did arrive is still checked through its response.
    if (reason === 'net::ERR_ABORTED') return;
    activity.failedRequests.push(`${request.url()}: ${reason}`);
  });
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (url.origin === origin) activity.responses.push({ url, status: response.status() });
  });
  return activity;
}

/**
 * No errors of any kind, and every same-origin request answered 200 from under the base path (or 304: after the
 * first page, the browser revalidates what it already fetched with a 200).
 * `expectedMisses` are document URLs allowed to answer 404 (the not-found page itself).
 */
function expectHealthy(activity: PageActivity, base: string, expectedMisses: string[] = []): void {
  const isExpectedMiss = (url: string) => expectedMisses.includes(url);
  expect(activity.pageErrors, 'uncaught exceptions in the page').toEqual([]);
  expect(
    activity.consoleErrors.filter((error) => !expectedMisses.some((url) => error.endsWith(`(at ${url})`))),
    'console errors',
  ).toEqual([]);
  expect(activity.failedRequests, 'requests that failed').toEqual([]);

  const responses = activity.responses.filter(({ url }) => !isExpectedMiss(url.href));
  expect(responses.length, 'the page requested its own assets').toBeGreaterThan(1);
  expect(
    responses.filter(({ status }) => status !== 200 && status !== 304).map(({ url, status }) => `${status} ${url.pathname}`),
    'same-origin responses that were not 200 (or 304)',
  ).toEqual([]);
  expect(
    responses.filter(({ url }) => !url.pathname.startsWith(base)).map(({ url }) => url.pathname),
    `same-origin requests outside the base path ${base}`,
  ).toEqual([]);
}

/** The site's origin and base path (`/` or `/session-lab/`), from the project's baseURL. */
function siteOf(baseURL: string | undefined): { origin: string; base: string } {
  if (!baseURL) throw new Error('Each project in tests/playwright.config.ts must set use.baseURL.');
  const { origin, pathname } = new URL(baseURL);
  return { origin, base: pathname };
}

test.describe('home page', ALSO_UNDER_BASE_PATH, () => {
  test('loads with its title and hero, without errors, and every asset answers 200', async ({ page, baseURL }) => {
    const { origin, base } = siteOf(baseURL);
    const activity = watch(page, origin);

    const response = await page.goto('./');
    expect(response?.status()).toBe(200);
    await page.waitForLoadState('networkidle');

    await expect(page).toHaveTitle('Sessions, done properly | Session Lab');
    await expect(page.getByRole('heading', { level: 1, name: 'Session Lab' })).toBeVisible();
    await expect(page.getByText('A TypeScript session library with FluidAuth’s store contract')).toBeVisible();
    await expect(page.getByRole('heading', { level: 2, name: 'What sessionlab does' })).toBeVisible();

    // Headless Chromium does not fetch the icon by itself: ask for it, where the page says it is.
    const iconHref = await page.locator('link[rel~="icon"]').getAttribute('href');
    expect(iconHref).toBe(`${base}favicon.svg`);
    const icon = await page.request.get(new URL(iconHref ?? '', origin).href);
    expect(icon.status()).toBe(200);
    expect(icon.headers()['content-type']).toContain('image/svg+xml');

    expectHealthy(activity, base);
  });

  test('"Get started" leads to the getting-started page', async ({ page, baseURL }) => {
    const { origin, base } = siteOf(baseURL);
    const activity = watch(page, origin);

    await page.goto('./');
    await page.getByRole('link', { name: 'Get started', exact: true }).click();

    await expect(page).toHaveURL(`${origin}${base}start/getting-started/`);
    await expect(page.getByRole('heading', { level: 1, name: 'Getting started' })).toBeVisible();
    await page.waitForLoadState('networkidle');
    expectHealthy(activity, base);
  });
});

test.describe('docs pages', ALSO_UNDER_BASE_PATH, () => {
  test('list every page in the sidebar, in order, under their group', async ({ page }) => {
    await page.goto('./start/getting-started/');

    const sidebar = page.getByRole('navigation', { name: 'Main' });
    await expect(sidebar.getByText('Start here', { exact: true })).toBeVisible();
    const group = sidebar.locator('details', { has: page.getByText('Start here', { exact: true }) });
    await expect(group.getByRole('link')).toHaveText(['Getting started', 'Write your own store', 'Hosting the site']);
    await expect(sidebar.getByRole('link').first()).toHaveText('The Lab');
    await expect(sidebar.getByRole('link', { name: 'Getting started' })).toHaveAttribute('aria-current', 'page');
  });

  test('link to each other with the base path in front', async ({ page, baseURL }) => {
    const { origin, base } = siteOf(baseURL);
    const activity = watch(page, origin);

    await page.goto('./start/getting-started/');
    await page.getByRole('link', { name: 'write your own', exact: true }).click();

    await expect(page).toHaveURL(`${origin}${base}start/custom-store/`);
    await expect(page.getByRole('heading', { level: 1, name: 'Write your own store' })).toBeVisible();
    await page.waitForLoadState('networkidle');
    expectHealthy(activity, base);
  });

  test('are found by the search, which loads its index from under the base path', async ({ page, baseURL }) => {
    const { origin, base } = siteOf(baseURL);
    const activity = watch(page, origin);

    await page.goto('./');
    await page.getByRole('button', { name: 'Search' }).click();
    const dialog = page.getByRole('dialog', { name: 'Search' });
    await dialog.getByRole('textbox', { name: 'Search' }).fill('conformance');

    const result = dialog.getByRole('link', { name: /Write your own store/ }).first();
    await expect(result).toBeVisible();
    expect(await result.getAttribute('href')).toMatch(new RegExp(`^${base}start/custom-store/`));
    expectHealthy(activity, base);
  });
});

test.describe('a page that does not exist', ALSO_UNDER_BASE_PATH, () => {
  test('answers 404 with the site’s not-found page', async ({ page, baseURL }) => {
    const { origin, base } = siteOf(baseURL);
    const activity = watch(page, origin);
    const missing = `${origin}${base}no-such-page/`;

    const response = await page.goto(missing);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1, name: '404' })).toBeVisible();
    await expect(page.getByText('Page not found.')).toBeVisible();
    await page.waitForLoadState('networkidle');
    expectHealthy(activity, base, [missing]);
  });
});

test.describe("the site's own pages (not docs)", () => {
  // Astro drops a line break between a word and an element that starts the next source line: "or<a>with".
  for (const path of ['lab/', 'exercises/', 'playground/']) {
    test(`${path} glues no word to a link or emphasis`, async ({ request }) => {
      const html = await (await request.get(`./${path}`)).text();
      const glued = [...html.matchAll(/[A-Za-z,;:]<(?:a|strong|em|kbd)[ >][^<]{0,30}|<\/(?:a|strong|em)>[A-Za-z][^<]{0,20}/g)].map(([match]) => match);
      expect(glued).toEqual([]);
    });
  }
});
