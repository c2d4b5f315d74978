/**
 * The simulated server process: a dedicated module Web Worker running the demo app with a `Session`
 * on the chosen store. Reader-written store code runs here, so a runaway store blocks this worker,
 * never the page (the host cuts it off and starts a new one).
 *
 * - Time: the worker's `Date` reads the Lab's virtual clock, for the Session, the stores and reader
 *   code alike.
 * - Requests are served one at a time, in arrival order, and so are clean runs: every Session event
 *   belongs to exactly one request (or to a clean run), and the timeline can say which.
 * - Cleaning runs on virtual time: every `cleanInterval` virtual ms, checked each real second and
 *   right after the clock changes. A jump across several intervals cleans once, as a server that
 *   slept through them would on waking.
 * - Reader code is untrusted. The worker speaks to the page only over a MessagePort the page sends
 *   with `start`, held where reader code cannot reach it; the realm is locked down (lockdown.ts)
 *   before any reader code loads, so it cannot patch what builds or posts the answers. What a
 *   reader posts on the worker's own channel, the page ignores.
 */
import { Session, type SessionEvent, type SessionRecord, type BaseSessionStore } from '../session/index.ts';
import { handleWithSession, type SessionOutcome } from '../session/adapters/fetch.ts';
import { createDemoApp, json, type DemoData } from './demo-app.ts';
import { storeLabel, type FromServer, type ServerConfig, type ToServer, type WireRequest, type WireResponse } from './server-messages.ts';
import { provideReaderModules } from './reader-modules.ts';
import { isStoreLoadError, loadStore } from './store-loader.ts';
import { readRecords } from './store-records.ts';
import { emptyStore } from './store-reset.ts';
import { badTabs, isTwoTabs, joinTabs, tabRequests } from './two-tabs.ts';
import { installVirtualDate } from './virtual-date.ts';
import { lockDownRealm } from './lockdown.ts';
import type { ClockState } from './virtual-clock.ts';

/** How often (real ms) the worker checks whether a clean run is due. */
const CLEAN_CHECK_MS = 1000;
/**
 * How long (real ms) a tab of the two-tabs demo waits for its twin on another server (meetingPoint):
 * long enough for a twin that a busy machine or a slow phone starts late (1 s was not, once), and
 * only ever waited in full when the twin's server stopped.
 */
const MEET_WAIT_MS = 5000;
/** Taken before reader code loads: the two-tabs meeting runs on it. */
const TabChannel = BroadcastChannel;

interface WorkerScope {
  postMessage(message: { type: 'booted' }): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<ToServer>) => void): void;
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
  addEventListener(type: 'unhandledrejection', listener: (event: PromiseRejectionEvent) => void): void;
}

interface RunningServer {
  config: ServerConfig;
  label: string;
  store: BaseSessionStore<any>;
  session: Session<DemoData>;
  app: ReturnType<typeof createDemoApp>;
  /** Virtual time the next clean run is due. */
  nextCleanAt: number;
}

const scope = globalThis as unknown as WorkerScope;
let clockState: ClockState = { offset: 0, pausedAt: null };
const clock = installVirtualDate(() => clockState);
// A reader's store module imports `sessionlab`, `@fluidauth/express`... from here (reader-modules.ts).
provideReaderModules();
/** The page's end of the conversation: set by `start`, never where reader code can reach it. */
let port: MessagePort | null = null;
let server: RunningServer | null = null;
/** The tail of the line of requests and clean runs; each waits for the one before. */
let line: Promise<unknown> = Promise.resolve();
/** The request being served, or null during a clean run: the Session's events belong to it. */
let serving: number | null = null;
/**
 * Real time now, ms since the epoch to a fraction of a ms, from a reference taken before reader
 * code loads: the page orders the events of several servers by it (event-log.ts).
 */
const realNow = ((origin: number, now: () => number) => () => origin + now())(performance.timeOrigin, performance.now.bind(performance));

// Only `start` comes this way, with the port everything else goes over. Later messages on this
// channel could come from anyone in the worker: they are not listened to.
scope.addEventListener('message', (event) => {
  const [given] = event.ports;
  if (port || event.data?.type !== 'start' || !given) return;
  port = given;
  port.addEventListener('message', (message: MessageEvent<ToServer>) => void receive(message.data));
  port.start();
  void receive(event.data);
});
// An error no request waits for (a reader's stray timer or promise): report it; the server keeps running.
scope.addEventListener('error', (event) => {
  event.preventDefault();
  post({ type: 'fault', detail: `Uncaught error in server code: ${event.message}` });
});
scope.addEventListener('unhandledrejection', (event) => {
  event.preventDefault();
  post({ type: 'fault', detail: `Unhandled promise rejection in server code: ${describe(event.reason)}` });
});
setInterval(() => void cleanIfDue(), CLEAN_CHECK_MS);
// Everything above is the engine's; from here on, reader code may load.
lockDownRealm();
scope.postMessage({ type: 'booted' });

