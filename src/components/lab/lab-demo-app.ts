/**
 * The demo app: a shop page that signs in, keeps a cart, lists the user's devices, changes the
 * email address behind a fresh sign-in, and signs out, using nothing but `fetch(base + 'api/…')`.
 * With several simulated browsers, each has its own page (tabs above it); a page changes only when
 * its own browser makes a request, as a real one would. It knows only what the server answers; the
 * explanations of refusals come from the simulation's events for that request, which a real page
 * could not see (`lab-explanations.ts`).
 */
import type { BrowserId, SimController } from '../../sim/protocol.ts';
import type { DemoDevices } from './lab-devices.ts';
import type { DemoFreshSignIn } from './lab-fresh-sign-in.ts';
import { DemoBrowserTabs } from './lab-browser-tabs.ts';
import type { LabContext, LabPart } from './lab-context.ts';
import { cartOf, DemoRequests, stringOf, tabStatuses, type DemoShell, type Reply, type Route } from './lab-demo-requests.ts';
import { explainFailure, explainSignIn, explainTwoTabs, signsOut, type RequestFacts, type ResultTone } from './lab-explanations.ts';
import { apiPath, formatRelative, formatShortTime } from './lab-format.ts';

interface Account {
  user: string;
  cart: string[];
  email: string | null;
  /** ISO times; null until the account view has loaded. */
  expires: string | null;
  authenticatedAt: string | null;
}

/** The name each browser's sign-in form suggests: the attacker signs in as themselves. */
const SUGGESTED_NAME: Record<BrowserId, string> = { laptop: 'ada', phone: 'ada', attacker: 'mallory' };

/** What one browser's page shows. */
interface BrowserPage {
  account: Account | null;
  result: { tone: ResultTone; title: string; detail: string } | null;
  /** Whether the page has loaded (asked the server who is signed in) since the run started. */
  loaded: boolean;
  /** The status of the server's last answer when it was a failure (5xx): whether the session is still there is unknown. */
  unanswered: number | null;
}

export class DemoApp implements LabPart, DemoShell {
  readonly context: LabContext;
  readonly #requests: DemoRequests;
  /** The devices page and the password step: loaded when first used (see #part). */
  #devices: DemoDevices | null = null;
  #fresh: DemoFreshSignIn | null = null;
  readonly #loading = new Map<string, Promise<unknown>>();
  readonly #tabs: DemoBrowserTabs;
  readonly #pages = new Map<BrowserId, BrowserPage>();
  #browser: BrowserId;
  #now = 0;

  constructor(context: LabContext) {
    this.context = context;
    this.#browser = context.config.browsers[0] ?? 'laptop';
    this.#requests = new DemoRequests(context);
    this.#tabs = new DemoBrowserTabs(this, (browser) => this.#switchTo(browser));
    const address = context.part('address');
    if (address) address.textContent = `${location.origin}${context.config.base}`;

    // Signing in while signed in (as someone else) is how the fixation defence shows: a new id.
    for (const form of [context.part<HTMLFormElement>('login-form'), context.part<HTMLFormElement>('switch-form')]) {
      form?.addEventListener('submit', (event) => {
        event.preventDefault();
        void this.#login(String(new FormData(form).get('user') ?? '').trim());
      });
    }
    const emailForm = context.part<HTMLFormElement>('email-form');
    emailForm?.addEventListener('submit', (event) => {
      event.preventDefault();
      const email = String(new FormData(emailForm).get('email') ?? '').trim();
      void this.#freshSignIn().then((fresh) => fresh?.change(email));
    });
    const confirmForm = context.part<HTMLFormElement>('confirm-form');
    confirmForm?.addEventListener('submit', (event) => {
      event.preventDefault();
      const password = String(new FormData(confirmForm).get('password') ?? '');
      void this.#freshSignIn().then((fresh) => fresh?.confirm(password));
    });
    context.part('confirm-cancel')?.addEventListener('click', () => this.#fresh?.cancel());
    const cartForm = context.part<HTMLFormElement>('cart-form');
    cartForm?.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.#addToCart(String(new FormData(cartForm).get('item') ?? ''));
    });
    // The browser's own reload button: the page loads again and asks who is signed in, whatever it showed.
    const reload = context.part<HTMLButtonElement>('reload');
    reload?.addEventListener('click', () => void this.#loadAccount({ reload }));
    context.part('app')?.addEventListener('click', (event) => {
      const button = (event.target as Element).closest<HTMLButtonElement>('button[type="button"][data-request]');
      if (!button) return;
      const route = button.dataset['request'] as Route;
      if (route === 'account') void this.#loadAccount();
      else if (route === 'devices') void this.#devicesPage().then((devices) => devices?.open());
      else if (route === 'logout-others') void this.#devicesPage().then((devices) => devices?.signOutOthers());
      else if (route === 'logout') void this.#logout('logout');
      else if (route === 'logout-everywhere') void this.#logout('logout-everywhere');
      else if (route === 'cart-two-tabs') void this.#addFromTwoTabs(JSON.parse(button.dataset['items'] ?? '[]') as string[]);
    });
  }

