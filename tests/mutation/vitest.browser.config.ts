import { defineConfig, mergeConfig } from 'vitest/config';
import base from '../vitest.config.ts';
import { browserTabCommands } from '../support/browser-tabs.ts';
import { vitestChromium } from '../support/chromium.ts';

/**
 * IndexedDBStore's tests, as one Vitest browser project (real Chromium) for StrykerJS's Vitest
 * runner: `MUTATION_BROWSER=1` in stryker.config.mjs selects it. The store needs a real IndexedDB.
 */
export default mergeConfig(
  { resolve: base.resolve, root: base.root },
  defineConfig({
    optimizeDeps: { include: ['idb'] },
    test: {
      name: 'mutation-browser',
      testTimeout: 60_000,
      hookTimeout: 120_000,
      include: ['tests/browser/indexeddb-store.test.ts'],
      browser: { ...vitestChromium(), commands: browserTabCommands },
    },
  }),
);
