/**
 * The simulated network: MSW's service worker catches the demo page's `fetch(base + 'api/…')` calls
 * and hands each one to the simulated server, with the Cookie header the simulated browser's jar
 * gives for it. The server's Set-Cookie goes into that jar and nowhere else: the Response MSW gets
 * has none, so MSW never stores a cookie (in document.cookie or its localStorage jar).
 *
 * It answers only the Lab page's own fetches. MSW's service worker hands a request whose sender is
 * not a page running MSW (a navigation: a link, a new tab, a popup, a frame; or a worker's fetch) to
 * any visible page that runs a Lab; such requests pass through to the real network. The page's own
 * fetches are told apart by a token, random per Lab, that the page's `fetch` adds in a header
 * (`x-session-lab-page`) while the Lab runs: nobody else on the origin knows it. Headers of a
 * simulated response come from an allow-list (response-headers.ts), never from the server as is.
 */
import { http, passthrough } from 'msw';
import { setupWorker, type SetupWorker } from 'msw/browser';
import { isBrowserId } from './browser-profiles.ts';
import type { Browsers } from './browsers.ts';
import type { EventLog } from './event-log.ts';
import { simulatedResponseHeaders } from './response-headers.ts';
import type { ServerAnswer } from './server-host.ts';
import type { Route, SentCookie } from './server-pool.ts';
import type { WireRequest } from './server-messages.ts';
import { isTwoTabs } from './two-tabs.ts';

/** Statuses whose responses have no body (Fetch standard, "null body status"). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
/** Real ms `stop()` waits for MSW's service worker to confirm. */
const STOP_WAIT_MS = 1000;
/**
 * How long registering MSW's service worker may take before the Lab gives up: a registration that
 * never settles must not hang it, and a slow one on a busy machine or a cold phone must not fail it
 * (8 s was not enough once, while a full test run kept both cores busy).
 */
const START_WAIT_MS = 20_000;
/** How much of a cookie value the timeline shows: enough to tell cookies apart, too little to replay. */
const SHOWN_VALUE_CHARS = 8;

/** The request header that marks the Lab page's own fetches; its value is the Lab's token. */
export const PAGE_TOKEN_HEADER = 'x-session-lab-page';
/**
 * The request header that says which simulated browser a fetch goes out from, fixed when the page
 * calls `fetch` (a reader who switches browsers while a request is on its way does not move it).
 */
export const PAGE_BROWSER_HEADER = 'x-session-lab-browser';
/** Request headers the simulated server never sees: the jar sends the cookies, the Lab's own marks stay with the page. */
const LAB_HEADERS = new Set(['cookie', 'user-agent', PAGE_TOKEN_HEADER, PAGE_BROWSER_HEADER]);

export interface NetworkOptions {
  /** The site's base path, ending in "/". */
  base: string;
  /** The simulated browsers: each request uses the jar, user agent and address of the one it went out from. */
  browsers: Browsers;
  /** The load balancer in front of the servers (server-pool.ts). */
  upstream: Upstream;
  log: EventLog;
}

/** What stands behind the network: picks a server for a request, and passes the request to it. */
export interface Upstream {
  /** How many servers there are: with one, events name none. */
  readonly count: number;
  /** `tabs: 2`: the two-tabs demo's request, one pick per tab. */
  route(cookies: readonly SentCookie[], options?: { tabs?: 1 | 2 }): Route;
  request(route: Route, request: WireRequest, what: string): Promise<ServerAnswer>;
}

export class Network {
  readonly #options: NetworkOptions;
  readonly #worker: SetupWorker;
  /** Unguessable, per Lab: the page's own fetches carry it. */
  readonly #token = crypto.randomUUID();
  readonly #pageFetch: PageFetch;
  #requests = 0;
  #stopped = false;

  private constructor(options: NetworkOptions) {
    this.#options = options;
    this.#worker = setupWorker(http.all(`${options.base}api/*`, ({ request }) => this.#forward(request)));
    this.#pageFetch = new PageFetch(`${location.origin}${options.base}api/`, this.#token, () => options.browsers.current);
  }