async function receive(message: ToServer): Promise<void> {
  switch (message.type) {
    case 'start':
      clockState = message.clock;
      return start(message.config);
    case 'clock':
      // The new time applies at once, also to requests being served: real time does not wait either.
      clockState = message.clock;
      return reply(message.id, async () => {
        await cleanIfDue();
        return null;
      });
    case 'request': {
      const { id, request } = message;
      return reply(id, () => inLine(request.id, () => serve(running(), request)));
    }
    case 'secrets':
      // In line: requests before it finish with the old secrets, requests after it get the new ones.
      return reply(message.id, () =>
        inLine(null, async () => {
          const current = running();
          Object.assign(current, serverParts({ ...current.config, secrets: message.secrets }, current.store));
          return null;
        }),
      );
    case 'records':
      return reply(message.id, () => {
        const { store, label, config } = running();
        return readRecords(store, { label, timeoutMs: config.storeTimeout });
      });
    case 'reset':
      // In line: a request under way finishes first, and none sees a half-emptied store.
      return reply(message.id, () =>
        inLine(null, () => {
          const { store, label, config } = running();
          return emptyStore(store, { label, timeoutMs: config.storeTimeout });
        }),
      );
  }
}

async function start(config: ServerConfig): Promise<void> {
  const label = storeLabel(config.store);
  try {
    const store = await loadStore(config.store, { clock, database: config.database });
    server = { label, store, ...serverParts(config, store), nextCleanAt: clock.now() };
  } catch (error) {
    post({ type: 'failed', detail: isStoreLoadError(error) ? error.message : `${label} could not be set up: ${describe(error)}.` });
    return;
  }
  post({ type: 'ready', store: label });
  void cleanIfDue(); // at start, as a Session does
}

/** The Session and the app on `store`, as `config` has them: at start, and again when the secrets change. */
function serverParts(config: ServerConfig, store: BaseSessionStore<any>): Pick<RunningServer, 'config' | 'session' | 'app'> {
  const session = new Session<DemoData>({
    secret: config.secrets,
    store,
    sessionDuration: config.sessionDuration,
    // Cleaning is scheduled here, on virtual time; the Session's own timer would run on real time.
    cleanInterval: false,
    storeTimeout: config.storeTimeout,
    // The site's own path: a site served under /session-lab/ keeps its cookie to itself, and logout
    // clears it on the same path (a browser replaces a cookie only with the same name, path and domain).
    cookie: { path: config.base },
    // What a "Your devices" page needs: the browser, its network (not its whole address), when it was last seen.
    devices: { userAgent: true, ip: 'coarse', lastSeenEvery: 60_000 },
    clock,
  });
  session.on('*', (event) => post({ type: 'event', event: portable(event), requestId: serving, happenedAt: realNow() }));
  return { config, session, app: createDemoApp(config.base, session) };
}

/** Serves a request; the two-tabs demo becomes two requests served at the same instant. */
function serve(server: RunningServer, wire: WireRequest): Promise<WireResponse> {
  return isTwoTabs(wire, server.config.base) ? serveTwoTabs(server, wire) : serveOne(server, wire);
}

/**
 * Two tabs add to the same cart at the same instant, both on this server: two real `POST api/cart`
 * requests with the same cookie, run side by side (they interleave at every await, as on a real
 * server), not one after the other. With a compare-and-set store both items stay; with a
 * last-write-wins store one is lost. Answers `{tabs: [{status, cart}, {status, cart}]}`.
 */
async function serveTwoTabs(server: RunningServer, wire: WireRequest): Promise<WireResponse> {
  const tabs = tabRequests(wire, server.config.base);
  if (!tabs) return badTabs();
  return joinTabs(await Promise.all(tabs.map((tab) => serveOne(server, tab))));
}

/** Serves one request through the Session; the cookie travels beside it, in and out. */
async function serveOne(server: RunningServer, wire: WireRequest): Promise<WireResponse> {
  const request = new Request(wire.url, { method: wire.method, headers: wire.headers, body: wire.body });
  // A tab of the two-tabs demo whose twin runs on another server: they meet before saving (meetingPoint).
  const meeting = wire.meet === undefined ? null : meetingPoint(wire.meet);
  const app = meeting ? meetBeforeSaving(server.app, meeting) : server.app;
  let outcome: SessionOutcome;
  try {
    outcome = await handleWithSession(withClient(server.session, wire), request, app, {
      cookie: wire.cookie,
      onStoreError: () => json(503, { error: 'The session store is not answering. Try again in a moment.' }, { 'retry-after': '5' }),
    });
  } catch (error) {
    outcome = { response: json(500, { error: `Internal server error: ${describe(error)}` }), setCookie: null };
  } finally {
    meeting?.close();
  }
  return wireResponse(outcome);
}