  get browser(): BrowserId {
    return this.#browser;
  }

  /** A fresh simulation is a fresh page load: it asks who is signed in, as any page would. */
  onStart(controller: SimController): void {
    this.#pages.clear();
    this.#browser = controller.browser;
    this.#fresh?.close();
    for (const browser of controller.browsers) this.#devices?.forget(browser);
    this.#switchTo(this.#browser);
  }

  onTick(controller: SimController): void {
    this.#now = controller.now();
    if (this.#devices) this.#devices.now = this.#now;
    this.#renderTimes();
  }

  send(route: Route, request: { method: 'GET' | 'POST'; body?: unknown }, button?: HTMLButtonElement): Promise<Reply | null> {
    const browser = this.#browser;
    return this.#requests.send(route, browser, request, button).then((reply) => {
      // The page claims only what the server last answered: a 5xx says nothing about the session.
      if (reply) this.#page(reply.browser).unanswered = reply.status >= 500 ? reply.status : null;
      return reply;
    }, (error: unknown) => {
      this.result(browser, 'error', 'The simulated server could not be reached.', error instanceof Error ? error.message : String(error));
      return null;
    });
  }

  result(browser: BrowserId, tone: ResultTone, title: string, detail: string): void {
    this.#page(browser).result = { tone, title, detail };
    if (browser === this.#browser) this.#renderResult();
  }

  /** A refused or failed request, explained; the page shows the sign-in form when it can no longer claim one. */
  failed(route: Route, reply: Reply, { answeredWith }: { answeredWith?: number } = {}): void {
    const facts = this.#facts(route);
    const { tone, title, detail } = explainFailure(reply.status, answeredWith === undefined ? facts : { ...facts, answeredWith });
    // A tab refused inside a pair answered 200 is a failed answer too.
    if (reply.status >= 500) this.#page(reply.browser).unanswered = reply.status;
    if (signsOut(reply.status, facts)) this.#signedOut(reply.browser);
    else this.#render();
    this.result(reply.browser, tone, title, detail);
  }

  /** The devices page, loaded on first use; null when it could not load (the result box says so). */
  async #devicesPage(): Promise<DemoDevices | null> {
    const module = await this.#part('devices', () => import('./lab-devices.ts'));
    if (module) this.#devices ??= new module.DemoDevices(this);
    if (this.#devices) this.#devices.now = this.#now;
    return this.#devices;
  }

  /** The password step before a sensitive change, loaded on first use; null when it could not load. */
  async #freshSignIn(): Promise<DemoFreshSignIn | null> {
    const module = await this.#part('fresh', () => import('./lab-fresh-sign-in.ts'));
    this.#fresh ??= module && new module.DemoFreshSignIn(this, (email) => {
      const account = this.#page(this.#browser).account;
      if (account) account.email = email;
      this.#render();
    });
    return this.#fresh;
  }

  /** A part of the app few readers use, imported when first used: the Lab's first load stays small. */
  async #part<T>(name: string, load: () => Promise<T>): Promise<T | null> {
    const loading = (this.#loading.get(name) as Promise<T> | undefined) ?? load();
    this.#loading.set(name, loading);
    try {
      return await loading;
    } catch (error) {
      // Tried again on the next use: the network may be back.
      this.#loading.delete(name);
      this.result(this.#browser, 'error', 'This part of the page did not load.', error instanceof Error ? error.message : String(error));
      return null;
    }
  }

  /** Shows `browser`'s page; the first time, that page loads (asks the server who is signed in). */
  #switchTo(browser: BrowserId): void {
    this.#browser = browser;
    const controller = this.context.controller;
    if (controller?.browsers.includes(browser)) controller.useBrowser(browser);
    this.#tabs.show(browser);
    this.#fresh?.close();
    const name = this.context.part<HTMLFormElement>('login-form')?.querySelector('input');
    // A suggestion only: what the reader typed stays.
    if (name && Object.values(SUGGESTED_NAME).includes(name.value)) name.value = SUGGESTED_NAME[browser];
    this.#render();
    this.#devices?.render();
    this.#renderResult();
    this.context.refresh();
    const page = this.#page(browser);
    if (!page.loaded && controller) {
      page.loaded = true;
      void this.#loadAccount({ quiet: true });
    }
  }

  #page(browser: BrowserId): BrowserPage {
    const page = this.#pages.get(browser) ?? { account: null, result: null, loaded: false, unanswered: null };
    this.#pages.set(browser, page);
    return page;
  }

  async #login(user: string): Promise<void> {
    const reply = await this.send('login', { method: 'POST', body: { user } });
    if (!reply) return;
    if (reply.status === 200) {
      const page = this.#page(reply.browser);
      page.account = { user: stringOf(reply.body?.['user']) ?? user, cart: cartOf(reply.body), email: null, expires: null, authenticatedAt: null };
      this.#devices?.forget(reply.browser);
      this.#render();
      this.result(reply.browser, 'ok', `Signed in as ${page.account.user}.`, explainSignIn(this.#facts('login')));
      this.#focusSignedIn();
      await this.#loadAccount({ quiet: true });
      return;
    }
    if (reply.status === 400) {
      this.result(reply.browser, 'error', 'Type a name to sign in.', 'The server answered 400 Bad Request: a sign-in needs a user name.');
      return;
    }
    this.failed('login', reply);
  }

  /** Asks who is signed in. `quiet`: a page load, saying only "Not signed in"; `reload`: the browser's reload button. */
  async #loadAccount({ quiet = false, reload }: { quiet?: boolean; reload?: HTMLButtonElement } = {}): Promise<void> {
    const reply = await this.send('account', { method: 'GET' }, reload);
    if (!reply) return;
    const page = this.#page(reply.browser);
    if (reply.status === 200 && reply.body) {
      page.account = {
        user: stringOf(reply.body['user']) ?? '?',
        cart: cartOf(reply.body),
        email: stringOf(reply.body['email']),
        expires: stringOf(reply.body['expires']),
        authenticatedAt: stringOf(reply.body['authenticatedAt']),
      };
      this.#render();
      if (reload) {
        this.result(reply.browser, 'ok', `Page reloaded: signed in as ${page.account.user}.`, `GET ${this.#path('account')} answered 200 OK: the browser sent a session cookie the server knows.`);
      } else if (!quiet) {
        this.result(reply.browser, 'ok', 'Page reloaded: you are still signed in.', `GET ${this.#path('account')} answered 200 OK.`);
      }
      return;
    }
    if (reply.status === 401 && reload && !page.account) {
      this.#render();
      this.result(reply.browser, 'info', 'Page reloaded: not signed in.', 'The server answered 401: this browser has no session it knows.');
      return;
    }
    if (reply.status === 401 && quiet && !page.account) {
      this.#render();
      this.result(reply.browser, 'info', 'Not signed in.', 'The page asked the server who you are; it answered 401: no session yet.');
      return;
    }
    this.failed('account', reply);
  }

  async #addToCart(item: string): Promise<void> {
    const reply = await this.send('cart', { method: 'POST', body: { item } });
    if (!reply) return;
    const account = this.#page(reply.browser).account;
    if (reply.status === 200 && account) {
      account.cart = cartOf(reply.body);
      this.#render();
      this.result(reply.browser, 'ok', `Added ${item} to your cart.`, 'The cart lives in the session record, in the store.');
      return;
    }
    this.failed('cart', reply);
  }

  /**
   * Two tabs add an item each at the same instant (one server runs both side by side, or the
   * balancer sends them to two). With compare-and-set both items stay; with a last-write-wins store
   * one vanishes.
   */
  async #addFromTwoTabs(items: string[]): Promise<void> {
    const before = this.#page(this.#browser).account?.cart.length ?? 0;
    const reply = await this.send('cart-two-tabs', { method: 'POST', body: { items } });
    if (!reply) return;
    if (reply.status !== 200) return this.failed('cart-two-tabs', reply);
    // The pair is answered 200, with each tab's own answer inside: a refused tab is what to explain.
    const refused = tabStatuses(reply.body).find((status) => status !== 200);
    if (refused !== undefined) return this.failed('cart-two-tabs', { ...reply, status: refused, body: null }, { answeredWith: reply.status });
    await this.#loadAccount({ quiet: true });
    const kept = (this.#page(reply.browser).account?.cart.length ?? 0) - before;
    const why = explainTwoTabs(kept >= items.length, this.#facts('cart-two-tabs'));
    if (kept >= items.length) {
      this.result(reply.browser, 'ok', `Both tabs added an item: ${items.join(' and ')} are in your cart.`, why);
    } else {
      this.result(reply.browser, 'error', `Two tabs added ${items.length} items, but only ${Math.max(kept, 0)} stayed in your cart.`, why);
    }
  }

  async #logout(route: 'logout' | 'logout-everywhere'): Promise<void> {
    const reply = await this.send(route, { method: 'POST' });
    if (!reply) return;
    if (reply.status !== 200) return this.failed(route, reply);
    this.#signedOut(reply.browser);
    if (route === 'logout') {
      this.result(reply.browser, 'ok', 'Signed out.', 'The server deleted the session and told the browser to drop its cookie.');
      return;
    }
    const ended = typeof reply.body?.['ended'] === 'number' ? reply.body['ended'] : 0;
    this.result(reply.browser, 'ok', `Signed out everywhere: ${ended} ${ended === 1 ? 'session' : 'sessions'} ended.`, 'Every session of this user is gone from the store, on every device.');
  }

  /** What the simulation saw, for explaining the newest request for `route`. */
  #facts(route: Route): RequestFacts {
    const controller = this.context.controller;
    return { events: controller?.events() ?? [], options: controller?.options ?? null, route, path: this.#path(route) };
  }

  #path(route: Route): string {
    return apiPath(`${this.context.config.base}api/${route}`, this.context.config.base);
  }

  #signedOut(browser: BrowserId): void {
    this.#page(browser).account = null;
    this.#devices?.forget(browser);
    if (browser === this.#browser) this.#fresh?.close();
    this.#render();
  }

  #focusSignedIn(): void {
    // Keep keyboard users where the action is: the form they used is gone now.
    const greeting = this.context.part('user');
    if (document.activeElement === document.body || this.context.part('signed-out')?.contains(document.activeElement)) {
      greeting?.closest<HTMLElement>('[data-lab="signed-in"]')?.querySelector<HTMLButtonElement>('button')?.focus();
    }
  }

  /** Draws the shown browser's page. */
  #render(): void {
    const { account, unanswered } = this.#page(this.#browser);
    const signedOut = this.context.part('signed-out');
    const signedIn = this.context.part('signed-in');
    if (signedOut) {
      const wasFocused = signedIn?.contains(document.activeElement) ?? false;
      signedOut.hidden = account !== null;
      if (wasFocused && account === null) signedOut.querySelector('input')?.focus();
    }
    if (signedIn) signedIn.hidden = account === null;
    if (!account) return;
    const greeting = this.context.part('greeting');
    if (greeting) greeting.hidden = unanswered !== null;
    const unknown = this.context.part('session-unknown');
    const unknownText = unanswered === null ? '' : `Session state unknown: the server could not answer (${unanswered}).`;
    if (unknown) Object.assign(unknown, { hidden: unanswered === null, textContent: unknownText });
    const user = this.context.part('user');
    if (user) user.textContent = account.user;
    const cart = this.context.part('cart');
    if (cart) {
      cart.replaceChildren(...account.cart.map((item) => Object.assign(document.createElement('li'), { textContent: item })));
      cart.hidden = account.cart.length === 0;
    }
    const empty = this.context.part('cart-empty');
    if (empty) empty.hidden = account.cart.length > 0;
    const email = this.context.part('email');
    if (email) email.textContent = account.email ?? 'none yet';
    this.#renderTimes();
  }

  #renderTimes(): void {
    const account = this.#page(this.#browser).account;
    const expires = this.context.part('expires');
    if (expires && account) {
      const at = account.expires ? Date.parse(account.expires) : NaN;
      expires.dataset['expired'] = String(at <= this.#now);
      expires.textContent = !this.#now || Number.isNaN(at)
        ? '—'
        : at > this.#now
          ? `${formatRelative(at, this.#now)} (${formatShortTime(at)})`
          : `${formatRelative(at, this.#now)}: the page finds out on its next request`;
    }
    const signedIn = this.context.part('signed-in-at');
    if (signedIn && account) {
      const at = account.authenticatedAt ? Date.parse(account.authenticatedAt) : NaN;
      signedIn.textContent = !this.#now || Number.isNaN(at) ? '—' : `${formatShortTime(at)} (${formatRelative(at, this.#now)})`;
    }
  }

  #renderResult(): void {
    const box = this.context.part('result');
    if (!box) return;
    const result = this.#page(this.#browser).result;
    if (!result) {
      box.replaceChildren();
      delete box.dataset['tone'];
      return;
    }
    const heading = Object.assign(document.createElement('p'), { className: 'lab-result-title', textContent: result.title });
    const text = Object.assign(document.createElement('p'), { className: 'lab-result-detail', textContent: result.detail });
    box.dataset['tone'] = result.tone;
    box.replaceChildren(heading, text);
  }
}
