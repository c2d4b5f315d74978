/**
 * Every docs page, as a reader opens it: it loads without errors, says what it is about (a title, a meta
 * description), every Lab on it gets its simulated server running, an axe scan finds nothing serious, and a page
 * keeps to its JavaScript budget (gzip): 60 kB without a Lab, 252 kB for the full-page Lab, 260 kB for a docs page
 * with Labs. Each page's JavaScript weight is printed.
 *
 * On a phone-sized screen, pages with tables pass axe too: a table wider than the screen scrolls sideways, so it
 * must take keyboard focus (src/markdown/focusable-tables.ts), and the arrow keys scroll it. The search button in
 * every page's header is named by the text it shows (src/components/Search.astro) and still opens Starlight's search.
 *
 * In the root project every page is checked in full. Under the base path only what the base path can break is
 * checked again: a docs page with a Lab and the full-page Lab (its service worker and API live under the base) load
 * cleanly and run. Links and assets under the base path are the business of docs-links.spec.ts and site.spec.ts;
 * axe, the weights and the layout do not change with it.
 */
import { gzipSync } from 'node:zlib';
import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { ALSO_UNDER_BASE_PATH, expect, test } from './csp-fixtures.ts';
import { OTHER_PAGES, docsPages, siteOf } from './docs-site.ts';

/** Gzipped JavaScript a page without a Lab may load. */
const JS_BUDGET_BYTES = 60_000;
/**
 * Gzipped JavaScript the full-page Lab may load to get its server running, and a docs page with Labs. The Lab's
 * budget was 250 kB until 2026-12-04, when it measured 250.6 kB: its explanations for several servers, its store
 * wording and status, the library's data and header checks, and the phone menu added about 1 kB.
 */
const LAB_PAGE_JS_BUDGET_BYTES = 252_000;
const PAGE_WITH_LABS_JS_BUDGET_BYTES = 260_000;

/**
 * The one console error a Lab is allowed (as in lab-fixtures.ts): Chromium logs "Failed to load resource" for every
 * fetch answered 4xx or 5xx, and a demo app that refuses a signed-out reader does so on purpose. Accepted only for
 * the simulated API under the base path, and only for the statuses it means to send.
 */
const EXPECTED_STATUS_LOG = /^Failed to load resource: the server responded with a status of (400|401|503|504)\b/;

const LAB_READY = /^Server (running|restarted) on the .+ store\.$/;

/**
 * Serious axe findings in components that pages embed, not in the pages' content: reported on every test that
 * meets them (as annotations), not failed, until the component is fixed. Each names the rule, where it applies
 * (a selector, or anywhere inside a Lab), and what is wrong. Remove an entry once its component is fixed;
 * anything not listed here fails.
 */
const KNOWN_COMPONENT_VIOLATIONS: { rule: string; where: RegExp | 'in a Lab'; theme?: 'dark'; what: string }[] = [];

/** A phone held upright: Starlight's single-column layout, where wide tables scroll sideways. */
const NARROW = { width: 390, height: 844 };

/** The pages loaded again under the base path: a docs page with a Lab, and the full-page Lab. */
const UNDER_BASE_PATH = new Set(['sessions/cookies/', 'lab/']);

for (const { path, hasLab } of [...docsPages(), ...OTHER_PAGES]) {
  const tags = UNDER_BASE_PATH.has(path) ? ALSO_UNDER_BASE_PATH : {};
  test(`/${path} loads cleanly, runs its Labs, passes axe and keeps to its JavaScript budget`, tags, async ({ page, baseURL }, testInfo) => {
    const full = testInfo.project.name === 'root';
    const { base } = siteOf(baseURL);
    const problems = watchForErrors(page, base);
    const scripts = watchScripts(page);

    const response = await page.goto(`./${path}`);
    expect(response?.status()).toBe(200);
    await expect(page.locator('h1').first()).not.toBeEmpty();
    const description = await page.locator('meta[name="description"]').getAttribute('content');
    expect(description?.length ?? 0, 'a meta description').toBeGreaterThan(40);

    const labs = await page.locator('session-lab').all();
    expect(labs.length > 0, 'a Lab where the page source has one').toBe(hasLab);
    for (const [index, lab] of labs.entries()) await expectLabRuns(lab, index);

    if (full) {
      // A page without a Lab: everything it loads by itself. A page with one: what it loaded to get its Labs running.
      if (labs.length === 0) await page.waitForLoadState('networkidle');
      const weight = await javaScriptWeight(page, await scripts());
      const line = `${(weight / 1000).toFixed(1).padStart(6)} kB JS (gzip)  ${labs.length > 0 ? `${labs.length} Lab${labs.length > 1 ? 's' : ' '}` : 'prose '}  /${path}`;
      console.log(line);
      testInfo.annotations.push({ type: 'js-weight', description: line });
      const budget = labs.length === 0 ? JS_BUDGET_BYTES : path === 'lab/' ? LAB_PAGE_JS_BUDGET_BYTES : PAGE_WITH_LABS_JS_BUDGET_BYTES;
      expect(weight, `JavaScript of /${path}, gzip, in bytes`).toBeLessThanOrEqual(budget);

      // The light theme everywhere; the dark theme too where a Lab brings colours of its own (the rest of a page is
      // Starlight's and Expressive Code's, whose dark theme is theirs to keep accessible).
      const serious = await seriousViolations(page, 'light', testInfo.annotations);
      if (labs.length > 0) {
        await page.emulateMedia({ colorScheme: 'dark' });
        await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
        serious.push(...(await seriousViolations(page, 'dark', testInfo.annotations)).map((line) => `dark theme: ${line}`));
      }
      expect(serious, `serious or critical axe violations on /${path}`).toEqual([]);
    }

    expect(problems, `errors on /${path}`).toEqual([]);
  });
}

