/**
 * The Lab page as the Lab specs see it: where its panels are, the few steps every journey takes, and
 * a check after each test that the page logged no errors.
 *
 * The one kind of console error allowed: Chromium logs "Failed to load resource: … status of 401"
 * for every fetch answered 4xx or 5xx, and refusing a request is the demo app's job. Those are
 * accepted only for the simulated API under the base path, and only for the statuses it means to send.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, test as base } from './csp-fixtures.ts';

const EXPECTED_STATUS_LOG = /^Failed to load resource: the server responded with a status of (400|401|403|503|504)\b/;

export class LabPage {
  readonly page: Page;
  /** The site's base path, `/` or `/session-lab/`. */
  readonly base: string;

  constructor(page: Page, base: string) {
    this.page = page;
    this.base = base;
  }

  /** Opens /lab/ (with `query`, e.g. `?store=memory`) and waits until its simulated server runs. */
  async open(query = ''): Promise<void> {
    const response = await this.page.goto(`./lab/${query}`);
    expect(response?.status()).toBe(200);
    await expect(this.statusLine).toHaveText(/^Server running on the .+ store\.$/, { timeout: 20_000 });
    // The page's first request (who is signed in?) has been answered.
    await expect(this.result).toContainText('Not signed in.');
  }

  get statusLine(): Locator {
    return this.page.locator('session-lab [data-lab="status-text"]');
  }

  get app(): Locator {
    return this.page.getByRole('region', { name: 'Demo app' });
  }

  /** The demo app's answer to the last request (a polite live region). */
  get result(): Locator {
    return this.app.getByRole('status');
  }

  get controls(): Locator {
    return this.page.getByRole('region', { name: 'Controls', exact: true });
  }

  get timeline(): Locator {
    return this.page.getByRole('region', { name: 'Timeline of events' });
  }

  get inspector(): Locator {
    return this.page.getByRole('region', { name: 'Inspector' });
  }

  /** The timeline's group for the newest request whose first line contains `request`, e.g. `POST /api/login`. */
  requestGroup(request: string): Locator {
    return this.timeline.locator('.lab-group').filter({ has: this.page.locator(':scope > .lab-ev', { hasText: request }) }).last();
  }

  async signIn(name = 'ada'): Promise<void> {
    await this.app.getByLabel('Your name').fill(name);
    await this.app.getByRole('button', { name: 'Sign in' }).click();
    await expect(this.app.getByText(`Signed in as ${name}`, { exact: true })).toBeVisible();
    // The account view has loaded (it shows when the session expires).
    await expect(this.app.getByRole('definition').first()).toHaveText(/^in \d+ min/);
  }

  async reloadAccount(): Promise<void> {
    const before = await this.page.locator('session-lab .lab-group').count();
    await this.app.getByRole('button', { name: 'Reload page' }).click();
    await expect(this.page.locator('session-lab .lab-group')).toHaveCount(before + 1);
    await expect(this.requestGroup('GET /api/account')).not.toHaveAttribute('data-status', 'pending');
  }

  async jump(label: '1 minute' | '10 minutes' | '1 hour' | '1 day'): Promise<void> {
    await this.controls.getByRole('button', { name: `Move the clock forward ${label}` }).click();
    const shown = { '1 minute': '1 min', '10 minutes': '10 min', '1 hour': '1 h', '1 day': '1 day' }[label];
    await expect(this.timeline.getByText(`Clock jumped +${shown}`).last()).toBeVisible();
  }

  /** Shows the page of simulated browser `name` (its tab in the demo app). */
  async useBrowser(name: 'Laptop' | 'Phone' | 'Attacker'): Promise<void> {
    const tab = this.app.getByRole('tablist', { name: 'Browsers' }).getByRole('tab', { name: new RegExp(`^${name}`) });
    await tab.click();
    await expect(tab).toHaveAttribute('aria-selected', 'true');
  }

  /** Runs `count` servers behind the load balancer, from the controls, and waits until they run. */
  async useServers(count: 1 | 2 | 3): Promise<void> {
    await this.controls.getByRole('radio', { name: count === 1 ? '1 server' : `${count} servers`, exact: true }).check();
    await expect(this.statusLine).toHaveText(count === 1 ? /^One server now/ : new RegExp(`^${count} servers on the `));
  }

  /** The server named beside the newest request whose first line contains `request`. */
  servedBy(request: string): Locator {
    return this.requestGroup(request).locator(':scope > .lab-ev .lab-ev-server');
  }

  async restartServer(): Promise<void> {
    await this.controls.getByRole('button', { name: 'Restart server' }).click();
    await expect(this.statusLine).toHaveText(/^Server restarted on the /);
  }
}

export const test = base.extend<{ lab: LabPage }>({
  lab: async ({ page, baseURL }, use) => {
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
    await use(new LabPage(page, base));
    expect(problems, 'errors while the Lab ran').toEqual([]);
  },
});

export { expect };
