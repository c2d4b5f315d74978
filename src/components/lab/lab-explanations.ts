/**
 * Why a demo-app request went the way it did, in words. A real page sees only the status code; the
 * Lab also sees the simulation's events for that request (the store calls, the session steps, the
 * server's restarts), and explains from them. Pure: events and options in, words out.
 */
import type { SessionEvent } from '../../session/index.ts';
import type { BrowserId, LabOptions, ReportedStore, SimEvent } from '../../sim/protocol.ts';
import { formatDuration, formatElapsed, statusText } from './lab-format.ts';
import { isSharedStore } from './lab-scenarios.ts';

/** The simulation's defaults (see `LabOptions`), for a run whose options leave them out. */
const DEFAULT_SESSION_DURATION = 30 * 60_000;
const DEFAULT_REQUEST_TIMEOUT = 3000;

export type ResultTone = 'ok' | 'info' | 'warn' | 'error';

/** What the demo app's result box shows: a title, and the detail that explains it. */
export interface Explanation {
  tone: ResultTone;
  title: string;
  detail: string;
}

/** What the simulation saw, as far as explaining a request needs it. */
export interface RequestFacts {
  /** Every event of the run so far, in order (none when the simulation is not running). */
  events: readonly SimEvent[];
  /** The run's options; null when the simulation is not running. */
  options: Pick<LabOptions, 'sessionDuration' | 'requestTimeoutMs'> | null;
  /** The route the request went to: `login` for `<base>api/login`. */
  route: string;
  /** The request's path as the reader knows it: `/api/login`. */
  path: string;
  /**
   * The status of the HTTP response itself, when the status explained came inside its body: the
   * two-tabs request answers 200 and carries each tab's own status.
   */
  answeredWith?: number;
}

/** A refused or failed request (any status but the ones the caller handles itself), explained. */
export function explainFailure(status: number, facts: RequestFacts): Explanation {
  const code = `${status} ${statusText(status)}`.trim();
  if (status === 401) {
    return { tone: 'warn', title: 'You are signed out.', detail: `${explainRefusal(facts)} (${code} for ${facts.path})` };
  }
  if (status === 503) {
    const failure = storeFailure(facts);
    const what =
      failure?.outcome === 'timeout'
        ? `Its store did not answer ${failure.method}() within ${formatElapsed(failure.durationMs)}`
        : failure
          ? `Its store failed on ${failure.method}()`
          : 'Its store failed';
    return {
      tone: 'error',
      title: 'The session store is not working.',
      detail: `${what}, so the server answered ${code} instead of hanging or crashing. Nothing was saved; try again later.`,
    };
  }
  if (status === 504) {
    const seconds = (facts.options?.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT) / 1000;
    const hung = timeoutOf(facts.events, facts.route);
    if (hung?.storeChoice.kind === 'module') {
      return {
        tone: 'error',
        title: 'Your store stopped answering.',
        detail: `${hung.store} did not answer within ${seconds} s, so the request ended with ${code} and your store was stopped. Fix the code in the editor and press Run, then sign in again.`,
      };
    }
    return {
      tone: 'error',
      title: 'The server did not answer in time.',
      detail: `Nothing came back within ${seconds} s, so the request ended with ${code} and the simulation restarted the server. See the timeline.`,
    };
  }
  return {
    tone: 'error',
    title: `The server answered ${code}.`,
    detail: `${status >= 500 ? 'Something went wrong on the server' : 'The request was refused'} (${facts.path}).`,
  };
}

/**
 * Whether the page should stop showing the reader as signed in after a refused or failed request: a
 * 401, or a 504 for which the reader's store was stopped (explainFailure tells them to sign in again).
 */
export function signsOut(status: number, facts: Pick<RequestFacts, 'events' | 'route'>): boolean {
  return status === 401 || (status === 504 && timeoutOf(facts.events, facts.route)?.storeChoice.kind === 'module');
}

/** The server's give-up on the newest request to `route`: reported after that request went out, with the store it ran. */
function timeoutOf(events: readonly SimEvent[], route: string): Extract<SimEvent, { kind: 'server' }> | undefined {
  for (let index = events.length - 1; index >= 0; index--) {
    const event = events[index];
    if (event?.kind === 'request' && event.path.endsWith(`api/${route}`)) return undefined;
    if (event?.kind === 'server' && event.step === 'timeout') return event;
  }
  return undefined;
}

