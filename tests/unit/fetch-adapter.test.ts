import { parseSetCookie } from 'cookie';
import { describe, expect, it, vi } from 'vitest';
import { MemoryStore, SessionStoreError, type Session, type SessionData, type SessionHandle, type SessionRecord } from 'sessionlab';
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

  it('saves what a handler that answers at once (not with a promise) changed', async () => {
    const { session } = makeSession();
    const cookie = await signInThroughFetch(session);
    const visit = withSession(session, (_request, { session }) => {
      session.data!['visits'] = (session.data!['visits'] as number) + 1;
      return Response.json(session.data);
    });
    expect(await (await visit(new Request('https://app.example/visit', { headers: { cookie } }))).json()).toEqual({ visits: 1 });
    const second = await visit(new Request('https://app.example/visit', { headers: { cookie } }));
    expect(await second.json()).toEqual({ visits: 2 });
  });

  it('answers a handler that throws at once (not with a rejected promise) like one that rejects', async () => {
    const { session } = makeSession();
    const app = withSession(session, () => {
      throw new SessionStoreError('get', 'failed', 'down.');
    });
    expect((await app(new Request('https://app.example/'))).status).toBe(503);
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

describe('withSession, when the handler throws', () => {
  /** An app whose /login and /logout throw after changing the session, as a bug after the call would. */
  function throwingApp(store = new MemoryStore()) {
    const harness = makeSession({ store });
    const app = withSession(harness.session, async (request, { session }) => {
      const { pathname } = new URL(request.url);
      if (pathname === '/login') await session.login('ada', { cart: [] });
      if (pathname === '/login-then-boom') {
        await session.login('ada', { cart: [] });
        throw new Error('bug after login');
      }
      if (pathname === '/logout-then-boom') {
        await session.logout();
        throw new Error('bug after logout');
      }
      return Response.json({ user: session.userId });
    });
    return { ...harness, store, app };
  }

  it('rethrows the error, and deletes the session login() created, whose cookie never left', async () => {
    const { app, store, events } = throwingApp();
    await expect(app(new Request('https://app.example/login-then-boom', { method: 'POST' }))).rejects.toThrow('bug after login');
    expect(store.all()).toEqual([]);
    expect(events.filter((event) => event.type === 'session-destroyed')).toHaveLength(1);
  });

  it('leaves the session a login() replaced deleted: the user is signed out, never half signed in', async () => {
    const { app, store } = throwingApp();
    const first = await app(new Request('https://app.example/login', { method: 'POST' }));
    const cookie = parseSetCookie(first.headers.get('set-cookie')!);
    const header = `${cookie.name}=${cookie.value}`;
    await expect(app(new Request('https://app.example/login-then-boom', { method: 'POST', headers: { cookie: header } }))).rejects.toThrow();
    expect(store.all()).toEqual([]);
    const next = await app(new Request('https://app.example/me', { headers: { cookie: header } }));
    expect(await next.json()).toEqual({ user: null });
    expect(parseSetCookie(next.headers.get('set-cookie')!).maxAge).toBe(0);
  });

  it('keeps a logout() done: the record stays deleted, and the next request clears the stale cookie', async () => {
    const { app, store } = throwingApp();
    const first = await app(new Request('https://app.example/login', { method: 'POST' }));
    const cookie = parseSetCookie(first.headers.get('set-cookie')!);
    const header = `${cookie.name}=${cookie.value}`;
    await expect(app(new Request('https://app.example/logout-then-boom', { method: 'POST', headers: { cookie: header } }))).rejects.toThrow('bug after logout');
    expect(store.all()).toEqual([]);
    const next = await app(new Request('https://app.example/me', { headers: { cookie: header } }));
    expect(await next.json()).toEqual({ user: null });
    expect(parseSetCookie(next.headers.get('set-cookie')!).maxAge).toBe(0);
  });

  it('deletes the new session also when saving it fails, and answers 503', async () => {
    class FailingUpdates extends MemoryStore {
      override compareAndSet(): boolean {
        throw new Error('disk full');
      }
    }
    const store = new FailingUpdates();
    const { session } = makeSession({ store });
    const app = withSession(session, async (_request, { session }) => {
      await session.login('ada', { cart: [] });
      (session.data!['cart'] as string[]).push('apple'); // a change after login: commit() must write it
      return new Response('welcome');
    });
    const response = await app(new Request('https://app.example/login', { method: 'POST' }));
    expect(response.status).toBe(503);
    expect(store.all()).toEqual([]);
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

describe('a request that changes nothing in its session', () => {
  /** A signed-in session's cookie, and a handler that counts the commits of the handles it is given. */
  async function signedIn() {
    const { session } = makeSession();
    const cookie = await signInThroughFetch(session);
    const commits = vi.fn();
    const handler = (request: Request, { session: handle }: { session: SessionHandle }): Response => {
      const commit = handle.commit.bind(handle);
      handle.commit = () => {
        commits();
        return commit();
      };
      if (new URL(request.url).pathname === '/visit') handle.data!['visits'] = (handle.data!['visits'] as number) + 1;
      return Response.json({ user: handle.userId, data: handle.data });
    };
    const request = (path: string): Request => new Request(`https://app.example${path}`, { headers: { cookie } });
    return { session, handler, commits, request };
  }

  it('is answered by withSession without a commit to wait for, and with no Set-Cookie', async () => {
    const { session, handler, commits, request } = await signedIn();
    const response = await withSession(session, handler)(request('/me'));
    expect(await response.json()).toEqual({ user: 'ada', data: { visits: 0 } });
    expect(response.headers.has('set-cookie')).toBe(false);
    expect(commits).not.toHaveBeenCalled();
  });

  it('is answered by handleWithSession without a commit, with setCookie null', async () => {
    const { session, handler, commits, request } = await signedIn();
    const { response, setCookie } = await handleWithSession(session, request('/me'), handler);
    expect(await response.json()).toEqual({ user: 'ada', data: { visits: 0 } });
    expect(setCookie).toBeNull();
    expect(commits).not.toHaveBeenCalled();
  });

  it('is told apart from one that changes its data, which is committed and saved', async () => {
    const { session, handler, commits, request } = await signedIn();
    await withSession(session, handler)(request('/visit'));
    expect(commits).toHaveBeenCalledTimes(1);
    const { response } = await handleWithSession(session, request('/visit'), handler);
    expect(commits).toHaveBeenCalledTimes(2);
    expect(await response.json()).toEqual({ user: 'ada', data: { visits: 2 } });
    expect(await (await withSession(session, handler)(request('/me'))).json()).toEqual({ user: 'ada', data: { visits: 2 } });
  });
});

describe('device details for the devices option', () => {
  const login = async (_request: Request, { session }: { session: SessionHandle }): Promise<Response> => {
    await session.login('ada');
    return new Response('ok');
  };

  it("gives the Session the request's User-Agent and the IP clientIp finds (here in the handler's context)", async () => {
    const { session } = makeSession({ devices: { userAgent: true, ip: 'full' } });
    const app = withSession<SessionData, { remoteAddr: string }>(session, login, { clientIp: (_request, context) => context?.remoteAddr });
    await app(new Request('https://app.example/login', { headers: { 'user-agent': 'Firefox/140.0' } }), { remoteAddr: '203.0.113.9' });
    expect(await session.devicesOf('ada')).toMatchObject([{ userAgent: 'Firefox/140.0', ip: '203.0.113.9' }]);
  });

  it('keeps no IP without clientIp: a Request does not carry one', async () => {
    const { session } = makeSession({ devices: { userAgent: true, ip: 'full' } });
    await withSession(session, login)(new Request('https://app.example/login', { headers: { 'user-agent': 'Firefox/140.0' } }));
    expect(await session.devicesOf('ada')).toMatchObject([{ userAgent: 'Firefox/140.0', ip: null }]);
  });

  it('does the same through handleWithSession, clientIp seeing the request and options.context', async () => {
    const { session } = makeSession({ devices: { userAgent: true, ip: 'full' } });
    const request = new Request('https://app.example/login', { headers: { 'user-agent': 'Safari/18', 'cf-connecting-ip': '2001:db8::7' } });
    await handleWithSession(session, request, login, { context: { region: 'eu' }, clientIp: (request, context) => `${request.headers.get('cf-connecting-ip')}${context?.region === 'eu' ? '' : '?'}` });
    expect(await session.devicesOf('ada')).toMatchObject([{ userAgent: 'Safari/18', ip: '2001:db8::7' }]);
  });
});

/** Signs ada in through withSession, with `{ visits: 0 }`; the `name=value` of the session cookie it sets. */
async function signInThroughFetch(session: Session): Promise<string> {
  const login = await withSession(session, async (_request, { session: handle }) => {
    await handle.login('ada', { visits: 0 });
    return new Response('ok');
  })(new Request('https://app.example/login'));
  return login.headers.get('set-cookie')!.split(';')[0]!;
}
