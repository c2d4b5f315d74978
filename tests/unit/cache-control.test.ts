import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import type { Session } from 'sessionlab';
import { withSession } from 'sessionlab/fetch';
import { sessionMiddleware as honoSessionMiddleware, type SessionEnv } from '../../src/session/adapters/hono.ts';
import { sessionCacheControl } from '../../src/session/cache-control.ts';
import { browse, makeApp } from '../support/express-app.ts';
import { makeSession } from '../support/harness.ts';

describe('sessionCacheControl: what a response that sets the session cookie is sent with', () => {
  it.each([
    [undefined, 'no-store'],
    ['public, max-age=3600', 'no-store'],
    ['max-age=60', 'no-store'],
    ['s-maxage=60', 'no-store'],
    ['no-cache', 'no-store'],
    ['private, public, max-age=60', 'no-store'],
    ['', 'no-store'],
    ['private="authorization", max-age=60', 'no-store'],
    ['no-cache="set-cookie", max-age=60', 'no-store'],
    ['private="x-a, x-b", s-maxage=60', 'no-store'],
  ])('replaces %j, which lets a shared cache store the response, with %j', (current, expected) => {
    expect(sessionCacheControl(current)).toBe(expected);
  });

  it.each(['no-store', 'private, max-age=60', 'PRIVATE', ' No-Store , max-age=0', 'public, no-store', 'private="set-cookie", max-age=60', 'private="Authorization, Set-Cookie"', 'private=set-cookie'])(
    'keeps %j: no shared cache stores the cookie',
    (current) => {
      expect(sessionCacheControl(current)).toBeNull();
    },
  );
});

const PUBLIC = 'public, max-age=3600';
const WARNING = /sessionlab: a response that sets the session cookie had Cache-Control "public, max-age=3600".*shared cache.*"no-store"/;

describe('a route that asks shared caches to keep a response that sets the session cookie', () => {
  let warn: MockInstance<typeof console.warn>;
  beforeEach(() => {
    warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  });
  afterEach(() => warn.mockRestore());

  describe('Express', () => {
    async function send(route: (res: import('express').Response) => void, sessionOf = makeSession().session, path = '/login') {
      const { app } = makeApp(sessionOf, (app) =>
        app.post('/login', async (req, res) => {
          await req.session.login('ada');
          route(res);
        }),
      );
      return (await browse(app)).send(path, { method: 'POST' });
    }

    it('is sent no-store instead, said once per Session, for res.set()', async () => {
      const { session } = makeSession();
      const first = await send((res) => res.set('Cache-Control', PUBLIC).send('ok'), session);
      expect(first.headers.getSetCookie()).toHaveLength(1);
      expect(first.headers.get('cache-control')).toBe('no-store');
      const second = await send((res) => res.set('Cache-Control', PUBLIC).send('ok'), session);
      expect(second.headers.get('cache-control')).toBe('no-store');
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0]![0]).toMatch(WARNING);
    });

    it('is sent no-store instead when the header comes with writeHead(status, headers)', async () => {
      const response = await send((res) => res.writeHead(200, { 'Content-Type': 'text/plain', 'cache-control': PUBLIC }).end('ok'));
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('content-type')).toBe('text/plain');
      expect(await response.text()).toBe('ok');
      expect(warn.mock.calls[0]![0]).toMatch(WARNING);
    });

    it('is sent no-store instead when writeHead has a status message and a flat header list, over a safe header set before', async () => {
      const response = await send((res) => {
        res.setHeader('Cache-Control', 'no-store');
        res.writeHead(201, 'Made', ['Cache-Control', PUBLIC, 'X-Kind', 'demo']).end();
      });
      expect(response.status).toBe(201);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('x-kind')).toBe('demo');
    });

    it('keeps a private Cache-Control, and says nothing', async () => {
      const response = await send((res) => res.set('Cache-Control', 'private, max-age=60').send('ok'));
      expect(response.headers.get('cache-control')).toBe('private, max-age=60');
      expect(warn).not.toHaveBeenCalled();
    });

    it('keeps a public Cache-Control on a response that does not set the session cookie', async () => {
      const { session } = makeSession();
      const { app } = makeApp(session, (app) => app.get('/logo', (_req, res) => res.set('Cache-Control', PUBLIC).send('logo')));
      const response = await (await browse(app)).send('/logo');
      expect(response.headers.getSetCookie()).toEqual([]);
      expect(response.headers.get('cache-control')).toBe(PUBLIC);
      expect(warn).not.toHaveBeenCalled();
    });
  });

  it('Fetch: is sent no-store instead', async () => {
    const { session } = makeSession();
    const app = withSession(session, async (_request, { session: handle }) => {
      await handle.login('ada');
      return new Response('ok', { headers: { 'cache-control': PUBLIC } });
    });
    const response = await app(new Request('https://app.example/login', { method: 'POST' }));
    expect(response.headers.getSetCookie()).toHaveLength(1);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(warn.mock.calls[0]![0]).toMatch(WARNING);
  });

  it('Fetch: keeps a private Cache-Control', async () => {
    const { session } = makeSession();
    const app = withSession(session, async (_request, { session: handle }) => {
      await handle.login('ada');
      return new Response('ok', { headers: { 'cache-control': 'private, no-cache' } });
    });
    const response = await app(new Request('https://app.example/login', { method: 'POST' }));
    expect(response.headers.get('cache-control')).toBe('private, no-cache');
    expect(warn).not.toHaveBeenCalled();
  });

  it('Hono: is sent no-store instead', async () => {
    const { session } = makeSession();
    const app = new Hono<SessionEnv>();
    app.use(honoSessionMiddleware(session as Session));
    app.post('/login', async (c) => {
      await c.get('session').login('ada');
      c.header('cache-control', PUBLIC);
      return c.text('ok');
    });
    const response = await app.request('https://app.example/login', { method: 'POST' });
    expect(response.headers.getSetCookie()).toHaveLength(1);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(warn.mock.calls[0]![0]).toMatch(WARNING);
  });
});