/**
 * Where the two tabs of the two-tabs demo meet when they run on two servers: each, having read the
 * session and made its change, waits for the other before saving. "At the same instant", made
 * exact: both read before either writes, every time, as the two tabs on one server do (there the
 * interleaving of their awaits does it). Without it, which tab a worker reaches first would decide
 * whether the race shows at all.
 *
 * The servers are separate workers; they meet on a BroadcastChannel named by a token only the
 * balancer and these two requests know. A tab whose twin never comes (its server stopped, say)
 * waits `MEET_WAIT_MS` at most, then saves alone.
 */
function meetingPoint(token: string): Meeting {
  const channel = new TabChannel(`session-lab-two-tabs:${token}`);
  let here = false;
  let twinHere = false;
  let met!: () => void;
  const meeting = new Promise<void>((resolve) => (met = resolve));
  // The twin may have arrived before this channel opened, and said so to nobody: whoever is here
  // when the other says so answers once more, so each hears the other at least once.
  channel.addEventListener('message', () => {
    twinHere = true;
    if (here) {
      channel.postMessage('here');
      met();
    }
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    arrive() {
      here = true;
      channel.postMessage('here');
      if (twinHere) met();
      return Promise.race([meeting, new Promise<void>((resolve) => (timer = setTimeout(resolve, MEET_WAIT_MS)))]);
    },
    close() {
      clearTimeout(timer);
      channel.close();
    },
  };
}

interface Meeting {
  /** Resolves once the twin is here too (or after `MEET_WAIT_MS`). */
  arrive(): Promise<void>;
  close(): void;
}

/** The app, waiting at `meeting` after it answered and before the Session saves what it changed. */
function meetBeforeSaving(app: RunningServer['app'], meeting: Meeting): RunningServer['app'] {
  return async (request, context) => {
    const response = await app(request, context);
    await meeting.arrive();
    return response;
  };
}

/**
 * The Session as this request sees it: its `load` also gets the client's user agent and address.
 * A `Request` carries no peer address, and Chromium drops `User-Agent` from a Request that script
 * builds, so both come from the wire request; the Fetch adapter loads the session with the cookie
 * and URL only. Everything else goes to the Session itself.
 */
function withClient(session: Session<DemoData>, wire: WireRequest): Session<DemoData> {
  const userAgent = wire.headers.find(([name]) => name.toLowerCase() === 'user-agent')?.[1] ?? null;
  const client = { userAgent, ip: wire.ip ?? null };
  return new Proxy(session, {
    get(target, property) {
      if (property === 'load') return (loading: Parameters<Session<DemoData>['load']>[0]) => target.load({ ...client, ...loading });
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

async function wireResponse({ response, setCookie }: SessionOutcome): Promise<WireResponse> {
  return {
    status: response.status,
    statusText: response.statusText,
    headers: [...response.headers],
    body: await response.arrayBuffer(),
    setCookie,
  };
}

/** Starts a clean run when one is due on the virtual clock; resolves when it is over. */
function cleanIfDue(): Promise<void> {
  const current = server;
  if (!current || clock.now() < current.nextCleanAt) return Promise.resolve();
  current.nextCleanAt = clock.now() + current.config.cleanInterval;
  // A failed clean is reported by the Session's own `clean` event.
  return inLine(null, () => current.session.clean()).then(
    () => {},
    () => {},
  );
}

/** Runs `job` after every request and clean run before it. */
function inLine<T>(requestId: number | null, job: () => Promise<T>): Promise<T> {
  const run = line.then(() => {
    serving = requestId;
    return job();
  });
  line = run.then(
    () => (serving = null),
    () => (serving = null),
  );
  return run;
}

function running(): RunningServer {
  if (!server) throw new Error('The server has not started.');
  return server;
}

/** Answers message `id` with what `work` gives, or with its error. */
async function reply(id: number, work: () => Promise<WireResponse | SessionRecord[] | number | null>): Promise<void> {
  try {
    const value = await work();
    const transfer = value !== null && typeof value === 'object' && 'body' in value && value.body ? [value.body] : [];
    post({ type: 'reply', id, ok: true, value }, transfer);
  } catch (error) {
    post({ type: 'reply', id, ok: false, error: describe(error) });
  }
}

function post(message: FromServer, transfer: Transferable[] = []): void {
  port?.postMessage(message, transfer);
}

/** The event as it can cross to the page: an Error's cause may hold what cannot be cloned. */
function portable(event: SessionEvent): SessionEvent {
  if (event.type !== 'background-error') return event;
  const error = new Error(event.error.message);
  error.name = event.error.name;
  return { ...event, error };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