test.describe('on a narrow screen', () => {
  test.use({ viewport: NARROW });

  for (const { path, hasTable } of docsPages()) {
    if (!hasTable) continue;
    test(`/${path} passes axe at ${NARROW.width}×${NARROW.height}: what scrolls sideways takes keyboard focus`, async ({ page }, testInfo) => {
      await page.goto(`./${path}`);
      // A Lab's panels are scanned as a reader meets them: running.
      for (const [index, lab] of (await page.locator('session-lab').all()).entries()) await expectLabRuns(lab, index);
      await codeBlocksSettled(page);
      expect(await seriousViolations(page, 'light', testInfo.annotations), `serious or critical axe violations on /${path}`).toEqual([]);
    });
  }

  test('Tab reaches a wide table, named by its section, and ArrowRight scrolls it', async ({ page }, testInfo) => {
    await page.goto('./migrate/from-fluidauth/');
    const table = page.getByRole('table', { name: 'Options' });
    expect(await table.evaluate((element) => element.scrollWidth - element.clientWidth), 'how much wider than the screen').toBeGreaterThan(100);

    // From the section's heading link, the next Tab stop is the table.
    await page.getByRole('link', { name: 'Section titled “Options”' }).focus();
    await page.keyboard.press('Tab');
    await expect(table).toBeFocused();
    expect(await table.evaluate((element) => element.scrollLeft)).toBe(0);

    await page.keyboard.press('ArrowRight');
    await expect.poll(() => table.evaluate((element) => element.scrollLeft)).toBeGreaterThan(0);
  });
});

test.describe('the search button', () => {
  test('is named by the text it shows, and opens the search on a click and on Ctrl+K', async ({ page }) => {
    await page.goto('./');
    const button = page.getByRole('button', { name: 'Search Ctrl K', exact: true });
    await expect(button).toHaveText('Search Ctrl K');
    await expect(button).toHaveAttribute('aria-keyshortcuts', 'Control+K');
    const dialog = page.getByRole('dialog', { name: 'Search' });
    const input = dialog.getByRole('textbox', { name: 'Search' });
    await searchLoaded(page);

    await button.click();
    await expect(dialog).toBeVisible();
    await expect(input).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(button).toBeFocused();

    await page.keyboard.press('Control+k');
    await expect(dialog).toBeVisible();
    await expect(input).toBeFocused();
    await input.fill('conformance');
    await expect(dialog.getByRole('link', { name: /Write your own store/ }).first()).toBeVisible();
  });

  test('on Apple devices is named "Search ⌘ K", as it shows, and opens on ⌘K', async ({ page }) => {
    // Starlight tells Apple devices by `navigator.platform`; so does this test.
    await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'platform', { get: () => 'MacIntel' }));
    await page.goto('./');
    const button = page.getByRole('button', { name: 'Search ⌘ K', exact: true });
    await expect(button).toHaveText('Search ⌘ K');
    await expect(button).toHaveAttribute('aria-keyshortcuts', 'Meta+K');
    const { violations } = await new AxeBuilder({ page }).setLegacyMode(true).withRules(['label-content-name-mismatch']).analyze();
    expect(violations).toEqual([]);

    await searchLoaded(page);
    await page.keyboard.press('Meta+k');
    await expect(page.getByRole('dialog', { name: 'Search' })).toBeVisible();
  });
});

/**
 * An axe scan's serious and critical findings, one line per element, less the known component ones (which are
 * added to `annotations` instead).
 */
