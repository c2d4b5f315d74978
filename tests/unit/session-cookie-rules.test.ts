/**
 * The session cookie's name, prefix rules and Secure flag, as the Session applies them: which
 * options are refused at construction, and what each request's Set-Cookie says.
 */
import { parseSetCookie } from 'cookie';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Session, SessionConfigError } from 'sessionlab';
import { CookieClient, makeSession, SECRET, storeCalls } from '../support/harness.ts';
import { resolveCookieOptions, serializeSessionCookie } from '../../src/session/session-cookie.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

function construct(options: Record<string, unknown>): () => Session {
  return () => new Session({ secret: SECRET, cleanInterval: false, ...options } as never);
}

describe('cookie name prefixes', () => {
  it.each([
    ['a custom path', { path: '/app' }],
    ['a domain', { domain: 'example.com' }],
    ['secure: false', { secure: false }],
  ])('refuses a __Host- name with %s', (_, cookie) => {
    expect(construct({ name: '__Host-id', cookie })).toThrow(SessionConfigError);
    expect(construct({ name: '__Host-id', cookie })).toThrow(/__Host- prefix/);
  });

  it('accepts a __Host- name with the defaults, and sends it Secure, Path=/ and host-only', async () => {
    const session = construct({ name: '__Host-id' })();
    const { setCookie } = await new CookieClient().visit(session, (handle) => handle.login('ada'));
    expect(parseSetCookie(setCookie!)).toMatchObject({ name: '__Host-id', secure: true, path: '/' });
    expect(parseSetCookie(setCookie!).domain).toBeUndefined();
  });

  it('refuses a __Secure- name on a cookie that is never Secure', () => {
    expect(construct({ name: '__Secure-id', cookie: { secure: false } })).toThrow(SessionConfigError);
    expect(construct({ name: '__Secure-id', cookie: { secure: false } })).toThrow(/__Secure- prefix/);
  });

  it.each([true, 'auto'] as const)('accepts a __Secure- name with secure: %s, also with a path and domain', (secure) => {
    expect(construct({ name: '__Secure-id', cookie: { secure, path: '/app', domain: 'example.com' } })).not.toThrow();
  });

  it.each([
    ['__host-id', { domain: 'example.com' }, /__Host- prefix/],
    ['__HOST-id', { path: '/app' }, /__Host- prefix/],
    ['__secure-id', { secure: false }, /__Secure- prefix/],
    ['__SeCuRe-id', { secure: false }, /__Secure- prefix/],
  ])('holds %s to its prefix\'s rules: browsers match the prefixes in any case', (name, cookie, message) => {
    expect(construct({ name, cookie })).toThrow(SessionConfigError);
    expect(construct({ name, cookie })).toThrow(message);
  });

  it('accepts any other valid name with secure: false', () => {
    expect(construct({ name: 'sid', cookie: { secure: false, path: '/app', domain: 'example.com' } })).not.toThrow();
    expect(construct({ name: '__hosted-id', cookie: { secure: false, path: '/app', domain: 'example.com' } })).not.toThrow();
    expect(construct({ name: '__Secured', cookie: { secure: false, path: '/app', domain: 'example.com' } })).not.toThrow();
  });

  it.each([' sid', 'sid ', 's;d', ''])('refuses a name that is not an RFC 6265 token: %j', (name) => {
    expect(construct({ name })).toThrow(/not a valid cookie name/);
  });
});

describe('the default cookie name', () => {
  it.each([
    ['a custom path', { path: '/app' }],
    ['a domain', { domain: 'example.com' }],
  ])('is plain "session" with %s, where the __Host- rules cannot hold', async (_, cookie) => {
    const { session } = makeSession({ cookie });
    const { setCookie } = await new CookieClient().visit(session, (handle) => handle.login('ada'), 'https://app.example/app/');
    expect(parseSetCookie(setCookie!)).toMatchObject({ name: 'session', secure: true });
  });
});

