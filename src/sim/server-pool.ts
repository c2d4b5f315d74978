/**
 * The servers behind the simulated load balancer. Each server is a process of its own (a
 * `ServerHost` with its own worker): its own `Session` on the same secrets, and its own memory, so a
 * MemoryStore on server 1 knows nothing of server 2's. IndexedDB is one database for every worker
 * of the page, as a database server would be for every application server.
 *
 * With one server (the default) there is no balancer to speak of: every request goes to it, events
 * carry no server number and no balancer cookie is set, exactly as before several servers existed.
 *
 * The balancer is the page's code, not the reader's: it reads its own cookie from the jar's view of
 * the request and answers for itself (502) when no server runs.
 */
import type { SessionRecord } from '../session/index.ts';
import type { EventReport, UnstampedEvent } from './event-log.ts';
import { BALANCER_COOKIE, type BalancerPolicy, type ServerCount, type ServerState, type StoreChoice } from './protocol.ts';
import { ServerHost, type ServerAnswer, type ServerHostOptions } from './server-host.ts';
import { serverEventStore, type WireRequest } from './server-messages.ts';
import { joinTabs, tabRequests } from './two-tabs.ts';

export interface ServerPoolOptions {
  /** What every server starts with; `store` is the first store, later `setStore` changes it for all. */
  host: Omit<ServerHostOptions, 'report'>;
  report: EventReport;
  servers: ServerCount;
  policy: BalancerPolicy;
  /** The site's base path: the balancer's cookie is scoped to it. */
  base: string;
}

/** Where the balancer sends a request, and the cookie it pins the browser with (sticky), if any. */
export interface Route {
  /** The server's number, or null when none runs. */
  server: number | null;
  /** A Set-Cookie value of the balancer's own, for the jar. */
  pin: string | null;
  /** The two-tabs demo: the server each tab's request goes to, in tab order (the first is `server`). */
  tabs?: [number | null, number | null];
}

/** A cookie the browser sends, as the balancer reads it. */
export interface SentCookie {
  name: string;
  value: string;
}

/** Only a server's number: anything else in the cookie (edited by hand, say) pins nothing. */
const PIN_VALUE = /^[1-9]$/;

export class ServerPool {
  readonly #options: ServerPoolOptions;
  /** Index `id - 1`: the server's host, or null while it is stopped. */
  #slots: (ServerHost | null)[] = [];
  #policy: BalancerPolicy;
  /** The round-robin cursor: the number of the server that served last. */
  #last = 0;
  #store: StoreChoice;
  #secrets: string[];
  #disposed = false;

  private constructor(options: ServerPoolOptions) {
    this.#options = options;
    this.#policy = options.policy;
    this.#store = options.host.store;
    this.#secrets = [...options.host.config.secrets];
  }

