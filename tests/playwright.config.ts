/**
 * End-to-end tests against the BUILT site, served by `astro preview`.
 *
 * The site is built twice: at the root, and under the sub-path `/session-lab/` (as on a project page), because a
 * base path breaks links and asset URLs in ways the root build never shows. Each build gets its own preview server
 * and its own Playwright project; every spec runs in both.
 *
 * Run with `npx playwright test --config tests/playwright.config.ts`. Paths here are relative to this file.
 * `E2E_PORT=4391` runs on ports 4391 and 4392 and builds into build/e2e-4391/, beside a run on the defaults.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './support/chromium.ts';

const ROOT_DIR = fileURLToPath(new URL('..', import.meta.url));
const CI = Boolean(process.env['CI']);

/**
 * Not Astro's dev port (4321): with `reuseExistingServer`, a running `astro dev` there would be tested instead
 * of the build.
 */
const ROOT_PORT = Number(process.env['E2E_PORT'] || 4381);
const BASE_PORT = ROOT_PORT + 1;
/** Where the two builds go; `E2E_PORT` gives a second run on the same machine ports and folders of its own. */
const OUT = process.env['E2E_PORT'] ? `build/e2e-${ROOT_PORT}` : 'build';
const BASE_PATH = '/session-lab/';

/** Builds the site with the given base and output folder, then serves that folder. */
function buildAndPreview(port: number, env: { SITE_BASE: string; SITE_OUT: string }, path: string) {
  return {
    command: `npx astro build && npx astro preview --port ${port} --host 127.0.0.1 --ignore-lock`,
    cwd: ROOT_DIR,
    env,
    url: `http://127.0.0.1:${port}${path}`,
    // A stale build would be tested if a preview were left running on CI; locally, reuse saves a rebuild.
    reuseExistingServer: !CI,
    timeout: 180_000,
    stdout: 'ignore' as const,
    stderr: 'pipe' as const,
  };
}

export default defineConfig({
  testDir: './e2e',
  testMatch: '**/*.spec.ts',
  outputDir: process.env['E2E_PORT'] ? `../test-results/e2e-${ROOT_PORT}` : '../test-results/e2e',
  fullyParallel: true,
  forbidOnly: CI,
  // No retries: a static site has nothing flaky to wait out; a failure is a real failure.
  retries: 0,
  // Time, not flakiness: on two cores shared with the unit and browser tests, a page that starts Monaco's
  // TypeScript worker or a Lab's workers takes several times what it takes on an idle machine. Playwright's
  // 30 s default failed tests that were only slow; the waits inside each test stay as tight as before.
  timeout: 90_000,
  expect: { timeout: 10_000 },
  // Two, on two cores: a third worker made each test about twice as slow (the pages' own workers, Monaco and
  // axe keep both cores busy) and the run no shorter. `E2E_WORKERS` overrides, e.g. on a bigger machine.
  workers: Number(process.env['E2E_WORKERS'] || 2),
  // The JSON results (each test's duration) are what `npm test` reads to list the slowest tests at the end of a
  // run (tests/tools/run-tests.ts names its own file through PLAYWRIGHT_JSON_OUTPUT_FILE).
  reporter: [
    ['list'],
    ...(CI ? [['html', { open: 'never', outputFolder: '../playwright-report' }] as const] : []),
    ['json', { outputFile: `../${OUT}/e2e-results.json` }],
  ],
  use: {
    browserName: 'chromium',
    launchOptions: chromiumLaunchOptions(),
    trace: 'retain-on-failure',
  },
  projects: [
    { name: 'root', use: { baseURL: `http://127.0.0.1:${ROOT_PORT}/` } },
    // Only what a sub-path can break runs again under it: tests tagged ALSO_UNDER_BASE_PATH (csp-fixtures.ts).
    { name: 'base-path', grep: /@base-path/, use: { baseURL: `http://127.0.0.1:${BASE_PORT}${BASE_PATH}` } },
  ],
  // Started one after the other, so the two builds never write Astro's caches at the same time.
  webServer: [
    buildAndPreview(ROOT_PORT, { SITE_BASE: '/', SITE_OUT: `${OUT}/site` }, '/'),
    buildAndPreview(BASE_PORT, { SITE_BASE: BASE_PATH, SITE_OUT: `${OUT}/site-base` }, BASE_PATH),
  ],
});
