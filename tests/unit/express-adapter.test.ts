import { parseSetCookie } from 'cookie';
import type { RequestHandler } from 'express';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { BaseSessionStore, MemoryStore, SessionStoreError, type Session, type SessionEvent, type SessionRecord } from 'sessionlab';
import type { ExpressAdapterOptions } from 'sessionlab/express';
import { browse, makeApp, type TestApp } from '../support/express-app.ts';
import { makeSession, ManualClock, MINUTE, storeCalls } from '../support/harness.ts';

/** A store (a MemoryStore inside) whose get, create or update fails on demand. */
class FlakyStore extends BaseSessionStore<SessionRecord> {
  failing: 'get' | 'create' | 'update' | null = null;
  readonly #inner: MemoryStore;

  constructor(clock: ManualClock) {
    super();
    this.#inner = new MemoryStore({ clock });
  }
  create(record: SessionRecord): void {
    this.#maybeFail('create');
    this.#inner.create(record);
  }
  get(sessionId: string): SessionRecord | null {
    this.#maybeFail('get');
    return this.#inner.get(sessionId);
  }
  update(sessionId: string, record: SessionRecord): void {
    this.#maybeFail('update');
    this.#inner.update(sessionId, record);
  }
  delete(sessionId: string): void {
    this.#inner.delete(sessionId);
  }
  clean(): number {
    return this.#inner.clean();
  }

  #maybeFail(method: 'get' | 'create' | 'update'): void {
    if (this.failing === method) throw new Error(`${method} is down`);
  }
}

