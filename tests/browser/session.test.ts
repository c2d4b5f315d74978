/** The core library in a real browser: WebCrypto, Request/Response and the conformance suite, in Chromium. */
import { describe, expect, it } from 'vitest';
import { MemoryStore, Session } from 'sessionlab';
import { handleWithSession, withSession, type SessionContext } from 'sessionlab/fetch';
import { FluidAuthDocsStore } from '../fixtures/fluidauth-docs-store.js';
import { describeConformance } from '../support/conformance.ts';

const SECRET = 'browser-secret-that-is-long-enough-01';

describe('in the browser', () => {
  it('runs in a real browser engine, not Node', () => {
    expect(typeof window).toBe('object');
    expect(navigator.userAgent).toMatch(/Chrome\//);
    expect(typeof process === 'undefined' || !process.versions?.node).toBe(true);
  });

  it('serves a login, a read and a logout through handleWithSession, the cookie handed back apart', async () => {
    const session = new Session({ secret: SECRET, cleanInterval: false });
    const handler = async (request: Request, { session }: SessionContext): Promise<Response> => {
      const path = new URL(request.url).pathname;
      if (path === '/login') await session.login('ada');
      if (path === '/logout') await session.logout();
      return Response.json({ user: session.userId });
    };
    const login = await handleWithSession(session, new Request('https://lab.example/login', { method: 'POST' }), handler);
    expect(login.setCookie).toMatch(/^__Host-session=[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
    const cookie = login.setCookie!.split(';')[0]!;
    // Browsers drop a Cookie header from page-built Requests: the cookie travels beside the request.
    const me = await handleWithSession(session, new Request('https://lab.example/me'), handler, { cookie });
    expect(await me.response.json()).toEqual({ user: 'ada' });
    const logout = await handleWithSession(session, new Request('https://lab.example/logout', { method: 'POST' }), handler, { cookie });
    expect(logout.setCookie).toMatch(/Max-Age=0/);
    const after = await handleWithSession(session, new Request('https://lab.example/me'), handler, { cookie });
    expect(await after.response.json()).toEqual({ user: null });
  });

  it('withSession refuses to start where Responses drop Set-Cookie, and says what to use instead', () => {
    const session = new Session({ secret: SECRET, cleanInterval: false });
    expect(() => withSession(session, () => new Response('hi'))).toThrow(/drops Set-Cookie.*handleWithSession/);
  });

  it('turns a forged cookie away without asking the store', async () => {
    const session = new Session({ secret: SECRET, cleanInterval: false });
    const calls: string[] = [];
    session.on('store-call', (event) => calls.push(event.method));
    const handle = await session.load({ cookie: `__Host-session=${'A'.repeat(43)}.${'B'.repeat(43)}`, url: 'https://lab.example/' });
    expect(handle.isAuthenticated()).toBe(false);
    expect(calls).toEqual([]);
  });
});

describeConformance('MemoryStore (browser)', { createStore: () => new MemoryStore() });
describeConformance('FluidAuth docs store (browser)', {
  createStore: () => new FluidAuthDocsStore(),
  expectFailures: {
    'get-expired': /expected null/,
    'copies-out': /previous get\(\) handed out/,
    'copies-in': /given to create\(\)/,
    'clean-unreadable-expiry': /not a date/,
    'create-duplicate': /succeeded/,
    'clean-count': /returned undefined/,
    'compare-and-set': /no compareAndSet\(\): concurrent changes .* overwrite each other/,
    'compare-and-set-concurrent': /no compareAndSet/,
    'list-by-user': /no listByUser/,
    'all-records': /no all\(\)/,
  },
});