  /** Registers MSW's service worker (at `${base}mockServiceWorker.js`, scope `base`) and starts intercepting. */
  static async start(options: NetworkOptions): Promise<Network> {
    const network = new Network(options);
    const url = `${options.base}mockServiceWorker.js`;
    try {
      // A registration that never settles (seen on a cold start with a missing worker file) must not hang the Lab.
      let timer: ReturnType<typeof setTimeout> | undefined;
      const gaveUp = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${START_WAIT_MS / 1000} s`)), START_WAIT_MS);
      });
      try {
        await Promise.race([network.#worker.start({ serviceWorker: { url }, onUnhandledFrame: 'bypass', quiet: true }), gaveUp]);
        network.#pageFetch.install();
      } finally {
        clearTimeout(timer);
      }
    } catch (error) {
      // A half-started MSW keeps its interceptors and the next start fails on them. Stopping removes them
      // at once; the rest of stopping waits for a service worker that never came, so it is not awaited.
      network.#stopped = true;
      Promise.resolve(network.#worker.stop()).catch(() => {});
      throw new Error(
        `The Lab's network could not start: MSW's service worker did not register from ${url} (${error instanceof Error ? error.message : String(error)}). ` +
          'Check that public/mockServiceWorker.js is deployed with the site, and that the page is served over https or from localhost.',
        { cause: error },
      );
    }
    return network;
  }

  /**
   * Stops intercepting: requests go to the real network again. Resolves once MSW's service worker has
   * let this page go, or after a second when it does not answer (it may have been unregistered).
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#pageFetch.uninstall();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const gaveUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, STOP_WAIT_MS)));
    await Promise.race([Promise.resolve(this.#worker.stop()).catch(() => {}), gaveUp]);
    clearTimeout(timer);
  }

  async #forward(request: Request): Promise<Response | undefined> {
    // Caught while MSW was stopping: no answer here, MSW lets it through to the network.
    if (this.#stopped) return undefined;
    // Not the Lab page's own fetch (see the module comment): the real network answers it.
    if (request.mode === 'navigate' || request.headers.get(PAGE_TOKEN_HEADER) !== this.#token) return passthrough();
    const { browsers, upstream, log } = this.#options;
    const named = request.headers.get(PAGE_BROWSER_HEADER);
    const browser = browsers.get(isBrowserId(named) && browsers.ids.includes(named) ? named : browsers.current);
    const { jar } = browser;
    // Which browser sent it is news only when there are several.
    const from = browsers.ids.length > 1 ? { browser: browser.id } : {};
    const id = ++this.#requests;
    const url = new URL(request.url);
    // Every request comes from the Lab's own page: that page is the initiator SameSite looks at.
    const context = { initiator: location.href };
    // The Fetch standard's credentials mode: 'omit' neither sends nor stores cookies; 'same-origin' (the default) only on the page's origin.
    const credentialed = request.credentials === 'include' || (request.credentials !== 'omit' && url.origin === location.origin);
    const cookies = credentialed ? jar.cookiesFor(url, context) : { header: null, names: [], pairs: [] };
    const route = upstream.route(cookies.pairs, { tabs: isTwoTabs(request, this.#options.base) ? 2 : 1 });
    // Which server served it is news only when there are several; for the two tabs, which served each.
    const server = upstream.count > 1 ? { server: route.server, ...(route.tabs ? { tabs: route.tabs } : {}) } : {};
    log.add({ kind: 'request', id, method: request.method, path: url.pathname + url.search, cookies: cookies.names, ...server, ...from });
    const body = request.method === 'GET' || request.method === 'HEAD' ? null : await request.arrayBuffer();
    const answer = await upstream.request(
      route,
      {
        id,
        method: request.method,
        url: request.url,
        // The simulated browser's own User-Agent, not the real one (page script cannot set it).
        headers: [...[...request.headers].filter(([name]) => !LAB_HEADERS.has(name)), ['user-agent', browser.userAgent]],
        body: body && body.byteLength > 0 ? body : null,
        cookie: cookies.header,
        ip: browser.ip,
      },
      `${request.method} ${url.pathname}`,
    );
    log.add({ kind: 'response', id, ...server, ...from, status: answer.status, setCookie: shortened(answer.setCookie), durationMs: Math.round(answer.durationMs * 10) / 10 });
    if (answer.setCookie !== null && credentialed) jar.receive(answer.setCookie, url, context);
    // The balancer's own cookie, beside the server's: a sticky balancer adds it to the response it passes on.
    if (route.pin !== null && credentialed) jar.receive(route.pin, url, context);
    const hasBody = !NULL_BODY_STATUSES.has(answer.status);
    return new Response(hasBody ? answer.body : null, {
      status: answer.status,
      statusText: answer.statusText,
      headers: simulatedResponseHeaders(answer.headers, { hasBody }),
    });
  }
}

/**
 * The page's `fetch`, while a Lab runs: requests to the Lab's routes get the Lab's token header, so
 * the network can tell them from anyone else's. Everything else goes out untouched.
 */
class PageFetch {
  readonly #prefix: string;
  readonly #token: string;
  readonly #browser: () => string;
  #original: typeof fetch | null = null;
  #installed: typeof fetch | null = null;

  constructor(prefix: string, token: string, browser: () => string) {
    this.#prefix = prefix;
    this.#token = token;
    this.#browser = browser;
  }

  install(): void {
    const original = globalThis.fetch;
    const prefix = this.#prefix;
    const token = this.#token;
    const browser = this.#browser;
    const labFetch: typeof fetch = function fetch(input, init) {
      const url = input instanceof Request ? input.url : new URL(String(input), location.href).href;
      if (!url.startsWith(prefix)) return original.call(globalThis, input, init);
      const request = new Request(input, init);
      const headers = new Headers(request.headers);
      headers.set(PAGE_TOKEN_HEADER, token);
      headers.set(PAGE_BROWSER_HEADER, browser());
      return original.call(globalThis, new Request(request, { headers }));
    };
    this.#original = original;
    this.#installed = labFetch;
    globalThis.fetch = labFetch;
  }

  /** Puts the page's own `fetch` back, unless someone replaced ours since (then theirs stays). */
  uninstall(): void {
    if (this.#original && globalThis.fetch === this.#installed) globalThis.fetch = this.#original;
    this.#original = null;
    this.#installed = null;
  }
}

/** A Set-Cookie value with the cookie's value cut short, for display. */
function shortened(setCookie: string | null): string | null {
  if (setCookie === null) return null;
  const end = setCookie.indexOf(';');
  const pair = end === -1 ? setCookie : setCookie.slice(0, end);
  const equals = pair.indexOf('=');
  const value = pair.slice(equals + 1);
  if (equals === -1 || value.length <= SHOWN_VALUE_CHARS + 1) return setCookie;
  return `${pair.slice(0, equals + 1)}${value.slice(0, SHOWN_VALUE_CHARS)}…${end === -1 ? '' : setCookie.slice(end)}`;
}
