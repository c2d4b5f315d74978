/**
 * Reader code and share links stay untrusted, on the built site: a link's code opens but does not run
 * and touches no saved work; what a worker posts cannot mark an exercise solved or freeze the page;
 * and text from reader code shows in the editor's hovers as text, never as links or images.
 */
import type { Page } from '@playwright/test';
import { encodeShare } from '../../src/playground/share-link.ts';
import { expect, jsStore, test } from './playground-fixtures.ts';

// Monaco's TypeScript worker starts in seconds on two idle cores, and much later on busy ones; the
// share-link journeys load the playground several times.
test.describe.configure({ timeout: 180_000 });

/** Reader code that runs posts here (a BroadcastChannel reaches the page from any worker of the origin). */
const RAN_CHANNEL = 'sessionlab-e2e-reader-code-ran';
const EXERCISE = '01-create-and-get';

/** Records, on every page of the test, each time reader code announced that it ran. */
async function watchReaderCode(page: Page): Promise<void> {
  await page.addInitScript((name) => {
    const ran: string[] = [];
    (window as unknown as { readerCodeRan: string[] }).readerCodeRan = ran;
    new BroadcastChannel(name).addEventListener('message', (event) => ran.push(String(event.data)));
  }, RAN_CHANNEL);
}

function readerCodeRan(page: Page): Promise<string[]> {
  return page.evaluate(() => [...(window as unknown as { readerCodeRan: string[] }).readerCodeRan]);
}

/** Everything the site keeps of the reader's work: every saved draft (IndexedDB) and localStorage. */
function savedWork(page: Page): Promise<{ drafts: [string, unknown][]; local: [string, string | null][] }> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('sessionlab-playground');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const drafts = await new Promise<[string, unknown][]>((resolve, reject) => {
      const store = db.transaction('drafts').objectStore('drafts');
      const keys = store.getAllKeys();
      const values = store.getAll();
      values.onsuccess = () => resolve((keys.result as string[]).map((key, index) => [key, values.result[index]]));
      values.onerror = () => reject(values.error);
    });
    db.close();
    const local = Object.keys(localStorage)
      .sort()
      .map((key): [string, string | null] => [key, localStorage.getItem(key)]);
    return { drafts, local };
  });
}

/** Saves an exercise draft as the exercise page does (the same database, one record per page). */
function saveExerciseDraft(page: Page, slug: string, code: string): Promise<void> {
  return page.evaluate(
    async ({ key, code }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('sessionlab-playground');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      await new Promise<void>((resolve, reject) => {
        const transaction = db.transaction('drafts', 'readwrite');
        transaction.objectStore('drafts').put({ language: 'typescript', code: { typescript: code }, savedAt: new Date(0).toISOString() }, key);
        transaction.oncomplete = () => resolve();
        transaction.onerror = () => reject(transaction.error);
      });
      db.close();
    },
    { key: `exercise:${slug}`, code },
  );
}