/** What a successful sign-in did: with a session already there, the fixation defence gave it a new id. */
export function explainSignIn(facts: Pick<RequestFacts, 'events' | 'route'>): string {
  const rotated = stepOf(facts.events, lastResponse(facts.events, 200, facts.route), 'session-rotated');
  return rotated
    ? `The server deleted the session this browser had (${rotated.from.slice(0, 8)}…) and created a new one with a new id (${rotated.to.slice(0, 8)}…) and a new cookie: a cookie planted before sign-in leads nowhere now.`
    : 'The server created a session and sent its cookie back.';
}

/**
 * What the two-tabs demo showed, from the newest two-tabs request (`facts.route`): both items kept
 * (`kept`: compareAndSet made the later save merge) or one lost (last write wins), and, when the
 * balancer sent the tabs to two servers, which served each: the race is the same across servers.
 */
export function explainTwoTabs(kept: boolean, facts: Pick<RequestFacts, 'events' | 'route'>): string {
  const request = facts.events.findLast((event) => event.kind === 'request' && event.path.endsWith(`api/${facts.route}`));
  const [first, second] = (request?.kind === 'request' && request.tabs) || [];
  if (typeof first === 'number' && typeof second === 'number' && first !== second) {
    const where = `The balancer sent tab 1 to server ${first} and tab 2 to server ${second}, which share one store. Both servers read your cart before either saved it;`;
    return kept
      ? `${where} the later save found the record changed, re-read it and merged its item in (compareAndSet). See "merged" in the timeline.`
      : `${where} this store has no compareAndSet, so the later save replaced the earlier (last write wins): across servers exactly as across tabs.`;
  }
  return kept
    ? 'The second write lost the race, re-read the session and merged its change (compareAndSet). See "merged" in the timeline.'
    : 'This store has no compareAndSet: the second write replaced the first (last write wins).';
}

/** Why the server said 401, from what the simulation saw of the request. */
function explainRefusal({ events, options, route, answeredWith }: RequestFacts): string {
  const response = lastResponse(events, answeredWith ?? 401, route);
  if (!response) return 'The server does not recognise a session.';
  const request = requestOf(events, response.id);
  if (request && request.cookies.length === 0) return 'The browser sent no session cookie, so the server cannot know who you are.';
  const expired = stepOf(events, response, 'session-expired');
  if (expired) {
    if (expired.reason === 'idle') {
      const duration = options?.sessionDuration ?? DEFAULT_SESSION_DURATION;
      return `Your session expired: no request for more than ${formatDuration(duration)}. The server deleted it.`;
    }
    if (expired.reason === 'absolute') return 'Your session reached its absolute lifetime: even active sessions end then.';
    return 'Your session’s expiry date could not be read, so the server treated it as expired.';
  }
  const rejected = stepOf(events, response, 'cookie-rejected');
  if (rejected && rejected.reason !== 'unknown-session') {
    return 'The cookie the browser sent is not one this server signed, so it was ignored without a store lookup.';
  }
  return (request && elsewhere(events, request)) ?? whyUnknown(events, request?.seq ?? response.seq, request?.browser);
}

/**
 * With several servers that each keep their sessions in memory (no store they share): this browser
 * last saw its session on another server than the one the balancer sent this request to, so it lives
 * in that server's memory. Null when it does not apply: with a shared store every server finds what
 * any other saved, so a session gone from it went for one of whyUnknown's reasons, as with one server.
 */
function elsewhere(events: readonly SimEvent[], request: Extract<SimEvent, { kind: 'request' }>): string | null {
  const here = request.server;
  if (here === undefined || here === null) return null;
  const store = storeServing(events, request.seq);
  if (!store || isSharedStore(store)) return null;
  // Servers stopped after the session was last seen and before this request (the scan goes backwards).
  const stopped = new Set<number | null | undefined>();
  for (let index = events.length - 1; index >= 0; index--) {
    const event = events[index];
    if (!event || event.seq >= request.seq) continue;
    if (event.kind === 'server' && event.step === 'stopped') stopped.add(event.server);
    if (event.kind !== 'session' || (event.event.type !== 'session-created' && event.event.type !== 'session-loaded')) continue;
    // With several browsers, where another browser's session was seen says nothing about this one's.
    if (!sameBrowser(events, event.requestId, request.browser)) continue;
    const origin = event.server;
    if (origin === undefined || origin === here) return null;
    return stopped.has(origin)
      ? `Server ${origin}, which kept your session in its memory, was stopped. The load balancer sent you to server ${here}, which has never seen your session, and cleared the cookie.`
      : `The load balancer sent this request to server ${here}, but your session was made on server ${origin} and lives in that server’s memory: server ${here} has no such session, so it signed you out and cleared the cookie. A store every server shares (IndexedDB here, Redis or SQL in production) would have found it.`;
  }
  return null;
}

