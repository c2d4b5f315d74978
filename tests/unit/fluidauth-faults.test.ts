/**
 * FluidAuth's known session faults, one regression test each: Session Lab must not repeat them.
 * The store is the FluidAuth-docs-style fixture wherever the fault depends on the store.
 */
import { parseSetCookie } from 'cookie';
import { describe, expect, it } from 'vitest';
import { withSession } from 'sessionlab/fetch';
import { FluidAuthDocsStore } from '../fixtures/fluidauth-docs-store.js';
import { CookieClient, makeSession, MINUTE, storeCalls } from '../support/harness.ts';

describe('FluidAuth fault 1: a malformed cookie value', () => {
  it('`x` means no session: no throw, no hang, no store lookup, and the cookie is cleared', async () => {
    const { session, events } = makeSession({ store: new FluidAuthDocsStore() });
    const app = withSession(session, (_request, { session }) => Response.json({ user: session.userId }));
    const response = await app(new Request('https://app.example/', { headers: { cookie: '__Host-session=x' } }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ user: null });
    expect(parseSetCookie(response.headers.get('set-cookie')!)).toMatchObject({ name: '__Host-session', maxAge: 0 });
    expect(storeCalls(events)).toEqual([]);
    expect(events.find((event) => event.type === 'cookie-rejected')).toMatchObject({ reason: 'malformed' });
  });
});

describe('FluidAuth fault 2: a stale cookie', () => {
  it('gets one clean response that clears the cookie, written before the response leaves', async () => {
    const { session } = makeSession({ store: new FluidAuthDocsStore() });
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada'));
    const stale = client.header()!;
    await client.visit(session, (handle) => handle.logout());
    const app = withSession(session, () => new Response('hello'));
    const response = await app(new Request('https://app.example/', { headers: { cookie: stale } }));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('hello');
    expect(response.headers.getSetCookie()).toHaveLength(1);
    expect(parseSetCookie(response.headers.get('set-cookie')!)).toMatchObject({ value: '', maxAge: 0 });
  });
});

describe('FluidAuth fault 3: extending an expired session', () => {
  it('an expired session is never extended back to life, even by a store that hands out its own objects', async () => {
    const store = new FluidAuthDocsStore();
    const { session, clock, events } = makeSession({ store, sessionDuration: 10 * MINUTE });
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada'));
    clock.advance(10 * MINUTE);
    const { result } = await client.visit(session, (handle) => handle.isAuthenticated());
    expect(result).toBe(false);
    expect(store.db.size).toBe(0);
    expect(events.filter((event) => event.type === 'session-extended')).toEqual([]);
    expect(events.find((event) => event.type === 'session-expired')).toMatchObject({ reason: 'idle' });
  });

  it('changing the record a request loaded never changes the stored one without update()', async () => {
    const store = new FluidAuthDocsStore();
    const { session } = makeSession({ store });
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada', { role: 'user' }));
    const handle = await session.load({ cookie: client.header(), url: 'https://app.example/' });
    handle.data!['role'] = 'admin';
    const [stored] = [...store.db.values()];
    expect(stored.data).toEqual({ role: 'user' });
  });
});

describe('FluidAuth fault 4: an unparseable expires', () => {
  it('counts as expired on read', async () => {
    const store = new FluidAuthDocsStore();
    const { session, events } = makeSession({ store });
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada'));
    for (const record of store.db.values()) record.expires = 'Tuesday-ish';
    const { result } = await client.visit(session, (handle) => handle.userId);
    expect(result).toBeNull();
    expect(events.find((event) => event.type === 'session-expired')).toMatchObject({ reason: 'unreadable' });
    expect(store.db.size).toBe(0);
  });
});

describe('FluidAuth fault 5: an unauthenticated cookie', () => {
  it('a tampered signature is rejected without a store lookup', async () => {
    const { session, events } = makeSession({ store: new FluidAuthDocsStore() });
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada'));
    const value = client.cookies.get('__Host-session')!;
    const last = value.at(-2) === 'A' ? 'B' : 'A';
    client.cookies.set('__Host-session', `${value.slice(0, -2)}${last}${value.at(-1)}`);
    events.length = 0;
    const { result } = await client.visit(session, (handle) => handle.userId);
    expect(result).toBeNull();
    expect(storeCalls(events)).toEqual([]);
    expect(events.find((event) => event.type === 'cookie-rejected')).toMatchObject({ reason: 'bad-signature' });
  });

  it('a token paired with the signature of another token is rejected', async () => {
    const { session, events } = makeSession();
    const [a, b] = [new CookieClient(), new CookieClient()];
    await a.visit(session, (handle) => handle.login('ada'));
    await b.visit(session, (handle) => handle.login('bob'));
    const [tokenA] = a.cookies.get('__Host-session')!.split('.');
    const [, signatureB] = b.cookies.get('__Host-session')!.split('.');
    a.cookies.set('__Host-session', `${tokenA}.${signatureB}`);
    events.length = 0;
    expect((await a.visit(session, (handle) => handle.userId)).result).toBeNull();
    expect(storeCalls(events)).toEqual([]);
  });
});

describe('FluidAuth fault 6: no rotation at login, partial logout, clean only at start-up', () => {
  it('login rotates the session id', async () => {
    const { session } = makeSession({ store: new FluidAuthDocsStore() });
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada'));
    const { result } = await client.visit(session, async (handle) => {
      const before = handle.id;
      await handle.login('ada');
      return [before, handle.id];
    });
    expect(result[0]).not.toBe(result[1]);
  });

  it('logout clears the cookie with its path and domain', async () => {
    const { session } = makeSession({ cookie: { path: '/shop', domain: 'shop.example' }, name: 'sid' });
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada'), 'https://shop.example/shop/');
    const { setCookie } = await client.visit(session, (handle) => handle.logout(), 'https://shop.example/shop/');
    expect(parseSetCookie(setCookie!)).toMatchObject({ name: 'sid', path: '/shop', domain: 'shop.example', maxAge: 0 });
  });

  it('clean() can be called at any time, not only at start-up', async () => {
    const store = new FluidAuthDocsStore();
    const { session, clock } = makeSession({ store, sessionDuration: MINUTE });
    await new CookieClient().visit(session, (handle) => handle.login('ada'));
    clock.advance(2 * MINUTE);
    // The fixture compares with the real clock; move its record into the real past.
    for (const record of store.db.values()) record.expires = new Date(Date.now() - 1000).toISOString();
    await session.clean();
    expect(store.db.size).toBe(0);
  });
});