  /** Starts `options.servers` servers side by side. Rejects (stopping those that started) when one cannot start at all. */
  static async start(options: ServerPoolOptions): Promise<ServerPool> {
    const pool = new ServerPool(options);
    // Numbered before they start, so their start-up events already name them.
    pool.#slots = Array.from({ length: options.servers }, () => null);
    const started = await Promise.allSettled(Array.from({ length: options.servers }, (_, index) => pool.#launch(index + 1)));
    pool.#slots = started.map((result) => (result.status === 'fulfilled' ? result.value : null));
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) {
      pool.dispose();
      throw failed.reason;
    }
    return pool;
  }

  get count(): ServerCount {
    return this.#slots.length as ServerCount;
  }

  get policy(): BalancerPolicy {
    return this.#policy;
  }

  /** The store the servers run on (as the first running server has it). */
  get store(): StoreChoice {
    return this.#running()[0]?.[1].store ?? this.#store;
  }

  get servers(): ServerState[] {
    return this.#slots.map((host, index) => ({ id: index + 1, state: host ? 'running' : 'stopped' }));
  }

  /**
   * Picks the server for a request that carries `cookies`. Sticky: the pinned server while it runs;
   * otherwise, or with no valid pin, the next one in turn, pinned with the balancer's cookie.
   * `tabs: 2` (the two-tabs demo): one pick per tab, as for two requests that arrive together with
   * the same cookies; the pin is the later one's, as the browser keeps the later of two cookies.
   */
  route(cookies: readonly SentCookie[], { tabs = 1 }: { tabs?: 1 | 2 } = {}): Route {
    const first = this.#routeOne(cookies);
    if (tabs === 1) return first;
    const second = this.#routeOne(cookies);
    return { server: first.server, pin: second.pin ?? first.pin, tabs: [first.server, second.server] };
  }

  #routeOne(cookies: readonly SentCookie[]): Route {
    if (this.count === 1) return { server: this.#slots[0] ? 1 : null, pin: null };
    if (this.#policy === 'sticky') {
      const pinned = cookies.find((cookie) => cookie.name === BALANCER_COOKIE)?.value ?? '';
      const id = PIN_VALUE.test(pinned) ? Number(pinned) : 0;
      if (this.#slots[id - 1]) return { server: id, pin: null };
    }
    const next = this.#nextInTurn();
    if (next === null) return { server: null, pin: null };
    this.#last = next;
    return { server: next, pin: this.#policy === 'sticky' ? `${BALANCER_COOKIE}=${next}; Path=${this.#options.base}; HttpOnly; SameSite=Lax` : null };
  }

  /**
   * Passes `request` to the server `route` picked; never rejects. With none running, the balancer
   * answers 502. The two tabs of the two-tabs demo routed to two servers go one to each (#requestTabs);
   * routed to one, that server runs both.
   */
  async request(route: Route, request: WireRequest, what: string): Promise<ServerAnswer> {
    const host = route.server === null ? null : this.#slots[route.server - 1];
    if (!host) return noServer();
    const [, second] = route.tabs ?? [];
    const twin = second === undefined || second === null || second === route.server ? null : this.#slots[second - 1];
    const tabs = twin ? tabRequests(request, this.#options.base) : null;
    // A body that is not two tabs goes to one server, whose answer says what is wrong with it.
    if (!twin || !tabs) return host.request(request, what);
    return this.#requestTabs([host, twin], tabs, what);
  }

  /**
   * The two tabs on two servers at the same instant, against the store they share: each server runs
   * one, and the two meet before saving (the token in `meet`), so both read before either writes.
   */
  async #requestTabs(hosts: [ServerHost, ServerHost], tabs: [WireRequest, WireRequest], what: string): Promise<ServerAnswer> {
    const meet = crypto.randomUUID();
    const answers = await Promise.all(hosts.map((host, index) => host.request({ ...tabs[index]!, meet }, `${what} (tab ${index + 1})`)));
    return { ...joinTabs(answers), durationMs: Math.max(...answers.map((answer) => answer.durationMs)) };
  }

  /** The records server `id` (default: the first running one) sees in its store. */
  async records(id?: number): Promise<SessionRecord[] | null> {
    const host = id === undefined ? this.#running()[0]?.[1] : this.#slots[id - 1];
    if (!host) throw new Error(id === undefined ? 'No server is running.' : `Server ${id} is not running.`);
    return host.records();
  }

  /**
   * Deletes every record in every running server's store: the shared database once (the servers
   * after the first find it empty), each server's own memory. Resolves to how many records went.
   */
  async reset(): Promise<number> {
    let removed = 0;
    for (const [, host] of this.#running()) removed += await host.reset();
    return removed;
  }

  async clock(clock: Parameters<ServerHost['clock']>[0]): Promise<void> {
    await Promise.all(this.#running().map(([, host]) => host.clock(clock)));
  }

  async setStore(choice: StoreChoice): Promise<void> {
    this.#store = choice;
    await Promise.all(this.#running().map(([, host]) => host.setStore(choice)));
  }

  /** New secrets for every running server, and for servers that start later. Rejects when one did not take them. */
  async setSecrets(secrets: string[]): Promise<void> {
    await Promise.all(this.#running().map(([, host]) => host.setSecrets(secrets)));
    this.#secrets = [...secrets];
  }

  setPolicy(policy: BalancerPolicy): void {
    this.#policy = policy;
  }

  async setCount(count: ServerCount): Promise<void> {
    this.#assertLive();
    while (this.#slots.length > count) {
      const id = this.#slots.length;
      this.#stopSlot(id);
      this.#slots.pop();
    }
    const added = Array.from({ length: count - this.#slots.length }, (_, index) => this.#slots.length + index + 1);
    // Numbered before they start, so their start-up events already name them.
    this.#slots.push(...added.map(() => null));
    const started = await Promise.allSettled(added.map((id) => this.#launch(id)));
    started.forEach((result, index) => {
      const id = added[index]!;
      if (result.status === 'fulfilled' && this.#slots.length >= id && !this.#disposed) this.#slots[id - 1] = result.value;
      else if (result.status === 'fulfilled') result.value.dispose();
    });
    if (this.#last > this.#slots.length) this.#last = 0;
  }

  /** Restarts server `id`, or every running one. A stopped server named by `id` starts. */
  async restart(id?: number): Promise<void> {
    this.#assertLive();
    if (id === undefined) {
      await Promise.all(this.#running().map(([, host]) => host.restart()));
      return;
    }
    const host = this.#slot(id);
    if (host) await host.restart();
    else await this.startServer(id);
  }

  stopServer(id: number): void {
    this.#assertLive();
    if (this.#slot(id)) this.#stopSlot(id);
  }

  async startServer(id: number): Promise<void> {
    this.#assertLive();
    if (this.#slot(id)) return;
    const host = await this.#launch(id);
    if (this.#disposed || this.#slots.length < id || this.#slots[id - 1]) host.dispose();
    else this.#slots[id - 1] = host;
  }

  dispose(): void {
    this.#disposed = true;
    for (const host of this.#slots) host?.dispose();
    this.#slots = [];
  }

  #stopSlot(id: number): void {
    const host = this.#slots[id - 1];
    if (!host) return;
    const store = host.store;
    this.#slots[id - 1] = null;
    host.dispose();
    this.#report(id, { kind: 'server', step: 'stopped', ...serverEventStore(store), detail: 'Taken out of service; its memory went with its process.' });
  }

  #launch(id: number): Promise<ServerHost> {
    const { host } = this.#options;
    return ServerHost.start({
      ...host,
      config: { ...host.config, secrets: this.#secrets },
      store: this.#store,
      report: (event, happenedAt) => this.#report(id, event, happenedAt),
    });
  }

  /** Events name their server once there are several. */
  #report(id: number, event: UnstampedEvent, happenedAt?: number): void {
    if (this.#disposed) return;
    const named = this.#slots.length > 1 && (event.kind === 'server' || event.kind === 'session') ? { ...event, server: id } : event;
    this.#options.report(named, happenedAt);
  }

  /** The next running server after the last one that served, in order, wrapping round. */
  #nextInTurn(): number | null {
    const count = this.#slots.length;
    for (let step = 1; step <= count; step++) {
      const id = ((this.#last + step - 1) % count) + 1;
      if (this.#slots[id - 1]) return id;
    }
    return null;
  }

  #running(): [number, ServerHost][] {
    return this.#slots.flatMap((host, index) => (host ? [[index + 1, host] as [number, ServerHost]] : []));
  }

  #slot(id: number): ServerHost | null {
    if (!Number.isInteger(id) || id < 1 || id > this.#slots.length) {
      throw new RangeError(`There is no server ${String(id)}: the servers are numbered 1 to ${this.#slots.length}.`);
    }
    return this.#slots[id - 1] ?? null;
  }

  #assertLive(): void {
    if (this.#disposed) throw new Error('This Lab was disposed; start a new one with startLab().');
  }
}

/** The balancer's own answer when it has no server to send a request to. */
function noServer(): ServerAnswer {
  return {
    status: 502,
    statusText: 'Bad Gateway',
    headers: [['content-type', 'application/json'], ['cache-control', 'no-store']],
    body: new TextEncoder().encode(JSON.stringify({ error: 'No server is running behind the load balancer.' })).buffer as ArrayBuffer,
    setCookie: null,
    durationMs: 0,
  };
}
