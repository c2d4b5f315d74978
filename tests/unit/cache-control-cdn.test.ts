/**
 * A CDN reads its own Cache-Control header (RFC 9213's CDN-Cache-Control, the vendors' forms such as
 * Cloudflare-CDN-Cache-Control, and Surrogate-Control) instead of Cache-Control. On a response that
 * sets the session cookie, one that lets the CDN store the response is replaced by no-store, as
 * Cache-Control is, in every adapter; one that keeps it from storing stays.
 */
import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import type { Session } from 'sessionlab';
import { withSession } from 'sessionlab/fetch';
import { sessionMiddleware, type SessionEnv } from '../../src/session/adapters/hono.ts';
import { browse, makeApp } from '../support/express-app.ts';
import { makeSession } from '../support/harness.ts';

const ROUTE_HEADERS = {
  'Cache-Control': 'private',
  'CDN-Cache-Control': 'max-age=3600',
  'Cloudflare-CDN-Cache-Control': 'public, max-age=60',
  'Surrogate-Control': 'max-age=600',
};
const SENT = { 'cache-control': 'private', 'cdn-cache-control': 'no-store', 'cloudflare-cdn-cache-control': 'no-store', 'surrogate-control': 'no-store' };

function caching(response: Response): Record<string, string | null> {
  return Object.fromEntries(Object.keys(SENT).map((name) => [name, response.headers.get(name)]));
}

describe('a CDN\'s own Cache-Control on a response that sets the session cookie', () => {
  let warn: MockInstance<typeof console.warn>;
  beforeEach(() => {
    warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  });
  afterEach(() => warn.mockRestore());

  it('is replaced by no-store where it lets the CDN store the response (Fetch), said once', async () => {
    const { session } = makeSession();
    const app = withSession(session, async (_request, { session: handle }) => {
      await handle.login('ada');
      return new Response('ok', { headers: ROUTE_HEADERS });
    });
    const response = await app(new Request('https://app.example/login', { method: 'POST' }));
    expect(response.headers.getSetCookie()).toHaveLength(1);
    expect(caching(response)).toEqual(SENT);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(/had cdn-cache-control "max-age=3600"/);
  });

  it.each(['no-store', 'private', 'max-age=60, no-store'])('stays when it keeps the CDN from storing it: %j', async (value) => {
    const { session } = makeSession();
    const app = withSession(session, async (_request, { session: handle }) => {
      await handle.login('ada');
      return new Response('ok', { headers: { 'CDN-Cache-Control': value, 'Surrogate-Control': value } });
    });
    const response = await app(new Request('https://app.example/login', { method: 'POST' }));
    expect(response.headers.get('cdn-cache-control')).toBe(value);
    expect(response.headers.get('surrogate-control')).toBe(value);
    expect(warn).not.toHaveBeenCalled();
  });

  it('is left alone on a response that sets no cookie', async () => {
    const { session } = makeSession();
    const app = withSession(session, () => new Response('ok', { headers: ROUTE_HEADERS }));
    const response = await app(new Request('https://app.example/'));
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(response.headers.get('cdn-cache-control')).toBe('max-age=3600');
    expect(response.headers.get('surrogate-control')).toBe('max-age=600');
  });

  it('is replaced in Hono', async () => {
    const { session } = makeSession();
    const app = new Hono<SessionEnv>();
    app.use(sessionMiddleware(session as unknown as Session));
    app.post('/login', async (c) => {
      await c.get('session').login('ada');
      for (const [name, value] of Object.entries(ROUTE_HEADERS)) c.header(name, value);
      return c.text('ok');
    });
    const response = await app.request('https://app.example/login', { method: 'POST' });
    expect(response.headers.getSetCookie()).toHaveLength(1);
    expect(caching(response)).toEqual(SENT);
  });

  it('is judged by the names of writeHead\'s headers, never by their values (Express)', async () => {
    const { session } = makeSession();
    const { app } = makeApp(session, (app) => {
      app.post('/login', async (req, res) => {
        await req.session.login('ada');
        res.writeHead(200, ['X-Reads-Like', 'Surrogate-Control', 'X-Also', 'cdn-cache-control']).end('ok');
      });
    });
    const response = await (await browse(app)).send('/login', { method: 'POST' });
    expect(response.headers.get('x-reads-like')).toBe('Surrogate-Control');
    expect(response.headers.has('surrogate-control')).toBe(false);
    expect(response.headers.has('cdn-cache-control')).toBe(false);
  });

  it.each<[string, (res: import('express').Response) => void]>([
    ['set on the response', (res) => res.set(ROUTE_HEADERS).send('ok')],
    ['given to writeHead as an object', (res) => res.writeHead(200, ROUTE_HEADERS).end('ok')],
    ['given to writeHead as a flat list', (res) => res.writeHead(200, Object.entries(ROUTE_HEADERS).flat()).end('ok')],
    ['on the response, and again in writeHead', (res) => res.set({ 'CDN-Cache-Control': 'no-store' }).writeHead(200, ROUTE_HEADERS).end('ok')],
  ])('is replaced in Express, %s', async (_, answer) => {
    const { session } = makeSession();
    const { app, errors } = makeApp(session, (app) => {
      app.post('/login', async (req, res) => {
        await req.session.login('ada');
        answer(res);
      });
    });
    const response = await (await browse(app)).send('/login', { method: 'POST' });
    expect(errors).toEqual([]);
    expect(response.headers.getSetCookie()).toHaveLength(1);
    expect(caching(response)).toEqual(SENT);
  });
});