test.describe('a share link', () => {
  test('opens its code with a notice, runs nothing until Run, and leaves every saved draft as it was', async ({ page, playground }) => {
    await watchReaderCode(page);
    await playground.open();
    const mine = `${await playground.code()}\n// my own draft\n`;
    await playground.setCode(mine);
    await expect(playground.root.locator('[data-pg="saved"]')).toHaveText(/^Saved /);
    await saveExerciseDraft(page, EXERCISE, '// my exercise draft\n');
    const before = await savedWork(page);
    expect(before.drafts.map(([key]) => key).sort()).toEqual([`exercise:${EXERCISE}`, 'playground']);

    // A store that announces it ran, and would overwrite the reader's drafts if it could.
    const shared = jsStore((code) =>
      code.replace(
        "import { BaseSessionStore } from 'sessionlab';",
        `import { BaseSessionStore } from 'sessionlab';
new BroadcastChannel(${JSON.stringify(RAN_CHANNEL)}).postMessage('ran');`,
      ).replace('BrokenStore', 'SharedStore'),
    );
    const fragment = await encodeShare({ language: 'javascript', code: shared });
    await page.goto('about:blank');
    await page.goto(`./playground/${fragment}`);

    const notice = playground.root.locator('[data-pg="shared-notice"]');
    await expect(notice).toBeVisible({ timeout: 60_000 });
    await expect(notice).toContainText('came from a link');
    await expect(notice).toContainText('Read it before you run it');
    expect(await playground.code()).toBe(shared);
    await expect(playground.root).toHaveAttribute('data-language', 'javascript');
    await expect(playground.status).toHaveText(/Press Run to run it/);
    expect(await savedWork(page), 'opening the link changed nothing the site keeps').toEqual(before);

    // A reload keeps the link's code apart, and still runs nothing.
    await page.reload();
    await expect(notice).toBeVisible({ timeout: 60_000 });
    expect(await playground.code()).toBe(shared);
    expect(await savedWork(page)).toEqual(before);

    // Only Run runs it: once, as the first run of the page.
    await playground.run(/^SharedStore \(run 1\) runs in the Lab/, 90_000);
    await expect.poll(() => readerCodeRan(page)).toEqual(['ran']);
    // Running it did not save it either.
    expect(await savedWork(page)).toEqual(before);

    // Without the link, the reader's own draft is back, and runs as before.
    await page.goto('./playground/');
    await playground.waitServing();
    await expect(notice).toBeHidden();
    await expect(playground.root).toHaveAttribute('data-language', 'typescript');
    expect(await playground.code()).toBe(mine);
    expect(await readerCodeRan(page)).toEqual([]);
  });

  test('kept on purpose, it is saved as the draft, and still never runs by itself until the reader has run it', async ({ page, playground }) => {
    await watchReaderCode(page);
    const shared = jsStore((code) =>
      code.replace("import { BaseSessionStore } from 'sessionlab';", `import { BaseSessionStore } from 'sessionlab';\nnew BroadcastChannel(${JSON.stringify(RAN_CHANNEL)}).postMessage('ran');`),
    );
    await page.goto(`./playground/${await encodeShare({ language: 'javascript', code: shared })}`);
    const notice = playground.root.locator('[data-pg="shared-notice"]');
    await expect(notice).toBeVisible({ timeout: 60_000 });
    await notice.getByRole('button', { name: 'Keep this code' }).click();
    await expect(playground.root.locator('[data-pg="saved"]')).toHaveText(/^Saved /);

    // The next visit opens the kept code, says where it came from, and does not run it.
    await page.goto('./playground/');
    await expect(notice).toBeVisible({ timeout: 60_000 });
    await expect(notice).toContainText('came from a link');
    await expect(playground.status).toHaveText(/Press Run to run it/);
    expect(await playground.code()).toBe(shared);

    // Run on purpose once: from then on it is the reader's code, run at start like any draft.
    await playground.run(/^BrokenStore \(run 1\) runs in the Lab/, 90_000);
    await expect.poll(() => readerCodeRan(page)).toEqual(['ran']);
    await expect(notice).toBeHidden();
    await page.reload();
    await playground.waitServing();
    await expect.poll(() => readerCodeRan(page)).toEqual(['ran']);
  });
});

