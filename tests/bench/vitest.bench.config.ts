/**
 * The browser benchmarks: Vitest browser mode in Chromium, headless, started from Node by
 * `npm run bench` (tests/bench/run.ts) as `vitest run --config tests/bench/vitest.bench.config.ts`.
 * Only `tests/bench/**\/*.bench.test.ts` runs here; the test projects never pick these files up.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { vitestChromium } from '../support/chromium.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

export default defineConfig({
  root,
  test: {
    name: 'bench-browser',
    root,
    include: ['tests/bench/**/*.bench.test.ts'],
    // A benchmark takes as long as it takes; one file at a time, so runs do not compete.
    testTimeout: 600_000,
    hookTimeout: 600_000,
    fileParallelism: false,
    browser: vitestChromium(),
  },
});
