import { defineConfig, mergeConfig } from 'vitest/config';
import base from '../vitest.config.ts';
import { browserTabCommands } from '../support/browser-tabs.ts';
import { vitestChromium } from '../support/chromium.ts';

/**
 * IndexedDBStore's tests, as one Vitest browser project (real Chromium) for StrykerJS's Vitest
 * runner: `MUTATION_BROWSER=1` in stryker.config.mjs selects it. The store needs a real IndexedDB.
 * As in vitest.config.ts, MUTATION_TESTS=indexeddb-store,indexeddb-schema (names in tests/browser,
 * comma-separated) replaces the list for that run.
 */
const BROWSER_TESTS = ['indexeddb-store', 'indexeddb-store-behaviour', 'indexeddb-store-reopen'];
export default mergeConfig(
  { resolve: base.resolve, root: base.root },
  defineConfig({
    optimizeDeps: { include: ['idb'] },
    test: {
      name: 'mutation-browser',
      testTimeout: 60_000,
      hookTimeout: 120_000,
      include: (process.env['MUTATION_TESTS']?.split(',') ?? BROWSER_TESTS).map((name) => `tests/browser/${name.trim()}.test.ts`),
      browser: { ...vitestChromium(), commands: browserTabCommands },
    },
  }),
);
