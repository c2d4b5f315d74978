/**
 * The Express adapter at its edges: the user hooks' other answers (undefined, a throw), the ways a
 * route sends a response while the save is pending (flushHeaders, chained writeHead, a header Node
 * refuses), what a save that sets no cookie leaves alone, and storeErrorHandler's answer, and what it
 * does once a response has started. Real Express apps on 127.0.0.1, a MemoryStore behind the Session.
 */
import { once } from 'node:events';
import express, { type ErrorRequestHandler } from 'express';
import { describe, expect, it } from 'vitest';
import { MemoryStore, SessionStoreError, type Session, type SessionRecord } from 'sessionlab';
import { sessionMiddleware, storeErrorHandler, type ExpressAdapterOptions } from 'sessionlab/express';
import { browse, makeApp, type TestApp } from '../support/express-app.ts';
import { makeSession, ManualClock } from '../support/harness.ts';

describe('sessionMiddleware', () => {
  describe('the user hooks', () => {
    /** An app whose /login signs in `user` through req.login, and whose /me answers req.user. */
    function userApp(session: Session, user: unknown, options: ExpressAdapterOptions = {}): TestApp {
      return makeApp(
        session,
        (app) => {
          app.post('/login', async (req, res) => {
            await req.login(user as Express.User);
            res.json({ userId: req.session.userId, user: req.user });
          });
          app.get('/me', (req, res) => res.json({ userId: req.session.userId, user: req.user === undefined ? 'unset' : req.user, authenticated: req.isAuthenticated() }));
        },
        options,
      );
    }

    it('takes a user that is a string as its own id', async () => {
      const { session } = makeSession();
      const browser = await browse(userApp(session, 'ada').app);
      expect(await (await browser.send('/login', { method: 'POST' })).json()).toEqual({ userId: 'ada', user: 'ada' });
    });

    it('takes a number id as the user id, written as a string', async () => {
      const { session } = makeSession();
      const browser = await browse(userApp(session, { id: 7 }).app);
      expect(await (await browser.send('/login', { method: 'POST' })).json()).toEqual({ userId: '7', user: { id: 7 } });
    });

    it('passes req.login(null) to the error handler, with what to do', async () => {
      const { session } = makeSession();
      const { app, errors } = userApp(session, null);
      expect((await (await browse(app)).send('/login', { method: 'POST' })).status).toBe(500);
      expect(errors).toEqual([expect.objectContaining({ name: 'TypeError', message: expect.stringMatching(/needs a user with an id/) })]);
    });

    it('ends the session when deserializeUser answers undefined, as for null', async () => {
      const { session, events } = makeSession();
      const browser = await browse(userApp(session, 'ada', { deserializeUser: () => undefined }).app);
      await browser.send('/login', { method: 'POST' });
      const response = await browser.send('/me');
      expect(await response.json()).toEqual({ userId: null, user: null, authenticated: false });
      expect(response.headers.getSetCookie()[0]).toMatch(/Max-Age=0/);
      expect(events.filter((event) => event.type === 'session-destroyed')).toHaveLength(1);
    });

    it('passes a deserializeUser that throws to the error handler, and the route does not run', async () => {
      const { session } = makeSession();
      const failure = new Error('user database down');
      const { app, errors } = userApp(session, 'ada', {
        deserializeUser: (id) => {
          if (id === 'ada') throw failure;
          return { id } as Express.User;
        },
      });
      const browser = await browse(app);
      await browser.send('/login', { method: 'POST' });
      const response = await browser.send('/me');
      expect(response.status).toBe(500);
      expect(errors).toEqual([failure]);
    });

    it('passes a deserializeUser that rejects to the error handler', async () => {
      const { session } = makeSession();
      const failure = new Error('user database down');
      const { app, errors } = userApp(session, 'ada', { deserializeUser: () => Promise.reject(failure) });
      const browser = await browse(app);
      await browser.send('/login', { method: 'POST' });
      expect((await browser.send('/me')).status).toBe(500);
      expect(errors).toEqual([failure]);
    });

    it('does not ask deserializeUser about a request without a session', async () => {
      const { session } = makeSession();
      const asked: string[] = [];
      const browser = await browse(userApp(session, 'ada', { deserializeUser: (id) => (asked.push(id), { id } as Express.User) }).app);
      expect(await (await browser.send('/me')).json()).toEqual({ userId: null, user: null, authenticated: false });
      expect(asked).toEqual([]);
    });
  });

  describe('a response sent while the save is pending', () => {
    it('holds res.flushHeaders() until the cookie is set, and answers what flushHeaders answers', async () => {
      const { session } = makeSession();
      const { app } = makeApp(session, (app) =>
        app.post('/login', async (req, res) => {
          await req.session.login('ada');
          res.type('text');
          const answer = res.flushHeaders();
          res.end(`flushHeaders answered ${String(answer)}`);
        }),
      );
      const response = await (await browse(app)).send('/login', { method: 'POST' });
      expect(response.headers.getSetCookie()).toHaveLength(1);
      expect(await response.text()).toBe('flushHeaders answered undefined');
    });

    it('answers res from a held writeHead() and end(), so chained calls work', async () => {
      const { session } = makeSession();
      const { app } = makeApp(session, (app) =>
        app.post('/login', async (req, res) => {
          await req.session.login('ada');
          const ended = res.writeHead(201, { 'content-type': 'text/plain' }).end('created');
          if (ended !== res) throw new Error('end() did not answer the response');
        }),
      );
      const response = await (await browse(app)).send('/login', { method: 'POST' });
      expect(response.status).toBe(201);
      expect(response.headers.getSetCookie()).toHaveLength(1);
      expect(await response.text()).toBe('created');
    });

    it('passes a held call that Node refuses (a header value with a line break) to the error handler', async () => {
      const { session } = makeSession();
      const { app, errors } = makeApp(session, (app) =>
        app.post('/login', async (req, res) => {
          await req.session.login('ada');
          res.writeHead(200, { 'x-bad': 'one\ntwo' });
          res.end('never sent');
        }),
      );
      const response = await (await browse(app)).send('/login', { method: 'POST' });
      expect(response.status).toBe(500);
      expect(errors).toEqual([expect.objectContaining({ code: 'ERR_INVALID_CHAR' })]);
    });

    it('keeps a Cache-Control the route set itself beside the cookie', async () => {
      const { session } = makeSession();
      const { app } = makeApp(session, (app) =>
        app.post('/login', async (req, res) => {
          await req.session.login('ada');
          res.set('Cache-Control', 'private, no-cache').end();
        }),
      );
      const response = await (await browse(app)).send('/login', { method: 'POST' });
      expect(response.headers.getSetCookie()).toHaveLength(1);
      expect(response.headers.get('cache-control')).toBe('private, no-cache');
    });

    it('tells a writer it held to wait, then emits drain once the save is done, so the writer goes on', async () => {
      const { session } = makeSession();
      const { app } = makeApp(session, (app) =>
        app.post('/login', async (req, res) => {
          await req.session.login('ada');
          res.type('text');
          const first = res.write('small ');
          if (!first) await once(res, 'drain');
          res.end(`told to wait: ${String(!first)}`);
        }),
      );
      const response = await (await browse(app)).send('/login', { method: 'POST' });
      expect(response.headers.getSetCookie()).toHaveLength(1);
      expect(await response.text()).toBe('small told to wait: true');
    });

    it('adds neither a cookie nor Cache-Control when the save needs no new cookie (changed data only)', async () => {
      const { session } = makeSession();
      const { app } = makeApp(session, (app) => {
        app.post('/login', async (req, res) => {
          await req.session.login('ada');
          res.end();
        });
        app.post('/cart', (req, res) => {
          req.session.data!['cart'] = ['apple'];
          res.json({ cart: req.session.data!['cart'] });
        });
        app.get('/cart', (req, res) => res.json({ cart: req.session.data?.['cart'] ?? null }));
      });
      const browser = await browse(app);
      await browser.send('/login', { method: 'POST' });
      const response = await browser.send('/cart', { method: 'POST' });
      expect(response.headers.getSetCookie()).toEqual([]);
      expect(response.headers.get('cache-control')).toBeNull();
      expect(await (await browser.send('/cart')).json()).toEqual({ cart: ['apple'] });
    });
  });
});

