/**
 * The Lab: a simulated browser (cookie jar, network) and a simulated server (a worker running the
 * demo app with `Session`; or 2 or 3 of them behind a simulated load balancer, server-pool.ts), on
 * one virtual clock, with everything that happens in one ordered log. The Lab UI drives it through
 * `SimController` (protocol.ts).
 *
 * One Lab per page: MSW intercepts a page's requests once, and two Labs would answer the same
 * `fetch`. `startLab` rejects while another Lab runs; `dispose()` it first to start a new one.
 */
import { Browsers } from './browsers.ts';
import { EventLog, type EventListener } from './event-log.ts';
import { Network } from './network.ts';
import type { BalancerPolicy, BrowserId, JarCookie, LabOptions, ServerCount, ServerState, SimController, SimEvent, StoreChoice } from './protocol.ts';
import { serverEventStore } from './server-messages.ts';
import { ServerPool } from './server-pool.ts';
import { VirtualClock } from './virtual-clock.ts';
import type { SessionRecord } from '../session/index.ts';

const MINUTE = 60_000;
const DEFAULTS = {
  sessionDuration: 30 * MINUTE,
  cleanInterval: 5 * MINUTE,
  requestTimeoutMs: 3000,
  database: 'session-lab-demo',
  servers: 1 as ServerCount,
  balancer: 'round-robin' as BalancerPolicy,
  browsers: ['laptop'] as BrowserId[],
};
const SERVER_COUNTS: readonly ServerCount[] = [1, 2, 3];
const POLICIES: readonly BalancerPolicy[] = ['round-robin', 'sticky'];
/**
 * Real ms the Session waits for a store call before answering 503; at most half the request
 * deadline, so a store that hangs gets the library's answer (a 503 and a timed-out store call), not
 * the host's 504.
 */
const STORE_TIMEOUT_MS = 1500;
/** How often (real ms) listeners hear that time moved on, and the jar drops what expired. */
const TICK_MS = 1000;

/** Whether a Lab runs on this page (or is starting). */
let running = false;

/**
 * Starts the Lab: the server worker on the chosen store, then MSW's interception of `${base}api/*`.
 * Rejects when a Lab already runs on this page, when an option is wrong, or when MSW's service
 * worker cannot be registered.
 *
 * @example
 * const lab = await startLab({ store: { kind: 'indexeddb' }, base: import.meta.env.BASE_URL });
 * await fetch(`${import.meta.env.BASE_URL}api/login`, { method: 'POST', body: JSON.stringify({ user: 'ada' }) });
 * lab.events(); // request, session events, response, jar
 */
export async function startLab(options: LabOptions): Promise<SimController> {
  if (running) {
    throw new Error('A Lab is already running on this page, and a page has one Lab (MSW intercepts its requests once). dispose() the running Lab first.');
  }
  running = true;
  try {
    return await Lab.start(checkOptions(options));
  } catch (error) {
    running = false;
    throw error;
  }
}

class Lab implements SimController {
  readonly #clock = new VirtualClock();
  readonly #log = new EventLog(this.#clock);
  readonly #browsers: Browsers;
  #options: Readonly<LabOptions>;
  #pool: ServerPool | null = null;
  #network: Network | null = null;
  #ticker: ReturnType<typeof setInterval> | undefined;
  #disposed: Promise<void> | null = null;
  /** The server's signing secrets, newest (the one that signs) first. */
  #secrets: string[] = [randomSecret()];

