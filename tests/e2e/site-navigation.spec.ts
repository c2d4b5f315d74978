/**
 * Finding your way around the site: the home page leads to the Lab, the playground and the exercises; every page,
 * on a phone as on a wide screen, has a way to move on and to switch theme; an exercise page has one set of
 * previous and next links and no keyboard hints on a touch phone; the not-found page says where to go instead.
 */
import type { Page } from '@playwright/test';
import { ALSO_UNDER_BASE_PATH, expect, test } from './csp-fixtures.ts';

/** A phone held upright: narrower than Starlight's 50rem breakpoint, with touch and no hover. */
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const WIDE = { viewport: { width: 1280, height: 800 } };

/** The base path (`/` or `/session-lab/`), from the project's baseURL. */
function baseOf(baseURL: string | undefined): string {
  if (!baseURL) throw new Error('Each project in tests/playwright.config.ts must set use.baseURL.');
  return new URL(baseURL).pathname;
}

/** The page's theme as Starlight applies it. */
function themeOf(page: Page): Promise<string | null> {
  return page.evaluate(() => document.documentElement.dataset['theme'] ?? null);
}

test.describe('the home page', ALSO_UNDER_BASE_PATH, () => {
  test('opens the Lab from the hero', async ({ page, baseURL }) => {
    const base = baseOf(baseURL);
    await page.goto('./');

    await page.locator('.hero').getByRole('link', { name: 'Open the Lab' }).click();

    await expect(page).toHaveURL(new URL(`${base}lab/`, baseURL).href);
    await expect(page.getByRole('heading', { level: 1, name: 'The Lab' })).toBeVisible();
  });

  test('has a card leading to each of the Lab, the playground and the exercises', async ({ page, baseURL }) => {
    const base = baseOf(baseURL);
    await page.goto('./');

    const content = page.locator('main .sl-markdown-content');
    await expect(content.getByRole('link', { name: 'Open the Lab →' })).toHaveAttribute('href', `${base}lab/`);
    await expect(content.getByRole('link', { name: 'Open the playground →' })).toHaveAttribute('href', `${base}playground/`);
    await expect(content.getByRole('link', { name: 'Start the exercises →' })).toHaveAttribute('href', `${base}exercises/`);
  });
});

test.describe('on a phone', () => {
  test.use(PHONE);

  // Splash pages (no sidebar) first, then pages whose menu is Starlight's sidebar. The exercises' sidebar names
  // their list "Overview".
  const PAGES: [path: string, exercises: string][] = [
    ['', 'Exercises'],
    ['lab/', 'Exercises'],
    ['playground/', 'Exercises'],
    ['no-such-page/', 'Exercises'],
    ['start/getting-started/', 'Exercises'],
    ['exercises/', 'Overview'],
  ];
  for (const [path, exercises] of PAGES) {
    test(`/${path} has a menu that leads to the Lab, the playground and the exercises, with a theme switch that works both ways`, async ({ page }) => {
      await page.goto(`./${path}`);

      const menuButton = page.getByRole('button', { name: 'Menu', exact: true });
      await expect(menuButton).toBeVisible();
      await menuButton.click();

      for (const name of ['The Lab', 'Playground', exercises]) {
        await expect(page.getByRole('link', { name, exact: true }).filter({ visible: true })).toBeVisible();
      }

      const theme = page.getByRole('combobox', { name: 'Select theme' }).filter({ visible: true });
      await expect(theme).toHaveCount(1);
      await theme.selectOption('light');
      expect(await themeOf(page)).toBe('light');
      await theme.selectOption('dark');
      expect(await themeOf(page)).toBe('dark');
    });
  }

  test('the menu of a page without a sidebar leads to its page, and says which page is open', async ({ page, baseURL }) => {
    const base = baseOf(baseURL);
    await page.goto('./lab/');

    await page.getByRole('button', { name: 'Menu', exact: true }).click();
    const menu = page.getByRole('navigation', { name: 'Site' });
    await expect(menu.getByRole('link', { name: 'The Lab', exact: true })).toHaveAttribute('aria-current', 'page');
    await menu.getByRole('link', { name: 'Playground', exact: true }).click();

    await expect(page).toHaveURL(new URL(`${base}playground/`, baseURL).href);
    await expect(page.getByRole('heading', { level: 1, name: 'Playground' })).toBeVisible();
  });
});

