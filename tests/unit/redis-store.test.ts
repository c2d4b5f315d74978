import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session, SessionConfigError, type SessionRecord } from 'sessionlab';
import { sessionMiddleware, storeErrorHandler } from 'sessionlab/express';
import { RedisStore, RedisStoreError } from 'sessionlab/redis';
// Not yet exported from the 'sessionlab' entry point.
import { StoreError } from '../../src/session/errors.ts';
import { conformanceChecks, runConformance } from 'sessionlab/conformance';
import { CookieClient, ManualClock, MINUTE, SECRET, recordAt } from '../support/harness.ts';
import { startRedisServer, type RedisServer } from '../support/redis-server.ts';

type Client = Awaited<ReturnType<typeof connect>>;

const EXAMPLE = fileURLToPath(new URL('../../content/examples/express/server.ts', import.meta.url));

let redis: RedisServer;
let client: Client;
let prefixes = 0;
/** A prefix no other test uses: a fresh, empty store on the shared server. */
const freshPrefix = (): string => `test-${++prefixes}:`;

beforeAll(async () => {
  redis = await startRedisServer();
  client = await connect(redis.url);
});
afterAll(async () => {
  await client?.close();
  await redis?.stop();
});

/** A client that fails commands at once while Redis is down, and retries the connection quickly. */
async function connect(url: string, errors: Error[] = []) {
  const connection = createClient({ url, disableOfflineQueue: true, socket: { reconnectStrategy: () => 50 } });
  // node-redis reports each failed reconnection as an 'error' event; unheard, Node would crash on it.
  connection.on('error', (error: Error) => errors.push(error));
  await connection.connect();
  return connection;
}


/** Commands the Redis server ran since the last `CONFIG RESETSTAT`, by name, with their call counts. */
async function commandsRun(): Promise<Record<string, number>> {
  const stats = await client.info('commandstats');
  const calls: Record<string, number> = {};
  for (const [, name, count] of stats.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    if (name !== 'info' && name !== 'config|resetstat') calls[name!] = Number(count);
  }
  return calls;
}

// One test per check, each running only its check (as in memory-store.test.ts): mutation testing
// then reruns only the checks that reach a mutant, not the whole file.
describe('RedisStore passes the store conformance suite', () => {
  it.each(conformanceChecks.map((check) => [`${check.title} (${check.level})`, check.id] as const))('%s', async (_, id) => {
    const [result] = await runConformance({
      createStore: () => new RedisStore({ client, prefix: freshPrefix() }),
      disposeStore: (store) => store.clear(),
      only: [id],
    });
    expect(result?.passed, result?.message).toBe(true);
  }, 60_000);
});