/** A store whose get() never answers; `asked` settles once get() has been called. */
class HangingStore extends MemoryStore {
  #wasAsked = (): void => {};
  readonly asked = new Promise<void>((resolve) => (this.#wasAsked = resolve));

  override get(): never {
    this.#wasAsked();
    return new Promise(() => {}) as never;
  }
}

describe('sessionMiddleware', () => {
  describe('req.session', () => {
    it('is the request\'s session: data changed in one request is there in the next', async () => {
      const { session } = makeSession();
      const { app } = makeApp(session, (app) =>
        app.post('/visit', async (req, res) => {
          if (!req.session.isAuthenticated()) await req.session.login('ada');
          const data = req.session.data!;
          data['visits'] = (typeof data['visits'] === 'number' ? data['visits'] : 0) + 1;
          res.json({ user: req.session.userId, visits: data['visits'] });
        }),
      );
      const browser = await browse(app);
      expect(await browser.json('/visit', { method: 'POST' })).toEqual({ user: 'ada', visits: 1 });
      expect(await browser.json('/visit', { method: 'POST' })).toEqual({ user: 'ada', visits: 2 });
      expect(await browser.json('/visit', { method: 'POST' })).toEqual({ user: 'ada', visits: 3 });
    });

    it('rotates the session id at login: the cookie from before no longer names a session', async () => {
      const { session } = makeSession();
      const { app } = makeApp(session, (app) => {
        app.post('/login', async (req, res) => {
          await req.session.login('ada');
          res.json({ id: req.session.id });
        });
        app.get('/me', (req, res) => res.json({ user: req.session.userId }));
      });
      const browser = await browse(app);
      const first = (await browser.json('/login', { method: 'POST' })) as { id: string };
      const before = browser.jar.header()!;
      const second = (await browser.json('/login', { method: 'POST' })) as { id: string };
      expect(second.id).not.toBe(first.id);
      expect(browser.jar.header()).not.toBe(before);
      expect(await (await fetch(`${browser.base}/me`, { headers: { cookie: before } })).json()).toEqual({ user: null });
      expect(await browser.json('/me')).toEqual({ user: 'ada' });
    });

    it('regenerates: a new id, the same user and data', async () => {
      const { session } = makeSession();
      const { app } = makeApp(session, (app) => {
        app.post('/login', async (req, res) => {
          await req.session.login('ada', { theme: 'dark' });
          res.json({ id: req.session.id });
        });
        app.post('/regenerate', async (req, res) => {
          await req.session.regenerate();
          res.json({ id: req.session.id, user: req.session.userId, data: req.session.data });
        });
      });
      const browser = await browse(app);
      const { id } = (await browser.json('/login', { method: 'POST' })) as { id: string };
      const after = (await browser.json('/regenerate', { method: 'POST' })) as { id: string };
      expect(after).toEqual({ id: expect.any(String), user: 'ada', data: { theme: 'dark' } });
      expect(after.id).not.toBe(id);
    });

    it('touches: the extended expiry is saved and the cookie sent again', async () => {
      const { session, clock } = makeSession({ extendSessionBeforeExpiry: false, sessionDuration: 30 * MINUTE });
      const { app } = makeApp(session, (app) => {
        app.post('/login', async (req, res) => {
          await req.session.login('ada');
          res.end();
        });
        app.post('/touch', (req, res) => {
          req.session.touch();
          res.json({ expires: req.session.expires });
        });
        app.get('/me', (req, res) => res.json({ user: req.session.userId }));
      });
      const browser = await browse(app);
      await browser.send('/login', { method: 'POST' });
      clock.advance(10 * MINUTE);
      const touched = await browser.send('/touch', { method: 'POST' });
      const { expires } = (await touched.json()) as { expires: string };
      expect(Date.parse(expires)).toBe(clock.now() + 30 * MINUTE);
      expect(touched.headers.getSetCookie()).toHaveLength(1);
      clock.advance(25 * MINUTE); // past the first expiry, within the extended one
      expect(await browser.json('/me')).toEqual({ user: 'ada' });
    });
  });

  describe("FluidAuth's helpers", () => {
    const users = new Map([['u1', { id: 'u1', name: 'Ada' }]]);
    const hooks: ExpressAdapterOptions = {
      serializeUser: (user) => (user as { id: string }).id,
      deserializeUser: async (id) => users.get(id) ?? null,
    };

    function helperApp(session: Session, options: ExpressAdapterOptions = hooks): TestApp {
      return makeApp(
        session,
        (app) => {
          app.post('/login', async (req, res) => {
            await req.login({ id: String(req.query['id'] ?? 'u1'), name: 'Ada' });
            res.json({ user: req.user, authenticated: req.isAuthenticated() });
          });
          app.post('/logout', async (req, res) => {
            await req.logout();
            res.json({ user: req.user, authenticated: req.isAuthenticated() });
          });
          app.get('/me', (req, res) => res.json({ user: req.user, authenticated: req.isAuthenticated(), userId: req.session.userId }));
        },
        options,
      );
    }

    it('req.login(user) stores serializeUser(user) as the user id, under a new session id', async () => {
      const { session, events } = makeSession();
      const browser = await browse(helperApp(session).app);
      expect(await browser.json('/login', { method: 'POST' })).toEqual({ user: { id: 'u1', name: 'Ada' }, authenticated: true });
      await browser.json('/login', { method: 'POST' });
      expect(events.filter((event) => event.type === 'session-rotated')).toHaveLength(1);
    });

    it('fills req.user through deserializeUser on later requests', async () => {
      const { session } = makeSession();
      const browser = await browse(helperApp(session).app);
      await browser.send('/login', { method: 'POST' });
      expect(await browser.json('/me')).toEqual({ user: { id: 'u1', name: 'Ada' }, authenticated: true, userId: 'u1' });
    });

    it('leaves req.user null and isAuthenticated() false without a session', async () => {
      const { session } = makeSession();
      const browser = await browse(helperApp(session).app);
      expect(await browser.json('/me')).toEqual({ user: null, authenticated: false, userId: null });
    });

    it('req.logout() deletes the session and clears the cookie with its path', async () => {
      const { session } = makeSession();
      const browser = await browse(helperApp(session).app);
      await browser.send('/login', { method: 'POST' });
      const cookie = browser.jar.header()!;
      const logout = await browser.send('/logout', { method: 'POST' });
      expect(await logout.json()).toEqual({ user: null, authenticated: false });
      expect(parseSetCookie(logout.headers.getSetCookie()[0]!)).toMatchObject({ value: '', maxAge: 0, path: '/' });
      expect(await (await browser.send('/me', { headers: { cookie } })).json()).toMatchObject({ authenticated: false });
    });

    it('ends the session of a user deserializeUser no longer finds', async () => {
      const { session, events } = makeSession();
      const browser = await browse(helperApp(session).app);
      await browser.send('/login?id=deleted-user', { method: 'POST' });
      const response = await browser.send('/me');
      expect(await response.json()).toEqual({ user: null, authenticated: false, userId: null });
      expect(response.headers.getSetCookie()[0]).toMatch(/Max-Age=0/);
      expect(events.filter((event) => event.type === 'session-destroyed')).toHaveLength(1);
    });

    it('serializes by user.id and deserializes to { id } without hooks', async () => {
      const { session } = makeSession();
      const browser = await browse(helperApp(session, {}).app);
      await browser.send('/login?id=42', { method: 'POST' });
      expect(await browser.json('/me')).toEqual({ user: { id: '42' }, authenticated: true, userId: '42' });
    });

    it('passes a user without an id to the error handler, with what to do', async () => {
      const { session } = makeSession();
      const { app, errors } = makeApp(session, (app) =>
        app.post('/login', async (req, res) => {
          await req.login({} as Express.User);
          res.end();
        }),
      );
      const browser = await browse(app);
      expect((await browser.send('/login', { method: 'POST' })).status).toBe(500);
      expect(String(errors[0])).toMatch(/needs a user with an id.*serializeUser/);
    });
  });

  describe('saving before the headers leave', () => {
    it('sends the cookie with a res.json() response, not cacheable', async () => {
      const { session } = makeSession();
      const { app } = makeApp(session, (app) =>
        app.post('/login', async (req, res) => {
          await req.session.login('ada');
          res.json({ ok: true });
        }),
      );
      const response = await (await browse(app)).send('/login', { method: 'POST' });
      expect(response.headers.getSetCookie()).toHaveLength(1);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(await response.json()).toEqual({ ok: true });
    });

    it('sends the cookie with a streamed response (res.write, then res.end)', async () => {
      const { session } = makeSession();
      const { app } = makeApp(session, (app) =>
        app.post('/stream', async (req, res) => {
          await req.session.login('ada');
          res.type('text');
          res.write('one ');
          res.write('two ');
          res.end('three');
        }),
      );
      const response = await (await browse(app)).send('/stream', { method: 'POST' });
      expect(response.headers.getSetCookie()).toHaveLength(1);
      expect(await response.text()).toBe('one two three');
    });

    it('sends the cookie when the route calls res.writeHead() itself', async () => {
      const { session } = makeSession();
      const { app } = makeApp(session, (app) =>
        app.post('/raw', async (req, res) => {
          await req.session.login('ada');
          res.writeHead(201, { 'content-type': 'text/plain' });
          res.end('created');
        }),
      );
      const response = await (await browse(app)).send('/raw', { method: 'POST' });
      expect(response.status).toBe(201);
      expect(response.headers.getSetCookie()).toHaveLength(1);
      expect(await response.text()).toBe('created');
    });

    it('sends a response that changes nothing in the session at once: a streaming route is not told to wait', async () => {
      const { session } = makeSession();
      const { app } = makeApp(session, (app) => {
        app.post('/login', async (req, res) => {
          await req.session.login('ada');
          res.end();
        });
        app.get('/stream', (req, res) => {
          res.type('text');
          const mayGoOn = res.write(`${req.session.userId} `);
          res.end(`may go on: ${mayGoOn}`);
        });
      });
      const browser = await browse(app);
      const anonymous = await browser.send('/stream');
      expect(await anonymous.text()).toBe('null may go on: true');
      await browser.send('/login', { method: 'POST' });
      const signedIn = await browser.send('/stream');
      expect(signedIn.headers.getSetCookie()).toEqual([]);
      expect(await signedIn.text()).toBe('ada may go on: true');
    });

    it('finishes the store write before the response finishes', async () => {
      const { session } = makeSession();
      const order: string[] = [];
      session.on('store-call', (event) => order.push(event.method === 'get' ? 'store read' : 'store write'));
      const { app } = makeApp(session, (app) => {
        app.post('/login', async (req, res) => {
          await req.session.login('ada');
          res.end();
        });
        app.post('/cart', (req, res) => {
          res.on('finish', () => order.push('response finished'));
          req.session.data!['cart'] = ['apple'];
          res.json({ ok: true });
        });
      });
      const browser = await browse(app);
      await browser.send('/login', { method: 'POST' });
      order.length = 0;
      await browser.send('/cart', { method: 'POST' });
      expect(order).toEqual(['store read', 'store write', 'response finished']);
    });

    it('clears a stale cookie in the same response, without ERR_HTTP_HEADERS_SENT', async () => {
      const { session } = makeSession();
      const { app, errors } = makeApp(session, (app) => {
        app.post('/login', async (req, res) => {
          await req.session.login('ada');
          res.end();
        });
        app.post('/logout', async (req, res) => {
          await req.session.logout();
          res.end();
        });
        app.get('/', (_req, res) => {
          res.send('home');
        });
      });
      const browser = await browse(app);
      await browser.send('/login', { method: 'POST' });
      const stale = browser.jar.header()!;
      await browser.send('/logout', { method: 'POST' });
      const response = await browser.send('/', { headers: { cookie: stale } });
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('home');
      expect(response.headers.getSetCookie()[0]).toMatch(/^session=; Max-Age=0/);
      expect(errors).toEqual([]);
    });
  });

  describe('a bad cookie', () => {
    it.each([
      ['garbage', 'session=x'],
      ['bad percent-encoding', 'session=%E0%A4%A'],
      ['an oversized value', `session=${'a'.repeat(8000)}`],
      ['a forged signature', `session=${'A'.repeat(43)}.${'B'.repeat(43)}`],
      ['a broken header', '=;;;===; session'],
    ])('(%s) means no session: an answer, no store lookup, no error', async (_name, cookie) => {
      const { session, events } = makeSession();
      const { app, errors } = makeApp(session, (app) => app.get('/', (req, res) => res.json({ user: req.session.userId })));
      const response = await (await browse(app)).send('/', { headers: { cookie } });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ user: null });
      expect(storeCalls(events)).toEqual([]);
      expect(errors).toEqual([]);
    });
  });

  describe('behind a proxy', () => {
    function proxiedApp(trustProxy: boolean): TestApp {
      const { session } = makeSession();
      const built = makeApp(session, (app) =>
        app.post('/login', async (req, res) => {
          await req.session.login('ada');
          res.end();
        }),
      );
      built.app.set('trust proxy', trustProxy);
      return built;
    }

    it('sets a Secure __Host- cookie when a trusted proxy says the request came over https', async () => {
      const response = await (await browse(proxiedApp(true).app)).send('/login', { method: 'POST', headers: { 'x-forwarded-proto': 'https' } });
      expect(parseSetCookie(response.headers.getSetCookie()[0]!)).toMatchObject({ name: '__Host-session', secure: true });
    });

    it('decides Secure per host, request after request; a proxied request stays Secure even for a localhost host', async () => {
      const browser = await browse(proxiedApp(true).app);
      const cookieFor = async (host: string) => {
        const response = await browser.send('/login', { method: 'POST', headers: { 'x-forwarded-host': host } });
        return parseSetCookie(response.headers.getSetCookie()[0]!);
      };
      expect(await cookieFor('shop.example')).toMatchObject({ name: '__Host-session', secure: true });
      // A proxy stands between the browser and the app: the cookie keeps Secure (browsers accept it on http://localhost).
      expect(await cookieFor('localhost:8080')).toMatchObject({ name: '__Host-session', secure: true });
      expect(await cookieFor('shop.example:8080')).toMatchObject({ name: '__Host-session', secure: true });
      expect(await cookieFor('shop.example')).toMatchObject({ name: '__Host-session', secure: true });
    });

    it('counts X-Forwarded-Proto even when the app does not trust the proxy: a proxy header can turn Secure on, never off', async () => {
      const response = await (await browse(proxiedApp(false).app)).send('/login', { method: 'POST', headers: { 'x-forwarded-proto': 'https' } });
      expect(parseSetCookie(response.headers.getSetCookie()[0]!)).toMatchObject({ name: '__Host-session', secure: true });
    });

    it('does not let an untrusted X-Forwarded-Proto: http turn Secure off', async () => {
      const response = await (await browse(proxiedApp(false).app)).send('/login', { method: 'POST', headers: { 'x-forwarded-proto': 'http', 'x-forwarded-host': 'shop.example' } });
      expect(parseSetCookie(response.headers.getSetCookie()[0]!)).toMatchObject({ name: '__Host-session', secure: true });
    });
  });

  describe('device details for the devices option', () => {
    it("gives the Session the User-Agent header and req.ip, which follows Express's trust proxy", async () => {
      const { session } = makeSession({ devices: { userAgent: true, ip: 'full' } });
      const { app } = makeApp(session, (app) =>
        app.post('/login', async (req, res) => {
          await req.session.login('ada');
          res.end();
        }),
      );
      app.set('trust proxy', 'loopback');
      await (await browse(app)).send('/login', { method: 'POST', headers: { 'user-agent': 'Firefox/140.0', 'x-forwarded-for': '203.0.113.9' } });
      expect(await session.devicesOf('ada')).toMatchObject([{ userAgent: 'Firefox/140.0', ip: '203.0.113.9' }]);
    });
  });

  describe('when the store fails', () => {
    /** The store shares the Session's manual clock, so records it keeps are live by the Session's time. */
    function storeApp<S extends BaseSessionStore<SessionRecord>>(
      makeStore: (clock: ManualClock) => S,
      { storeTimeout, before = [] }: { storeTimeout?: number; before?: RequestHandler[] } = {},
    ): { test: TestApp; store: S; events: SessionEvent[] } {
      const clock = new ManualClock();
      const store = makeStore(clock);
      const { session, events } = makeSession({ store, clock, ...(storeTimeout === undefined ? {} : { storeTimeout }) });
      const test = makeApp(session, (app) => {
        app.post('/login', async (req, res) => {
          await req.session.login('ada');
          res.json({ ok: true });
        });
        app.post('/cart', (req, res) => {
          req.session.data!['cart'] = ['apple'];
          res.set('x-route', 'yes').json({ secret: 'the route answer' });
        });
        app.get('/me', (req, res) => res.json({ user: req.session.userId }));
      }, {}, before);
      return { test, store, events };
    }

    it('passes a failed load to next(err) as a SessionStoreError, answered 503 by storeErrorHandler', async () => {
      const { test, store } = storeApp((clock) => new FlakyStore(clock));
      const browser = await browse(test.app);
      await browser.send('/login', { method: 'POST' });
      store.failing = 'get';
      const response = await browser.send('/me');
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(await response.text()).not.toMatch(/down/);
      expect(test.errors).toEqual([expect.any(SessionStoreError)]);
      expect(test.errors[0]).toMatchObject({ method: 'get', failure: 'failed' });
    });

    it('answers 503 when storeTimeout runs out on a store that never answers, and not before', async () => {
      const { test, store, events } = storeApp((clock) => new HangingStore({ clock }), { storeTimeout: 100 });
      const browser = await browse(test.app);
      await browser.send('/login', { method: 'POST' });
      // The Session's deadline is a setTimeout: with it faked, the test moves time, not the machine's speed.
      // Only timers are faked, so the request still travels over the real loopback socket.
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      onTestFinished(() => void vi.useRealTimers());
      const timedOut = () => storeCalls(events, 'get').filter((event) => event.type === 'store-call' && event.outcome === 'timeout');
      const answer = browser.send('/me');
      // Were the deadline never to fire, closing the server at the end would reject it, unawaited.
      answer.catch(() => {});
      await store.asked;

      await vi.advanceTimersByTimeAsync(99);
      expect(timedOut(), 'no timeout 1 ms before storeTimeout').toEqual([]);
      expect(test.errors).toEqual([]);

      await vi.advanceTimersByTimeAsync(1);
      expect(timedOut(), 'the get() timed out at storeTimeout').toHaveLength(1);
      const response = await answer;
      expect(response.status).toBe(503);
      expect(test.errors).toEqual([expect.objectContaining({ name: 'SessionStoreError', method: 'get', failure: 'timeout' })]);
    });

    it('turns a failed save into a 503 instead of the route\'s answer, with none of its headers', async () => {
      const { test, store } = storeApp((clock) => new FlakyStore(clock));
      const browser = await browse(test.app);
      await browser.send('/login', { method: 'POST' });
      store.failing = 'update';
      const response = await browser.send('/cart', { method: 'POST' });
      expect(response.status).toBe(503);
      expect(response.headers.get('x-route')).toBeNull();
      expect(response.headers.getSetCookie()).toEqual([]);
      expect(await response.text()).not.toMatch(/route answer/);
      expect(test.errors).toEqual([expect.objectContaining({ name: 'SessionStoreError', method: 'update' })]);
    });

    it('keeps on the 503 the headers set before the middleware ran (security headers, CORS)', async () => {
      const securityAndCors: RequestHandler = (_req, res, next) => {
        res.set({ 'X-Content-Type-Options': 'nosniff', 'Access-Control-Allow-Origin': 'https://app.example', Vary: 'Origin' });
        next();
      };
      const { test, store } = storeApp((clock) => new FlakyStore(clock), { before: [securityAndCors] });
      const browser = await browse(test.app);
      await browser.send('/login', { method: 'POST' });
      store.failing = 'update';
      const response = await browser.send('/cart', { method: 'POST' });
      expect(response.status).toBe(503);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example');
      expect(response.headers.get('vary')).toBe('Origin');
      expect(response.headers.get('x-route')).toBeNull();
    });

    it('passes a failed login (create) to the error handler', async () => {
      const { test, store } = storeApp((clock) => new FlakyStore(clock));
      store.failing = 'create';
      const response = await (await browse(test.app)).send('/login', { method: 'POST' });
      expect(response.status).toBe(503);
      expect(test.errors[0]).toMatchObject({ name: 'SessionStoreError', method: 'create' });
    });

    it('lets storeErrorHandler pass other errors on', async () => {
      const { session } = makeSession();
      const { app } = makeApp(session, (app) =>
        app.get('/boom', () => {
          throw new Error('not a store problem');
        }),
      );
      expect((await (await browse(app)).send('/boom')).status).toBe(500);
    });
  });
});