describe('sessionMiddleware, when the save fails', () => {
  /** A MemoryStore whose saves (update, compareAndSet) fail while `down` is set. */
  class SaveFailsStore extends MemoryStore {
    down = false;
    override update(sessionId: string, record: SessionRecord): void {
      if (this.down) throw new Error('update is down');
      super.update(sessionId, record);
    }
    override compareAndSet(sessionId: string, expectedVersion: number, record: SessionRecord): boolean {
      if (this.down) throw new Error('compareAndSet is down');
      return super.compareAndSet(sessionId, expectedVersion, record);
    }
  }

  /** An app whose /cart changes the session and sets headers of its own; `before` runs ahead of the session middleware. */
  async function failingSave(before: express.RequestHandler | null, poweredBy: boolean): Promise<Response> {
    const clock = new ManualClock();
    const store = new SaveFailsStore({ clock });
    const { session } = makeSession({ store, clock });
    const app = express();
    app.set('x-powered-by', poweredBy);
    if (before) app.use(before);
    app.use(sessionMiddleware(session));
    app.post('/login', async (req, res) => {
      await req.session.login('ada');
      res.end();
    });
    app.post('/cart', (req, res) => {
      req.session.data!['cart'] = ['apple'];
      res.set('x-route', 'yes').json({ secret: 'the route answer' });
    });
    app.use(storeErrorHandler());
    const browser = await browse(app);
    await browser.send('/login', { method: 'POST' });
    store.down = true;
    return browser.send('/cart', { method: 'POST' });
  }

  /** The response's header names, once each, without those Node and res.send() add to every response. */
  const headerNames = (response: Response): string[] =>
    [...new Set(response.headers.keys())].filter((name) => !['connection', 'content-length', 'date', 'keep-alive', 'etag'].includes(name)).sort();

  it('answers with storeErrorHandler\'s headers only, when nothing was set before the middleware', async () => {
    const response = await failingSave(null, false);
    expect(response.status).toBe(503);
    expect(headerNames(response)).toEqual(['cache-control', 'content-type', 'retry-after']);
  });

  it('keeps exactly what was set before the middleware (Express\'s X-Powered-By, two cookies of an earlier middleware)', async () => {
    const response = await failingSave((_req, res, next) => {
      res.cookie('theme', 'dark').cookie('lang', 'en');
      next();
    }, true);
    expect(response.status).toBe(503);
    expect(headerNames(response)).toEqual(['cache-control', 'content-type', 'retry-after', 'set-cookie', 'x-powered-by']);
    expect(response.headers.getSetCookie()).toEqual(['theme=dark; Path=/', 'lang=en; Path=/']);
  });
});

describe('storeErrorHandler', () => {
  const storeFailure = (): SessionStoreError => new SessionStoreError('get', 'failed', 'the test store is down');

  it('answers a store failure 503, Retry-After 5, not cacheable, as plain text that says nothing of the failure', async () => {
    const app = express();
    app.get('/', (_req, _res, next) => next(storeFailure()));
    app.use(storeErrorHandler());
    const response = await (await browse(app)).send('/');
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toBe('Service temporarily unavailable.\n');
  });

  it('passes a store failure on once the response has started: it can no longer become a 503', async () => {
    const app = express();
    const passedOn: unknown[] = [];
    app.get('/', (_req, res, next) => {
      res.type('text').write('partial ');
      next(storeFailure());
    });
    app.use(storeErrorHandler());
    app.use(((error, _req, res, _next) => {
      passedOn.push(error);
      res.end('end');
    }) as ErrorRequestHandler);
    const response = await (await browse(app)).send('/');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('partial end');
    expect(passedOn).toEqual([expect.any(SessionStoreError)]);
  });
});
