import { parseSetCookie } from 'cookie';
import { describe, expect, it } from 'vitest';
import { MemoryStore, SessionStoreError, type SessionData, type SessionRecord } from 'sessionlab';
import { handleWithSession, withSession } from 'sessionlab/fetch';
import { makeSession } from '../support/harness.ts';

/** A tiny app: POST /login, GET /me, POST /cart, POST /logout. */
function demoApp(options: Parameters<typeof makeSession>[0] = {}) {
  const harness = makeSession(options);
  const app = withSession(harness.session, async (request, { session }) => {
    const { pathname } = new URL(request.url);
    if (pathname === '/login') {
      await session.login('ada', { cart: [] });
      return Response.json({ ok: true });
    }
    if (pathname === '/cart' && session.data) {
      (session.data['cart'] as string[]).push(await request.text());
      return Response.json(session.data);
    }
    if (pathname === '/logout') {
      await session.logout();
      return new Response(null, { status: 204 });
    }
    if (pathname === '/redirect') return Response.redirect('https://app.example/me', 302);
    if (pathname === '/boom') throw new Error('handler bug');
    return Response.json({ user: session.userId, data: session.data });
  });
  let cookie = '';
  const send = async (path: string, body?: string): Promise<Response> => {
    const response = await app(new Request(`https://app.example${path}`, { method: body === undefined ? 'GET' : 'POST', body: body ?? null, headers: cookie ? { cookie } : {} }));
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) {
      const parsed = parseSetCookie(setCookie);
      cookie = parsed.maxAge === 0 ? '' : `${parsed.name}=${parsed.value}`;
    }
    return response;
  };
  return { ...harness, app, send };
}

describe('withSession (Fetch adapter)', () => {
  it('carries a session across requests: login, data, logout', async () => {
    const { send } = demoApp();
    expect(await (await send('/me')).json()).toEqual({ user: null, data: null });
    const login = await send('/login', '');
    expect(login.headers.get('set-cookie')).toMatch(/^__Host-session=.*HttpOnly/);
    expect(login.headers.get('cache-control')).toBe('no-store');
    await send('/cart', 'apple');
    await send('/cart', 'pear');
    expect(await (await send('/me')).json()).toEqual({ user: 'ada', data: { cart: ['apple', 'pear'] } });
    const logout = await send('/logout', '');
    expect(logout.status).toBe(204);
    expect(parseSetCookie(logout.headers.get('set-cookie')!).maxAge).toBe(0);
    expect(await (await send('/me')).json()).toEqual({ user: null, data: null });
  });

  it('adds no Set-Cookie when nothing about the session changed', async () => {
    const { send } = demoApp();
    await send('/login', '');
    const response = await send('/me');
    expect(response.headers.has('set-cookie')).toBe(false);
  });

  it('sets the cookie on responses with immutable headers (Response.redirect)', async () => {
    const { send, clock } = demoApp({ sessionDuration: 30 * 60_000 });
    await send('/login', '');
    clock.advance(2 * 60_000); // due for extension: the response re-sends the cookie
    const response = await send('/redirect');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('https://app.example/me');
    expect(response.headers.get('set-cookie')).toMatch(/^__Host-session=/);
  });

  it('answers 503 with Retry-After when the store fails, and leaks nothing', async () => {
    class DownStore extends MemoryStore {
      down = false;
      override get(id: string): SessionRecord | null {
        if (this.down) throw new Error('ECONNREFUSED 10.0.0.7:6379');
        return super.get(id);
      }
    }
    const store = new DownStore();
    const { send } = demoApp({ store });
    await send('/login', '');
    store.down = true;
    const response = await send('/me');
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(await response.text()).not.toMatch(/ECONNREFUSED|10\.0\.0\.7/);
  });

  it('lets the application choose the store-failure response', async () => {
    class DownStore extends MemoryStore {
      override create(): void {
        throw new Error('read-only');
      }
    }
    const seen: SessionStoreError[] = [];
    const { session } = makeSession({ store: new DownStore() });
    const app = withSession(session, async (_request, { session }) => {
      await session.login('ada');
      return new Response('never');
    }, {
      onStoreError: (error) => {
        seen.push(error);
        return Response.json({ error: 'try later' }, { status: 500 });
      },
    });
    const response = await app(new Request('https://app.example/login'));
    expect(response.status).toBe(500);
    expect(seen[0]).toMatchObject({ method: 'create', failure: 'failed' });
  });

  it('lets other handler errors through to the caller', async () => {
    const { send } = demoApp();
    await expect(send('/boom')).rejects.toThrow('handler bug');
  });

  it('passes extra context through to the handler', async () => {
    const { session } = makeSession();
    const app = withSession<SessionData, { env: { region: string } }>(session, (_request, context) =>
      Response.json({ region: context.env.region, hasSession: 'session' in context }),
    );
    const response = await app(new Request('https://app.example/'), { env: { region: 'eu' } });
    expect(await response.json()).toEqual({ region: 'eu', hasSession: true });
  });
});

describe('handleWithSession', () => {
  it('returns the response and the Set-Cookie value apart, without touching the response', async () => {
    const { session } = makeSession();
    const { response, setCookie } = await handleWithSession(session, new Request('https://app.example/login'), async (_request, { session }) => {
      await session.login('ada');
      return new Response('welcome');
    });
    expect(await response.text()).toBe('welcome');
    expect(response.headers.has('set-cookie')).toBe(false);
    expect(parseSetCookie(setCookie!)).toMatchObject({ name: '__Host-session', httpOnly: true });
  });
});
