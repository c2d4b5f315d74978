import { RedisStore } from 'connect-redis';
import session from 'express-session';
import createMemoryStore from 'memorystore';
import { createClient } from 'redis';
import { describe, expect, it } from 'vitest';
import { Session, SessionConfigError, StoreError, type SessionRecord } from 'sessionlab';
import { ClockControl } from 'sessionlab/conformance';
// Imported by path until package.json maps 'sessionlab/connect' to it.
import { ConnectStoreBridge, ConnectStoreError, type ConnectCallback, type ConnectStore } from '../../src/session/stores/connect-store.ts';
import { describeConformance } from '../support/conformance.ts';
import { CookieClient, ManualClock, MINUTE, SECRET, recordAt } from '../support/harness.ts';
import { startRedisServer } from '../support/redis-server.ts';

const MemoryStore = createMemoryStore(session);

/** The JSON texts express-session's own MemoryStore keeps, by session id. */
function entriesOf(store: session.MemoryStore): Record<string, string> {
  return (store as unknown as { sessions: Record<string, string> }).sessions;
}

/** What express-session's own MemoryStore keeps for `sid`, parsed: what the bridge handed the store. */
function storedEntry(store: session.MemoryStore, sid: string): unknown {
  const raw = entriesOf(store)[sid];
  return raw === undefined ? undefined : JSON.parse(raw);
}

/** A connect store whose every method answers through `answer` (an error, a value, or a throw). */
function scriptedStore(answer: (method: string, callback: ConnectCallback) => unknown): ConnectStore {
  return {
    get: (_sid, callback) => answer('get', callback),
    set: (_sid, _session, callback) => answer('set', callback),
    destroy: (_sid, callback) => answer('destroy', callback),
    all: (callback) => answer('all', callback),
  };
}

/** A store written the promise way only: it never calls its callback. */
class PromiseOnlyStore implements ConnectStore {
  readonly entries = new Map<string, string>();
  async get(sid: string): Promise<unknown> {
    const raw = this.entries.get(sid);
    return raw === undefined ? null : JSON.parse(raw);
  }
  async set(sid: string, value: unknown): Promise<void> {
    this.entries.set(sid, JSON.stringify(value));
  }
  async destroy(sid: string): Promise<void> {
    this.entries.delete(sid);
  }
  async all(): Promise<unknown[]> {
    return [...this.entries.values()].map((raw) => JSON.parse(raw));
  }
}

async function failureOf(promise: Promise<unknown>): Promise<ConnectStoreError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ConnectStoreError);
  return error as ConnectStoreError;
}

// The suite's verdicts on express-session's MemoryStore through the bridge; the compatibility table
// (tests/compat) records the same for the other stores.
describeConformance("ConnectStoreBridge over express-session's MemoryStore", {
  createStore: () => new ConnectStoreBridge({ store: new session.MemoryStore() }),
  expectFailures: {
    'compare-and-set': /no compareAndSet\(\)/,
    'compare-and-set-concurrent': /no compareAndSet\(\)/,
    // Its all() removes expired sessions as it lists them, so clean() finds none left to count.
    'clean-count': /returned 0 after removing three expired sessions/,
    'all-records': /all\(\) must leave every record in place/,
  },
});

describeConformance('ConnectStoreBridge over a store that answers with promises only', {
  createStore: () => new ConnectStoreBridge({ store: new PromiseOnlyStore() }),
  expectFailures: {
    'compare-and-set': /no compareAndSet\(\)/,
    'compare-and-set-concurrent': /no compareAndSet\(\)/,
  },
});

