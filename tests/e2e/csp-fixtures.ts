/**
 * `test` and `expect` for every end-to-end spec: a test fails when anything on its pages, or in their
 * workers, breaks the site's Content Security Policy. The preview server sends the policy the site
 * ships with (astro.config.mjs, securityHeaders), so a violation here is one a reader would meet.
 *
 * Violations are caught two ways: each page reports its `securitypolicyviolation` events on the
 * console (an init script, added before any of the page's own code runs), and Chromium's own
 * "Refused to …" console messages are caught too. Workers get no init script: each dedicated worker
 * is given the same listener as soon as it appears, before reader code has loaded into it.
 */
import { expect, test as base, type ConsoleMessage, type Worker } from '@playwright/test';

/** Console text that means the CSP blocked something. */
const VIOLATION = /^CSP violation: |Content Security Policy|^Refused to (load|execute|evaluate|connect|create|apply|frame|compile)/;

export const test = base.extend<{ cspViolations: string[] }>({
  /** What the CSP blocked so far in this test (a test that provokes a violation on purpose may empty it). */
  cspViolations: [
    async ({ context }, use) => {
      const violations: string[] = [];
      const note = (message: ConsoleMessage): void => {
        if (VIOLATION.test(message.text())) violations.push(`${message.text()} (at ${message.location().url})`);
      };
      const watchWorker = (worker: Worker): void => {
        worker.on('console', note);
        worker.evaluate(reportViolations).catch(() => {}); // a worker that is already gone has nothing to report
      };
      await context.addInitScript(reportViolations);
      context.on('console', note);
      context.on('page', (page) => page.on('worker', watchWorker));
      for (const page of context.pages()) page.on('worker', watchWorker);
      await use(violations);
      expect(violations, 'Content Security Policy violations').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/**
 * Tags a test or group to run in the `base-path` project too (the site built under a sub-path). Only what a
 * sub-path can break goes there: links, asset, worker and module URLs, the service worker's scope, the
 * cookie path, storage keyed by URL. Behaviour that does not depend on URLs runs once, in `root`.
 */
export const ALSO_UNDER_BASE_PATH = { tag: '@base-path' };

/** Runs in each page and worker: reports every CSP violation there on the console. */
function reportViolations(): void {
  addEventListener('securitypolicyviolation', (event) => {
    console.error(`CSP violation: ${event.effectiveDirective} blocked ${event.blockedURI || 'an inline script or style'} (${event.sourceFile}:${event.lineNumber})`);
  });
}