describe('Secure under cookie.secure "auto"', () => {
  it.each([
    'http://localhost:4321/',
    'http://127.0.0.1:8080/login',
    'http://[::1]:3000/',
    'http://localhost?next=/',
    'http://localhost#top',
    'http:///localhost:4321/',
  ])('is off for plain-http local %s', async (url) => {
    const { session } = makeSession();
    const { setCookie } = await new CookieClient().visit(session, (handle) => handle.login('ada'), url);
    const cookie = parseSetCookie(setCookie!);
    expect(cookie.name).toBe('session');
    expect(cookie.secure).toBeFalsy();
  });

  it.each(['https://localhost/', 'http://app.example/', 'http://localhost.example/', 'http://[::2]/', 'not a url'])('is on for %s', async (url) => {
    const { session } = makeSession();
    const { setCookie } = await new CookieClient().visit(session, (handle) => handle.login('ada'), url);
    expect(parseSetCookie(setCookie!)).toMatchObject({ name: '__Host-session', secure: true });
  });

  it('reads a URL object as well as a string', async () => {
    const { session } = makeSession();
    const local = await session.load({ cookie: null, url: new URL('http://localhost:4321/') });
    const remote = await session.load({ cookie: null, url: new URL('https://app.example/') });
    const plainRemote = await session.load({ cookie: null, url: new URL('http://app.example/') });
    expect([local.cookieName, remote.cookieName, plainRemote.cookieName]).toEqual(['session', '__Host-session', '__Host-session']);
  });

  it('counts a request without a URL as https', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { session } = makeSession();
    const handle = await session.load({ cookie: null });
    await handle.login('ada');
    expect(parseSetCookie((await handle.commit())!)).toMatchObject({ name: '__Host-session', secure: true });
  });

  it('answers right for each of many hosts, past the size of its memo', async () => {
    const { session } = makeSession();
    for (let n = 0; n < 150; n++) {
      const local = await session.load({ cookie: null, url: `http://localhost:${3000 + n}/` });
      const remote = await session.load({ cookie: null, url: `http://host-${n}.example/` });
      expect([local.cookieName, remote.cookieName]).toEqual(['session', '__Host-session']);
    }
    // Hosts seen before still get the same answer.
    expect((await session.load({ cookie: null, url: 'http://localhost:3000/' })).cookieName).toBe('session');
    expect((await session.load({ cookie: null, url: 'http://host-0.example/' })).cookieName).toBe('__Host-session');
  });

  it('honours secure: true and secure: false whatever the URL', async () => {
    const always = makeSession({ cookie: { secure: true } }).session;
    const never = makeSession({ cookie: { secure: false } }).session;
    expect((await always.load({ cookie: null, url: 'http://localhost/' })).cookieName).toBe('__Host-session');
    expect((await never.load({ cookie: null, url: 'https://app.example/' })).cookieName).toBe('session');
  });
});

describe('warnings about a cookie that plain-http localhost drops', () => {
  it.each([
    ['SameSite=None', { cookie: { sameSite: 'none' } }, /SameSite=None without Secure/],
    ['a __Host- name', { name: '__Host-id' }, /the name __Host-id, whose prefix requires Secure/],
    ['a __Secure- name', { name: '__Secure-id' }, /the name __Secure-id, whose prefix requires Secure/],
    ['a __secure- name in lower case', { name: '__secure-id' }, /the name __secure-id, whose prefix requires Secure/],
  ] as const)('warns once for %s', async (_, options, reason) => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { session } = makeSession(options as never);
    await session.load({ cookie: null, url: 'http://localhost:4321/' });
    await session.load({ cookie: null, url: 'http://localhost:4321/' });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(reason);
  });

  it('names both reasons when both hold', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { session } = makeSession({ name: '__Secure-id', cookie: { sameSite: 'none' } });
    await session.load({ cookie: null, url: 'http://localhost:4321/' });
    expect(String(warn.mock.calls[0]![0])).toMatch(/SameSite=None without Secure and the name __Secure-id/);
  });

  it('says nothing for the defaults, or over https', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    await makeSession().session.load({ cookie: null, url: 'http://localhost:4321/' });
    await makeSession({ cookie: { sameSite: 'none' } }).session.load({ cookie: null, url: 'https://app.example/' });
    expect(warn).not.toHaveBeenCalled();
  });
});

