/**
 * The Hono middleware at its edges: no clientIp while the Session keeps IPs, a save that needs no
 * new cookie, a null Session, and the onStoreError hook's context.
 */
import { Hono, type Context } from 'hono';
import { setCookie } from 'hono/cookie';
import { describe, expect, it } from 'vitest';
import { SessionConfigError, SessionStoreError } from 'sessionlab';
// Imported by path until package.json maps 'sessionlab/hono' to it.
import { sessionMiddleware, type SessionEnv } from '../../src/session/adapters/hono.ts';
import { makeSession } from '../support/harness.ts';

describe('sessionMiddleware for Hono, at its edges', () => {
  it('keeps no IP without clientIp, also when the Session keeps IPs', async () => {
    const { session } = makeSession({ devices: { userAgent: true, ip: 'full' } });
    const app = new Hono<SessionEnv>();
    app.use(sessionMiddleware(session));
    app.post('/login', async (c) => {
      await c.get('session').login('ada');
      return c.text('ok');
    });
    expect((await app.request('https://app.example/login', { method: 'POST', headers: { 'user-agent': 'Firefox/140.0' } })).status).toBe(200);
    expect(await session.devicesOf('ada')).toMatchObject([{ userAgent: 'Firefox/140.0', ip: null }]);
  });

  it('adds neither a cookie nor Cache-Control when the save needs no new cookie (changed data only)', async () => {
    const { session } = makeSession();
    const app = new Hono<SessionEnv>();
    app.use(sessionMiddleware(session));
    app.post('/login', async (c) => {
      await c.get('session').login('ada', { visits: 0 });
      return c.text('ok');
    });
    app.post('/visit', (c) => {
      c.get('session').data!['visits'] = 1;
      return c.json(c.get('session').data);
    });
    const login = await app.request('https://app.example/login', { method: 'POST' });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const visit = await app.request('https://app.example/visit', { method: 'POST', headers: { cookie } });
    expect(await visit.json()).toEqual({ visits: 1 });
    expect(visit.headers.has('set-cookie')).toBe(false);
    expect(visit.headers.has('cache-control')).toBe(false);
  });

  it("adds the session cookie beside a cookie the handler sets, and keeps the handler's Cache-Control", async () => {
    const { session } = makeSession();
    const app = new Hono<SessionEnv>();
    app.use(sessionMiddleware(session));
    app.post('/login', async (c) => {
      await c.get('session').login('ada');
      setCookie(c, 'theme', 'dark', { path: '/' });
      c.header('cache-control', 'private, no-cache');
      return c.text('ok');
    });
    const response = await app.request('https://app.example/login', { method: 'POST' });
    expect(response.headers.getSetCookie().map((value) => value.split('=')[0])).toEqual(['theme', '__Host-session']);
    expect(response.headers.get('cache-control')).toBe('private, no-cache');
  });

  it('answers 503 when the store fails, also when clientIp is given', async () => {
    const { session } = makeSession();
    const app = new Hono<SessionEnv>();
    app.use(sessionMiddleware(session, { clientIp: () => '203.0.113.9' }));
    app.get('/account', () => {
      throw new SessionStoreError('get', 'failed', 'down.');
    });
    const response = await app.request('https://app.example/account');
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
  });

  it('refuses a null Session with a SessionConfigError', () => {
    expect(() => sessionMiddleware(null as never)).toThrow(SessionConfigError);
  });

  it('calls onStoreError with the store failure and the request\'s context', async () => {
    const { session } = makeSession();
    const seen: unknown[] = [];
    const app = new Hono<SessionEnv>();
    const failure = new SessionStoreError('get', 'failed', 'down.');
    app.use(sessionMiddleware(session, { onStoreError: (error, c: Context) => (seen.push(error, c.req.path), c.text('later', 500)) }));
    app.get('/account', () => {
      throw failure;
    });
    const response = await app.request('https://app.example/account');
    expect(response.status).toBe(500);
    expect(await response.text()).toBe('later');
    expect(seen).toEqual([failure, '/account']);
  });

  it("passes an onStoreError hook that throws on to Hono's error handler", async () => {
    const { session } = makeSession();
    const app = new Hono<SessionEnv>();
    const hookBroke = new Error('the hook broke');
    const handled: unknown[] = [];
    app.use(
      sessionMiddleware(session, {
        onStoreError: () => {
          throw hookBroke;
        },
      }),
    );
    app.get('/account', () => {
      throw new SessionStoreError('get', 'failed', 'down.');
    });
    app.onError((error, c) => (handled.push(error), c.text('error handler', 500)));
    const response = await app.request('https://app.example/account');
    expect(await response.text()).toBe('error handler');
    // Hono's error handler first answers the route's store failure, then the hook's own failure.
    expect(handled).toEqual([expect.any(SessionStoreError), hookBroke]);
  });
});