  private constructor(options: LabOptions) {
    this.#options = options;
    this.#clock.on((change) => this.#log.add({ kind: 'clock', ...change }));
    // Checked here (the constructor throws on a bad list), before any server starts.
    const several = (options.browsers?.length ?? 1) > 1;
    this.#browsers = new Browsers(options.browsers ?? DEFAULTS.browsers, this.#clock, (browser, change) =>
      this.#log.add({ kind: 'jar', ...change, ...(several ? { browser } : {}) }),
    );
  }

  static async start(options: Required<LabOptions>): Promise<Lab> {
    const lab = new Lab(options);
    const host = await ServerPool.start({
      servers: options.servers,
      policy: options.balancer,
      base: options.base,
      host: {
        config: {
          base: options.base,
          secrets: lab.#secrets,
          sessionDuration: options.sessionDuration,
          cleanInterval: options.cleanInterval,
          storeTimeout: Math.min(STORE_TIMEOUT_MS, options.requestTimeoutMs / 2),
          database: options.database,
        },
        store: options.store,
        timeoutMs: options.requestTimeoutMs,
        clock: () => lab.#clock.state(),
      },
      report: (event, happenedAt) => (happenedAt === undefined ? lab.#log.add(event) : lab.#log.addFromServer(event, happenedAt)),
    });
    lab.#pool = host;
    try {
      lab.#network = await Network.start({ base: options.base, browsers: lab.#browsers, upstream: host, log: lab.#log });
    } catch (error) {
      host.dispose();
      throw error;
    }
    // Several servers from the start: the log says so first, as it does when a reader adds them.
    if (options.servers > 1) lab.#log.add({ kind: 'balancer', servers: options.servers, policy: options.balancer });
    lab.#ticker = setInterval(() => {
      if (lab.#clock.paused) return;
      lab.#browsers.sweep();
      lab.#log.tick();
    }, TICK_MS);
    return lab;
  }

  /** The options the Lab runs with; `store` is the store the servers actually run on, `servers` and `balancer` as they are now. */
  get options(): Readonly<LabOptions> {
    const host = this.#pool;
    if (host && (host.store !== this.#options.store || host.count !== this.#options.servers || host.policy !== this.#options.balancer)) {
      this.#options = { ...this.#options, store: host.store, servers: host.count, balancer: host.policy };
    }
    return this.#options;
  }

  now(): number {
    return this.#clock.now();
  }

  get paused(): boolean {
    return this.#clock.paused;
  }

  /**
   * Moves virtual time forward. Resolves once the jar has dropped what expired and the server has
   * seen the new time and finished the clean run it made due.
   */
  async jump(ms: number): Promise<void> {
    this.#clock.jump(ms);
    this.#browsers.sweep();
    await this.#tellServer();
  }

  pause(): void {
    this.#clock.pause();
    void this.#tellServer();
  }

  resume(): void {
    this.#clock.resume();
    void this.#tellServer();
  }

  get browsers(): readonly BrowserId[] {
    return this.#browsers.ids;
  }

  get browser(): BrowserId {
    return this.#browsers.current;
  }

  useBrowser(browser: BrowserId): void {
    this.#browsers.use(browser);
  }

  cookies(browser?: BrowserId): JarCookie[] {
    return this.#browsers.get(browser).jar.cookies();
  }

  editCookie(name: string, value: string): void {
    this.#browsers.get().jar.edit(name, value);
  }

  plantCookie(name: string, { from, to }: { from: BrowserId; to: BrowserId }): void {
    const cookie = this.#browsers.get(from).jar.cookies().find((candidate) => candidate.name === name);
    if (!cookie) throw new Error(`The ${from} browser has no cookie called ${JSON.stringify(name)} to plant.`);
    if (from === to) throw new Error('A cookie is planted in another browser than the one it came from.');
    const target = this.#browsers.get(to);
    // As if the site had set it: the victim's browser then sends it to the site like its own.
    const change = target.jar.plant(cookie, `${location.origin}${this.#options.base}api/`, from);
    if (change?.step === 'rejected') throw new Error(`The ${to} browser refused the cookie: ${change.detail ?? 'no reason given'}`);
  }

  async startFresh(): Promise<void> {
    const removed = await this.#server().reset();
    this.#browsers.clear();
    this.#log.add({ kind: 'reset', removed });
  }

  get secrets(): number {
    return this.#secrets.length;
  }

  /** Resolves once the server signs with the new secret; rejects (secrets unchanged) when it did not take it in time. */
  async rotateSecret(): Promise<void> {
    const secrets = [randomSecret(), ...this.#secrets];
    await this.#useSecrets(secrets, 'secret-rotated', `A new secret signs cookies; ${secrets.length - 1} earlier ${secrets.length === 2 ? 'one still verifies' : 'ones still verify'}.`);
  }

  async retireOldSecrets(): Promise<void> {
    const retired = this.#secrets.length - 1;
    await this.#useSecrets(
      this.#secrets.slice(0, 1),
      'secrets-retired',
      retired === 0 ? 'There was only one secret.' : `Only the newest secret verifies now; cookies signed with the ${retired === 1 ? 'earlier one' : `${retired} earlier ones`} are rejected.`,
    );
  }

  async records(server?: number): Promise<SessionRecord[] | null> {
    return this.#server().records(server);
  }

  get servers(): readonly ServerState[] {
    return this.#pool?.servers ?? [];
  }

  get balancer(): BalancerPolicy {
    return this.#pool?.policy ?? this.#options.balancer ?? DEFAULTS.balancer;
  }

  /** Resolves once every new server runs; the balancer spreads requests over `count` servers from then on. */
  async setServers(count: ServerCount): Promise<void> {
    if (!SERVER_COUNTS.includes(count)) throw new RangeError(`A Lab runs ${SERVER_COUNTS.join(', ')} servers, not ${String(count)}.`);
    const host = this.#server();
    if (count === host.count) return;
    await host.setCount(count);
    this.#log.add({ kind: 'balancer', servers: host.count, policy: host.policy });
  }

  setBalancer(policy: BalancerPolicy): void {
    if (!POLICIES.includes(policy)) throw new TypeError(`The balancer's policy is one of ${POLICIES.join(', ')}, not ${JSON.stringify(policy)}.`);
    const host = this.#server();
    if (policy === host.policy) return;
    host.setPolicy(policy);
    this.#log.add({ kind: 'balancer', servers: host.count, policy });
  }

  async stopServer(id: number): Promise<void> {
    this.#server().stopServer(id);
  }

  async startServer(id: number): Promise<void> {
    await this.#server().startServer(id);
  }

  events(): readonly SimEvent[] {
    return this.#log.all();
  }

  subscribe(listener: EventListener): () => void {
    return this.#log.subscribe(listener);
  }

  /** Stops server `id` (every running server without one) and starts it again on the same store (the browser and its cookies stay). */
  async restartServer(id?: number): Promise<void> {
    return this.#server().restart(id);
  }

  /**
   * Runs the server on `store`. Resolves once the server runs again: on the new store, or, when that
   * store fails to load, still on the previous one (a `server` event with step `crashed` says why).
   */
  async setStore(store: StoreChoice): Promise<void> {
    await this.#server().setStore(store);
  }

  dispose(): Promise<void> {
    this.#disposed ??= (async () => {
      clearInterval(this.#ticker);
      await this.#network?.stop();
      this.#pool?.dispose();
      running = false;
    })();
    return this.#disposed;
  }

  async #useSecrets(secrets: string[], step: 'secret-rotated' | 'secrets-retired', detail: string): Promise<void> {
    const host = this.#server();
    await host.setSecrets(secrets);
    this.#secrets = secrets;
    this.#log.add({ kind: 'server', step, ...serverEventStore(host.store), detail });
  }

  async #tellServer(): Promise<void> {
    try {
      await this.#server().clock(this.#clock.state());
    } catch {
      // A hung server is reported (`timeout`) and restarted by the host, and a new server starts on
      // the current time anyway: the clock change itself cannot fail.
    }
  }

  #server(): ServerPool {
    if (this.#disposed || !this.#pool) throw new Error('This Lab was disposed; start a new one with startLab().');
    return this.#pool;
  }
}

