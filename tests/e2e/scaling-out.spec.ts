/**
 * The Scaling out page, walked as its steps tell a reader to walk it, on the built site: two servers
 * behind a load balancer, where sticky sessions keep a Memory session until its server stops, a
 * shared store (IndexedDB) keeps the reader signed in through round robin and a stopped server, and
 * the two-tabs cart, one tab on each server, keeps both items with compare-and-set.
 * Round robin on Memory is lab-servers.spec.ts's journey; the balancer's rules and the two tabs'
 * verdicts (last write wins included) are the browser tests'.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, test, LabPage } from './lab-fixtures.ts';

/** One of the page's Labs: the fixture's steps, within `root` (the page has two). */
class LabIn extends LabPage {
  readonly root: Locator;

  constructor(page: Page, base: string, root: Locator) {
    super(page, base);
    this.root = root;
  }

  override get statusLine(): Locator {
    return this.root.locator('[data-lab="status-text"]');
  }

  override get app(): Locator {
    return this.root.getByRole('region', { name: 'Demo app' });
  }

  override get controls(): Locator {
    return this.root.getByRole('region', { name: 'Controls', exact: true });
  }

  override get timeline(): Locator {
    return this.root.getByRole('region', { name: 'Timeline of events' });
  }

  override get inspector(): Locator {
    return this.root.getByRole('region', { name: 'Inspector' });
  }
}

test('Scaling out: sticky sessions hold until the pinned server stops; a shared store holds through everything; two tabs on two servers keep both items', async ({ lab: page0, page }) => {
  const lab = new LabIn(page, page0.base, page.locator('session-lab').first());
  await page.goto('./stores/scaling-out/');
  // A docs page's Lab starts its server when the reader scrolls to it.
  await lab.root.scrollIntoViewIfNeeded();
  await expect(lab.statusLine).toHaveText(/^Server running on the Memory store, as 2 processes behind a load balancer/, { timeout: 20_000 });
  await expect(lab.result).toContainText('Not signed in.');

  // Step 2: sticky sessions pin the browser to one server, with the balancer's cookie in the jar.
  await lab.controls.getByRole('radio', { name: /^Sticky sessions/ }).check();
  await expect(lab.statusLine).toHaveText(/^Load balancer: sticky sessions\./);
  await lab.signIn('ada');
  const pinned = await servedBy(lab, 'POST /api/login');
  await panel(page, 'Inspector');
  await expect(lab.inspector.getByText('lb-server', { exact: true }).first()).toBeVisible();
  for (let i = 0; i < 3; i++) {
    await reload(lab, page);
    expect(await servedBy(lab, 'GET /api/account', '200')).toBe(pinned);
  }

  // Step 3: stop the pinned server; the other one does not know the session.
  await panel(page, 'App');
  await lab.controls.getByRole('button', { name: `Stop server ${pinned}` }).click();
  await expect(lab.statusLine).toHaveText(new RegExp(`^Server ${pinned} stopped\\.`));
  await reload(lab, page);
  expect(await servedBy(lab, 'GET /api/account', '401')).toBe(3 - pinned);
  await panel(page, 'App');
  await expect(lab.result).toContainText('You are signed out.');

  // Step 4: start it again, round robin, IndexedDB: every server finds the session, even with one stopped.
  await lab.controls.getByRole('button', { name: `Start server ${pinned}` }).click();
  await expect(lab.statusLine).toHaveText(new RegExp(`^Server ${pinned} is running again`));
  await lab.controls.getByRole('radio', { name: /^Round robin/ }).check();
  await lab.controls.getByRole('radio', { name: /^IndexedDB Records/ }).check();
  await expect(lab.statusLine).toHaveText(/^Server restarted on the IndexedDB store\./);
  await lab.signIn('grace');
  const servers = new Set<number>();
  for (let i = 0; i < 2; i++) {
    await reload(lab, page);
    servers.add(await servedBy(lab, 'GET /api/account', '200'));
  }
  expect([...servers].sort(), 'round robin reached both servers').toEqual([1, 2]);
  await panel(page, 'App');
  await lab.controls.getByRole('button', { name: 'Stop server 1' }).click();
  await expect(lab.statusLine).toHaveText(/^Server 1 stopped\. The sessions are in the shared database/);
  await reload(lab, page);
  expect(await servedBy(lab, 'GET /api/account', '200')).toBe(2);
  await panel(page, 'App');
  await expect(lab.app.getByText('Signed in as grace', { exact: true })).toBeVisible();

  // Two servers at the same instant: the second Lab, two servers on the shared IndexedDB store.
  const tabs = new LabIn(page, page0.base, page.locator('session-lab').nth(1));
  await tabs.root.scrollIntoViewIfNeeded();
  await tabs.root.getByRole('button', { name: 'Run this Lab' }).click();
  await expect(tabs.statusLine).toHaveText(/^Server running on the IndexedDB store, as 2 processes behind a load balancer/, { timeout: 20_000 });
  await expect(tabs.result).toContainText('Not signed in.');
  await tabs.signIn('ada');
  await tabs.app.getByRole('button', { name: 'Add from two tabs at once' }).click();
  await expect(tabs.result).toContainText('Both tabs added an item');
  await expect(tabs.result).toContainText(/^.*The balancer sent tab 1 to server (\d) and tab 2 to server (?!\1)\d, which share one store\./);
  // In the order the saves landed, which either tab may win.
  const cart = tabs.app.getByRole('list', { name: 'Cart' }).getByRole('listitem');
  await expect(cart).toHaveCount(2);
  expect((await cart.allTextContents()).sort()).toEqual(['Oat biscuit', 'Shortbread']);
  await panel(page, 'Timeline', tabs.root);
  const served = tabs.servedBy('POST /api/cart-two-tabs');
  await expect(served).toHaveText([/^Tab 1: Server \d$/, /^Tab 2: Server \d$/]);
  const [first, second] = await served.allTextContents();
  expect(first?.slice(-1), 'one tab on each server').not.toBe(second?.slice(-1));
  await expect(tabs.requestGroup('POST /api/cart-two-tabs').getByText('Concurrent change merged')).toBeVisible();
});

