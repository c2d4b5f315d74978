/**
 * What each simulation event means, in words: the timeline's rows, the diagram's labels and the
 * screen-reader announcements all come from `describeEvent`, so they never disagree.
 */
import type { SessionEvent } from '../../session/index.ts';
import type { BrowserId, SimEvent } from '../../sim/protocol.ts';
import { BROWSER_INFO, storeLabel } from './lab-scenarios.ts';
import { apiPath, formatDateTime, formatElapsed, formatJump, formatShortTime, shortId, statusText } from './lab-format.ts';

/** The timeline's filter chips, in the order they are shown. */
export const EVENT_CATEGORIES = [
  { id: 'http', label: 'Requests' },
  { id: 'store', label: 'Store calls' },
  { id: 'session', label: 'Session steps' },
  { id: 'cookie', label: 'Cookies' },
  { id: 'clean', label: 'Cleaning' },
  { id: 'server', label: 'Server' },
  { id: 'clock', label: 'Clock' },
] as const;

export type EventCategory = (typeof EVENT_CATEGORIES)[number]['id'];

/** good: what should happen; warn: a session ended or was refused; bad: a failure. */
export type EventTone = 'neutral' | 'good' | 'warn' | 'bad';

export interface EventView {
  category: EventCategory;
  tone: EventTone;
  /** What happened, short: `POST /api/login`, `store.get(3f9a12c4…)`, `Session expired`. */
  title: string;
  /** The facts that go with it: `Cookie: session`, `hit · 0.4 ms`. May be empty. */
  detail: string;
  /**
   * The server it concerns, when several run: a request's row names the server the balancer sent it
   * to (null: none was running), a server step the server it happened to.
   */
  server?: number | null;
  /** The two-tabs demo's request, when several servers run: the server each tab went to, in tab order. */
  tabs?: [number | null, number | null];
  /** The browser it concerns, when the Lab has several: who sent a request, whose jar changed. */
  browser?: BrowserId;
}

/** How a server is named beside an event: `Server 2`, or, for a request no server got, `No server`. */
export function serverName(server: number | null): string {
  return server === null ? 'No server' : `Server ${server}`;
}

const POLICY_TEXT = {
  'round-robin': 'round robin: each request goes to the next server in turn',
  sticky: 'sticky sessions: a cookie of the balancer’s own pins each browser to one server',
} as const;

export function describeEvent(event: SimEvent, base: string): EventView {
  switch (event.kind) {
    case 'request':
      return {
        category: 'http',
        tone: 'neutral',
        title: `${event.method} ${apiPath(event.path, base)}`,
        detail: event.cookies.length > 0 ? `Cookie sent: ${event.cookies.join(', ')}` : 'No cookie sent',
        ...(event.server === undefined ? {} : { server: event.server }),
        ...(event.tabs === undefined ? {} : { tabs: event.tabs }),
        ...(event.browser === undefined ? {} : { browser: event.browser }),
      };
    case 'response':
      return {
        category: 'http',
        tone: event.status < 400 ? 'good' : event.status < 500 ? 'warn' : 'bad',
        title: `${event.status} ${statusText(event.status)}`.trim(),
        detail: [event.setCookie ? `Set-Cookie: ${event.setCookie}` : 'No Set-Cookie', formatElapsed(event.durationMs)].join(' · '),
      };
    case 'reset':
      return {
        category: 'server',
        tone: 'neutral',
        title: 'Started fresh',
        detail: `Every browser’s cookies cleared; ${event.removed} ${event.removed === 1 ? 'session' : 'sessions'} deleted from the store.`,
      };
    case 'session':
      return describeSessionEvent(event.event);
    case 'server':
      return describeServerEvent(event);
    case 'clock':
      if (event.step === 'jump') {
        return { category: 'clock', tone: 'neutral', title: `Clock jumped ${formatJump(event.byMs ?? 0)}`, detail: `Now ${formatDateTime(event.at)}` };
      }
      return { category: 'clock', tone: 'neutral', title: event.step === 'pause' ? 'Clock paused' : 'Clock resumed', detail: '' };
    case 'jar': {
      const view = describeJarEvent(event);
      return event.browser === undefined ? view : { ...view, browser: event.browser };
    }
    case 'balancer':
      return {
        category: 'server',
        tone: 'neutral',
        title: event.servers === 1 ? 'One server, no balancer' : `${event.servers} servers behind a load balancer`,
        detail: event.servers === 1 ? 'Every request goes to server 1.' : `Policy: ${POLICY_TEXT[event.policy]}.`,
      };
  }
}