/**
 * The store the servers ran on before event `before`: the newest a server started or restarted on.
 * Not a `crashed` step's, which may name a store that failed to load while the previous one stayed.
 * Null when the events do not say.
 */
function storeServing(events: readonly SimEvent[], before: number): ReportedStore | null {
  for (let index = events.length - 1; index >= 0; index--) {
    const event = events[index];
    if (event && event.seq < before && event.kind === 'server' && (event.step === 'started' || event.step === 'restarted')) return event.storeChoice;
  }
  return null;
}

/**
 * A signed cookie for a session the store does not have: what most likely removed it, looking back
 * from the request to the last time the session was seen.
 */
function whyUnknown(events: readonly SimEvent[], before: number, browser?: BrowserId): string {
  for (let index = events.length - 1; index >= 0; index--) {
    const event = events[index];
    if (!event || event.seq >= before) continue;
    if (event.kind === 'server' && event.step === 'restarted' && forgetsOnRestart(event)) {
      return 'The server restarted, and its Memory store forgot every session. A durable store would have kept yours.';
    }
    if (event.kind === 'session' && event.event.type === 'clean' && (event.event.removed ?? 0) > 0) {
      return 'Your session had expired, and the server’s regular cleaning already removed it from the store.';
    }
    if (event.kind === 'session' && event.event.type === 'sessions-revoked') {
      // Which route revoked them says how: one device signed out from another, all others, or everywhere.
      const path = event.requestId === null ? '' : (requestOf(events, event.requestId)?.path ?? '');
      if (path.endsWith('api/revoke-device')) return 'This device was signed out from another one: its session is gone from the store.';
      if (path.endsWith('api/logout-others')) return 'Another device signed out all others, this one included: its session is gone from the store.';
      return 'Your sessions were revoked (signed out everywhere).';
    }
    if (event.kind === 'session' && event.event.type === 'session-rotated' && browser !== undefined && !sameBrowser(events, event.requestId, browser)) {
      // Several browsers: another one signed in with this cookie's session (a planted cookie), and login replaced it.
      return 'Someone signed in with the session this cookie names, and signing in gives a new id: the old one, and this copy of its cookie, lead nowhere now.';
    }
    // The session was last seen here; with several browsers, only this browser's own sightings count.
    if (event.kind === 'session' && (event.event.type === 'session-created' || event.event.type === 'session-loaded') && sameBrowser(events, event.requestId, browser)) break;
  }
  return 'Your cookie is genuine, but the store has no such session any more: it ended, or the store lost it.';
}

/** Whether request `requestId` came from `browser` (always, in a Lab with one browser, whose events name none). */
function sameBrowser(events: readonly SimEvent[], requestId: number | null, browser: BrowserId | undefined): boolean {
  if (browser === undefined || requestId === null) return true;
  return requestOf(events, requestId)?.browser === browser;
}

/** Whether the server a `server` event reports on keeps its sessions in memory (lost on restart). */
function forgetsOnRestart(event: Extract<SimEvent, { kind: 'server' }>): boolean {
  return event.storeChoice.kind === 'memory';
}

/** The failed store call behind the newest 503 for the route, if the simulation saw one. */
function storeFailure({ events, route, answeredWith }: RequestFacts): Extract<SessionEvent, { type: 'store-call' }> | null {
  const response = lastResponse(events, answeredWith ?? 503, route);
  if (!response) return null;
  for (const event of events) {
    if (event.kind === 'session' && event.requestId === response.id && event.event.type === 'store-call' && event.event.outcome !== 'ok') {
      return event.event;
    }
  }
  return null;
}

/** The first session step of `type` that the request behind `response` made. */
function stepOf<T extends SessionEvent['type']>(
  events: readonly SimEvent[],
  response: Extract<SimEvent, { kind: 'response' }> | null,
  type: T,
): Extract<SessionEvent, { type: T }> | null {
  if (!response) return null;
  for (const event of events) {
    if (event.kind === 'session' && event.requestId === response.id && event.event.type === type) {
      return event.event as Extract<SessionEvent, { type: T }>;
    }
  }
  return null;
}

/** The newest response with `status` to a request for `route`. */
function lastResponse(events: readonly SimEvent[], status: number, route: string): Extract<SimEvent, { kind: 'response' }> | null {
  for (let index = events.length - 1; index >= 0; index--) {
    const event = events[index];
    if (event?.kind === 'response' && event.status === status && requestOf(events, event.id)?.path.endsWith(`api/${route}`)) return event;
  }
  return null;
}

function requestOf(events: readonly SimEvent[], id: number): Extract<SimEvent, { kind: 'request' }> | undefined {
  for (const event of events) if (event.kind === 'request' && event.id === id) return event;
  return undefined;
}
