import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { browserTabCommands } from './support/browser-tabs.ts';
import { vitestChromium } from './support/chromium.ts';
import packageJson from '../package.json' with { type: 'json' };

const root = fileURLToPath(new URL('..', import.meta.url));
const core = fileURLToPath(new URL('../src/session/index.ts', import.meta.url));

/**
 * Every `sessionlab/*` entry point resolves to its source (from package.json's exports map), and
 * FluidAuth's module names resolve to the core: fixture and reader code imports them as it would
 * in an application.
 */
const aliases: Record<string, string> = {
  '@fluidauth/express/base': core,
  '@fluidauth/express': core,
};
for (const [subpath, target] of Object.entries(packageJson.exports)) {
  if (typeof target !== 'object') continue;
  const source = target.default.replace('./dist/', '../src/').replace(/\.js$/, '.ts');
  aliases[subpath === '.' ? 'sessionlab' : `sessionlab/${subpath.slice(2)}`] = fileURLToPath(new URL(source, import.meta.url));
}

// Exact matches: a plain string alias would also catch the names that continue it ("sessionlab/fetch").
const alias = Object.entries(aliases).map(([find, replacement]) => ({ find: new RegExp(`^${find.replaceAll('/', '\\/')}$`), replacement }));

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
        // Pre-bundled up front, so Vite never re-optimises (and reloads the page) in the middle of a run.
        optimizeDeps: { include: ['msw', 'msw/browser', 'tough-cookie', 'idb'] },
        test: {
          name: 'browser',
          root,
          include: ['tests/browser/**/*.test.ts'],
          browser: { ...vitestChromium(), commands: browserTabCommands },
        },
      },
    ],
  },
});