describe('Set-Cookie attributes', () => {
  it('marks a partitioned cookie Partitioned, when it is set and when it is cleared', async () => {
    const { session } = makeSession({ cookie: { partitioned: true, sameSite: 'none' } });
    const client = new CookieClient();
    const { setCookie } = await client.visit(session, (handle) => handle.login('ada'));
    expect(parseSetCookie(setCookie!).partitioned).toBe(true);
    const cleared = await client.visit(session, (handle) => handle.logout());
    expect(parseSetCookie(cleared.setCookie!)).toMatchObject({ partitioned: true, maxAge: 0 });
  });

  it('is not Partitioned by default', async () => {
    const { session } = makeSession();
    const client = new CookieClient();
    const { setCookie } = await client.visit(session, (handle) => handle.login('ada'));
    expect(setCookie).not.toMatch(/Partitioned/i);
    const cleared = await client.visit(session, (handle) => handle.logout());
    expect(cleared.setCookie).not.toMatch(/Partitioned/i);
  });

  it('clears the cookie with its domain, HttpOnly and SameSite, and an expiry in the past', async () => {
    const { session } = makeSession({ cookie: { domain: 'example.com', sameSite: 'strict' } });
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada'));
    const { setCookie } = await client.visit(session, (handle) => handle.logout());
    const cookie = parseSetCookie(setCookie!);
    expect(cookie).toMatchObject({ name: 'session', value: '', domain: 'example.com', httpOnly: true, sameSite: 'strict', maxAge: 0, secure: true });
    expect(cookie.expires?.getTime()).toBe(0);
  });

  it('leaves HttpOnly off when asked', async () => {
    const { session } = makeSession({ cookie: { httpOnly: false } });
    const { setCookie } = await new CookieClient().visit(session, (handle) => handle.login('ada'));
    expect(setCookie).not.toMatch(/HttpOnly/i);
  });
});

describe('the cookie value', () => {
  it.each([
    ['a character in front', (value: string) => `x${value}`],
    ['a character behind', (value: string) => `${value}x`],
    ['a second signature behind', (value: string) => `${value}.${value.split('.')[1]}`],
    ['the token alone', (value: string) => value.split('.')[0]!],
  ])('with %s is malformed: no session, no store lookup', async (_, change) => {
    const { session, events } = makeSession();
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada'));
    const value = client.cookies.get('__Host-session')!;
    const before = events.length;
    const handle = await session.load({ cookie: `__Host-session=${change(value)}`, url: 'https://app.example/' });
    expect(handle.isAuthenticated()).toBe(false);
    expect(events.slice(before)).toContainEqual(expect.objectContaining({ type: 'cookie-rejected', reason: 'malformed' }));
    expect(storeCalls(events.slice(before))).toEqual([]);
    // The untouched value still works.
    expect((await session.load({ cookie: `__Host-session=${value}`, url: 'https://app.example/' })).userId).toBe('ada');
  });
});

describe('the cookie size guard', () => {
  // The longest Set-Cookie the options can make: an 87-character signed value, a Max-Age of 400 days.
  const longest = (path: string): number =>
    serializeSessionCookie(resolveCookieOptions({ path }), { name: 'session', value: 'x'.repeat(87), secure: true, maxAge: 400 * 24 * 3600 }).length;

  it('counts a persistent cookie\'s Max-Age of up to 400 days', () => {
    const persistent = (path: string): number =>
      serializeSessionCookie(resolveCookieOptions({ path, persistent: true }), { name: 'session', value: 'x'.repeat(87), secure: true, maxAge: 400 * 24 * 3600 }).length;
    const path = `/${'p'.repeat(4096 - persistent('/'))}`;
    expect(persistent(path)).toBe(4096);
    expect(construct({ cookie: { path, persistent: true } })).not.toThrow();
    expect(construct({ cookie: { path: `${path}p`, persistent: true } })).toThrow(/longer than 4096 bytes/);
  });

  it('accepts options whose longest cookie is exactly 4096 bytes, and refuses one byte more', () => {
    const path = `/${'p'.repeat(4096 - longest('/'))}`;
    expect(longest(path)).toBe(4096);
    expect(construct({ cookie: { path } })).not.toThrow();
    expect(construct({ cookie: { path: `${path}p` } })).toThrow(/longer than 4096 bytes/);
  });
});
