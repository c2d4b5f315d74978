import { describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../src/session/index.ts';
import type { BrowserId, SimEvent, StoreChoice } from '../../src/sim/protocol.ts';
import { explainFailure, explainSignIn, type RequestFacts } from '../../src/components/lab/lab-explanations.ts';
// Server events built as the simulation builds them: the store choice as data, and its display name.
import { serverEventStore } from '../../src/sim/server-messages.ts';

const BASE = '/session-lab/';
const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const SID = '3f9a12c4d5e6f70812233445566778899aabbccddeeff00112233445566778899';
const NEW_SID = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';

type Step = SessionEvent extends infer E ? (E extends SessionEvent ? Omit<E, 'at'> : never) : never;

/** A run of the simulation, event by event, in the order a real run reports them. */
class Run {
  readonly events: SimEvent[] = [];
  #seq = 0;
  #requests = 0;

  #stamp(): { seq: number; at: number } {
    this.#seq += 1;
    return { seq: this.#seq, at: T0 + this.#seq * 1000 };
  }

  /** A request to `<base>api/<route>`, the session steps it made, and the status it got. */
  request(route: string, options: { cookies?: string[]; steps?: Step[]; status: number; server?: number; browser?: BrowserId }): this {
    const id = ++this.#requests;
    const on = { ...(options.server === undefined ? {} : { server: options.server }), ...(options.browser === undefined ? {} : { browser: options.browser }) };
    this.events.push({ ...this.#stamp(), kind: 'request', id, method: 'GET', path: `${BASE}api/${route}`, cookies: options.cookies ?? ['session'], ...on });
    for (const step of options.steps ?? []) this.#session(step, id, options.server);
    this.events.push({ ...this.#stamp(), kind: 'response', id, status: options.status, setCookie: null, durationMs: 2 });
    return this;
  }

  /** A session event no request waits for (a clean run). */
  background(step: Step): this {
    this.#session(step, null);
    return this;
  }

  /** A server step on `choice`; `crashed`, as the simulation reports it, names the store that failed to load. */
  server(step: 'started' | 'restarted' | 'crashed', choice: StoreChoice): this {
    this.events.push({ ...this.#stamp(), kind: 'server', step, ...serverEventStore(choice) });
    return this;
  }

  /** Server `server` of several stopped. */
  stopped(server: number): this {
    this.events.push({ ...this.#stamp(), kind: 'server', step: 'stopped', server, ...serverEventStore({ kind: 'memory' }) });
    return this;
  }

  #session(step: Step, requestId: number | null, server?: number): void {
    const stamp = this.#stamp();
    const on = server === undefined ? {} : { server };
    this.events.push({ ...stamp, kind: 'session', event: { ...step, at: stamp.at } as SessionEvent, requestId, ...on });
  }
}

function facts(run: Run, route: string, options: RequestFacts['options'] = {}): RequestFacts {
  return { events: run.events, options, route, path: `/api/${route}` };
}

const loaded: Step = { type: 'session-loaded', sessionId: SID, userId: 'ada', expires: new Date(T0 + 30 * 60_000).toISOString() };
const unknownCookie: Step = { type: 'cookie-rejected', name: 'session', reason: 'unknown-session' };
const GENUINE = 'Your cookie is genuine, but the store has no such session any more: it ended, or the store lost it.';
const RESTARTED = 'The server restarted, and its Memory store forgot every session. A durable store would have kept yours.';

/** The signed-in visit, then `before`, then the refused request for /api/account. */
function refusedAfter(before: (run: Run) => void): Run {
  const run = new Run().server('started', { kind: 'memory' }).request('account', { steps: [loaded], status: 200 });
  before(run);
  return run.request('account', { steps: [unknownCookie], status: 401 });
}

describe('explainFailure', () => {
  describe('when the Lab has several browsers', () => {
    const onPhone: Step = { type: 'session-loaded', sessionId: NEW_SID, userId: 'ada', expires: new Date(T0 + 30 * 60_000).toISOString() };
    const revoked: Step = { type: 'sessions-revoked', userId: 'ada', sessionIds: [NEW_SID] };

    /** Ada on the Laptop and the Phone; the Laptop requests `route`, which revokes the Phone's session; the Phone is refused. */
    const phoneRefusedAfter = (route: string): Run =>
      new Run()
        .server('started', { kind: 'memory' })
        .request('account', { steps: [loaded], status: 200, browser: 'laptop' })
        .request('account', { steps: [onPhone], status: 200, browser: 'phone' })
        .request(route, { steps: [revoked], status: 200, browser: 'laptop' })
        .request('account', { steps: [unknownCookie], status: 401, browser: 'phone' });

    it('says a device signed out from another one was signed out from there', () => {
      expect(explainFailure(401, facts(phoneRefusedAfter('revoke-device'), 'account')).detail).toMatch(/^This device was signed out from another one/);
    });

    it('says another device signed out all others', () => {
      expect(explainFailure(401, facts(phoneRefusedAfter('logout-others'), 'account')).detail).toMatch(/^Another device signed out all others, this one included/);
    });

    it('says signed out everywhere when that is what revoked it', () => {
      expect(explainFailure(401, facts(phoneRefusedAfter('logout-everywhere'), 'account')).detail).toMatch(/^Your sessions were revoked \(signed out everywhere\)\./);
    });

    it('says a planted cookie leads nowhere once another browser signed in with its session', () => {
      const rotated: Step = { type: 'session-rotated', from: SID, to: NEW_SID, userId: 'ada' };
      const run = new Run()
        .server('started', { kind: 'memory' })
        .request('account', { steps: [loaded], status: 200, browser: 'attacker' })
        .request('login', { steps: [rotated], status: 200, browser: 'laptop' })
        .request('account', { steps: [unknownCookie], status: 401, browser: 'attacker' });
      expect(explainFailure(401, facts(run, 'account')).detail).toMatch(/^Someone signed in with the session this cookie names, and signing in gives a new id/);
    });

    it('does not blame another browser’s sign-in for a cookie this browser saw rotated itself', () => {
      const rotated: Step = { type: 'session-rotated', from: SID, to: NEW_SID, userId: 'ada' };
      const run = new Run()
        .server('started', { kind: 'memory' })
        .request('login', { steps: [rotated], status: 200, browser: 'laptop' })
        .request('account', { steps: [unknownCookie], status: 401, browser: 'laptop' });
      expect(explainFailure(401, facts(run, 'account')).detail).not.toMatch(/^Someone signed in/);
    });
  });

  describe('when several servers run and the session lives in another one’s memory', () => {
    /** Signed in on server 1, then `between`, then /api/account sent to server 2 and refused. */
    const onServerTwo = (between: (run: Run) => void = () => {}): Run => {
      const run = new Run().server('started', { kind: 'memory' }).request('account', { steps: [loaded], status: 200, server: 1 });
      between(run);
      return run.request('account', { steps: [unknownCookie], status: 401, server: 2 });
    };

    it('names the server that holds it and the one that was asked', () => {
      expect(explainFailure(401, facts(onServerTwo(), 'account')).detail).toMatch(
        /^The load balancer sent this request to server 2, but your session was made on server 1 and lives in that server’s memory/,
      );
    });

    it('says the server that held it was stopped, when it was', () => {
      expect(explainFailure(401, facts(onServerTwo((run) => run.stopped(1)), 'account')).detail).toMatch(
        /^Server 1, which kept your session in its memory, was stopped\. The load balancer sent you to server 2/,
      );
    });

    it('does not blame a stop of a server that never held the session', () => {
      expect(explainFailure(401, facts(onServerTwo((run) => run.stopped(3)), 'account')).detail).toMatch(/^The load balancer sent this request to server 2, but/);
    });

    it('does not blame a stop from before the session was last seen', () => {
      const run = new Run().server('started', { kind: 'memory' }).stopped(1);
      run.request('account', { steps: [loaded], status: 200, server: 1 }).request('account', { steps: [unknownCookie], status: 401, server: 2 });
      expect(explainFailure(401, facts(run, 'account')).detail).toMatch(/^The load balancer sent this request to server 2, but/);
    });

    it('falls back to the one-server reasons when the session was last seen on the server asked', () => {
      const run = new Run().server('started', { kind: 'memory' }).request('account', { steps: [loaded], status: 200, server: 2 });
      run.request('account', { steps: [unknownCookie], status: 401, server: 2 });
      expect(explainFailure(401, facts(run, 'account')).detail).not.toMatch(/load balancer|Server \d/);
    });
  });

  describe('when several servers share one store, and the session is gone from it', () => {
    const created: Step = { type: 'session-created', sessionId: SID, userId: 'ada', expires: new Date(T0 + 30 * 60_000).toISOString() };
    const cleaned: Step = { type: 'clean', removed: 1, durationMs: 1, outcome: 'ok' };
    const CLEANED = /^Your session had expired, and the server’s regular cleaning already removed it from the store\./;

    /** On `store`: signed in on server 1, seen last on server 2, cleaned away, then /api/account sent to server 1 and refused. */
    const cleanedAway = (store: (run: Run) => Run): Run =>
      store(new Run())
        .request('login', { steps: [created], status: 200, server: 1 })
        .request('account', { steps: [loaded], status: 200, server: 2 })
        .background(cleaned)
        .request('account', { steps: [unknownCookie], status: 401, server: 1 });

    it('says the cleaning removed the expired session, not that it lives in another server’s memory', () => {
      const detail = explainFailure(401, facts(cleanedAway((run) => run.server('started', { kind: 'indexeddb' })), 'account')).detail;
      expect(detail).toMatch(CLEANED);
      expect(detail).not.toMatch(/memory|load balancer/);
    });

    it('goes by the store the servers run when the request came: IndexedDB after a switch from Memory', () => {
      const run = cleanedAway((r) => r.server('started', { kind: 'memory' }).server('restarted', { kind: 'indexeddb', lastWriteWins: true }));
      expect(explainFailure(401, facts(run, 'account')).detail).toMatch(CLEANED);
    });

    it('goes by the store the servers run when the request came: Memory after a switch from IndexedDB', () => {
      const run = cleanedAway((r) => r.server('started', { kind: 'indexeddb' }).server('restarted', { kind: 'memory' }));
      expect(explainFailure(401, facts(run, 'account')).detail).toMatch(/^The load balancer sent this request to server 1, but your session was made on server 2/);
    });

    it('does not take a store that failed to load for the one the servers run', () => {
      const run = cleanedAway((r) => r.server('started', { kind: 'indexeddb' }).server('crashed', { kind: 'module', url: 'blob:x', label: 'MyStore (run 1)' }));
      expect(explainFailure(401, facts(run, 'account')).detail).toMatch(CLEANED);
    });

    describe('and several browsers', () => {
      const onPhone: Step = { type: 'session-loaded', sessionId: NEW_SID, userId: 'ada', expires: new Date(T0 + 30 * 60_000).toISOString() };

      /** The Phone seen last on server 2; the Laptop, on server 2, requests `route`, which revokes the Phone's session; the Phone, sent to server 1, is refused. */
      const phoneRefusedAfter = (route: string): Run =>
        new Run()
          .server('started', { kind: 'indexeddb' })
          .request('account', { steps: [loaded], status: 200, server: 1, browser: 'laptop' })
          .request('account', { steps: [onPhone], status: 200, server: 2, browser: 'phone' })
          .request(route, { steps: [loaded, { type: 'sessions-revoked', userId: 'ada', sessionIds: [NEW_SID] }], status: 200, server: 2, browser: 'laptop' })
          .request('account', { steps: [unknownCookie], status: 401, server: 1, browser: 'phone' });

      it('says another device signed out all others', () => {
        expect(explainFailure(401, facts(phoneRefusedAfter('logout-others'), 'account')).detail).toMatch(/^Another device signed out all others, this one included/);
      });

      it('says this device was signed out from another one', () => {
        expect(explainFailure(401, facts(phoneRefusedAfter('revoke-device'), 'account')).detail).toMatch(/^This device was signed out from another one/);
      });

      it('says the sessions were signed out everywhere', () => {
        expect(explainFailure(401, facts(phoneRefusedAfter('logout-everywhere'), 'account')).detail).toMatch(/^Your sessions were revoked \(signed out everywhere\)\./);
      });
    });
  });

  describe('when several servers each keep their own memory, and several browsers use them', () => {
    const onPhone: Step = { type: 'session-loaded', sessionId: NEW_SID, userId: 'ada', expires: new Date(T0 + 30 * 60_000).toISOString() };

    it('goes by where this browser last saw its session, not where another browser was seen', () => {
      const run = new Run()
        .server('started', { kind: 'memory' })
        .request('account', { steps: [loaded], status: 200, server: 1, browser: 'laptop' })
        .request('account', { steps: [onPhone], status: 200, server: 2, browser: 'phone' })
        .request('account', { steps: [unknownCookie], status: 401, server: 2, browser: 'laptop' });
      expect(explainFailure(401, facts(run, 'account')).detail).toMatch(
        /^The load balancer sent this request to server 2, but your session was made on server 1 and lives in that server’s memory/,
      );
    });

    it('does not blame another server’s memory when this browser last saw its session on the server asked', () => {
      const run = new Run()
        .server('started', { kind: 'memory' })
        .request('account', { steps: [onPhone], status: 200, server: 2, browser: 'phone' })
        .server('restarted', { kind: 'memory' })
        .request('account', { steps: [loaded], status: 200, server: 1, browser: 'laptop' })
        .request('account', { steps: [unknownCookie], status: 401, server: 2, browser: 'phone' });
      expect(explainFailure(401, facts(run, 'account')).detail).toBe(`${RESTARTED} (401 Unauthorized for /api/account)`);
    });
  });

  describe('when the server answers 401', () => {
    it('says the reader is signed out, with the code and the path', () => {
      const run = new Run().request('account', { cookies: [], status: 401 });
      expect(explainFailure(401, facts(run, 'account'))).toEqual({
        tone: 'warn',
        title: 'You are signed out.',
        detail: 'The browser sent no session cookie, so the server cannot know who you are. (401 Unauthorized for /api/account)',
      });
    });

    it('does not guess when the simulation saw no such response', () => {
      const detail = explainFailure(401, { events: [], options: null, route: 'account', path: '/api/account' }).detail;
      expect(detail).toBe('The server does not recognise a session. (401 Unauthorized for /api/account)');
    });

    it('explains the newest refusal for that route, not one for another route', () => {
      const run = new Run()
        .request('account', { steps: [{ type: 'session-expired', sessionId: SID, userId: 'ada', reason: 'absolute' }], status: 401 })
        .request('cart', { cookies: [], status: 401 });
      expect(explainFailure(401, facts(run, 'account')).detail).toMatch(/^Your session reached its absolute lifetime/);
      expect(explainFailure(401, facts(run, 'cart')).detail).toMatch(/^The browser sent no session cookie/);
    });

    it('does not take a longer route that starts the same way for the route (cart-two-tabs is not cart)', () => {
      const run = new Run().request('cart', { cookies: [], status: 401 }).request('cart-two-tabs', { steps: [unknownCookie], status: 401 });
      expect(explainFailure(401, facts(run, 'cart')).detail).toMatch(/^The browser sent no session cookie/);
    });

    it('explains a refusal that came inside a response with another status (the two-tabs pair answers 200)', () => {
      const run = new Run().request('cart-two-tabs', { steps: [{ type: 'session-expired', sessionId: SID, userId: 'ada', reason: 'absolute' }], status: 200 });
      expect(explainFailure(401, { ...facts(run, 'cart-two-tabs'), answeredWith: 200 }).detail).toBe(
        'Your session reached its absolute lifetime: even active sessions end then. (401 Unauthorized for /api/cart-two-tabs)',
      );
      expect(explainFailure(401, facts(run, 'cart-two-tabs')).detail).toMatch(/^The server does not recognise a session\./);
    });

    describe('and the session had expired', () => {
      const expired = (reason: 'idle' | 'absolute' | 'unreadable') =>
        new Run().request('account', { steps: [{ type: 'session-expired', sessionId: SID, userId: 'ada', reason }], status: 401 });

      it('idle: names the session duration of this run', () => {
        expect(explainFailure(401, facts(expired('idle'), 'account', { sessionDuration: 2 * 60_000 })).detail).toBe(
          'Your session expired: no request for more than 2 min. The server deleted it. (401 Unauthorized for /api/account)',
        );
      });

      it('idle: names the default duration when the run left it out', () => {
        expect(explainFailure(401, facts(expired('idle'), 'account', {})).detail).toMatch(/^Your session expired: no request for more than 30 min\./);
      });

      it('absolute: says even active sessions end', () => {
        expect(explainFailure(401, facts(expired('absolute'), 'account')).detail).toMatch(
          /^Your session reached its absolute lifetime: even active sessions end then\. \(401/,
        );
      });

      it('unreadable: says the expiry date could not be read', () => {
        expect(explainFailure(401, facts(expired('unreadable'), 'account')).detail).toMatch(/^Your session’s expiry date could not be read/);
      });
    });

    it('a cookie this server did not sign: ignored without a store lookup', () => {
      for (const reason of ['bad-signature', 'malformed'] as const) {
        const run = new Run().request('account', { steps: [{ type: 'cookie-rejected', name: 'session', reason }], status: 401 });
        expect(explainFailure(401, facts(run, 'account')).detail).toMatch(/^The cookie the browser sent is not one this server signed/);
      }
    });

    describe('and the cookie is genuine but the store has no such session', () => {
      it('blames a restart of a server that keeps sessions in memory', () => {
        for (const choice of [{ kind: 'memory' }, { kind: 'memory', lastWriteWins: true }] as const) {
          const run = refusedAfter((r) => r.server('restarted', choice));
          expect(explainFailure(401, facts(run, 'account')).detail).toBe(`${RESTARTED} (401 Unauthorized for /api/account)`);
        }
      });

      it('does not blame a restart of a durable store, nor of a reader’s own', () => {
        for (const choice of [{ kind: 'indexeddb' }, { kind: 'module', url: 'blob:x', label: 'MyStore' }] as const) {
          const run = refusedAfter((r) => r.server('restarted', choice));
          expect(explainFailure(401, facts(run, 'account')).detail).toMatch(new RegExp(`^${GENUINE}`));
        }
      });

      it('goes by the store choice, not by its name: a reader’s store called MemoryStore is not the Lab’s', () => {
        const run = refusedAfter((r) => r.server('restarted', { kind: 'module', url: 'blob:x', label: 'MemoryStore' }));
        expect(explainFailure(401, facts(run, 'account')).detail).toMatch(new RegExp(`^${GENUINE}`));
      });

      it('blames a clean run that removed records', () => {
        const run = refusedAfter((r) => r.background({ type: 'clean', removed: 1, durationMs: 1, outcome: 'ok' }));
        expect(explainFailure(401, facts(run, 'account')).detail).toMatch(/^Your session had expired, and the server’s regular cleaning already removed it/);
      });

      it('does not blame a clean run that removed nothing', () => {
        const run = refusedAfter((r) => r.background({ type: 'clean', removed: 0, durationMs: 1, outcome: 'ok' }));
        expect(explainFailure(401, facts(run, 'account')).detail).toMatch(new RegExp(`^${GENUINE}`));
      });

      it('blames signing out everywhere', () => {
        const run = refusedAfter((r) => r.request('logout-everywhere', { steps: [{ type: 'sessions-revoked', userId: 'ada', sessionIds: [SID] }], status: 200 }));
        expect(explainFailure(401, facts(run, 'account')).detail).toMatch(/^Your sessions were revoked \(signed out everywhere\)\./);
      });

      it('looks back only to the last time the session was seen', () => {
        const run = new Run()
          .server('restarted', { kind: 'memory' })
          .request('account', { steps: [loaded], status: 200 })
          .request('account', { steps: [unknownCookie], status: 401 });
        expect(explainFailure(401, facts(run, 'account')).detail).toMatch(new RegExp(`^${GENUINE}`));
      });

      it('ignores what happened after the refused request', () => {
        const run = refusedAfter(() => {}).server('restarted', { kind: 'memory' });
        expect(explainFailure(401, facts(run, 'account')).detail).toMatch(new RegExp(`^${GENUINE}`));
      });
    });
  });

  describe('when the server answers 503', () => {
    const failing = (outcome: 'timeout' | 'failed') =>
      new Run().request('cart', { steps: [{ type: 'store-call', method: 'update', key: SID, durationMs: 1500, outcome }], status: 503 });

    it('names the store call that timed out, and how long it was given', () => {
      expect(explainFailure(503, facts(failing('timeout'), 'cart'))).toEqual({
        tone: 'error',
        title: 'The session store is not working.',
        detail: 'Its store did not answer update() within 1.5 s, so the server answered 503 Service Unavailable instead of hanging or crashing. Nothing was saved; try again later.',
      });
    });

    it('names the store call that failed', () => {
      expect(explainFailure(503, facts(failing('failed'), 'cart')).detail).toMatch(/^Its store failed on update\(\), so the server answered 503/);
    });

    it('names the call of that request, not an earlier request’s', () => {
      const run = new Run()
        .request('account', { steps: [{ type: 'store-call', method: 'get', key: SID, durationMs: 1500, outcome: 'timeout' }], status: 503 })
        .request('cart', { steps: [{ type: 'store-call', method: 'update', key: SID, durationMs: 2, outcome: 'failed' }], status: 503 });
      expect(explainFailure(503, facts(run, 'cart')).detail).toMatch(/^Its store failed on update\(\),/);
    });

    it('names the failed call of a refusal that came inside a 200 (the two-tabs pair)', () => {
      const run = new Run().request('cart-two-tabs', { steps: [{ type: 'store-call', method: 'get', key: SID, durationMs: 1500, outcome: 'timeout' }], status: 200 });
      expect(explainFailure(503, { ...facts(run, 'cart-two-tabs'), answeredWith: 200 }).detail).toMatch(/^Its store did not answer get\(\) within 1\.5 s,/);
    });

    it('says only that the store failed when no failed call was seen', () => {
      const run = new Run().request('cart', { steps: [{ type: 'store-call', method: 'get', key: SID, durationMs: 1, outcome: 'ok', result: 'hit' }], status: 503 });
      expect(explainFailure(503, facts(run, 'cart')).detail).toMatch(/^Its store failed, so the server answered 503/);
    });
  });

  describe('when the server answers 504', () => {
    it('names the run’s request timeout', () => {
      const run = new Run().request('cart', { status: 504 });
      expect(explainFailure(504, facts(run, 'cart', { requestTimeoutMs: 1500 }))).toEqual({
        tone: 'error',
        title: 'The server did not answer in time.',
        detail: 'Nothing came back within 1.5 s, so the request ended with 504 Gateway Timeout and the simulation restarted the server. See the timeline.',
      });
    });

    it('names the default timeout when the run left it out', () => {
      expect(explainFailure(504, facts(new Run(), 'cart', null)).detail).toMatch(/^Nothing came back within 3 s,/);
    });

    it('with a reader’s store that hung on this request: says their store was stopped, and how to go on', () => {
      const run = new Run().request('cart', { status: 504 });
      // The give-up is reported while the request is out, before its 504 arrives.
      run.events.splice(-1, 0, { seq: 90, at: T0 + 90_000, kind: 'server', step: 'timeout', ...serverEventStore({ kind: 'module', url: 'blob:x', label: 'MyStore (run 2)' }) });
      expect(explainFailure(504, facts(run, 'cart'))).toEqual({
        tone: 'error',
        title: 'Your store stopped answering.',
        detail: 'MyStore (run 2) did not answer within 3 s, so the request ended with 504 Gateway Timeout and your store was stopped. Fix the code in the editor and press Run, then sign in again.',
      });
    });

    it('does not blame a reader’s store for a give-up before this request went out', () => {
      const run = new Run();
      run.events.push({ seq: 90, at: T0 + 90_000, kind: 'server', step: 'timeout', ...serverEventStore({ kind: 'module', url: 'blob:x', label: 'MyStore (run 2)' }) });
      run.request('cart', { status: 504 });
      expect(explainFailure(504, facts(run, 'cart')).title).toBe('The server did not answer in time.');
    });
  });

  describe('any other status', () => {
    it('a server error: something went wrong on the server', () => {
      expect(explainFailure(500, facts(new Run(), 'cart'))).toEqual({
        tone: 'error',
        title: 'The server answered 500 Internal Server Error.',
        detail: 'Something went wrong on the server (/api/cart).',
      });
    });

    it('a client error: the request was refused, with a bare code when it has no reason phrase', () => {
      expect(explainFailure(418, facts(new Run(), 'sessions'))).toEqual({
        tone: 'error',
        title: 'The server answered 418.',
        detail: 'The request was refused (/api/sessions).',
      });
    });
  });
});

describe('explainSignIn', () => {
  it('with a session already there: the old id was deleted and a new one issued', () => {
    const run = new Run().request('login', { steps: [{ type: 'session-rotated', from: SID, to: NEW_SID, userId: 'grace' }], status: 200 });
    expect(explainSignIn(facts(run, 'login'))).toBe(
      'The server deleted the session this browser had (3f9a12c4…) and created a new one with a new id (a1b2c3d4…) and a new cookie: a cookie planted before sign-in leads nowhere now.',
    );
  });

  it('without one: a session was created', () => {
    const run = new Run()
      .request('login', { steps: [{ type: 'session-rotated', from: SID, to: NEW_SID, userId: 'grace' }], status: 200 })
      .request('login', { steps: [{ type: 'session-created', sessionId: NEW_SID, userId: 'ada', expires: new Date(T0).toISOString() }], status: 200 });
    expect(explainSignIn(facts(run, 'login'))).toBe('The server created a session and sent its cookie back.');
  });
});
