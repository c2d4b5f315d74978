import { fileURLToPath } from 'node:url';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { chromiumLaunchOptions } from './support/chromium.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const core = fileURLToPath(new URL('../src/session/index.ts', import.meta.url));

// The names reader and fixture code import: Session Lab itself, and FluidAuth's, which it stands in for.
const alias = {
  'sessionlab/conformance': fileURLToPath(new URL('../src/session/conformance/index.ts', import.meta.url)),
  'sessionlab/fetch': fileURLToPath(new URL('../src/session/adapters/fetch.ts', import.meta.url)),
  '@fluidauth/express/base': core,
  '@fluidauth/express': core,
  sessionlab: core,
};

export default defineConfig({
  root,
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          root,
          environment: 'node',
          include: ['tests/unit/**/*.test.ts'],
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'browser',
          root,
          include: ['tests/browser/**/*.test.ts'],
          browser: {
            enabled: true,
            headless: true,
            provider: playwright({ launchOptions: chromiumLaunchOptions() }),
            instances: [{ browser: 'chromium' }],
            screenshotFailures: false,
          },
        },
      },
    ],
  },
});
