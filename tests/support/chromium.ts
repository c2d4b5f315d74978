/**
 * Finds the Chromium that browser tests drive.
 *
 * Order: the `CHROMIUM_PATH` environment variable, then the system's `chromium` (Debian and most
 * Linux distributions), then the browser Playwright downloaded with `npx playwright install chromium`.
 * When none exists, `findChromium()` throws an error that says how to get one.
 */
import { existsSync } from 'node:fs';
import { playwright } from '@vitest/browser-playwright';
import { chromium } from 'playwright';

const SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** Flags that keep a headless Chromium quiet on a machine without outside network. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface ChromiumLaunchOptions {
  executablePath?: string;
  args: string[];
}

export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const configured = env['CHROMIUM_PATH'];
  if (configured) {
    if (!existsSync(configured)) {
      throw new Error(`CHROMIUM_PATH is set to ${configured}, but no file exists there. Point it at a Chromium binary or unset it.`);
    }
    return configured;
  }
  const system = SYSTEM_CHROMIUM.find((path) => existsSync(path));
  if (system) return system;
  const bundled = safeBundledPath();
  if (bundled && existsSync(bundled)) return undefined; // let Playwright use its own browser
  throw new Error(
    [
      'No Chromium found for the browser tests.',
      'Install one of:',
      '  - Debian/Ubuntu: sudo apt-get install -y chromium',
      '  - Playwright\'s own build: npx playwright install chromium',
      'or set CHROMIUM_PATH to a Chromium or Chrome binary.',
    ].join('\n'),
  );
}

function safeBundledPath(): string | undefined {
  try {
    return chromium.executablePath();
  } catch {
    return undefined;
  }
}

export function chromiumLaunchOptions(): ChromiumLaunchOptions {
  const executablePath = findChromium();
  return executablePath ? { executablePath, args: [...CHROMIUM_ARGS] } : { args: [...CHROMIUM_ARGS] };
}

/** Vitest browser mode in headless Chromium, as every browser test and benchmark runs it. */
export function vitestChromium() {
  return {
    enabled: true,
    headless: true,
    provider: playwright({ launchOptions: chromiumLaunchOptions() }),
    instances: [{ browser: 'chromium' as const }],
    screenshotFailures: false,
  };
}
