import { parseSetCookie } from 'cookie';
import { Hono } from 'hono';
import { setCookie } from 'hono/cookie';
import { HTTPException } from 'hono/http-exception';
import { describe, expect, it } from 'vitest';
import { MemoryStore, SessionConfigError, SessionStoreError, type Session, type SessionRecord } from 'sessionlab';
// Imported by path until package.json maps 'sessionlab/hono' to it.
import { sessionMiddleware, type HonoAdapterOptions, type SessionEnv } from '../../src/session/adapters/hono.ts';
import { ManualClock, makeSession } from '../support/harness.ts';

type Data = { cart: string[] };

/** A MemoryStore that fails every call while `down` is set, as a store that lost its server. */
class SwitchableStore extends MemoryStore {
  down = false;
  override get(id: string): SessionRecord | null {
    if (this.down) throw new Error('ECONNREFUSED 10.0.0.7:6379');
    return super.get(id);
  }
  override compareAndSet(id: string, version: number, record: SessionRecord): boolean {
    if (this.down) throw new Error('ECONNREFUSED 10.0.0.7:6379');
    return super.compareAndSet(id, version, record);
  }
}

/** A Hono app behind the middleware, on a real `hono`, with the routes the tests need; the store runs on the Session's clock. */
function demoApp(options: HonoAdapterOptions = {}, makeStore: (clock: ManualClock) => MemoryStore = (clock) => new MemoryStore({ clock })) {
  const clock = new ManualClock();
  const store = makeStore(clock);
  const harness = makeSession({ store, clock });
  const app = new Hono<SessionEnv<Data>>();
  app.use(sessionMiddleware(harness.session as unknown as Session<Data>, options));
  app.post('/login', async (c) => {
    await c.get('session').login('ada', { cart: [] });
    return c.json({ user: c.get('session').userId });
  });
  app.get('/me', (c) => c.json({ user: c.get('session').userId, cart: c.get('session').data?.cart ?? null }));
  app.post('/cart', (c) => {
    c.get('session').data?.cart.push('apple');
    return c.text('added');
  });
  app.get('/theme', (c) => {
    setCookie(c, 'theme', 'dark', { path: '/' });
    c.header('cache-control', 'private, max-age=60');
    return c.text('ok');
  });
  app.get('/redirect', () => Response.redirect('https://app.example/me', 302));
  app.post('/login-then-boom', async (c) => {
    await c.get('session').login('ada', { cart: [] });
    throw new Error('bug after login');
  });
  app.post('/login-then-401', async (c) => {
    await c.get('session').login('ada', { cart: [] });
    throw new HTTPException(401, { message: 'no' });
  });
  app.post('/revoke', async (c) => {
    c.header('x-handler', 'ran');
    await harness.session.revokeAll('ada');
    return c.text('revoked');
  });

  let cookie: string | null = null;
  /** Sends a request with the cookie the last response set, as a browser would. */
  async function send(path: string, init: RequestInit = {}): Promise<Response> {
    const response = await app.request(`https://app.example${path}`, { ...init, headers: { ...(cookie ? { cookie } : {}), ...init.headers } });
    for (const value of response.headers.getSetCookie()) {
      const parsed = parseSetCookie(value);
      if (parsed.name.endsWith('session')) cookie = parsed.maxAge === 0 ? null : `${parsed.name}=${parsed.value}`;
    }
    return response;
  }
  return { ...harness, app, store, send };
}