function checkOptions(options: LabOptions): Required<LabOptions> {
  const { base } = options;
  if (typeof base !== 'string' || !base.startsWith('/') || !base.endsWith('/')) {
    throw new TypeError(`LabOptions.base must be a path that starts and ends with "/" (import.meta.env.BASE_URL), got ${JSON.stringify(base)}.`);
  }
  const checked = { ...DEFAULTS, ...withoutUndefined(options) } as Required<LabOptions>;
  for (const name of ['sessionDuration', 'cleanInterval', 'requestTimeoutMs'] as const) {
    const value = checked[name];
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new RangeError(`LabOptions.${name} must be a positive number of milliseconds, got ${String(value)}. Default: ${DEFAULTS[name]}.`);
    }
  }
  if (typeof checked.database !== 'string' || checked.database.length === 0) {
    throw new TypeError(`LabOptions.database must be a non-empty IndexedDB database name, got ${JSON.stringify(checked.database)}.`);
  }
  if (!SERVER_COUNTS.includes(checked.servers)) {
    throw new RangeError(`LabOptions.servers must be one of ${SERVER_COUNTS.join(', ')}, got ${JSON.stringify(checked.servers)}. Default: 1.`);
  }
  if (!POLICIES.includes(checked.balancer)) {
    throw new TypeError(`LabOptions.balancer must be one of ${POLICIES.map((policy) => `'${policy}'`).join(', ')}, got ${JSON.stringify(checked.balancer)}. Default: 'round-robin'.`);
  }
  return checked;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}

/** A fresh signing secret: 32 random bytes, base64url. Restarts keep the Lab's secrets; a page reload starts over. */
function randomSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}