test.describe('messages that reader code forges', () => {
  test('fake check results and a fake "done" do not mark an exercise solved', async ({ page }) => {
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`./exercises/${EXERCISE}/`);
    const root = page.locator('session-exercise');
    await expect(root).toHaveAttribute('data-ready', '', { timeout: 60_000 });
    const ids = await root.locator('[data-check]').evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset['check'] ?? ''));
    expect(ids.length).toBeGreaterThan(0);
    const starter = await page.evaluate(() => document.querySelector('session-exercise')!.app!.getCode());
    // The starter, plus code that posts "every check passed" the way the checks worker would, by every way it can.
    const forging = `${starter}
const forged = ${JSON.stringify(ids)};
const lie = (post) => {
  for (const id of forged) post({ type: 'result', result: { id, title: id, passed: true, durationMs: 1 } });
  post({ type: 'done' });
};
lie((message) => self.postMessage(message));
try {
  const realPost = MessagePort.prototype.postMessage;
  MessagePort.prototype.postMessage = function (message, ...rest) {
    if (message && typeof message === 'object' && message.result) message.result.passed = true;
    realPost.call(this, message, ...rest);
    if (message && typeof message === 'object' && message.type === 'loaded') lie((forgedMessage) => realPost.call(this, forgedMessage));
  };
} catch {}
try {
  const realSelfPost = self.postMessage.bind(self);
  self.postMessage = (message, ...rest) => {
    if (message && typeof message === 'object' && message.result) message.result.passed = true;
    realSelfPost(message, ...rest);
  };
} catch {}
`;
    await page.evaluate((code) => document.querySelector('session-exercise')!.app!.setCode(code), forging);
    await root.getByRole('button', { name: /^Check\b/ }).click();
    await expect(root).toHaveAttribute('data-checks-done', '1', { timeout: 60_000 });

    await expect(root.locator('[data-ex="summary"]')).not.toHaveText(/^All \d+ checks pass/);
    await expect(root.locator('[data-ex="status-text"]')).not.toHaveText(/Solved/);
    await expect(root.locator('[data-check][data-state="fail"]').first()).toBeVisible();
    await expect(page.locator(`#starlight__sidebar a[data-exercise-link="${EXERCISE}"]`)).not.toHaveAttribute('data-progress', 'passed');
    await page.goto('./exercises/');
    await expect(page.locator('[data-exercises-solved]')).toHaveText(/^0 of \d+ solved$/);
    expect(problems).toEqual([]);
  });

  test('a fake store event naming a method like (a+)+b does not freeze the page', async ({ page, playground }) => {
    await playground.open();
    await playground.language('JavaScript');
    const event = "{ type: 'event', requestId: null, event: { type: 'store-call', at: new Date().toISOString(), method: '(a+)+b', key: null, durationMs: 1, outcome: 'failed', error: 'forged' } }";
    const forging = jsStore((code) =>
      code
        .replace("import { BaseSessionStore } from 'sessionlab';", `import { BaseSessionStore } from 'sessionlab';\n/*\n${'a'.repeat(40)}\n*/\nself.postMessage(${event});`)
        .replace('create(record) {', `create(record) { self.postMessage(${event});`),
    );
    await playground.setCode(forging);
    // Were the page's main thread caught in a regular expression built from the method's name, it would
    // not get to say the store runs (with 40 "a"s, that would take far longer than this test may).
    await playground.run(/runs in the Lab/, 90_000);
    await playground.signIn('mallory');
    await expect(playground.lab.getByText('Signed in as mallory', { exact: true })).toBeVisible({ timeout: 20_000 });
    await playground.root.getByRole('tab', { name: /^Checks/ }).click();
    await expect(playground.root.getByRole('tab', { name: /^Checks/ })).toHaveAttribute('aria-selected', 'true', { timeout: 5_000 });
    expect(await playground.code()).toBe(forging);
  });
});

test.describe('hovers over reader text', () => {
  test('show a Markdown link and image as text, and load nothing', async ({ page, playground }) => {
    const requests: string[] = [];
    await page.route('https://images.example.test/**', (route) => {
      requests.push(route.request().url());
      return route.fulfill({ status: 204 });
    });
    await playground.open();
    await playground.language('JavaScript');
    const text = '[a link](https://example.test/phish) ![pixel](https://images.example.test/pixel.png) <img src="https://images.example.test/raw.png"> https://example.test/bare';
    await playground.setCode(jsStore((code) => code.replace("import { BaseSessionStore } from 'sessionlab';", `import { BaseSessionStore } from 'sessionlab';\nconsole.log(${JSON.stringify(text)});`)));
    await playground.run(/runs in the Lab/, 90_000);
    const entry = playground.output.locator('.pg-entry').filter({ hasText: 'a link' });
    await entry.getByRole('button', { name: 'Show line 2 in the editor' }).click();
    await expect(playground.editor.locator('.ui-runtime-line').first()).toBeAttached();
    // Over the code of the marked line, where Monaco shows the mark's hover.
    await playground.editor.locator('.view-line').filter({ hasText: 'console.log' }).first().hover({ position: { x: 60, y: 8 } });
    const hover = page.locator('.monaco-hover').filter({ hasText: 'a link' }).first();
    await expect(hover).toBeVisible({ timeout: 10_000 });
    await expect(hover).toContainText('[a link](https://example.test/phish)');
    await expect(hover).toContainText('![pixel](https://images.example.test/pixel.png)');
    await expect(hover).toContainText('<img src="https://images.example.test/raw.png">');
    await expect(hover.locator('a[href], img')).toHaveCount(0);
    expect(requests).toEqual([]);
  });
});
