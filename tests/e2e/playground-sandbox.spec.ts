/**
 * The sandbox on the built site: the reader's code runs only in workers, and each way a store can go
 * wrong gives its own message, points at the line, keeps the reader's code, and leaves the page (and
 * the Lab, on the last store that served requests without hanging) usable.
 */
import { ALSO_UNDER_BASE_PATH, expect, jsStore, test } from './playground-fixtures.ts';

// Monaco's TypeScript worker starts in seconds on two idle cores, and much later on busy ones.
test.describe.configure({ timeout: 120_000 });

test.beforeEach(async ({ playground }) => {
  await playground.open();
  await playground.language('JavaScript');
});

test.describe('a store method that never returns (while (true) {})', () => {
  test('the page keeps responding, the server is restarted on the last store that worked, and the code stays', async ({ playground }) => {
    await playground.setAndRun(jsStore());
    // A store has worked once it served a request.
    await playground.signIn('ada');
    await expect(playground.lab.getByText('Signed in as ada', { exact: true })).toBeVisible();
    const looping = jsStore((code) => code.replace('create(record) {', 'create(record) { while (true) {}'));
    await playground.setAndRun(looping);

    await playground.signIn('eve');
    // While the server worker spins (3 s until the Lab gives up on it), the page answers clicks. The
    // proof is the order of events, not a stopwatch: the tab switched while the status did not yet
    // say the store stopped answering.
    const checksTab = playground.root.getByRole('tab', { name: /^Checks/ });
    const statusWhenSwitched = checksTab.evaluate(
      (tab, statusSelector) =>
        new Promise<string>((resolve) => {
          new MutationObserver((_, observer) => {
            if (tab.getAttribute('aria-selected') !== 'true') return;
            observer.disconnect();
            resolve(document.querySelector(statusSelector)?.textContent ?? '');
          }).observe(tab, { attributes: true, attributeFilter: ['aria-selected'] });
        }),
      '[data-pg="status-text"]',
    );
    await checksTab.click();
    expect(await statusWhenSwitched).not.toMatch(/stopped answering/);
    await playground.root.getByRole('tab', { name: /^Output/ }).click();

    await expect(playground.status).toHaveText(
      /^BrokenStore \(run \d+\) stopped answering inside create\(\), so the store was stopped\. The Lab now runs on BrokenStore \(run \d+\), your last store that served requests without hanging\. Fix the code and press Run\.$/,
      { timeout: 15_000 },
    );
    const entry = playground.output.locator('.pg-entry').filter({ hasText: 'Your store stopped answering' });
    await expect(entry).toContainText(/POST \/(session-lab\/)?api\/login got no answer within 3000 ms\. It was inside create\(\): a loop that never ends/);
    await expect(entry).toContainText('now runs on BrokenStore');
    await expect(entry.getByRole('button', { name: 'Show line 4 in the editor' })).toBeVisible();
    expect(await playground.code()).toBe(looping);

    // The Lab serves again, on the store before.
    await playground.signIn('grace');
    await expect(playground.lab.getByText('Signed in as grace', { exact: true })).toBeVisible();
  });

  test('the code that hung is never run again by itself: not as a fallback, not by Run checks, not at the next page load', async ({ playground, page }) => {
    // The page ran the starter at load, but no request reached it: it has not worked, so it is no fallback.
    const looping = jsStore((code) => code.replace('create(record) {', 'create(record) { while (true) {}'));
    await playground.setAndRun(looping);
    await playground.signIn('linus');
    await expect(playground.status).toHaveText(
      "BrokenStore (run 2) stopped answering inside create(), so the store was stopped. The Lab now runs on the Lab's built-in MemoryStore (not your code). Fix the code and press Run.",
      { timeout: 15_000 },
    );
    const labStatus = playground.lab.locator('[data-lab="status"]');
    await expect(labStatus).toHaveText(/^Server running on the Memory store\./);
    await page.screenshot({ path: test.info().outputPath('playground-after-a-hang.png') });

    // Run checks checks the code in a worker of its own, and leaves the Lab where it is.
    const summary = await playground.runChecks();
    await expect(summary).toHaveText(/The checks were stopped: your store stopped answering\./);
    await expect(playground.status).toHaveText(
      /^Checks: .* The checks were stopped: your store stopped answering\. .* BrokenStore \(run 3\) is checked in a worker of its own, not in the Lab: it stopped answering there, so the Lab stays on MemoryStore\. Press Run to serve it there again\.$/,
    );
    await expect(labStatus).toHaveText(/^Server running on the Memory store\./);

    // A reload does not run it either, and says why.
    await page.evaluate(() => document.querySelector('session-playground')!.app!.save());
    await page.reload();
    await expect(playground.status).toHaveText(
      'Not run: this code stopped answering inside create() when it last ran, so the Lab runs on its built-in MemoryStore. Fix the code and press Run.',
      { timeout: 90_000 },
    );
    await expect(labStatus).toHaveText(/^Server running on the Memory store/);
    expect(await playground.code()).toBe(looping);
  });

  test('the checks stop the stuck check, name the method, and do not run the rest', async ({ playground }) => {
    await playground.setCode(jsStore((code) => code.replace('get(id) {', 'get(id) { while (true) {}')));
    const summary = await playground.runChecks();
    await expect(summary).toHaveText(/The checks were stopped: your store stopped answering\./);
    const stuck = playground.root.locator('[data-check="create-get"]');
    await expect(stuck).toHaveAttribute('data-state', 'fail');
    await expect(stuck).toContainText('Your store stopped answering: it kept the checks busy for 2.5 s without a pause, inside get().');
    await expect(playground.root.locator('[data-check="get-missing"]')).toContainText('Not run: the checks were stopped when your store stopped answering.');
  });
});

