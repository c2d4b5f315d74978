/**
 * The exercises on the built site, as a reader meets them: every exercise opens on its starter, the
 * reference solution passes every check, and a wrong solution (the first in
 * content/exercises/<slug>/wrong/) is caught by the checks its expectations.ts names, with the messages
 * they promise; all of it run by the page's own Check button, in the sandbox worker. Which checks each
 * starter fails, and every wrong solution's verdict, are proven in real Chromium by
 * tests/browser/exercises.test.ts, on the same check engine; here one passing and one failing run per
 * exercise prove the page shows the checks' verdicts as they report them.
 * Then the reader's journey: progress that survives a reload and shows in the overview and the
 * navigation, a solution shown beside the code without touching it, reset and undo, next and previous.
 *
 * Code goes into the editor through the exercise's own API (`app.setCode`, one undoable edit), never
 * `keyboard.type`: Monaco's auto-indent and auto-closing would change what is typed. Every exercise
 * runs in the root build; the sub-path build runs one IndexedDB exercise and the journey's links
 * (what a base path can break: worker, chunk and module URLs, links).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Locator, Page } from '@playwright/test';
import { ALSO_UNDER_BASE_PATH, expect, test as base } from './csp-fixtures.ts';
import type { ExerciseExpectations } from '../../src/exercises/exercise-expectations.ts';

const EXERCISES_DIR = fileURLToPath(new URL('../../content/exercises/', import.meta.url));

interface ExerciseFiles {
  slug: string;
  starter: string;
  solution: string;
  wrong: Record<string, string>;
  expectations: ExerciseExpectations;
}

const exercises: ExerciseFiles[] = await Promise.all(
  readdirSync(EXERCISES_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map(async (slug) => {
      const read = (file: string) => readFileSync(`${EXERCISES_DIR}${slug}/${file}`, 'utf8');
      const wrongFiles = readdirSync(`${EXERCISES_DIR}${slug}/wrong`).filter((file) => file.endsWith('.ts'));
      const module = (await import(pathToFileURL(`${EXERCISES_DIR}${slug}/expectations.ts`).href)) as { expectations: ExerciseExpectations };
      return {
        slug,
        starter: read('starter.ts'),
        solution: read('solution.ts'),
        wrong: Object.fromEntries(wrongFiles.map((file) => [file.replace(/\.ts$/, ''), read(`wrong/${file}`)])),
        expectations: module.expectations,
      };
    }),
);

interface CheckLine {
  id: string;
  state: string;
  message: string;
}

class ExercisePage {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  get root(): Locator {
    return this.page.locator('session-exercise');
  }

  get status(): Locator {
    return this.root.locator('[data-ex="status-text"]');
  }

  get summary(): Locator {
    return this.root.locator('[data-ex="summary"]');
  }

  /**
   * Opens /exercises/<slug>/ and waits for the editor's first appearance, up to 60 s: Monaco and its
   * TypeScript worker start from nothing, which took over 30 s on a two-core machine under a load average
   * above 20. The time that wait took is added to the test's timeout, so a slow start leaves the checks
   * that follow the time they had.
   */
  async open(slug: string): Promise<void> {
    const response = await this.page.goto(`./exercises/${slug}/`);
    expect(response?.status()).toBe(200);
    await this.ready();
  }

  /** Waits for the editor of the page just loaded (after open, a reload or a link), as open() does. */
  async ready(): Promise<void> {
    const waitStarted = Date.now();
    await expect(this.root).toHaveAttribute('data-ready', '', { timeout: 60_000 });
    const info = base.info();
    if (info.timeout > 0) info.setTimeout(info.timeout + (Date.now() - waitStarted)); // 0: no timeout to extend
  }

  code(): Promise<string> {
    return this.page.evaluate(() => document.querySelector('session-exercise')!.app!.getCode());
  }

  /** Replaces the code, as one edit (Ctrl+Z undoes it). */
  async setCode(code: string): Promise<void> {
    await this.page.evaluate((text) => document.querySelector('session-exercise')!.app!.setCode(text), code);
  }

  /** Presses Check and waits until the run is over; the checks' lines as they are then. */
  async check(): Promise<CheckLine[]> {
    const before = Number((await this.root.getAttribute('data-checks-done')) ?? '0');
    await this.root.getByRole('button', { name: /^Check\b/ }).click();
    await expect(this.root).toHaveAttribute('data-checks-done', String(before + 1), { timeout: 60_000 });
    return this.root.locator('[data-check]').evaluateAll((items) =>
      items.map((item) => ({
        id: (item as HTMLElement).dataset['check'] ?? '',
        state: (item as HTMLElement).dataset['state'] ?? '',
        message: item.querySelector('.ex-check-message')?.textContent ?? '',
      })),
    );
  }

  async checkCode(code: string): Promise<CheckLine[]> {
    await this.setCode(code);
    return this.check();
  }
}