async function seriousViolations(page: Page, theme: 'light' | 'dark', annotations: { type: string; description?: string }[]): Promise<string[]> {
  // Legacy mode runs axe in the page itself: no extra blank page to merge frame results, about half the time,
  // and these pages have no iframes that would need the other mode.
  const { violations } = await new AxeBuilder({ page }).setLegacyMode(true).analyze();
  const serious: string[] = [];
  for (const violation of violations) {
    if (violation.impact !== 'serious' && violation.impact !== 'critical') continue;
    for (const node of violation.nodes) {
      const target = node.target.join(' ');
      const inLab = await page.locator(target).first().evaluate((element) => element.closest('session-lab') !== null).catch(() => false);
      const known = KNOWN_COMPONENT_VIOLATIONS.find(
        (entry) =>
          entry.rule === violation.id &&
          (entry.theme === undefined || entry.theme === theme) &&
          (entry.where === 'in a Lab' ? inLab : entry.where.test(target)),
      );
      if (!known) {
        serious.push(`${violation.impact} ${violation.id}: ${violation.help} — ${target}`);
        continue;
      }
      const description = `${violation.id}: ${known.what}`;
      if (!annotations.some((annotation) => annotation.description === description)) {
        annotations.push({ type: 'known component violation', description });
      }
    }
  }
  return serious;
}

/**
 * Waits for Pagefind's search field, which Starlight loads into the (closed) dialog once the page is idle: opened
 * before that, the dialog has no field to focus.
 */
async function searchLoaded(page: Page): Promise<void> {
  await expect(page.locator('site-search dialog input')).toBeAttached();
}

/**
 * Waits until every code block that overflows can take focus. Expressive Code gives such a block `tabindex="0"` from
 * a script, after a resize observer, a 250 ms pause and an idle callback; a scan before that would flag the block.
 */
async function codeBlocksSettled(page: Page): Promise<void> {
  const unreachable = () =>
    page
      .locator('.expressive-code pre')
      .evaluateAll((blocks) => blocks.filter((pre) => pre.scrollWidth > pre.clientWidth && !pre.hasAttribute('tabindex')).length);
  await expect.poll(unreachable, { message: 'code blocks wider than the screen that cannot take focus' }).toBe(0);
}

/** Scrolls a Lab into view (the second of a page takes over with "Run this Lab") and waits for its server. */
async function expectLabRuns(lab: Locator, index: number): Promise<void> {
  await lab.scrollIntoViewIfNeeded();
  if (index > 0) await lab.getByRole('button', { name: 'Run this Lab' }).click();
  await expect(lab.locator('[data-lab="status-text"]'), `Lab ${index + 1} starts its server`).toHaveText(LAB_READY, { timeout: 20_000 });
}

/** Collects uncaught exceptions and console errors, but for the Lab's expected API statuses. */
function watchForErrors(page: Page, base: string): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const where = message.location().url;
    const fromApi = where !== '' && new URL(where).pathname.startsWith(`${base}api/`);
    if (fromApi && EXPECTED_STATUS_LOG.test(message.text())) return;
    problems.push(`console: ${message.text()} (at ${where})`);
  });
  return problems;
}

/** Records every script the page (and its workers) fetched; the returned function gives their bodies. */
function watchScripts(page: Page): () => Promise<{ url: string; body: Buffer }[]> {
  const pending: Promise<{ url: string; body: Buffer } | null>[] = [];
  page.on('response', (response) => {
    const type = response.request().resourceType();
    if (type !== 'script' && !/\.m?js$/.test(new URL(response.url()).pathname)) return;
    pending.push(response.body().then((body) => ({ url: response.url(), body }), () => null));
  });
  return async () => {
    const bodies = (await Promise.all(pending)).filter((entry) => entry !== null);
    // One count per URL: a chunk fetched twice is shipped once.
    return [...new Map(bodies.map((entry) => [entry.url, entry])).values()];
  };
}

/** Gzipped bytes of the page's JavaScript: every script file it fetched, and its inline scripts. */
async function javaScriptWeight(page: Page, files: { body: Buffer }[]): Promise<number> {
  const inline = await page.$$eval('script:not([src])', (elements) =>
    elements
      .filter((element) => ['', 'module', 'text/javascript'].includes(element.getAttribute('type') ?? ''))
      .map((element) => element.textContent ?? ''),
  );
  const sizes = [...files.map((file) => file.body), ...inline.map((text) => Buffer.from(text))].map((bytes) => gzipSync(bytes).length);
  return sizes.reduce((sum, size) => sum + size, 0);
}