test('a promise that never settles: the Session gives up, and the message says which method', async ({ playground }) => {
  await playground.setAndRun(jsStore((code) => code.replace(/get\(id\) \{.*\}\n/, 'get(id) { return new Promise(() => {}); }\n')));
  await playground.signIn('ada');
  await playground.labTab('App');
  await playground.lab.getByRole('button', { name: 'Reload page' }).click();
  const entry = playground.output.locator('.pg-entry').filter({ hasText: 'get() never settled' });
  await expect(entry).toContainText('neither resolved nor rejected', { timeout: 10_000 });
  await expect(entry).toContainText('A new Promise(…) whose resolve is never called is the usual cause.');
  await expect(entry.getByRole('button', { name: 'Show line 5 in the editor' })).toBeVisible();

  // The checks name it too, and give up after two checks that get no answer.
  const summary = await playground.runChecks();
  await expect(summary).toHaveText(/^Required: 0 of \d+ passed/);
  await expect(playground.root.locator('[data-check="create-get"]')).toContainText('get() never settled: it returned a promise that neither resolved nor rejected within 3 s.');
  await expect(playground.root.locator('[data-check="update"]')).toContainText('Not run: 2 checks in a row got no answer from the store');
});

test('a constructor that throws: the store does not start, the Lab keeps the store it had', async ({ playground }) => {
  await playground.setAndRun(
    jsStore((code) => code.replace('  db = new Map();', "  db = new Map();\n  constructor() { super(); throw new Error('no database'); }")),
    /^BrokenStore \(run \d+\) did not start; the Lab still runs on MyStore \(run 1\)\. See Output\.$/,
  );
  const entry = playground.lastEntry;
  await expect(entry).toContainText(/BrokenStore \(run \d+\) did not start/);
  await expect(entry).toContainText('new BrokenStore() threw: Error: no database (line 4 in the editor). The constructor runs with no arguments');
  await expect(entry).toContainText('Kept MyStore (run 1) running.');
  await expect(entry.getByRole('button', { name: 'Show line 4 in the editor' })).toBeVisible();
});

test('a missing method: the message names it', async ({ playground }) => {
  await playground.setAndRun(
    jsStore((code) => code.replace('  clean() { return 0; }\n', '')),
    /did not start; the Lab still runs on MyStore \(run 1\)/,
  );
  await expect(playground.lastEntry).toContainText('BrokenStore has no clean() method. A store needs all five: create, get, update, delete and clean');
});

test('a method returning the wrong shape: the Session refuses it, and the message says what is wrong', async ({ playground }) => {
  await playground.setAndRun(jsStore((code) => code.replace('return record ? structuredClone(record) : null;', 'return record ? { ...record, expires: new Date(record.expires) } : null;')));
  await playground.signIn('carol');
  // Sign-in creates the session; the next request that reads it (whichever part of the Lab sends it first)
  // gets the refused record: the entry says so. The page's greeting is not waited for: that request may
  // already have answered 503 and hidden it.
  const entry = playground.output.locator('.pg-entry').filter({ hasText: 'get() returned something that is not a session record' });
  await expect(entry).toContainText("The record's expires is a Date, not an ISO 8601 string.");
  await expect(entry.getByRole('button', { name: 'Show line 5 in the editor' })).toBeVisible();
});

test('an error thrown by a method points at its line; console.log reaches the output pane', async ({ page, playground }) => {
  await playground.setAndRun(
    jsStore((code) => code.replace('create(record) {', "create(record) {\n    console.log('creating a session for', record.userId, { letters: record.userId.length });\n    if (record.userId === 'mallory') record.missing.field = 1;")),
  );
  await playground.signIn('ada');
  const log = playground.output.locator('.pg-entry[data-tone="log"]').filter({ hasText: 'creating a session for ada' });
  await expect(log).toContainText('creating a session for ada {letters: 3}');
  await expect(log.getByRole('button', { name: 'Show line 5 in the editor' })).toBeVisible();

  await playground.signIn('mallory');
  const error = playground.output.locator('.pg-entry').filter({ hasText: 'create() threw an error' });
  await expect(error).toContainText("Cannot set properties of undefined (setting 'field') (line 6 in the editor)");
  await error.getByRole('button', { name: 'Show line 6 in the editor' }).click();
  await expect(playground.editor.locator('.ui-runtime-line').first()).toBeVisible();
  await expect(page.locator('.monaco-editor .line-numbers.active-line-number')).toHaveText('6');
});

test('TypeScript errors at run time point at the TypeScript line, through the source map', ALSO_UNDER_BASE_PATH, async ({ playground }) => {
  await playground.language('TypeScript');
  const starter = await playground.code();
  // Types and interfaces vanish from the compiled code, so its lines differ from the editor's.
  const code = starter.replace(
    '  /** Sign-in: keep this brand-new record under its sessionId. */',
    '  /** Sign-in: keep this brand-new record under its sessionId. */\n  // An interface only TypeScript sees:\n  declare extra: { a: string };',
  ).replace('this.db.set(record.sessionId, structuredClone(record));', "if (record.userId === 'mallory') throw new TypeError('no mallory here');\n    this.db.set(record.sessionId, structuredClone(record));");
  await playground.setAndRun(code);
  const line = code.split('\n').findIndex((text) => text.includes("throw new TypeError('no mallory here')")) + 1;
  await playground.signIn('mallory');
  await expect(playground.output.locator('.pg-entry').filter({ hasText: 'create() threw an error' })).toContainText(`no mallory here (line ${line} in the editor)`);
});
