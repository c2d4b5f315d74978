/**
 * The simulated browser's cookie jar: RFC 6265 attributes as Chromium applies them, with expiry on
 * the Lab's virtual clock. Where page script can observe the real browser's rule (document.cookie),
 * a test checks that this Chromium agrees with the jar.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CookieJar, type JarChange } from '../../src/sim/cookie-jar.ts';
import { VirtualClock } from '../../src/sim/virtual-clock.ts';

const SECOND = 1000;
const DAY = 24 * 60 * 60 * SECOND;
const START = Date.UTC(2026, 0, 1, 12, 0, 0);

const SITE = 'https://lab.example';
const LOCAL = 'http://localhost:4321';

interface JarUnderTest {
  jar: CookieJar;
  clock: VirtualClock;
  changes: JarChange[];
}

/** A jar on a virtual clock whose real time stands still (only jumps move it). */
function newJar(): JarUnderTest {
  const clock = new VirtualClock({ realNow: () => START });
  const jar = new CookieJar({ clock });
  const changes: JarChange[] = [];
  jar.on((change) => changes.push(change));
  return { jar, clock, changes };
}

function sent(jar: CookieJar, url: string, initiator?: string): string | null {
  return jar.cookiesFor(url, initiator === undefined ? {} : { initiator }).header;
}

/** Cookies this test set on the real page, removed after each test. */
const realCookies: string[] = [];
afterEach(() => {
  for (const name of realCookies.splice(0)) {
    document.cookie = `${name}=; Max-Age=0; Path=/`;
    document.cookie = `${name}=; Max-Age=0; Path=/; Secure`;
  }
});

/** Whether this Chromium stores `setCookie` written by page script here (an http://localhost page). */
function realBrowserStores(name: string, setCookie: string): boolean {
  realCookies.push(name);
  document.cookie = setCookie;
  return document.cookie.split('; ').some((pair) => pair.startsWith(`${name}=`));
}

