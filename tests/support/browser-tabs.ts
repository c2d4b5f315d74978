/**
 * Browser commands that give browser-mode tests more tabs of their own origin.
 *
 * Vitest browser mode runs each test file inside a page it cannot reload. These commands (they run in
 * the Vitest process and drive Playwright) open real extra pages in the test's browser context: the
 * same origin, so the same IndexedDB, but each with its own JavaScript realm, and reloadable for real
 * with `page.reload()`. A test calls functions of a module inside such a tab with `callInTab`.
 *
 * Register them on the browser project: `browser: { commands: browserTabCommands }`.
 *
 * @example
 * import { commands } from 'vitest/browser';
 * const tab = await commands.openTab();
 * await commands.callInTab(tab, '/tests/support/indexeddb-tab.ts', 'get', ['sessionlab', ['id-1']]);
 * await commands.reloadTab(tab);
 * await commands.closeTab(tab);
 */
import type {} from '@vitest/browser-playwright';
import type { Page } from 'playwright';
import type { BrowserCommand, BrowserCommandContext } from 'vitest/node';

/** The Vite server that serves the test pages. */
type TestServer = NonNullable<BrowserCommandContext['project']['browser']>['vite'];

/** Where a tab's page lives: answered by the tab itself (see `openTab`), never by the Vite server. */
const TAB_PATH = '/__sessionlab__/tab.html';
const TAB_PAGE = '<!doctype html><meta charset="utf-8"><title>sessionlab test tab</title>';

const tabs = new Map<string, Page>();
let opened = 0;

function tabOf(id: string): Page {
  const page = tabs.get(id);
  if (!page) throw new Error(`No open tab "${id}": open one with commands.openTab() (and do not use it after closeTab()).`);
  return page;
}

export interface OpenTabOptions {
  /**
   * Open the tab on the test server under another host name (its IP address instead of `localhost`):
   * another origin, so storage no other test touches.
   */
  otherOrigin?: boolean;
}

/**
 * Another host name for the test server: its IP address when the page uses a name, `localhost` when
 * the page uses an address. Read from the server's socket, so it is one the server listens on.
 */
function otherHostName(pageHostName: string, server: TestServer | undefined): string {
  const bound = server?.httpServer?.address();
  const ip = bound && typeof bound === 'object' ? bound.address : '127.0.0.1';
  const literal = ip === '::' || ip === '0.0.0.0' ? '127.0.0.1' : ip.includes(':') ? `[${ip}]` : ip;
  return pageHostName === literal ? 'localhost' : literal;
}

/**
 * Opens a blank page of the test origin (with `otherOrigin`, of another origin on the same server) in
 * the test's browser context; resolves with its id.
 */
const openTab: BrowserCommand<[options?: OpenTabOptions]> = async ({ page, context, project }, options = {}) => {
  const address = new URL(TAB_PATH, page.url());
  if (options.otherOrigin) address.hostname = otherHostName(address.hostname, project.browser?.vite);
  const url = address.href;
  const tab = await context.newPage();
  // The page itself is served here, so the Vite server needs no route for it; its module imports
  // still go to the Vite server of the same origin. Reloads are answered the same way.
  await tab.route(url, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: TAB_PAGE }));
  await tab.goto(url);
  const id = `tab-${++opened}`;
  tabs.set(id, tab);
  return id;
};

/**
 * Imports `modulePath` (a path on the test server, such as `/tests/support/indexeddb-tab.ts`) in the
 * tab and calls its export `exportName` with `args`; resolves with the result. Arguments and result
 * cross as serialized values (JSON-like).
 */
const callInTab: BrowserCommand<[tab: string, modulePath: string, exportName: string, args: unknown[]]> = async (
  _context,
  tab,
  modulePath,
  exportName,
  args,
) => {
  if (!modulePath.startsWith('/') || modulePath.startsWith('//')) {
    throw new Error(`callInTab: modulePath must be a path on the test server, such as "/tests/support/indexeddb-tab.ts"; got "${modulePath}".`);
  }
  // An expression, not a function: Playwright would serialize a function as written here, and this
  // file is compiled for Node; the expression runs as is in the tab.
  const expression = `import(${JSON.stringify(modulePath)}).then((module) => module[${JSON.stringify(exportName)}](...${JSON.stringify(args)}))`;
  return tabOf(tab).evaluate(expression);
};

/** Reloads the tab: a new document and a new JavaScript realm; only what the origin stored remains. */
const reloadTab: BrowserCommand<[tab: string]> = async (_context, tab) => {
  await tabOf(tab).reload();
};

/** Closes the tab (its IndexedDB connections close with it). */
const closeTab: BrowserCommand<[tab: string]> = async (_context, tab) => {
  const page = tabOf(tab);
  tabs.delete(tab);
  await page.close();
};

export const browserTabCommands = { openTab, callInTab, reloadTab, closeTab };

declare module 'vitest/browser' {
  interface BrowserCommands {
    /** Opens another tab of the test origin (same browser context, same storage); resolves with its id. */
    openTab(options?: import('./browser-tabs.ts').OpenTabOptions): Promise<string>;
    /** Imports `modulePath` in the tab and calls its export `exportName` with `args`. */
    callInTab(tab: string, modulePath: string, exportName: string, args: unknown[]): Promise<unknown>;
    /** Reloads the tab for real: a new document and JavaScript realm. */
    reloadTab(tab: string): Promise<void>;
    /** Closes the tab. */
    closeTab(tab: string): Promise<void>;
  }
}