function describeServerEvent(event: Extract<SimEvent, { kind: 'server' }>): EventView {
  const view = describeServerStep(event);
  return event.server === undefined ? view : { ...view, server: event.server };
}

function describeServerStep(event: Extract<SimEvent, { kind: 'server' }>): EventView {
  const label = storeLabel(event.storeChoice);
  const store = /store\b/i.test(label) ? label : `${label} store`;
  const detail = event.detail ? `${store} · ${event.detail}` : store;
  switch (event.step) {
    case 'started':
      return { category: 'server', tone: 'neutral', title: 'Server started', detail };
    case 'restarted':
      return { category: 'server', tone: 'neutral', title: 'Server restarted', detail };
    case 'stopped':
      return { category: 'server', tone: 'warn', title: 'Server stopped', detail };
    case 'timeout':
      return { category: 'server', tone: 'bad', title: 'Request timed out', detail };
    case 'crashed':
      return { category: 'server', tone: 'bad', title: 'Server crashed', detail };
    case 'secret-rotated':
      return { category: 'server', tone: 'neutral', title: 'Signing secret rotated', detail: event.detail ?? '' };
    case 'secrets-retired':
      return { category: 'server', tone: 'warn', title: 'Earlier secrets retired', detail: event.detail ?? '' };
  }
}

function describeJarEvent(event: Extract<SimEvent, { kind: 'jar' }>): EventView {
  const detail = event.detail ?? '';
  switch (event.step) {
    case 'stored':
      return { category: 'cookie', tone: 'good', title: `Browser stored cookie ${event.name}`, detail };
    case 'removed':
      return { category: 'cookie', tone: 'neutral', title: `Browser removed cookie ${event.name}`, detail };
    case 'expired':
      return { category: 'cookie', tone: 'warn', title: `Cookie ${event.name} expired in the browser`, detail };
    case 'rejected':
      return { category: 'cookie', tone: 'warn', title: `Browser refused cookie ${event.name}`, detail };
    case 'edited':
      return { category: 'cookie', tone: 'warn', title: `Cookie ${event.name} edited in the browser`, detail };
    case 'planted':
      return {
        category: 'cookie',
        tone: 'bad',
        title: `Cookie ${event.name} planted in the browser`,
        detail: event.from ? `A copy of the ${BROWSER_INFO[event.from].label} browser’s cookie: this browser now sends it as its own.` : detail,
      };
  }
}

const EXPIRY_REASON = {
  idle: 'no request for longer than the session duration',
  absolute: 'reached its absolute lifetime',
  unreadable: 'its expiry date could not be read',
} as const;

const REJECTION = {
  malformed: 'not a session cookie at all: no store lookup',
  'bad-signature': 'the signature does not verify: no store lookup',
  'unknown-session': 'signed, but the store has no such session',
  'key-retired': 'signed by a key that has been retired: no store lookup',
  'key-not-yet-active': 'signed by a key that is not active yet: no store lookup',
} as const;