describe('CookieJar', () => {
  it('sends a stored cookie back to the same host and path, and reports it stored', () => {
    const { jar, changes } = newJar();
    const change = jar.receive('session=abc; Path=/; HttpOnly; SameSite=Lax', `${SITE}/api/login`);
    expect(change).toEqual({ step: 'stored', name: 'session' });
    expect(changes).toEqual([{ step: 'stored', name: 'session' }]);
    // The pairs are for the load balancer, which reads its own cookie from what the browser sends.
    expect(jar.cookiesFor(`${SITE}/api/account`)).toEqual({ header: 'session=abc', names: ['session'], pairs: [{ name: 'session', value: 'abc' }] });
    expect(sent(jar, 'https://other.example/api/account')).toBeNull();
  });

  it('replaces a cookie with the same name, domain and path', () => {
    const { jar } = newJar();
    jar.receive('session=old; Path=/', `${SITE}/`);
    jar.receive('session=new; Path=/', `${SITE}/`);
    expect(sent(jar, `${SITE}/`)).toBe('session=new');
    expect(jar.cookies()).toHaveLength(1);
  });

  describe('Path', () => {
    it('sends a cookie only under its path', () => {
      const { jar } = newJar();
      jar.receive('scoped=1; Path=/api', `${SITE}/api/login`);
      expect(sent(jar, `${SITE}/api/cart`)).toBe('scoped=1');
      expect(sent(jar, `${SITE}/apix`)).toBeNull();
      expect(sent(jar, `${SITE}/`)).toBeNull();
    });

    it('defaults to the directory of the request path when there is none', () => {
      const { jar } = newJar();
      jar.receive('scoped=1', `${SITE}/session-lab/api/login`);
      expect(jar.cookies()[0]?.path).toBe('/session-lab/api');
    });
  });

  describe('HttpOnly', () => {
    it('is sent with requests, since the browser sends it', () => {
      const { jar } = newJar();
      jar.receive('session=secret-token; Path=/; HttpOnly', `${SITE}/api/login`);
      expect(sent(jar, `${SITE}/api/account`)).toBe('session=secret-token');
      expect(jar.cookies()[0]).toMatchObject({ name: 'session', httpOnly: true });
    });

    it('is never visible to page script', () => {
      const { jar } = newJar();
      jar.receive('session=secret-token; Path=/; HttpOnly', `${SITE}/api/login`);
      jar.receive('theme=dark; Path=/', `${SITE}/api/login`);
      expect(jar.scriptCookies(`${SITE}/`)).toBe('theme=dark');
    });
  });

  describe('Secure', () => {
    it('is stored from https and sent only over https', () => {
      const { jar } = newJar();
      expect(jar.receive('s=1; Path=/; Secure', `${SITE}/`)?.step).toBe('stored');
      expect(sent(jar, `${SITE}/`)).toBe('s=1');
      expect(sent(jar, 'http://lab.example/')).toBeNull();
    });

    it('is rejected from plain http, with the reason', () => {
      const { jar, changes } = newJar();
      const change = jar.receive('s=1; Path=/; Secure', 'http://lab.example/');
      expect(change).toMatchObject({ step: 'rejected', name: 's', detail: expect.stringMatching(/Secure/) });
      expect(changes).toEqual([change]);
      expect(jar.cookies()).toEqual([]);
    });

    it.each(['http://localhost:4321', 'http://127.0.0.1:4321'])('is stored and sent over plain http on %s, as Chromium does', (origin) => {
      const { jar } = newJar();
      expect(jar.receive('s=1; Path=/; Secure', `${origin}/api/login`)?.step).toBe('stored');
      expect(sent(jar, `${origin}/api/account`)).toBe('s=1');
    });

    it('agrees with this Chromium, which stores a Secure cookie on plain-http localhost', () => {
      expect(location.protocol).toBe('http:');
      expect(location.hostname).toBe('localhost');
      expect(realBrowserStores('sim-secure-probe', 'sim-secure-probe=1; Path=/; Secure')).toBe(true);
      expect(newJar().jar.receive('sim-secure-probe=1; Path=/; Secure', location.href)?.step).toBe('stored');
    });
  });

  describe('SameSite', () => {
    const PAGE = `${SITE}/lab/`;
    const CROSS = 'https://elsewhere.example/';

    it('sends every cookie on a same-site request', () => {
      const { jar } = newJar();
      jar.receive('strict=1; Path=/; SameSite=Strict', `${SITE}/`);
      jar.receive('lax=1; Path=/; SameSite=Lax', `${SITE}/`);
      jar.receive('unset=1; Path=/', `${SITE}/`);
      jar.receive('none=1; Path=/; SameSite=None; Secure', `${SITE}/`);
      expect(jar.cookiesFor(`${SITE}/api/account`, { initiator: PAGE }).names.sort()).toEqual(['lax', 'none', 'strict', 'unset']);
    });

    it('treats a subdomain of the same registrable domain as the same site', () => {
      const { jar } = newJar();
      jar.receive('strict=1; Path=/; SameSite=Strict', `${SITE}/`);
      expect(sent(jar, `${SITE}/`, 'https://docs.lab.example/page')).toBe('strict=1');
    });

    it('sends only SameSite=None cookies cross-site: no SameSite means Lax, as in Chromium', () => {
      const { jar } = newJar();
      jar.receive('strict=1; Path=/; SameSite=Strict', `${SITE}/`);
      jar.receive('lax=1; Path=/; SameSite=Lax', `${SITE}/`);
      jar.receive('unset=1; Path=/', `${SITE}/`);
      jar.receive('none=1; Path=/; SameSite=None; Secure', `${SITE}/`);
      expect(jar.cookiesFor(`${SITE}/api/account`, { initiator: CROSS }).names).toEqual(['none']);
    });

    it('counts another scheme as another site (schemeful same-site)', () => {
      const { jar } = newJar();
      jar.receive('lax=1; Path=/; SameSite=Lax', `${SITE}/`);
      expect(sent(jar, `${SITE}/`, 'http://lab.example/')).toBeNull();
    });

    it('rejects a SameSite=None cookie that is not Secure', () => {
      const { jar } = newJar();
      const change = jar.receive('none=1; Path=/; SameSite=None', `${SITE}/`);
      expect(change).toMatchObject({ step: 'rejected', detail: expect.stringMatching(/must be Secure/) });
    });

    it('agrees with this Chromium, which refuses SameSite=None without Secure', () => {
      expect(realBrowserStores('sim-none-probe', 'sim-none-probe=1; Path=/; SameSite=None')).toBe(false);
      expect(realBrowserStores('sim-none-secure-probe', 'sim-none-secure-probe=1; Path=/; SameSite=None; Secure')).toBe(true);
    });

    it('rejects a Lax or SameSite-less cookie set by a cross-site response', () => {
      const { jar } = newJar();
      expect(jar.receive('lax=1; Path=/; SameSite=Lax', `${SITE}/`, { initiator: CROSS })).toMatchObject({ step: 'rejected' });
      expect(jar.receive('unset=1; Path=/', `${SITE}/`, { initiator: CROSS })).toMatchObject({ step: 'rejected', detail: expect.stringMatching(/Lax \(the default\)/) });
      expect(jar.receive('none=1; Path=/; SameSite=None; Secure', `${SITE}/`, { initiator: CROSS })?.step).toBe('stored');
      expect(jar.cookies().map((cookie) => cookie.name)).toEqual(['none']);
    });
  });

  describe('cookie prefixes', () => {
    it('rejects a __Host- cookie that is not Secure, or has a Path other than /', () => {
      const { jar } = newJar();
      expect(jar.receive('__Host-session=1; Path=/', `${SITE}/`)?.step).toBe('rejected');
      expect(jar.receive('__Host-session=1; Path=/api; Secure', `${SITE}/`)?.step).toBe('rejected');
      expect(jar.receive('__Host-session=1; Path=/; Secure', `${SITE}/`)?.step).toBe('stored');
    });

    it('agrees with this Chromium, which refuses a __Host- cookie without Secure', () => {
      expect(realBrowserStores('__Host-sim-probe', '__Host-sim-probe=1; Path=/')).toBe(false);
    });
  });

  it('rejects what cannot be parsed, naming the cookie when it can', () => {
    const { jar } = newJar();
    expect(jar.receive('', `${SITE}/`)).toMatchObject({ step: 'rejected' });
    expect(jar.receive(`big=${'x'.repeat(5000)}`, `${SITE}/`)).toMatchObject({ step: 'rejected', name: 'big', detail: expect.stringMatching(/4096 bytes/) });
  });

  describe('expiry on the virtual clock', () => {
    it('counts Max-Age from arrival and drops the cookie once that much virtual time has passed', () => {
      const { jar, clock, changes } = newJar();
      jar.receive('short=1; Path=/; Max-Age=60', `${SITE}/`);
      expect(jar.cookies()[0]?.expires).toBe(new Date(START + 60 * SECOND).toISOString());
      clock.jump(59 * SECOND);
      expect(sent(jar, `${SITE}/`)).toBe('short=1');
      clock.jump(1 * SECOND);
      expect(sent(jar, `${SITE}/`)).toBeNull();
      expect(changes).toEqual([
        { step: 'stored', name: 'short' },
        { step: 'expired', name: 'short' },
      ]);
    });

    it('reports a cookie that expired in a jump when swept, once', () => {
      const { jar, clock } = newJar();
      jar.receive('short=1; Path=/; Max-Age=60', `${SITE}/`);
      clock.jump(DAY);
      expect(jar.sweep()).toEqual([{ step: 'expired', name: 'short' }]);
      expect(jar.sweep()).toEqual([]);
      expect(jar.cookies()).toEqual([]);
    });

    it('reads Expires on the virtual clock: a date still ahead in real time may already be past', () => {
      const { jar, clock } = newJar();
      clock.jump(2 * DAY);
      const tomorrowInRealTime = new Date(START + DAY).toUTCString();
      expect(jar.receive(`late=1; Path=/; Expires=${tomorrowInRealTime}`, `${SITE}/`)).toBeNull();
      expect(jar.cookies()).toEqual([]);
      const dayAfterInVirtualTime = new Date(START + 3 * DAY).toUTCString();
      expect(jar.receive(`soon=1; Path=/; Expires=${dayAfterInVirtualTime}`, `${SITE}/`)?.step).toBe('stored');
    });

    it('removes a held cookie when the server sends it again with Max-Age=0 (how servers delete cookies)', () => {
      const { jar, changes } = newJar();
      jar.receive('session=abc; Path=/; HttpOnly', `${SITE}/`);
      const change = jar.receive('session=; Path=/; HttpOnly; Max-Age=0', `${SITE}/`);
      expect(change).toEqual({ step: 'removed', name: 'session' });
      expect(changes.at(-1)).toEqual({ step: 'removed', name: 'session' });
      expect(jar.cookies()).toEqual([]);
    });

    it('keeps a cookie without Max-Age or Expires for the browser session, whatever the clock says', () => {
      const { jar, clock } = newJar();
      jar.receive('session=abc; Path=/', `${SITE}/`);
      clock.jump(1000 * DAY);
      expect(sent(jar, `${SITE}/`)).toBe('session=abc');
      expect(jar.cookies()[0]?.expires).toBeNull();
    });

    it('caps a lifetime at 400 days, as Chromium does', () => {
      const { jar } = newJar();
      jar.receive(`long=1; Path=/; Max-Age=${10 * 365 * 24 * 3600}`, `${SITE}/`);
      expect(jar.cookies()[0]?.expires).toBe(new Date(START + 400 * DAY).toISOString());
    });

    it('lets nothing expire while the clock is paused', () => {
      let real = START;
      const clock = new VirtualClock({ realNow: () => real });
      const jar = new CookieJar({ clock });
      jar.receive('short=1; Path=/; Max-Age=1', `${SITE}/`);
      clock.pause();
      real += DAY;
      expect(sent(jar, `${SITE}/`)).toBe('short=1');
      clock.resume();
      real += 2 * SECOND;
      expect(sent(jar, `${SITE}/`)).toBeNull();
    });
  });

  it('lists cookies as the browser holds them', () => {
    const { jar } = newJar();
    jar.receive('session=abc; Path=/; HttpOnly; SameSite=Strict; Max-Age=3600', `${LOCAL}/api/login`);
    jar.receive('theme=dark; Path=/', `${LOCAL}/`);
    expect(jar.cookies()).toEqual([
      { name: 'session', value: 'abc', domain: 'localhost', path: '/', httpOnly: true, secure: false, sameSite: 'strict', expires: new Date(START + 3600 * SECOND).toISOString() },
      { name: 'theme', value: 'dark', domain: 'localhost', path: '/', httpOnly: false, secure: false, sameSite: 'unset', expires: null },
    ]);
  });
});
