/**
 * The playground page as its specs see it: the editor, the result panes, the Lab beside them, and the
 * few steps every journey takes. Code goes into the editor through the playground's own API
 * (`app.setCode`, one undoable edit) or the clipboard, never `keyboard.type`: Monaco's auto-indent and
 * auto-closing would change what is typed.
 *
 * After each test, the page must have logged no errors but the ones Chromium logs for API answers
 * the simulated server means to send (401 when signed out, 503 when a store fails, 504 when it hangs).
 */
import type { Locator, Page } from '@playwright/test';
import { expect, test as base } from './csp-fixtures.ts';

const EXPECTED_STATUS_LOG = /^Failed to load resource: the server responded with a status of (400|401|502|503|504)\b/;

export class PlaygroundPage {
  readonly page: Page;
  readonly base: string;

  constructor(page: Page, base: string) {
    this.page = page;
    this.base = base;
  }

  /** Opens /playground/ (with `suffix`, e.g. a share link's fragment) and waits until the Lab runs the code in the editor. */
  async open(suffix = ''): Promise<void> {
    const response = await this.page.goto(`./playground/${suffix}`);
    expect(response?.status()).toBe(200);
    await this.waitServing();
  }

  /** Waits until the status line says the code in the editor serves the Lab. */
  async waitServing(): Promise<void> {
    // The first compile waits for Monaco's TypeScript worker to start.
    await expect(this.status).toHaveText(/runs in the Lab/, { timeout: 90_000 });
  }

  get root(): Locator {
    return this.page.locator('session-playground');
  }

  get status(): Locator {
    return this.page.locator('[data-pg="status-text"]');
  }

  get editor(): Locator {
    return this.root.locator('.monaco-editor').first();
  }

  get output(): Locator {
    return this.root.getByRole('tabpanel', { name: 'Output' });
  }

  /** The newest entry of the output pane. */
  get lastEntry(): Locator {
    return this.root.locator('.pg-entry').last();
  }

  get checks(): Locator {
    return this.root.locator('[data-pg-panel="checks"]');
  }

  get lab(): Locator {
    return this.page.locator('session-lab');
  }

  async language(name: 'TypeScript' | 'JavaScript'): Promise<void> {
    await this.root.getByRole('radio', { name }).check();
    await expect(this.root).toHaveAttribute('data-language', name.toLowerCase());
  }

  /** The editor's code (the language shown). */
  code(): Promise<string> {
    return this.page.evaluate(() => document.querySelector('session-playground')!.app!.getCode());
  }

  /** Replaces the code, as one edit (Ctrl+Z undoes it). */
  async setCode(code: string): Promise<void> {
    await this.page.evaluate((text) => document.querySelector('session-playground')!.app!.setCode(text), code);
  }

  /** Pastes `code` over everything in the editor, as a reader would. */
  async paste(code: string): Promise<void> {
    await this.page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await this.editor.click();
    await this.page.keyboard.press('ControlOrMeta+A');
    await this.page.evaluate((text) => navigator.clipboard.writeText(text), code);
    await this.page.keyboard.press('ControlOrMeta+V');
    await expect.poll(() => this.code()).toBe(code);
  }

  /**
   * Presses Run and waits for its outcome in the status line. The first compile of a language on a
   * page starts Monaco's TypeScript worker for it: give that one `timeout: 90_000`.
   */
  async run(expected: RegExp = /runs in the Lab/, timeout = 30_000): Promise<void> {
    await this.root.getByRole('button', { name: /^Run\b/ }).first().click();
    await expect(this.status).toHaveText(expected, { timeout });
  }

  async setAndRun(code: string, expected?: RegExp): Promise<void> {
    await this.setCode(code);
    await this.run(expected);
  }

  /** Presses Run checks and waits for the summary. */
  async runChecks(): Promise<Locator> {
    await this.root.getByRole('button', { name: 'Run checks' }).click();
    const summary = this.root.locator('[data-pg="checks-summary"]');
    await expect(summary).toHaveText(/^(Required:|Not checked)/, { timeout: 60_000 });
    return summary;
  }

  /** The Lab's demo app: signs out if needed, then signs in as `name`. */
  async signIn(name: string): Promise<void> {
    await this.labTab('App');
    const app = this.lab.getByRole('region', { name: 'Demo app' });
    const signOut = app.getByRole('button', { name: 'Sign out', exact: true });
    if (await signOut.isVisible()) {
      await signOut.click();
      await expect(app.getByLabel('Your name')).toBeVisible();
    }
    await app.getByLabel('Your name').fill(name);
    await app.getByRole('button', { name: 'Sign in' }).click();
  }

  /** Selects one of the Lab's own tabs (it shows its panels as tabs beside the editor). */
  async labTab(name: 'App' | 'Timeline' | 'Inspector'): Promise<void> {
    const tab = this.lab.getByRole('tab', { name: new RegExp(`^${name}`) });
    if (await tab.isVisible()) await tab.click();
  }
}

export const test = base.extend<{ playground: PlaygroundPage }>({
  playground: async ({ page, baseURL }, use) => {
    if (!baseURL) throw new Error('Each project in tests/playwright.config.ts must set use.baseURL.');
    const base = new URL(baseURL).pathname;
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const where = message.location().url;
      const fromApi = where !== '' && new URL(where).pathname.startsWith(`${base}api/`);
      if (fromApi && EXPECTED_STATUS_LOG.test(message.text())) return;
      problems.push(`console: ${message.text()} (at ${where})`);
    });
    await use(new PlaygroundPage(page, base));
    expect(problems, 'errors while the playground ran').toEqual([]);
  },
});

export { ALSO_UNDER_BASE_PATH } from './csp-fixtures.ts';
export { expect };

/** A store in the style of FluidAuth's documentation, exactly as the issue gives it. */
export const FLUIDAUTH_DOCS_STORE = `import { BaseSessionStore } from "@fluidauth/express/base";

export class MyStore extends BaseSessionStore {
  constructor() {
    super();
    this.db = new Map();
  }
  create(sessionData) {
    this.db.set(sessionData.sessionId, sessionData);
  }
  async get(sessionId) {
    return this.db.get(sessionId) || null;
  }
  async update(sessionId, sessionData) {
    if (this.db.has(sessionId)) this.db.set(sessionId, sessionData);
  }
  async delete(sessionId) {
    this.db.delete(sessionId);
  }
  async clean() {
    const now = new Date();
    for (const [id, data] of this.db) {
      if (new Date(data.expires) < now) this.db.delete(id);
    }
  }
}
`;

/**
 * A working JavaScript store; `change` rewrites one part of it to break it on purpose. Method
 * lines: constructor none, create 4, get 5, update 6, delete 7, clean 8.
 */
export function jsStore(change: (code: string) => string = (code) => code): string {
  return change(`import { BaseSessionStore } from 'sessionlab';
export class BrokenStore extends BaseSessionStore {
  db = new Map();
  create(record) { this.db.set(record.sessionId, structuredClone(record)); }
  get(id) { const record = this.db.get(id); return record ? structuredClone(record) : null; }
  update(id, record) { if (this.db.has(id)) this.db.set(id, structuredClone(record)); }
  delete(id) { this.db.delete(id); }
  clean() { return 0; }
  all() { return [...this.db.values()]; }
}
`);
}