describe('sessionMiddleware for Hono', () => {
  it("gives handlers the request's session as c.get('session'), across requests", async () => {
    const { send } = demoApp();
    const login = await send('/login', { method: 'POST' });
    expect(await login.json()).toEqual({ user: 'ada' });
    expect(login.headers.get('set-cookie')).toMatch(/^__Host-session=.+; Path=\/; .*HttpOnly/);
    await send('/cart', { method: 'POST' });
    expect(await (await send('/me')).json()).toEqual({ user: 'ada', cart: ['apple'] });
  });

  it('adds the session cookie beside the cookies a handler sets, and keeps its Cache-Control', async () => {
    const { send } = demoApp();
    await send('/login', { method: 'POST' });
    const response = await send('/theme');
    expect(response.headers.getSetCookie().map((value) => parseSetCookie(value).name)).toContain('theme');
    expect(response.headers.get('cache-control')).toBe('private, max-age=60');
  });

  it('marks a response that sets the session cookie Cache-Control: no-store', async () => {
    const { send } = demoApp();
    const response = await send('/login', { method: 'POST' });
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('sets the cookie on a response with immutable headers (Response.redirect)', async () => {
    const response = await demoApp().send('/redirect', { headers: { cookie: '__Host-session=garbage' } });
    expect(response.status).toBe(302);
    // A garbled cookie is no session: the response clears it, on the redirect's immutable headers.
    expect(parseSetCookie(response.headers.get('set-cookie')!).maxAge).toBe(0);
  });

  it('answers 503 with Retry-After when the store fails, leaking nothing', async () => {
    const { send, store } = demoApp({}, (clock) => new SwitchableStore({ clock }));
    await send('/login', { method: 'POST' });
    (store as SwitchableStore).down = true;
    const response = await send('/me');
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(response.headers.has('set-cookie')).toBe(false);
    expect(await response.text()).not.toMatch(/ECONNREFUSED|10\.0\.0\.7/);
  });

  it("answers with onStoreError(error, c) when given, and none of the handler's headers", async () => {
    const seen: SessionStoreError[] = [];
    const { send, store } = demoApp({ onStoreError: (error, c) => (seen.push(error), c.json({ error: 'try later' }, 500)) }, (clock) => new SwitchableStore({ clock }));
    await send('/login', { method: 'POST' });
    (store as SwitchableStore).down = true;
    const response = await send('/cart', { method: 'POST' });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: 'try later' });
    expect(seen[0]).toBeInstanceOf(SessionStoreError);
  });

  it('turns a SessionStoreError a handler meets into the store-failure response', async () => {
    class NoListing extends MemoryStore {
      override listByUser(): SessionRecord[] {
        throw new Error('ETIMEDOUT');
      }
    }
    const { send } = demoApp({}, (clock) => new NoListing({ clock }));
    await send('/login', { method: 'POST' });
    const response = await send('/revoke', { method: 'POST' });
    expect(response.status).toBe(503);
    expect(response.headers.has('x-handler')).toBe(false);
  });

  describe('when a handler throws', () => {
    it("leaves the answer to Hono's error handler, sends no cookie, and deletes the session login() created", async () => {
      const { app, send, store } = demoApp();
      app.onError((error, c) => c.text(`handled: ${error.message}`, 500));
      const response = await send('/login-then-boom', { method: 'POST' });
      expect(response.status).toBe(500);
      expect(await response.text()).toBe('handled: bug after login');
      expect(response.headers.has('set-cookie')).toBe(false);
      expect(store.all()).toEqual([]);
    });

    it('does the same for an HTTPException', async () => {
      const { send, store } = demoApp();
      const response = await send('/login-then-401', { method: 'POST' });
      expect(response.status).toBe(401);
      expect(response.headers.has('set-cookie')).toBe(false);
      expect(store.all()).toEqual([]);
    });
  });

  it('takes a function of the context that returns the Session, called per request', async () => {
    const { session } = makeSession();
    const app = new Hono<{ Bindings: { REGION: string } } & SessionEnv>();
    const regions: string[] = [];
    app.use(sessionMiddleware((c) => (regions.push((c.env as { REGION: string }).REGION), session)));
    app.post('/login', async (c) => {
      await c.get('session').login('ada');
      return c.text('ok');
    });
    const response = await app.request('https://app.example/login', { method: 'POST' }, { REGION: 'eu' });
    expect(response.headers.get('set-cookie')).toMatch(/^__Host-session=/);
    expect(regions).toEqual(['eu']);
  });

  it('throws a SessionConfigError that says what to pass without a Session', () => {
    expect(() => sessionMiddleware(undefined as never)).toThrow(SessionConfigError);
    expect(() => sessionMiddleware({} as never)).toThrow(/needs a Session, or a function of the context/);
  });

  it('serves only the routes it is registered for', async () => {
    const { session } = makeSession();
    const app = new Hono<SessionEnv>();
    app.use('/api/*', sessionMiddleware(session));
    app.get('/api/me', (c) => c.json({ user: c.get('session').userId }));
    app.get('/health', (c) => c.text('ok'));
    expect(await (await app.request('https://app.example/api/me')).json()).toEqual({ user: null });
    const health = await app.request('https://app.example/health');
    expect(health.headers.has('set-cookie')).toBe(false);
  });

  it("gives the Session the request's User-Agent and the IP clientIp(c) finds", async () => {
    const { session } = makeSession({ devices: { userAgent: true, ip: 'full' } });
    const app = new Hono<SessionEnv>();
    app.use(sessionMiddleware(session, { clientIp: (c) => c.req.header('x-real-ip') }));
    app.post('/login', async (c) => {
      await c.get('session').login('ada');
      return c.text('ok');
    });
    await app.request('https://app.example/login', { method: 'POST', headers: { 'user-agent': 'Firefox/140.0', 'x-real-ip': '203.0.113.9' } });
    expect(await session.devicesOf('ada')).toMatchObject([{ userAgent: 'Firefox/140.0', ip: '203.0.113.9' }]);
  });
});
