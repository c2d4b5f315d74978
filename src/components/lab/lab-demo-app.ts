/**
 * The demo app: a shop page that signs in, keeps a cart and signs out, using nothing but
 * `fetch(base + 'api/…')`. It knows only what the server answers; the explanations of refusals
 * come from the simulation's events for that request, which a real page could not see
 * (`lab-explanations.ts`).
 */
import type { SimController } from '../../sim/protocol.ts';
import type { LabContext, LabPart } from './lab-context.ts';
import { explainFailure, explainSignIn, type RequestFacts, type ResultTone } from './lab-explanations.ts';
import { apiPath, formatRelative, formatShortTime } from './lab-format.ts';

type Route = 'login' | 'account' | 'cart' | 'cart-two-tabs' | 'logout' | 'logout-everywhere' | 'sessions';

interface Account {
  user: string;
  cart: string[];
  /** ISO times; null until the account view has loaded. */
  expires: string | null;
  createdAt: string | null;
}

interface Reply {
  status: number;
  body: Record<string, unknown> | null;
}

/** What a button says while its request is on the way. */
const BUSY_TEXT: Record<Route, string> = {
  login: 'Signing in…',
  account: 'Loading…',
  cart: 'Adding…',
  'cart-two-tabs': 'Adding from both tabs…',
  logout: 'Signing out…',
  'logout-everywhere': 'Signing out…',
  sessions: 'Loading…',
};

export class DemoApp implements LabPart {
  readonly #context: LabContext;
  #account: Account | null = null;
  #now = 0;
  readonly #pending = new Set<Route>();