describe('ConnectStoreBridge', () => {
  describe('construction', () => {
    it('throws a SessionConfigError that says what to pass without a store', () => {
      expect(() => new ConnectStoreBridge(undefined as never)).toThrow(SessionConfigError);
      expect(() => new ConnectStoreBridge({ store: { get() {}, set() {} } as never })).toThrow(/has no destroy\(\)/);
    });

    it('asks how expired sessions go when the store has no all()', () => {
      const { all: _all, ...withoutAll } = scriptedStore(() => undefined);
      expect(() => new ConnectStoreBridge({ store: withoutAll as ConnectStore })).toThrow(/clean: 'store-expires'/);
      expect(() => new ConnectStoreBridge({ store: withoutAll as ConnectStore, clean: 'scan' })).toThrow(/needs a store with all\(\)/);
      expect(() => new ConnectStoreBridge({ store: withoutAll as ConnectStore, clean: 'sometimes' as never })).toThrow(/got "sometimes"/);
    });

    it('declares expiresRecordsItself only with clean: "store-expires"', () => {
      const store = new session.MemoryStore();
      expect(new ConnectStoreBridge({ store }).expiresRecordsItself).toBe(false);
      expect(new ConnectStoreBridge({ store, clean: () => 0 }).expiresRecordsItself).toBe(false);
      expect(new ConnectStoreBridge({ store, clean: 'store-expires' }).expiresRecordsItself).toBe(true);
    });

    it('offers all() and listByUser() only when the store has all()', () => {
      const { all: _all, ...withoutAll } = scriptedStore(() => undefined);
      const bridge = new ConnectStoreBridge({ store: withoutAll as ConnectStore, clean: 'store-expires' });
      expect(typeof bridge.all).toBe('undefined');
      expect(typeof bridge.listByUser).toBe('undefined');
      expect(typeof new ConnectStoreBridge({ store: new session.MemoryStore() }).listByUser).toBe('function');
    });

    it('has no compareAndSet: concurrent changes to one session overwrite each other', async () => {
      const clock = new ManualClock(Date.now());
      const bridge = new ConnectStoreBridge({ store: new session.MemoryStore(), clock });
      expect(bridge.compareAndSet).toBeUndefined();
      const record = recordAt(clock, 'a', MINUTE);
      await bridge.create(record);
      // Two requests read version 0 and each writes its own change: the second write wins whole.
      await bridge.update('a', { ...record, data: { cart: ['apple'] }, version: 1 });
      await bridge.update('a', { ...record, data: { theme: 'dark' }, version: 1 });
      expect((await bridge.get('a'))?.data).toEqual({ theme: 'dark' });
    });
  });

  describe('what the connect store is given', () => {
    it('is the record whole under "record", beside a cookie that carries its expiry', async () => {
      const clock = new ManualClock(Date.now());
      const store = new session.MemoryStore();
      const record = recordAt(clock, 'a', 30 * MINUTE);
      await new ConnectStoreBridge({ store, clock }).create(record);
      expect(storedEntry(store, 'a')).toEqual({
        cookie: { expires: record.expires, originalMaxAge: 30 * MINUTE, maxAge: 30 * MINUTE },
        record,
      });
    });

    it('writes an unreadable expiry as long past, so the store treats the entry as expired', async () => {
      const clock = new ManualClock(Date.now());
      const store = new session.MemoryStore();
      await new ConnectStoreBridge({ store, clock }).create({ ...recordAt(clock, 'a', MINUTE), expires: 'not a date' });
      // express-session's MemoryStore drops an entry whose cookie has expired as it reads it.
      expect(await new Promise((resolve) => store.get('a', (_error, value) => resolve(value)))).toBeUndefined();
    });

    it("lets memorystore expire the entry at the record's expires (its TTL comes from cookie.maxAge)", async () => {
      const clock = new ClockControl();
      try {
        clock.freeze(Date.parse('2026-03-01T09:00:00.000Z'));
        const store = new MemoryStore({ checkPeriod: 0 });
        const bridge = new ConnectStoreBridge({ store });
        await bridge.create(recordAt(clock, 'a', 10 * MINUTE));
        clock.travel(10 * MINUTE - 1);
        expect(await new Promise((resolve) => store.get('a', (_error, value) => resolve(value)))).toBeTruthy();
        clock.travel(2);
        expect(await new Promise((resolve) => store.get('a', (_error, value) => resolve(value)))).toBeUndefined();
      } finally {
        clock.restore();
      }
    });
  });

  describe('sessions the bridge did not write', () => {
    it('are never read as records, listed, or removed by clean()', async () => {
      const clock = new ManualClock(Date.now());
      const store = new session.MemoryStore();
      const bridge = new ConnectStoreBridge({ store, clock });
      // A session express-session wrote, live by its cookie, with fields that look like a record's (expired).
      const theirs = { cookie: { expires: new Date(clock.now() + MINUTE).toISOString(), originalMaxAge: MINUTE }, sessionId: 'theirs', userId: 'x', expires: '2000-01-01T00:00:00.000Z' };
      entriesOf(store)['theirs'] = JSON.stringify(theirs);
      expect(await bridge.get('theirs')).toBeNull();
      expect(await bridge.all?.()).toEqual([]);
      expect(await bridge.clean()).toBe(0);
      expect(JSON.parse(entriesOf(store)['theirs']!)).toEqual(theirs);
    });

    it('are not mistaken for one whose record names another id', async () => {
      const clock = new ManualClock(Date.now());
      const store = new session.MemoryStore();
      const bridge = new ConnectStoreBridge({ store, clock });
      await bridge.create(recordAt(clock, 'a', MINUTE));
      entriesOf(store)['b'] = entriesOf(store)['a']!;
      expect(await bridge.get('b')).toBeNull();
      expect((await bridge.all?.())?.map((record) => record.sessionId)).toEqual(['a']);
    });

    it('are not listed when an array listing names them under another id', async () => {
      const clock = new ManualClock(Date.now());
      const record = recordAt(clock, 'a', MINUTE);
      const bridge = new ConnectStoreBridge({ clock, store: scriptedStore((_method, callback) => callback(null, [{ id: 'b', cookie: {}, record }, { id: 'a', cookie: {}, record }])) });
      expect(await bridge.all?.()).toEqual([record]);
    });
  });

  describe('create', () => {
    it('refuses an id the store holds a live session under, with reason "duplicate-id", and keeps the first', async () => {
      const clock = new ManualClock(Date.now());
      const bridge = new ConnectStoreBridge({ store: new session.MemoryStore(), clock });
      const record = recordAt(clock, 'a', MINUTE);
      await bridge.create(record);
      const error = await failureOf(bridge.create({ ...record, userId: 'mallory' }));
      expect(error).toBeInstanceOf(StoreError);
      expect(error.reason).toBe('duplicate-id');
      expect(await bridge.get('a')).toEqual(record);
    });
  });

  describe('create of an id whose record has expired but is still stored', () => {
    it('takes the id over: the session there is over', async () => {
      const clock = new ManualClock(Date.now());
      const store = new PromiseOnlyStore();
      const bridge = new ConnectStoreBridge({ store, clock });
      await bridge.create(recordAt(clock, 'a', MINUTE));
      clock.advance(2 * MINUTE);
      const next = recordAt(clock, 'a', MINUTE);
      await bridge.create(next);
      expect(await bridge.get('a')).toEqual(next);
    });
  });

  describe("the connect store's failures", () => {
    it.each([
      [{ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:6379' }, 'unavailable'],
      [{ message: 'The client is closed' }, 'unavailable'],
      [{ code: '57P01', message: 'terminating connection due to administrator command' }, 'unavailable'],
      [{ message: 'timeout exceeded when trying to connect' }, 'timeout'],
      [{ code: '25006', message: 'cannot execute INSERT in a read-only transaction' }, 'read-only'],
      [{ message: "READONLY You can't write against a read only replica." }, 'read-only'],
      [{ code: 'EROFS', message: 'read-only file system' }, 'read-only'],
      [{ code: 'ENOSPC', message: 'no space left on device' }, 'quota-exceeded'],
      [{ message: "OOM command not allowed when used memory > 'maxmemory'." }, 'quota-exceeded'],
      [{ code: '55P03', message: 'could not obtain lock' }, 'locked'],
      [{ message: 'something odd' }, 'failed'],
    ])('%j becomes a ConnectStoreError of reason %s, with the store error as cause', async (shape, reason) => {
      const failure = Object.assign(new Error(shape.message), shape);
      const bridge = new ConnectStoreBridge({ store: scriptedStore((_method, callback) => callback(failure)) });
      const error = await failureOf(bridge.get('a'));
      expect(error.reason).toBe(reason);
      expect(error.cause).toBe(failure);
      expect(error.message).toContain("the store's get() failed");
      expect(error.message.endsWith(error.hint)).toBe(true);
    });

    it('wraps what a store method throws, and what its promise rejects with', async () => {
      const thrown = new ConnectStoreBridge({
        store: scriptedStore(() => {
          throw new Error('boom');
        }),
      });
      expect((await failureOf(thrown.delete('a'))).message).toMatch(/destroy\(\) failed: Error: boom/);
      const rejected = new ConnectStoreBridge({ store: scriptedStore(() => Promise.reject(Object.assign(new Error('down'), { code: 'ECONNRESET' }))) });
      expect((await failureOf(rejected.update('a', recordAt(new ManualClock(Date.now()), 'a', MINUTE)))).reason).toBe('unavailable');
    });

    it('reads ENOENT from get() as "no such session", as express-session does', async () => {
      const clock = new ManualClock(Date.now());
      const missing = Object.assign(new Error('no such file'), { code: 'ENOENT' });
      const written: string[] = [];
      const bridge = new ConnectStoreBridge({
        clock,
        store: scriptedStore((method, callback) => {
          if (method === 'set') written.push(method);
          callback(method === 'get' ? missing : null);
        }),
      });
      expect(await bridge.get('a')).toBeNull();
      await bridge.create(recordAt(clock, 'a', MINUTE));
      expect(written).toEqual(['set']);
    });

    it('settles once when a store both calls back and returns a promise (connect-redis 8+)', async () => {
      const clock = new ManualClock(Date.now());
      const record = recordAt(clock, 'a', MINUTE);
      const entry = { cookie: {}, record };
      const bridge = new ConnectStoreBridge({
        clock,
        store: scriptedStore(async (_method, callback) => {
          callback(null, entry);
          return 'not the answer';
        }),
      });
      expect(await bridge.get('a')).toEqual(record);
    });
  });

  describe('over connect-redis on a real Redis', () => {
    it('reports a stopped server as "unavailable", fast, and works again once it is back', async () => {
      const server = await startRedisServer();
      const client = createClient({ url: server.url, disableOfflineQueue: true, socket: { reconnectStrategy: () => 50 } });
      client.on('error', () => {});
      try {
        await client.connect();
        const clock = new ManualClock(Date.now());
        const bridge = new ConnectStoreBridge({ store: new RedisStore({ client }), clean: 'store-expires', clock });
        await bridge.create(recordAt(clock, 'a', MINUTE));
        await server.stop();
        const error = await failureOf(bridge.get('a'));
        expect(error.reason).toBe('unavailable');
        expect(error.message).toMatch(/ConnectStoreBridge\.get\(\): the store's get\(\) failed/);
        await server.start();
        await expect.poll(() => bridge.get('a').then(() => 'answered', () => 'failed'), { timeout: 5_000 }).toBe('answered');
        // The server came back empty (it keeps nothing on disk): the store answers, and has no session.
        expect(await bridge.get('a')).toBeNull();
      } finally {
        await client.close().catch(() => {});
        await server.stop();
      }
    });
  });

  describe('clean()', () => {
    it('with a function, runs the store\'s own pruning and passes on its count and its failures', async () => {
      const store = new session.MemoryStore();
      expect(await new ConnectStoreBridge({ store, clean: () => 7 }).clean()).toBe(7);
      const error = await failureOf(
        new ConnectStoreBridge({
          store,
          clean: () => {
            throw Object.assign(new Error('disk'), { code: 'ENOSPC' });
          },
        }).clean(),
      );
      expect(error.reason).toBe('quota-exceeded');
    });

    it('with "store-expires", leaves the store alone', async () => {
      const calls: string[] = [];
      const bridge = new ConnectStoreBridge({ store: scriptedStore((method, callback) => (calls.push(method), callback(null))), clean: 'store-expires' });
      expect(await bridge.clean()).toBeUndefined();
      expect(calls).toEqual([]);
    });
  });

  describe('behind a Session', () => {
    it('keeps a signed-in session across requests, in express-session\'s MemoryStore', async () => {
      const clock = new ManualClock(Date.now());
      const sessions = new Session<{ visits: number }>({ secret: SECRET, clock, cleanInterval: false, store: new ConnectStoreBridge<SessionRecord<{ visits: number }>>({ store: new session.MemoryStore(), clock }) });
      const browser = new CookieClient();
      await browser.visit(sessions, (handle) => handle.login('ada'));
      const { result } = await browser.visit(sessions, (handle) => handle.userId);
      expect(result).toBe('ada');
    });
  });
});