const test = base.extend<{ exercise: ExercisePage }>({
  exercise: async ({ page }, use) => {
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()} (at ${message.location().url})`);
    });
    await use(new ExercisePage(page));
    expect(problems, 'errors while the exercise page ran').toEqual([]);
  },
});

function failed(lines: readonly CheckLine[]): Record<string, string> {
  return Object.fromEntries(lines.filter((line) => line.state !== 'pass').map((line) => [line.id, line.message]));
}

test.describe('every exercise, checked in the page', () => {
  // Under the sub-path, one exercise whose checks open IndexedDB: its worlds and the checks worker load from
  // under the base path like every other exercise's.
  const underBasePath = exercises.find((files) => files.expectations.needsIndexedDB)?.slug;
  for (const files of exercises) {
    const tags = files.slug === underBasePath ? ALSO_UNDER_BASE_PATH : {};
    test(`${files.slug}: opens on the starter; the solution passes every check; a wrong solution fails the checks it should`, tags, async ({ exercise }) => {
      test.setTimeout(120_000);
      await exercise.open(files.slug);
      // Which checks each starter fails is proven in Chromium by tests/browser/exercises.test.ts.
      expect(await exercise.code(), 'a first visit starts from the starter').toBe(files.starter);

      const solution = await exercise.checkCode(files.solution);
      expect(failed(solution)).toEqual({});
      await expect(exercise.summary).toHaveText(`All ${solution.length} checks pass.`);

      const [name, code] = Object.entries(files.wrong).sort(([a], [b]) => a.localeCompare(b))[0]!;
      const caught = files.expectations.wrong[name];
      expect(caught, `expectations for wrong/${name}.ts`).toBeDefined();
      const lines = failed(await exercise.checkCode(code));
      expect(Object.keys(lines).sort(), `checks failed by wrong/${name}.ts`).toEqual(Object.keys(caught!).sort());
      for (const [id, pattern] of Object.entries(caught!)) expect(lines[id], `${name}: ${id}`).toMatch(pattern);
    });
  }
});

test.describe('a reader working through the exercises', () => {
  const [first, second] = exercises;

  test('progress survives a reload, and shows in the navigation and the overview', ALSO_UNDER_BASE_PATH, async ({ exercise, page }) => {
    await exercise.open(first!.slug);
    const navLink = (slug: string) => page.locator(`#starlight__sidebar a[data-exercise-link="${slug}"]`);
    await expect(navLink(first!.slug)).toHaveAttribute('data-progress', 'new');

    await exercise.check(); // the starter: tried, not solved
    await expect(navLink(first!.slug)).toHaveAttribute('data-progress', 'attempted');
    await exercise.checkCode(first!.solution);
    await expect(navLink(first!.slug)).toHaveAttribute('data-progress', 'passed');
    await expect(navLink(first!.slug)).toContainText('(solved)');

    await page.reload();
    await exercise.ready();
    await expect(navLink(first!.slug)).toHaveAttribute('data-progress', 'passed');
    await expect(navLink(second!.slug)).toHaveAttribute('data-progress', 'new');
    await expect(exercise.status).toHaveText(/You have solved this exercise/);
    expect(await exercise.code(), 'the code is kept too').toBe(first!.solution);

    await page.goto('./exercises/');
    await expect(page.locator(`[data-exercise-progress="${first!.slug}"]`)).toHaveText('✓ Solved');
    await expect(page.locator(`[data-exercise-progress="${second!.slug}"]`)).toHaveText('Not tried yet');
    await expect(page.locator('[data-exercises-solved]')).toHaveText(`1 of ${exercises.length} solved`);
  });

  test('the solution is shown beside the code and never replaces it unasked; reset and "use the solution" are undoable', async ({ exercise, page }) => {
    await exercise.open(second!.slug);
    const mine = `${second!.starter}\n// my own line\n`;
    await exercise.setCode(mine);

    const toggle = exercise.root.getByRole('button', { name: 'Show the solution' });
    await toggle.click();
    const solution = exercise.root.getByRole('region', { name: 'A solution' });
    await expect(solution).toBeVisible();
    await expect(solution).toContainText('if (this.db.has(sessionId)) this.db.set(sessionId, record);');
    await expect(exercise.root.getByRole('button', { name: 'Show the instructions' })).toHaveAttribute('aria-expanded', 'true');
    expect(await exercise.code(), 'showing the solution leaves the code alone').toBe(mine);

    const undo = async () => {
      await exercise.root.locator('.monaco-editor .view-lines').click();
      await page.keyboard.press('ControlOrMeta+Z');
    };
    await solution.getByRole('button', { name: 'Put it in the editor' }).click();
    expect(await exercise.code()).toBe(second!.solution);
    await undo();
    await expect.poll(() => exercise.code()).toBe(mine);

    await exercise.root.getByRole('button', { name: 'Reset to starter' }).click();
    expect(await exercise.code()).toBe(second!.starter);
    await undo();
    await expect.poll(() => exercise.code()).toBe(mine);
  });

  test('a store stuck in an endless loop fails the check it was on, and the page stays responsive', async ({ exercise }) => {
    await exercise.open(first!.slug);
    const looping = first!.solution.replace('return this.db.get(sessionId) ?? null;', 'while (true) {}');
    expect(looping).not.toBe(first!.solution);
    const lines = await exercise.checkCode(looping);
    const stuck = lines.find((line) => line.state === 'fail' && /stopped answering/.test(line.message));
    expect(stuck?.message).toMatch(/^Your store stopped answering: it kept the checks busy for 2\.5 s without a pause, inside get\(\)/);
    const after = lines.slice(lines.indexOf(stuck!) + 1);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((line) => line.message === 'Not run: the checks were stopped when your store stopped answering.')).toBe(true);
    await expect(exercise.summary).toHaveText(/checks pass\. The checks were stopped: your store stopped answering\./);
    // The page answers at once: the loop ran in the checks worker, which is gone.
    await exercise.root.getByRole('button', { name: 'Show the solution' }).click();
    await expect(exercise.root.getByRole('region', { name: 'A solution' })).toBeVisible();
  });

  test('next and previous lead through the exercises in order', ALSO_UNDER_BASE_PATH, async ({ exercise, page }) => {
    await exercise.open(first!.slug);
    await exercise.root.getByRole('navigation', { name: 'Previous and next exercise' }).getByRole('link', { name: /Next/ }).click();
    await expect(page).toHaveURL(new RegExp(`/exercises/${second!.slug}/$`));
    await exercise.ready();
    await exercise.root.getByRole('navigation', { name: 'Previous and next exercise' }).getByRole('link', { name: /Previous/ }).click();
    await expect(page).toHaveURL(new RegExp(`/exercises/${first!.slug}/$`));
  });
});