  constructor(context: LabContext) {
    this.#context = context;
    const address = context.part('address');
    if (address) address.textContent = `${location.origin}${context.config.base}`;

    // Signing in while signed in (as someone else) is how the fixation defence shows: a new id.
    for (const form of [context.part<HTMLFormElement>('login-form'), context.part<HTMLFormElement>('switch-form')]) {
      form?.addEventListener('submit', (event) => {
        event.preventDefault();
        void this.#login(String(new FormData(form).get('user') ?? '').trim());
      });
    }
    const cartForm = context.part<HTMLFormElement>('cart-form');
    cartForm?.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.#addToCart(String(new FormData(cartForm).get('item') ?? ''));
    });
    context.part('app')?.addEventListener('click', (event) => {
      const button = (event.target as Element).closest<HTMLButtonElement>('button[type="button"][data-request]');
      if (!button) return;
      const route = button.dataset['request'] as Route;
      if (route === 'account') void this.#loadAccount();
      else if (route === 'sessions') void this.#loadSessions();
      else if (route === 'logout') void this.#logout();
      else if (route === 'logout-everywhere') void this.#logoutEverywhere();
      else if (route === 'cart-two-tabs') void this.#addFromTwoTabs(JSON.parse(button.dataset['items'] ?? '[]') as string[]);
    });
  }

  /** A fresh simulation is a fresh page load: it asks who is signed in, as any page would. */
  onStart(): void {
    this.#account = null;
    this.#render();
    this.#context.part('result')?.replaceChildren();
    void this.#loadAccount({ quiet: true });
  }

  onTick(controller: SimController): void {
    this.#now = controller.now();
    this.#renderExpiry();
  }

  async #login(user: string): Promise<void> {
    const reply = await this.#send('login', { method: 'POST', body: { user } });
    if (!reply) return;
    if (reply.status === 200) {
      this.#account = { user: stringOf(reply.body?.['user']) ?? user, cart: cartOf(reply.body), expires: null, createdAt: null };
      this.#render();
      this.#result('ok', `Signed in as ${this.#account.user}.`, explainSignIn(this.#facts('login')));
      this.#focusSignedIn();
      await this.#loadAccount({ quiet: true });
      return;
    }
    if (reply.status === 400) {
      this.#result('error', 'Type a name to sign in.', 'The server answered 400 Bad Request: a sign-in needs a user name.');
      return;
    }
    this.#failed('login', reply);
  }

  async #loadAccount({ quiet = false } = {}): Promise<void> {
    const reply = await this.#send('account', { method: 'GET' });
    if (!reply) return;
    if (reply.status === 200 && reply.body) {
      this.#account = {
        user: stringOf(reply.body['user']) ?? '?',
        cart: cartOf(reply.body),
        expires: stringOf(reply.body['expires']),
        createdAt: stringOf(reply.body['createdAt']),
      };
      this.#render();
      if (!quiet) this.#result('ok', 'Page reloaded: you are still signed in.', `GET ${this.#path('account')} answered 200 OK.`);
      return;
    }
    if (reply.status === 401 && quiet && !this.#account) {
      this.#render();
      this.#result('info', 'Not signed in.', 'The page asked the server who you are; it answered 401: no session yet.');
      return;
    }
    this.#failed('account', reply);
  }

  async #addToCart(item: string): Promise<void> {
    const reply = await this.#send('cart', { method: 'POST', body: { item } });
    if (!reply) return;
    if (reply.status === 200 && this.#account) {
      this.#account.cart = cartOf(reply.body);
      this.#render();
      this.#result('ok', `Added ${item} to your cart.`, 'The cart lives in the session record, in the store.');
      return;
    }
    this.#failed('cart', reply);
  }

  /**
   * Two tabs add an item each at the same instant (the server runs both requests side by side).
   * With compare-and-set both items stay; with a last-write-wins store one vanishes.
   */
  async #addFromTwoTabs(items: string[]): Promise<void> {
    const before = this.#account?.cart.length ?? 0;
    const reply = await this.#send('cart-two-tabs', { method: 'POST', body: { items } });
    if (!reply) return;
    if (reply.status !== 200) {
      this.#failed('cart-two-tabs', reply);
      return;
    }
    // The pair is answered 200, with each tab's own answer inside: a refused tab is what to explain.
    const refused = tabStatuses(reply.body).find((status) => status !== 200);
    if (refused !== undefined) {
      this.#failed('cart-two-tabs', { status: refused, body: null }, { answeredWith: reply.status });
      return;
    }
    await this.#loadAccount({ quiet: true });
    const kept = (this.#account?.cart.length ?? 0) - before;
    if (kept >= items.length) {
      this.#result('ok', `Both tabs added an item: ${items.join(' and ')} are in your cart.`, 'The second write lost the race, re-read the session and merged its change (compareAndSet). See "merged" in the timeline.');
    } else {
      this.#result('error', `Two tabs added ${items.length} items, but only ${Math.max(kept, 0)} stayed in your cart.`, 'This store has no compareAndSet: the second write replaced the first (last write wins).');
    }
  }

  async #loadSessions(): Promise<void> {
    const reply = await this.#send('sessions', { method: 'GET' });
    if (!reply) return;
    if (reply.status === 200) {
      const sessions = Array.isArray(reply.body?.['sessions']) ? (reply.body['sessions'] as unknown[]) : [];
      this.#renderSessions(sessions);
      const count = sessions.length;
      this.#result('ok', `You have ${count} ${count === 1 ? 'session' : 'sessions'}.`, 'Each browser or device you sign in from gets its own.');
      return;
    }
    this.#failed('sessions', reply);
  }

  async #logout(): Promise<void> {
    const reply = await this.#send('logout', { method: 'POST' });
    if (!reply) return;
    if (reply.status === 200) {
      this.#signedOut();
      this.#result('ok', 'Signed out.', 'The server deleted the session and told the browser to drop its cookie.');
      return;
    }
    this.#failed('logout', reply);
  }

  async #logoutEverywhere(): Promise<void> {
    const reply = await this.#send('logout-everywhere', { method: 'POST' });
    if (!reply) return;
    if (reply.status === 200) {
      const ended = typeof reply.body?.['ended'] === 'number' ? reply.body['ended'] : 0;
      this.#signedOut();
      this.#result(
        'ok',
        `Signed out everywhere: ${ended} ${ended === 1 ? 'session' : 'sessions'} ended.`,
        'Every session of this user is gone from the store, on every device.',
      );
      return;
    }
    this.#failed('logout-everywhere', reply);
  }

  /** Sends one request; null when it never got an answer (the failure is shown). */
  async #send(route: Route, request: { method: 'GET' | 'POST'; body?: unknown }): Promise<Reply | null> {
    if (this.#pending.has(route)) return null;
    this.#pending.add(route);
    const buttons = this.#buttonsFor(route);
    const labels = buttons.map((button) => button.textContent ?? '');
    for (const button of buttons) {
      // aria-disabled, not disabled: a disabled button would drop keyboard focus on the floor.
      button.setAttribute('aria-disabled', 'true');
      button.dataset['busy'] = '';
      button.textContent = BUSY_TEXT[route];
    }
    try {
      await this.#context.ready;
      const init: RequestInit = { method: request.method, headers: { accept: 'application/json' } };
      if (request.body !== undefined) {
        init.body = JSON.stringify(request.body);
        init.headers = { accept: 'application/json', 'content-type': 'application/json' };
      }
      const response = await fetch(`${this.#context.config.base}api/${route}`, init);
      const text = await response.text();
      return { status: response.status, body: parseObject(text) };
    } catch (error) {
      this.#result('error', 'The simulated server could not be reached.', error instanceof Error ? error.message : String(error));
      return null;
    } finally {
      this.#pending.delete(route);
      buttons.forEach((button, index) => {
        button.removeAttribute('aria-disabled');
        delete button.dataset['busy'];
        button.textContent = labels[index] ?? '';
      });
    }
  }

  #buttonsFor(route: Route): HTMLButtonElement[] {
    return [...(this.#context.part('app')?.querySelectorAll<HTMLButtonElement>(`button[data-request="${route}"]`) ?? [])];
  }

  /** A refused or failed request, explained. */
  #failed(route: Route, reply: Reply, { answeredWith }: { answeredWith?: number } = {}): void {
    if (reply.status === 401) this.#signedOut();
    const facts = this.#facts(route);
    const { tone, title, detail } = explainFailure(reply.status, answeredWith === undefined ? facts : { ...facts, answeredWith });
    this.#result(tone, title, detail);
  }

  /** What the simulation saw, for explaining the newest request for `route`. */
  #facts(route: Route): RequestFacts {
    const controller = this.#context.controller;
    return { events: controller?.events() ?? [], options: controller?.options ?? null, route, path: this.#path(route) };
  }

  #path(route: Route): string {
    return apiPath(`${this.#context.config.base}api/${route}`, this.#context.config.base);
  }

  #signedOut(): void {
    this.#account = null;
    this.#render();
  }

  #focusSignedIn(): void {
    // Keep keyboard users where the action is: the form they used is gone now.
    const greeting = this.#context.part('user');
    if (document.activeElement === document.body || this.#context.part('signed-out')?.contains(document.activeElement)) {
      greeting?.closest<HTMLElement>('[data-lab="signed-in"]')?.querySelector<HTMLButtonElement>('button')?.focus();
    }
  }

  #render(): void {
    const account = this.#account;
    const signedOut = this.#context.part('signed-out');
    const signedIn = this.#context.part('signed-in');
    if (signedOut) {
      const wasFocused = signedIn?.contains(document.activeElement) ?? false;
      signedOut.hidden = account !== null;
      if (wasFocused && account === null) signedOut.querySelector('input')?.focus();
    }
    if (signedIn) signedIn.hidden = account === null;
    if (!account) {
      const sessions = this.#context.part('sessions');
      if (sessions) sessions.hidden = true;
      return;
    }
    const user = this.#context.part('user');
    if (user) user.textContent = account.user;
    const cart = this.#context.part('cart');
    if (cart) {
      cart.replaceChildren(
        ...account.cart.map((item) => {
          const li = document.createElement('li');
          li.textContent = item;
          return li;
        }),
      );
      cart.hidden = account.cart.length === 0;
    }
    const empty = this.#context.part('cart-empty');
    if (empty) empty.hidden = account.cart.length > 0;
    const created = this.#context.part('created');
    if (created) created.textContent = account.createdAt ? formatShortTime(Date.parse(account.createdAt)) : '—';
    this.#renderExpiry();
  }

  #renderExpiry(): void {
    const expires = this.#context.part('expires');
    const account = this.#account;
    if (!expires || !account) return;
    if (!account.expires || !this.#now) {
      expires.textContent = '—';
      return;
    }
    const at = Date.parse(account.expires);
    expires.dataset['expired'] = String(at <= this.#now);
    expires.textContent =
      at > this.#now
        ? `${formatRelative(at, this.#now)} (${formatShortTime(at)})`
        : `${formatRelative(at, this.#now)}: the page finds out on its next request`;
  }

  #renderSessions(sessions: unknown[]): void {
    const box = this.#context.part('sessions');
    const list = this.#context.part('sessions-list');
    if (!box || !list) return;
    list.replaceChildren(
      ...sessions.map((entry) => {
        const session = (entry ?? {}) as Record<string, unknown>;
        const li = document.createElement('li');
        const created = stringOf(session['createdAt']);
        const expires = stringOf(session['expires']);
        const parts = [
          created ? `signed in at ${formatShortTime(Date.parse(created))}` : 'signed in',
          expires ? `expires ${formatRelative(Date.parse(expires), this.#now)}` : '',
        ].filter(Boolean);
        li.textContent = parts.join(' · ');
        if (session['current'] === true) {
          const badge = document.createElement('span');
          badge.className = 'lab-badge';
          badge.textContent = 'this browser';
          li.append(' ', badge);
        }
        return li;
      }),
    );
    box.hidden = false;
  }

  #result(tone: ResultTone, title: string, detail: string): void {
    const box = this.#context.part('result');
    if (!box) return;
    const heading = document.createElement('p');
    heading.className = 'lab-result-title';
    heading.textContent = title;
    const text = document.createElement('p');
    text.className = 'lab-result-detail';
    text.textContent = detail;
    box.dataset['tone'] = tone;
    box.replaceChildren(heading, text);
  }
}

function stringOf(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function cartOf(body: Record<string, unknown> | null): string[] {
  const cart = body?.['cart'];
  return Array.isArray(cart) ? cart.map(String) : [];
}

/** The status each tab of the two-tabs request got. */
function tabStatuses(body: Record<string, unknown> | null): number[] {
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