test.describe('on a wide screen', () => {
  test.use(WIDE);

  for (const path of ['', 'lab/', 'playground/', 'start/getting-started/']) {
    test(`/${path} shows the theme switch in the header, and no menu button`, async ({ page }) => {
      await page.goto(`./${path}`);

      const header = page.locator('header.header');
      await expect(header.getByRole('combobox', { name: 'Select theme' }).filter({ visible: true })).toHaveCount(1);
      await expect(header.getByRole('button', { name: /^Search/ })).toBeVisible();
      await expect(page.getByRole('button', { name: 'Menu', exact: true })).toBeHidden();
    });
  }
});

test.describe('an exercise page', () => {
  /** The second exercise: one with both a previous and a next exercise. */
  async function openSecondExercise(page: Page): Promise<void> {
    await page.goto('./exercises/');
    await page.locator('.ex-overview-link').nth(1).click();
    await expect(page.getByRole('heading', { level: 1, name: /^2\. / })).toBeVisible();
  }

  test('has one set of previous and next links', async ({ page }) => {
    await openSecondExercise(page);

    await expect(page.locator('main a[rel="prev"]')).toHaveCount(1);
    await expect(page.locator('main a[rel="next"]')).toHaveCount(1);
    await expect(page.getByRole('navigation', { name: 'Previous and next exercise' })).toBeVisible();
  });

  test.describe('on a touch phone', () => {
    test.use(PHONE);

    test('shows no keyboard shortcut on its Check button, as the playground shows none on Run', async ({ page }) => {
      await openSecondExercise(page);

      const check = page.locator('[data-ex="check"]');
      await expect(check).toBeVisible();
      for (const key of await check.locator('kbd').all()) await expect(key).toBeHidden();
    });
  });

  test.describe('on a wide screen', () => {
    test.use(WIDE);

    test('shows the Check button’s keyboard shortcut', async ({ page }) => {
      await openSecondExercise(page);

      await expect(page.locator('[data-ex="check"] kbd')).toHaveText([/^(Ctrl|⌘)$/, 'Enter']);
      for (const key of await page.locator('[data-ex="check"] kbd').all()) await expect(key).toBeVisible();
    });
  });
});

test.describe('the not-found page', ALSO_UNDER_BASE_PATH, () => {
  test('leads home, to the Lab and to getting started, whatever the missing URL', async ({ page, baseURL }) => {
    const base = baseOf(baseURL);
    // Two levels deep: a relative link would resolve against the missing URL, not the site.
    const response = await page.goto(`./no/such-page/`);
    expect(response?.status()).toBe(404);

    const content = page.locator('main');
    await expect(content.getByRole('link', { name: 'home page' })).toHaveAttribute('href', base);
    await expect(content.getByRole('link', { name: 'Open the Lab' })).toHaveAttribute('href', `${base}lab/`);
    await expect(content.getByRole('link', { name: 'Getting started' })).toHaveAttribute('href', `${base}start/getting-started/`);

    await content.getByRole('link', { name: 'Open the Lab' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'The Lab' })).toBeVisible();
  });

  test('opens the search from its content', async ({ page }) => {
    await page.goto('./no/such-page/');

    await page.locator('main').getByRole('button', { name: 'Search the site' }).click();

    const dialog = page.getByRole('dialog', { name: 'Search' });
    await expect(dialog.getByRole('textbox', { name: 'Search' })).toBeFocused();
  });
});