describe('RedisStore', () => {
  it('needs a client, and says how to make one', () => {
    expect(() => new RedisStore({} as never)).toThrow(SessionConfigError);
    expect(() => new RedisStore({} as never)).toThrow(/createClient\(\{ url, disableOfflineQueue: true \}\)/);
  });

  it("keeps each session under 'sess:' + id by default", async () => {
    const store = new RedisStore({ client });
    const stored = recordAt(Date, `default-prefix-${Date.now()}`, MINUTE);
    await store.create(stored);
    expect(JSON.parse((await client.hGet(`sess:${stored.sessionId}`, 'record'))!)).toEqual(stored);
    await store.delete(stored.sessionId);
    expect(await client.exists(`sess:${stored.sessionId}`)).toBe(0);
  });

  describe('expiry by Redis itself', () => {
    it('gives each record a native expiry at its expires', async () => {
      const prefix = freshPrefix();
      const store = new RedisStore({ client, prefix });
      const stored = recordAt(Date, 'a', 10 * MINUTE);
      await store.create(stored);
      expect(await client.pExpireTime(`${prefix}a`)).toBe(Date.parse(stored.expires));
    });

    it('moves the expiry with update()', async () => {
      const prefix = freshPrefix();
      const store = new RedisStore({ client, prefix });
      const stored = recordAt(Date, 'a', 10 * MINUTE);
      await store.create(stored);
      const later = { ...stored, expires: new Date(Date.now() + 60 * MINUTE).toISOString(), version: 1 };
      await store.update('a', later);
      expect(await client.pExpireTime(`${prefix}a`)).toBe(Date.parse(later.expires));
      expect(await store.get('a')).toEqual(later);
    });

    it('never stores a record whose expires cannot be read, and clean() counts it', async () => {
      const prefix = freshPrefix();
      const store = new RedisStore({ client, prefix });
      await store.create({ ...recordAt(Date, 'broken', MINUTE), expires: 'not a date' });
      expect(await client.exists(`${prefix}broken`)).toBe(0);
      expect(await store.get('broken')).toBeNull();
      expect(await store.clean()).toBe(1);
    });

    it('ends a session updated to an unreadable expires', async () => {
      const prefix = freshPrefix();
      const store = new RedisStore({ client, prefix });
      const stored = recordAt(Date, 'a', MINUTE);
      await store.create(stored);
      await store.update('a', { ...stored, expires: 'garbage' });
      expect(await client.exists(`${prefix}a`)).toBe(0);
      expect(await store.clean()).toBe(1);
    });

    it("treats a record as gone when the app's clock says it has expired, even if Redis still has it", async () => {
      const prefix = freshPrefix();
      const clock = new ManualClock(Date.now());
      const store = new RedisStore({ client, prefix, clock });
      await store.create(recordAt(clock, 'a', MINUTE));
      clock.advance(MINUTE);
      expect(await client.exists(`${prefix}a`)).toBe(1);
      expect(await store.get('a')).toBeNull();
    });
  });

  describe('clean()', () => {
    it('counts every session that expired since the last clean, including those Redis already dropped', async () => {
      const store = new RedisStore({ client, prefix: freshPrefix() });
      await store.create(recordAt(Date, 'gone-1', -MINUTE));
      await store.create(recordAt(Date, 'gone-2', -MINUTE));
      await store.create(recordAt(Date, 'live', 10 * MINUTE));
      expect(await store.clean()).toBe(2);
      expect(await store.clean()).toBe(0);
      expect(await store.count()).toBe(1);
      expect((await store.get('live'))?.userId).toBe('user-live');
    });

    it('is one ZREMRANGEBYSCORE, however many sessions there are', async () => {
      const store = new RedisStore({ client, prefix: freshPrefix() });
      await Promise.all(Array.from({ length: 50 }, (_, i) => store.create(recordAt(Date, `s${i}`, i % 2 === 0 ? -MINUTE : MINUTE))));
      await client.configResetStat();
      expect(await store.clean()).toBe(25);
      expect(await commandsRun()).toEqual({ zremrangebyscore: 1 });
    });
  });

  describe('all()', () => {
    it("lists every record Redis holds, in sessionId order, those past the app's clock included", async () => {
      const clock = new ManualClock(Date.now());
      const store = new RedisStore({ client, prefix: freshPrefix(), clock });
      const records = [recordAt(clock, 'c', 10 * MINUTE), recordAt(clock, 'a', MINUTE), recordAt(clock, 'b', 10 * MINUTE)];
      for (const record of records) await store.create(record);
      clock.advance(MINUTE);
      expect(await store.get('a')).toBeNull();
      expect(await store.all()).toEqual([records[1], records[2], records[0]]);
    });

    it('hands out copies: changing what it returned changes nothing stored', async () => {
      const store = new RedisStore({ client, prefix: freshPrefix() });
      const stored = recordAt(Date, 'a', MINUTE);
      await store.create(stored);
      const [listed] = await store.all();
      listed!.userId = 'mallory';
      listed!.data['n'] = 99;
      expect(await store.all()).toEqual([stored]);
    });

    it('leaves out sessions Redis no longer holds, and leaves their ids for clean() to count', async () => {
      const store = new RedisStore({ client, prefix: freshPrefix() });
      const live = recordAt(Date, 'live', 10 * MINUTE);
      await store.create(live);
      await store.create(recordAt(Date, 'expired', -MINUTE));
      await store.create({ ...recordAt(Date, 'unreadable', MINUTE), expires: 'not a date' });
      expect(await store.all()).toEqual([live]);
      expect(await store.clean()).toBe(2);
    });

    it("leaves out a value that is not a record's JSON, instead of failing the whole list", async () => {
      const prefix = freshPrefix();
      const store = new RedisStore({ client, prefix });
      const stored = recordAt(Date, 'a', MINUTE);
      await store.create(stored);
      await client.hSet(`${prefix}broken`, { record: '{"sessionId": "broken", ', version: '0' });
      await client.zAdd(`${prefix}#expiries`, { score: Date.now() + MINUTE, value: 'broken' });
      expect(await store.all()).toEqual([stored]);
    });

    it('reads the expiry index with one ZRANGE, then one read-only script per 1000 sessions, and never scans the keyspace', async () => {
      const store = new RedisStore({ client, prefix: freshPrefix() });
      await Promise.all(Array.from({ length: 2500 }, (_, i) => store.create(recordAt(Date, `s${i}`, MINUTE))));
      await client.configResetStat();
      expect(await store.all()).toHaveLength(2500);
      // Commands run inside a script are counted too: one HGET per record.
      expect(await commandsRun()).toEqual({ zrange: 1, eval: 3, hget: 2500 });
    });
  });

  describe('failures', () => {
    it('rejects with reason "quota-exceeded" when Redis reaches its maxmemory, writing nothing', async () => {
      const prefix = freshPrefix();
      const store = new RedisStore({ client, prefix });
      await client.configSet('maxmemory', '1');
      let error: unknown;
      try {
        error = await store.create(recordAt(Date, 'a', MINUTE)).then(() => null, (caught: unknown) => caught);
      } finally {
        await client.configSet('maxmemory', '0');
      }
      expect(error).toBeInstanceOf(RedisStoreError);
      expect(error).toMatchObject({ reason: 'quota-exceeded', hint: expect.stringMatching(/maxmemory/) });
      expect(await client.exists(`${prefix}a`)).toBe(0);
    });

    it('rejects with reason "unavailable" when the client has no connection', async () => {
      const closed = await connect(redis.url);
      await closed.close();
      const store = new RedisStore({ client: closed, prefix: freshPrefix() });
      const error = await store.get('a').then(() => null, (caught: unknown) => caught);
      expect(error).toBeInstanceOf(RedisStoreError);
      expect(error).toMatchObject({ reason: 'unavailable', message: expect.stringMatching(/RedisStore\.get\(\) failed: Error: The client is closed/) });
      expect((error as RedisStoreError).cause).toBeInstanceOf(Error);
    });
  });

  describe('the version beside the record', () => {
    it("compare-and-sets by reading the version field alone, never the record's JSON", async () => {
      const prefix = freshPrefix();
      const store = new RedisStore({ client, prefix });
      const stored = { ...recordAt(Date, 'a', MINUTE), data: { big: 'x'.repeat(100_000) } };
      await store.create(stored);
      expect(await client.hGet(`${prefix}a`, 'version')).toBe('0');
      await client.configResetStat();
      expect(await store.compareAndSet('a', 0, { ...stored, version: 1 })).toBe(true);
      expect(await store.compareAndSet('a', 0, { ...stored, version: 2 })).toBe(false);
      const calls = await commandsRun();
      // One HGET of the version per call; the only reads of the record are none at all.
      expect(calls).toMatchObject({ eval: 2, hget: 2 });
      expect(calls['get']).toBeUndefined();
      expect(await client.hGet(`${prefix}a`, 'version')).toBe('1');
    });

    it('saves and compare-and-sets a record nested deeper than 1,000 levels', async () => {
      const store = new RedisStore({ client, prefix: freshPrefix() });
      let deep: unknown = 'leaf';
      for (let level = 0; level < 1500; level++) deep = { deeper: deep };
      const stored: SessionRecord = { ...recordAt(Date, 'a', MINUTE), data: { deep } as SessionRecord['data'] };
      await store.create(stored);
      expect(await store.compareAndSet('a', 0, { ...stored, version: 1 })).toBe(true);
      expect(await store.get('a')).toEqual({ ...stored, version: 1 });
    });

    it('counts a record without a numeric version as version 0', async () => {
      const store = new RedisStore({ client, prefix: freshPrefix() });
      const { version: _, ...unversioned } = recordAt(Date, 'a', MINUTE);
      await store.create(unversioned as SessionRecord);
      expect(await store.compareAndSet('a', 1, { ...unversioned, version: 2 } as SessionRecord)).toBe(false);
      expect(await store.compareAndSet('a', 0, { ...unversioned, version: 1 } as SessionRecord)).toBe(true);
    });

    it.each([Number.NaN, Number.POSITIVE_INFINITY])('counts a record whose version is %s as version 0', async (version) => {
      const store = new RedisStore({ client, prefix: freshPrefix() });
      await store.create({ ...recordAt(Date, 'a', MINUTE), version });
      expect(await store.compareAndSet('a', 0, { ...recordAt(Date, 'a', MINUTE), version: 1 })).toBe(true);
    });
  });

  describe('the request path', () => {
    it('sends one command per call and never scans the keyspace', async () => {
      const store = new RedisStore({ client, prefix: freshPrefix() });
      const stored = recordAt(Date, 'a', MINUTE);
      await client.configResetStat();
      await store.create(stored);
      await store.get('a');
      await store.update('a', { ...stored, version: 1 });
      await store.get('missing');
      await store.delete('a');
      const calls = await commandsRun();
      // create, update and delete are one script each (its commands counted inside); get is an HGET.
      expect(calls).toMatchObject({ eval: 3, hget: 2 });
      expect(Object.keys(calls).filter((name) => /^(keys|scan|sscan|hscan|zscan|smembers|hgetall)$/.test(name))).toEqual([]);
    });

    it('leaves the first session and its expiry alone when a duplicate create is rejected', async () => {
      const prefix = freshPrefix();
      const store = new RedisStore({ client, prefix });
      const first = recordAt(Date, 'a', 10 * MINUTE);
      await store.create(first);
      const duplicate = await store.create({ ...recordAt(Date, 'a', -MINUTE), userId: 'mallory' }).then(() => null, (error: unknown) => error);
      expect(duplicate).toBeInstanceOf(RedisStoreError);
      expect(duplicate).toBeInstanceOf(StoreError);
      expect(duplicate).toMatchObject({ reason: 'duplicate-id', hint: 'Use update() to change it.', message: expect.stringMatching(/"a" already exists/) });
      expect(await client.pExpireTime(`${prefix}a`)).toBe(Date.parse(first.expires));
      expect(await store.clean()).toBe(0);
      expect(await store.get('a')).toEqual(first);
    });

    it('does not index an update of an unknown id', async () => {
      const store = new RedisStore({ client, prefix: freshPrefix() });
      await store.update('ghost', recordAt(Date, 'ghost', MINUTE));
      expect(await store.count()).toBe(0);
    });
  });

  describe('shared by several app processes', () => {
    /** Two Sessions with the same secret, each on its own Redis connection: two app servers. */
    async function twoApps(): Promise<{ apps: [Session, Session]; close: () => Promise<void> }> {
      const prefix = freshPrefix();
      const clients = [await connect(redis.url), await connect(redis.url)];
      const apps = clients.map((connection) => new Session({ secret: SECRET, store: new RedisStore({ client: connection, prefix }), cleanInterval: false })) as [Session, Session];
      return {
        apps,
        close: async () => {
          for (const connection of clients) await connection.close();
        },
      };
    }

    it('keeps both changes when two servers change one session at the same time', async () => {
      const { apps, close } = await twoApps();
      try {
        const browser = new CookieClient();
        await browser.visit(apps[0], (handle) => handle.login('ada', { cart: [] }));
        const cookie = browser.header();
        const [first, second] = await Promise.all(apps.map((app) => app.load({ cookie, url: 'https://app.example/' })));
        first!.data!['theme'] = 'dark';
        second!.data!['cart'] = ['apple'];
        await Promise.all([first!.commit(), second!.commit()]);
        const { result } = await browser.visit(apps[1], (handle) => handle.data);
        expect(result).toEqual({ cart: ['apple'], theme: 'dark' });
      } finally {
        await close();
      }
    });

    it("signs a user out everywhere from either server", async () => {
      const { apps, close } = await twoApps();
      try {
        const [laptop, phone] = [new CookieClient(), new CookieClient()];
        await laptop.visit(apps[0], (handle) => handle.login('ada'));
        await phone.visit(apps[1], (handle) => handle.login('ada'));
        const { result: ended } = await laptop.visit(apps[1], (handle) => handle.logoutEverywhere());
        expect(ended).toBe(2);
        const { result: stillIn } = await phone.visit(apps[0], (handle) => handle.isAuthenticated());
        expect(stillIn).toBe(false);
      } finally {
        await close();
      }
    });

    it('signs in on one process and is signed in on the other; signs out on the other and is signed out on the first', async () => {
      const env = { REDIS_URL: redis.url, SESSION_SECRET: SECRET };
      const [first, second] = await Promise.all([startExample(env), startExample(env)]);
      try {
        const browser = new CookieClient();
        const send = async (base: string, path: string, init: RequestInit = {}): Promise<Response> => {
          const response = await fetch(base + path, { ...init, redirect: 'manual', headers: { cookie: browser.header() ?? '', ...init.headers } });
          for (const setCookie of response.headers.getSetCookie()) browser.receive(setCookie);
          return response;
        };
        const login = await send(first.url, '/login', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'username=ada&password=lovelace',
        });
        expect(login.status).toBe(303);
        expect(await (await send(second.url, '/api/session')).json()).toMatchObject({ user: { id: '1', name: 'Ada Lovelace' } });
        expect((await send(second.url, '/logout', { method: 'POST' })).status).toBe(303);
        expect(browser.header()).toBeNull();
        const stale = await fetch(`${first.url}/api/session`, { headers: { cookie: login.headers.getSetCookie()[0]!.split(';')[0]! } });
        expect(await stale.json()).toMatchObject({ user: null });
      } finally {
        await Promise.all([first.stop(), second.stop()]);
      }
    }, 20_000);
  });

  describe('when Redis stops in the middle of a load', () => {
    it('answers 503 at once while it is down, never crashes, and recovers when it is back', async () => {
      const server = await startRedisServer();
      const clientErrors: Error[] = [];
      const appClient = await connect(server.url, clientErrors);
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
      process.on('unhandledRejection', onUnhandled);
      // The verdict on "at once" is read from each failure's cause, not from a stopwatch: a client that
      // queued commands while Redis was away would fail only at this deadline, as a 'timeout'.
      const storeTimeout = 5000;
      const session = new Session({ secret: SECRET, store: new RedisStore({ client: appClient }), storeTimeout, cleanInterval: false });
      const app = express();
      app.use(sessionMiddleware(session));
      app.post('/login', async (req, res) => {
        await req.session.login('ada');
        res.json({ ok: true });
      });
      app.get('/me', (req, res) => {
        res.json({ user: req.session.userId });
      });
      const failures: unknown[] = [];
      app.use(((error, _req, _res, next) => {
        failures.push(error);
        next(error);
      }) as express.ErrorRequestHandler);
      app.use(storeErrorHandler());
      const http = await listen(app);
      const browser = new CookieClient();
      const send = async (path: string, init: RequestInit = {}): Promise<Response> => {
        const response = await fetch(http.url + path, { ...init, headers: { cookie: browser.header() ?? '' } });
        for (const setCookie of response.headers.getSetCookie()) browser.receive(setCookie);
        return response;
      };
      try {
        expect((await send('/login', { method: 'POST' })).status).toBe(200);
        const load = new Load(() => send('/me'), 8);
        await load.until((results) => results.filter((result) => result.phase === 'up').length >= 30);
        load.phase = 'stopping';
        // Requests that started while Redis was up finish before it stops: they must all be 200s.
        await load.settled('up');
        await server.stop();
        load.phase = 'down';
        await load.until((results) => results.filter((result) => result.phase === 'down').length >= 30);
        load.phase = 'restarting';
        // Not events.once(): it would reject on the 'error' events of reconnection attempts made before the server is up.
        const ready = new Promise((resolve) => appClient.once('ready', resolve));
        await server.start();
        await ready;
        load.phase = 'back';
        await load.until((results) => results.filter((result) => result.phase === 'back').length >= 30);
        const results = await load.stop();

        const byPhase = (phase: string): Result[] => results.filter((result) => result.phase === phase);
        expect(new Set(results.map((result) => result.status))).toEqual(new Set([200, 503]));
        expect(byPhase('up').every((result) => result.status === 200)).toBe(true);
        expect(byPhase('down').every((result) => result.status === 503 && result.retryAfter === '5')).toBe(true);
        // disableOfflineQueue: a command fails at once while Redis is away, so every 503 is the store's own
        // 'unavailable' failure, and none is the Session giving up at storeTimeout.
        expect(failures.length).toBe(results.filter((result) => result.status === 503).length);
        for (const failure of failures) {
          expect(failure).toMatchObject({ name: 'SessionStoreError', failure: 'failed', cause: expect.any(RedisStoreError) });
          expect((failure as { cause: RedisStoreError }).cause.reason).toBe('unavailable');
        }
        expect(byPhase('back').every((result) => result.status === 200)).toBe(true);
        // The restarted Redis is empty: the old session is gone, and signing in works again.
        expect((await send('/login', { method: 'POST' })).status).toBe(200);
        expect(await (await send('/me')).json()).toEqual({ user: 'ada' });
        expect(unhandled).toEqual([]);
        expect(clientErrors.length).toBeGreaterThan(0); // the client did see Redis go away
      } finally {
        process.off('unhandledRejection', onUnhandled);
        session.close();
        await http.close();
        await appClient.close();
        await server.stop();
      }
    }, 30_000);
  });
});

