// Stops `npm test` early, with instructions, when no Chromium is available for the browser layers.
import { findChromium } from '../support/chromium.ts';

try {
  const path = findChromium();
  console.log(`Browser tests use ${path ?? 'Playwright\'s own Chromium'}.`);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