/** On a docs page the Lab's panels are tabs, as a reader switches them (in the first Lab unless `lab` says). */
async function panel(page: Page, name: 'App' | 'Timeline' | 'Inspector', lab: Locator = page.locator('session-lab').first()): Promise<void> {
  const tab = lab.getByRole('tab', { name: new RegExp(`^${name}`) });
  await tab.click();
  await expect(tab).toHaveAttribute('aria-selected', 'true');
}

/** Presses Reload page in the demo app and waits, on the timeline, for the answer. */
async function reload(lab: LabIn, page: Page): Promise<void> {
  await panel(page, 'App');
  const groups = lab.root.locator('.lab-group');
  const before = await groups.count();
  await lab.app.getByRole('button', { name: 'Reload page' }).click();
  await panel(page, 'Timeline');
  await expect(groups).toHaveCount(before + 1);
  await expect(lab.requestGroup('GET /api/account')).not.toHaveAttribute('data-status', 'pending');
}

/** The server the timeline names beside the newest `request`, once it was answered with `status`. */
async function servedBy(lab: LabIn, request: string, status?: string): Promise<number> {
  await panel(lab.page, 'Timeline');
  if (status) await expect(lab.requestGroup(request)).toHaveAttribute('data-status', status);
  const label = lab.servedBy(request);
  await expect(label).toHaveText(/^Server \d$/);
  return serverNumber(label);
}

async function serverNumber(label: Locator): Promise<number> {
  const text = (await label.textContent()) ?? '';
  const match = /^Server (\d)$/.exec(text.trim());
  if (!match) throw new Error(`Expected "Server N", got ${JSON.stringify(text)}`);
  return Number(match[1]);
}
