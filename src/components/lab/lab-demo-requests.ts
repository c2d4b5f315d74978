/**
 * How the demo app talks to its server: one `fetch(base + 'api/…')` per action, its buttons marked
 * busy meanwhile, and the answer read as JSON. Also the small readers of those answers the app's
 * parts share.
 */
import type { BrowserId } from '../../sim/protocol.ts';
import type { LabContext } from './lab-context.ts';
import type { ResultTone } from './lab-explanations.ts';

export type Route =
  | 'login'
  | 'account'
  | 'cart'
  | 'cart-two-tabs'
  | 'logout'
  | 'logout-everywhere'
  | 'logout-others'
  | 'devices'
  | 'revoke-device'
  | 'email'
  | 'reauthenticate';

export interface Reply {
  status: number;
  body: Record<string, unknown> | null;
  /** The simulated browser the request went out from. */
  browser: BrowserId;
}

/** What the app's parts (devices page, fresh sign-in) get from the app. */
export interface DemoShell {
  readonly context: LabContext;
  /** The browser whose page is shown. */
  readonly browser: BrowserId;
  /** Sends one request from the shown browser; null when it never got an answer (the failure is shown). */
  send(route: Route, request: { method: 'GET' | 'POST'; body?: unknown }, button?: HTMLButtonElement): Promise<Reply | null>;
  /** Shows an outcome in `browser`'s page. */
  result(browser: BrowserId, tone: ResultTone, title: string, detail: string): void;
  /** A refused or failed request, explained (a 401 signs the page out). */
  failed(route: Route, reply: Reply): void;
}

/** What a button says while its request is on the way. */
const BUSY_TEXT: Record<Route, string> = {
  login: 'Signing in…',
  account: 'Loading…',
  cart: 'Adding…',
  'cart-two-tabs': 'Adding from both tabs…',
  logout: 'Signing out…',
  'logout-everywhere': 'Signing out…',
  'logout-others': 'Signing out…',
  devices: 'Loading…',
  'revoke-device': 'Signing out…',
  email: 'Saving…',
  reauthenticate: 'Confirming…',
};

/**
 * Sends one request for `route` from `browser` (the network reads the browser when `fetch` is
 * called); resolves to null when one for the same route and browser is already on its way. Throws
 * when the simulated server cannot be reached.
 */
export class DemoRequests {
  readonly #context: LabContext;
  readonly #pending = new Set<string>();

  constructor(context: LabContext) {
    this.#context = context;
  }

  async send(route: Route, browser: BrowserId, request: { method: 'GET' | 'POST'; body?: unknown }, button?: HTMLButtonElement): Promise<Reply | null> {
    const key = `${browser} ${route}`;
    if (this.#pending.has(key)) return null;
    this.#pending.add(key);
    const buttons = button ? [button] : this.#buttonsFor(route);
    const labels = buttons.map((each) => each.textContent ?? '');
    for (const each of buttons) {
      // aria-disabled, not disabled: a disabled button would drop keyboard focus on the floor.
      each.setAttribute('aria-disabled', 'true');
      each.dataset['busy'] = '';
      // An icon button keeps its icon; a labelled one says what is under way.
      if (!each.hasAttribute('aria-label')) each.textContent = BUSY_TEXT[route];
    }
    try {
      const controller = await this.#context.ready;
      // The browser is the one the reader used, even if they switched while the Lab was starting.
      if (controller.browsers.includes(browser)) controller.useBrowser(browser);
      const init: RequestInit = { method: request.method, headers: { accept: 'application/json' } };
      if (request.body !== undefined) {
        init.body = JSON.stringify(request.body);
        init.headers = { accept: 'application/json', 'content-type': 'application/json' };
      }
      const response = await fetch(`${this.#context.config.base}api/${route}`, init);
      const text = await response.text();
      return { status: response.status, body: parseObject(text), browser };
    } finally {
      this.#pending.delete(key);
      buttons.forEach((each, index) => {
        each.removeAttribute('aria-disabled');
        delete each.dataset['busy'];
        if (!each.hasAttribute('aria-label')) each.textContent = labels[index] ?? '';
      });
    }
  }

  #buttonsFor(route: Route): HTMLButtonElement[] {
    return [...(this.#context.part('app')?.querySelectorAll<HTMLButtonElement>(`button[data-request="${route}"]`) ?? [])];
  }
}

export function stringOf(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

export function cartOf(body: Record<string, unknown> | null): string[] {
  const cart = body?.['cart'];
  return Array.isArray(cart) ? cart.map(String) : [];
}

/** The status each tab of the two-tabs request got. */
export function tabStatuses(body: Record<string, unknown> | null): number[] {
  const tabs = body?.['tabs'];
  if (!Array.isArray(tabs)) return [];
  return tabs.map((tab: unknown) => {
    const status = tab && typeof tab === 'object' ? (tab as Record<string, unknown>)['status'] : undefined;
    return typeof status === 'number' ? status : 200;
  });
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