interface Result {
  phase: string;
  status: number;
  retryAfter: string | null;
}

/** `concurrency` loops sending requests back to back, each result tagged with the phase it started in. */
class Load {
  phase = 'up';
  readonly #results: Result[] = [];
  readonly #workers: Promise<void>[];
  readonly #waiters = new Set<() => void>();
  /** How many requests each phase has started. */
  readonly #started = new Map<string, number>();
  #stopped = false;

  constructor(request: () => Promise<Response>, concurrency: number) {
    this.#workers = Array.from({ length: concurrency }, async () => {
      while (!this.#stopped) {
        const phase = this.phase;
        this.#started.set(phase, (this.#started.get(phase) ?? 0) + 1);
        const response = await request();
        await response.arrayBuffer();
        this.#results.push({ phase, status: response.status, retryAfter: response.headers.get('retry-after') });
        for (const wake of this.#waiters) wake();
      }
    });
  }

  /** Resolves once `test` holds for the results so far. */
  until(test: (results: readonly Result[]) => boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!test(this.#results)) return;
        this.#waiters.delete(check);
        resolve();
      };
      this.#waiters.add(check);
      // A worker that fails (the server died, a connection was refused) fails the wait at once.
      Promise.all(this.#workers).catch(reject);
      check();
    });
  }

  /** Resolves once every request that started in `phase` has its result (call it after moving on to another phase). */
  settled(phase: string): Promise<void> {
    return this.until((results) => results.filter((result) => result.phase === phase).length === (this.#started.get(phase) ?? 0));
  }

  async stop(): Promise<Result[]> {
    this.#stopped = true;
    await Promise.all(this.#workers);
    return this.#results;
  }
}

async function listen(app: express.Express): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** Runs examples/express/server.ts in its own Node process; resolves with its URL once it listens. */
async function startExample(env: Record<string, string>): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [EXAMPLE], { env: { ...process.env, PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const found = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (found) resolve(found[1]!);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`The example exited (code ${code}) before listening:\n${output}`)));
  });
  return {
    url,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

describe('RedisStore, where its keys are and what a listing costs', () => {
  it("keeps the expiry index at prefix + '#expiries' and each user's index at prefix + '#user:' + userId", async () => {
    const prefix = freshPrefix();
    const store = new RedisStore({ client, prefix });
    await store.create({ ...recordAt(Date, 'a', MINUTE), userId: 'ada' });
    expect(await client.zRange(`${prefix}#expiries`, 0, -1)).toEqual(['a']);
    expect(await client.zRange(`${prefix}#user:ada`, 0, -1)).toEqual(['a']);
  });

  it('all() lists in sessionId order, whatever order the sessions expire in', async () => {
    const store = new RedisStore({ client, prefix: freshPrefix() });
    const late = recordAt(Date, 'a', 10 * MINUTE);
    const early = recordAt(Date, 'b', MINUTE);
    await store.create(late);
    await store.create(early);
    expect(await store.all()).toEqual([late, early]);
  });

  it('all() of an empty store sends the ZRANGE alone', async () => {
    const store = new RedisStore({ client, prefix: freshPrefix() });
    await client.configResetStat();
    expect(await store.all()).toEqual([]);
    expect(await commandsRun()).toEqual({ zrange: 1 });
  });

  it('clear() removes every session and its index entries', async () => {
    const store = new RedisStore({ client, prefix: freshPrefix() });
    for (const id of ['a', 'b', 'c']) await store.create(recordAt(Date, id, MINUTE));
    await store.clear();
    expect(await store.count()).toBe(0);
    expect(await store.get('a')).toBeNull();
    expect(await store.all()).toEqual([]);
  });
});

describe("RedisStore.listByUser and the user's index", () => {
  it('sends one ZRANGE and nothing else for a user without sessions', async () => {
    const store = new RedisStore({ client, prefix: freshPrefix() });
    await client.configResetStat();
    expect(await store.listByUser('nobody')).toEqual([]);
    expect(await commandsRun()).toEqual({ zrange: 1 });
  });

  it('reads the live sessions with one script and changes nothing when every indexed session is there', async () => {
    const store = new RedisStore({ client, prefix: freshPrefix() });
    const record = { ...recordAt(Date, 'a', MINUTE), userId: 'ada' };
    await store.create(record);
    await client.configResetStat();
    expect(await store.listByUser('ada')).toEqual([record]);
    expect(await commandsRun()).toMatchObject({ zrange: 1, eval: 1 });
    expect((await commandsRun())['zrem']).toBeUndefined();
  });

  it('drops from the index a deleted session and one that moved to another user, and lists neither', async () => {
    const prefix = freshPrefix();
    const store = new RedisStore({ client, prefix });
    const kept = { ...recordAt(Date, 'kept', MINUTE), userId: 'ada' };
    await store.create(kept);
    await store.create({ ...recordAt(Date, 'deleted', MINUTE), userId: 'ada' });
    await store.create({ ...recordAt(Date, 'moved', MINUTE), userId: 'ada' });
    await store.delete('deleted');
    await store.update('moved', { ...recordAt(Date, 'moved', MINUTE), userId: 'grace' });
    expect(await store.listByUser('ada')).toEqual([kept]);
    expect(await client.zRange(`${prefix}#user:ada`, 0, -1)).toEqual(['kept']);
  });

  it('does not list a session that another server made expire between reading the index and reading the records', async () => {
    const prefix = freshPrefix();
    // The app's clock runs ahead of Redis's: a record that expires "now" is still kept by Redis.
    const clock = new ManualClock(Date.now() + 10 * MINUTE);
    const other = new RedisStore({ client, prefix, clock });
    const shortened = { ...recordAt(clock, 'a', 0), userId: 'ada' };
    let raced = false;
    // The index read answers, then the other server writes, before this store reads the records.
    const racing = new Proxy(client, {
      get(target, name) {
        const value = Reflect.get(target, name, target) as unknown;
        if (name !== 'zRange' || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
        return async (...args: unknown[]) => {
          const ids = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          if (!raced) {
            raced = true;
            await other.update('a', shortened);
          }
          return ids;
        };
      },
    });
    const store = new RedisStore({ client: racing, prefix, clock });
    await store.create({ ...recordAt(clock, 'a', MINUTE), userId: 'ada' });
    expect(await store.listByUser('ada')).toEqual([]);
    expect(raced).toBe(true);
    // The record itself is still there (Redis's clock has not reached it): only the listing leaves it out.
    expect(await client.hGet(`${prefix}a`, 'record')).not.toBeNull();
  });
});
