/**
 * The playground's editor on the built site: Monaco loads only where there is an editor, knows the
 * library's real types, compiles in its TypeScript worker, follows the site's theme, and a store
 * copied from FluidAuth's docs runs as is, in the Lab and through the checks.
 */
import { ALSO_UNDER_BASE_PATH, FLUIDAUTH_DOCS_STORE, expect, test } from './playground-fixtures.ts';

// Monaco's TypeScript worker starts in seconds on two idle cores, and much later on busy ones.
test.describe.configure({ timeout: 120_000 });

/** Monaco's files in the build: its main chunks and its two workers. */
const MONACO_FILE = /\/_astro\/(editor\.api|tsMode|ts\.worker|editor\.worker)[.-][\w-]+\.js$/;

test.describe('loading', ALSO_UNDER_BASE_PATH, () => {
  test('the Lab page downloads no part of Monaco; the playground does, and its editor becomes ready', async ({ page, playground }) => {
    const requested: string[] = [];
    page.on('request', (request) => requested.push(new URL(request.url()).pathname));

    await page.goto('./lab/');
    await expect(page.locator('session-lab [data-lab="status-text"]')).toHaveText(/^Server running on/, { timeout: 20_000 });
    await expect(page.getByRole('link', { name: 'playground', exact: true })).toHaveAttribute('href', `${playground.base}playground/`);
    expect(requested.filter((path) => MONACO_FILE.test(path))).toEqual([]);

    await playground.open();
    expect(requested.filter((path) => MONACO_FILE.test(path)).length).toBeGreaterThanOrEqual(3);
    await expect(playground.editor).toBeVisible();
  });
});

test.describe('the editor', () => {
  test('offers the library’s members from its generated declarations', async ({ page, playground }) => {
    await playground.open();
    await playground.setCode("import { MemoryStore } from 'sessionlab';\nconst store = new MemoryStore();\nstore.");
    await playground.editor.click();
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.press('Control+Space');
    const suggestions = page.locator('.suggest-widget .monaco-list-row');
    await expect(suggestions.filter({ hasText: 'listByUser' })).toHaveCount(1, { timeout: 20_000 });
    await expect(suggestions.filter({ hasText: 'compareAndSet' })).toHaveCount(1);
  });

  test('marks a type error inline and still runs; marks an import that is not available and does not run', async ({ playground }) => {
    await playground.open();
    const starter = await playground.code();
    // Near the top, where the editor shows it without scrolling.
    await playground.setCode(starter.replace("from '@fluidauth/express/base';\n", "from '@fluidauth/express/base';\nconst limit: number = 'ten';\n"));
    await expect(playground.editor.locator('.squiggly-error').first()).toBeVisible({ timeout: 20_000 });
    await playground.run(/runs in the Lab, with \d+ type errors? \(underlined in red\): it may fail at run time\. Plain JavaScript\? Choose JavaScript above the editor\.$/);

    await playground.setCode(`import { openDB } from 'idb';\nimport express from 'express';\n${starter}`);
    await playground.run(/^Not run: fix the error marked in the editor first \(line 2: "express" is not available in the playground\. You can import: sessionlab, @fluidauth\/express, @fluidauth\/express\/base, idb\.\)/);
    await expect(playground.lastEntry).toContainText('Line 2: "express" is not available');
  });

  test('follows the site’s light and dark theme', async ({ page, playground }) => {
    await playground.open();
    await page.evaluate(() => (document.documentElement.dataset['theme'] = 'light'));
    await expect(playground.editor).toHaveClass(/\bvs\b/);
    await page.evaluate(() => (document.documentElement.dataset['theme'] = 'dark'));
    await expect(playground.editor).toHaveClass(/\bvs-dark\b/);
  });
});

test.describe("a store from FluidAuth's docs, pasted as is", () => {
  test('compiles without errors in JavaScript, passes every required check, and serves the Lab', async ({ playground }) => {
    await playground.open();
    await playground.language('JavaScript');
    await playground.paste(FLUIDAUTH_DOCS_STORE);
    await expect(playground.editor.locator('.squiggly-error')).toHaveCount(0);

    const summary = await playground.runChecks();
    // It has none of the optional methods: their four checks are not offered, counted apart.
    await expect(summary).toHaveText(/^Required: (\d+) of \1 passed\. Recommended: \d+ of \d+ passed, 4 not offered\. Every required check passes\.$/);
    const all = playground.root.locator('[data-check="all-records"]');
    await expect(all).toHaveAttribute('data-state', 'not-offered');
    await expect(all).toContainText('Not offered (optional). The store has no all(): inspectors and admin tools cannot list its records.');
    const required = playground.root.locator('[data-pg="checks-required"] .pg-check');
    // As many as the library's suite has (at least the 11 it started with), every one passed.
    const requiredCount = await required.count();
    expect(requiredCount).toBeGreaterThanOrEqual(11);
    await expect(required.and(playground.root.locator('[data-state="pass"]'))).toHaveCount(requiredCount);
    // The recommended checks it fails say why and what to do.
    const copies = playground.root.locator('[data-check="copies-out"]');
    await expect(copies).toHaveAttribute('data-state', 'fail');
    await expect(copies.locator('.pg-check-hint')).toContainText('structuredClone');
    // The status line says the score, and no type error (JavaScript has none to report).
    await expect(playground.status).toHaveText(/^Checks: all \d+ required pass; \d+ of \d+ recommended fail: .+\.$/);
    await expect(playground.status).not.toContainText('type error');

    // The Lab runs on it: signing in calls its create().
    await playground.signIn('ada');
    await expect(playground.lab.getByText('Signed in as ada', { exact: true })).toBeVisible();
    await playground.labTab('Timeline');
    const timeline = playground.lab.getByRole('region', { name: 'Timeline of events' });
    await expect(timeline.getByText(/Now running on MyStore \(run \d+\)\./).last()).toBeVisible();
    const login = timeline.locator('.lab-group').filter({ hasText: 'POST /api/login' }).last();
    await expect(login.getByText(/^store\.create\(.+\)/)).toBeVisible();
    await expect(login.getByText('Session created')).toBeVisible();
  });
});