export function describeSessionEvent(event: SessionEvent): EventView {
  switch (event.type) {
    case 'store-call': {
      const failed = event.outcome !== 'ok';
      const result =
        event.result === undefined ? 'ok' : typeof event.result === 'number' ? `removed ${event.result}` : event.result;
      const outcome = failed ? `${event.outcome}${event.error ? `: ${event.error}` : ''}` : result;
      return {
        category: 'store',
        tone: failed ? 'bad' : 'neutral',
        title: `store.${event.method}(${event.key === null ? '' : shortId(event.key)})`,
        detail: `${outcome} · ${formatElapsed(event.durationMs)}`,
      };
    }
    case 'session-created':
      return {
        category: 'session',
        tone: 'good',
        title: 'Session created',
        detail: `${event.userId} · id ${shortId(event.sessionId)} · expires ${formatShortTime(Date.parse(event.expires))}`,
      };
    case 'session-loaded':
      return {
        category: 'session',
        tone: 'neutral',
        title: 'Session loaded',
        detail: `${event.userId} · id ${shortId(event.sessionId)} · expires ${formatShortTime(Date.parse(event.expires))}`,
      };
    case 'session-extended':
      return {
        category: 'session',
        tone: 'good',
        title: 'Session extended',
        detail: `${event.userId} · now expires ${formatShortTime(Date.parse(event.expires))}`,
      };
    case 'session-rotated':
      return {
        category: 'session',
        tone: 'good',
        title: 'Session id rotated',
        detail: `${shortId(event.from)} → ${shortId(event.to)} · ${event.userId}`,
      };
    case 'session-expired':
      return {
        category: 'session',
        tone: 'warn',
        title: 'Session expired',
        detail: `${event.userId} · id ${shortId(event.sessionId)} · ${EXPIRY_REASON[event.reason]}`,
      };
    case 'session-destroyed':
      return {
        category: 'session',
        tone: 'neutral',
        title: 'Session destroyed',
        detail: `${event.userId} signed out · id ${shortId(event.sessionId)}`,
      };
    case 'record-incomplete':
      // The Session says so once per run: the store keeps only some fields of what it is given.
      return {
        category: 'store',
        tone: 'warn',
        title: 'Store dropped record fields',
        detail: `${event.userId} · id ${shortId(event.sessionId)} · not kept: ${event.missing.join(', ')}`,
      };
    case 'session-merged':
      return {
        category: 'session',
        tone: 'neutral',
        title: 'Concurrent change merged',
        detail: `${event.userId} · id ${shortId(event.sessionId)} · attempt ${event.attempt}`,
      };
    case 'sessions-revoked': {
      const count = event.sessionIds.length;
      return {
        category: 'session',
        tone: 'neutral',
        title: 'Sessions revoked',
        detail: `${count} ${count === 1 ? 'session' : 'sessions'} of ${event.userId} deleted`,
      };
    }
    case 'cookie-set':
      if (event.reason === 're-signed') {
        return {
          category: 'cookie',
          tone: 'good',
          title: `Server re-signs cookie ${event.name}`,
          detail: 'an older secret signed it; the same token now carries the current secret’s signature',
        };
      }
      return {
        category: 'cookie',
        tone: 'good',
        title: `Server sets cookie ${event.name}`,
        detail: event.reason === 'extended' ? 'again, with the extended session, in the Set-Cookie header' : 'for the new session, in the response’s Set-Cookie header',
      };
    case 'cookie-cleared':
      return { category: 'cookie', tone: 'neutral', title: `Server clears cookie ${event.name}`, detail: 'an expired Set-Cookie replaces it' };
    case 'cookie-rejected':
      return { category: 'cookie', tone: 'warn', title: `Cookie ${event.name} rejected`, detail: REJECTION[event.reason] };
    case 'clean': {
      if (event.outcome !== 'ok') {
        return { category: 'clean', tone: 'bad', title: 'Cleaning failed', detail: `${event.outcome} · ${formatElapsed(event.durationMs)}` };
      }
      const title =
        event.removed === null
          ? 'Cleaning ran'
          : `Cleaned ${event.removed} expired ${event.removed === 1 ? 'session' : 'sessions'}`;
      return { category: 'clean', tone: event.removed ? 'good' : 'neutral', title, detail: formatElapsed(event.durationMs) };
    }
    case 'background-error':
      return { category: 'server', tone: 'bad', title: 'Background work failed', detail: errorMessage(event.error) };
  }
}

/** An Error, or what is left of one after a trip through `postMessage`. */
function errorMessage(error: unknown): string {
  if (error && typeof error === 'object' && 'message' in error) return String((error as { message: unknown }).message);
  return String(error);
}

/** The request a timeline event belongs to, when it belongs to one. */
export function requestIdOf(event: SimEvent): number | null {
  switch (event.kind) {
    case 'request':
    case 'response':
      return event.id;
    case 'session':
      return event.requestId;
    default:
      return null;
  }
}
