/**
 * The simulated browser's cookie jar. MSW does not give mocked responses real cookie semantics (it
 * keeps "HttpOnly" cookies in localStorage, readable by any script), so the Lab keeps the browser's
 * cookies here, on tough-cookie (RFC 6265 parsing, domain and path matching, Secure, HttpOnly and
 * prefix rules), and adds what a jar on a virtual clock and Chromium's behaviour need:
 *
 * - expiry on the virtual clock: Max-Age counts from when the cookie arrived (RFC 6265 §5.3 step 3),
 *   lifetimes are capped at 400 days (RFC 6265bis, as Chromium does), and a cookie whose time has
 *   passed is gone, also when the time passed in a jump;
 * - SameSite as Chromium applies it: a cookie without SameSite is Lax ("Lax by default"), so a
 *   cross-site request carries only `SameSite=None` cookies, and those must be Secure;
 * - Secure cookies over https, and over plain http on localhost and loopback addresses, which
 *   Chromium treats as secure contexts.
 *
 * Set-Cookie values reach this jar only: never MSW, never `document.cookie`.
 */
import { Cookie, CookieJar as ToughCookieJar, MemoryCookieStore, getPublicSuffix } from 'tough-cookie';
import type { Clock } from '../session/index.ts';
import type { BrowserId, JarCookie } from './protocol.ts';

/** Browsers keep at most about 4096 bytes of name and value per cookie (RFC 6265bis §5.6). */
const MAX_COOKIE_BYTES = 4096;
/** Chromium caps a cookie's lifetime at 400 days (RFC 6265bis §5.5, "cookie-max-age-limit"). */
const MAX_LIFETIME_MS = 400 * 24 * 60 * 60 * 1000;

/** A cookie-value as RFC 6265 §4.1.1 allows it (cookie-octets, without the optional double quotes). */
const COOKIE_VALUE = /^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*$/;

/** What happened to a cookie in the jar. */
export interface JarChange {
  step: 'stored' | 'removed' | 'expired' | 'rejected' | 'edited' | 'planted';
  name: string;
  /** Why a cookie was rejected. */
  detail?: string;
  /** The browser a planted cookie came from. */
  from?: BrowserId;
}

/** Who makes a request: decides whether it is same-site (SameSite rules). */
export interface RequestContext {
  /** The URL of the page that sends the request. Default: a page of the request's own site. */
  initiator?: string | URL;
}

export interface CookieJarOptions {
  /** Where "now" comes from for expiry (the Lab's virtual clock). */
  clock: Clock;
}

/** The cookies a request carries. */
export interface OutgoingCookies {
  /** The `Cookie` header value, or null when no cookie goes with the request. */
  header: string | null;
  names: string[];
  /** The same cookies as name and value, for a reader of the request that is not the server (the load balancer). */
  pairs: { name: string; value: string }[];
}

/**
 * A browser's cookie jar on a clock of your choice.
 *
 * @example
 * const jar = new CookieJar({ clock });
 * jar.receive('session=abc; Path=/; HttpOnly; Max-Age=60', 'http://localhost/api/login');
 * jar.cookiesFor('http://localhost/api/account').header; // 'session=abc'
 */
export class CookieJar {
  readonly #clock: Clock;
  readonly #store = new MemoryCookieStore();
  readonly #jar = new ToughCookieJar(this.#store, {
    // Browsers refuse __Host- and __Secure- cookies that break their prefix's rules (RFC 6265bis §4.1.3).
    prefixSecurity: 'strict',
    // Chromium treats localhost and loopback addresses as secure contexts, plain http included.
    allowSecureOnLocal: true,
    enforceSecureOriginOnStorage: true,
    rejectPublicSuffixes: true,
    allowSpecialUseDomain: true,
  });
  readonly #listeners = new Set<(change: JarChange) => void>();

  constructor(options: CookieJarOptions) {
    this.#clock = options.clock;
  }

  /**
   * Stores the cookie of one `Set-Cookie` value received from `url`, as a browser would. Returns what
   * changed (also reported to listeners), or null when nothing did (an expired cookie the jar did not hold).
   */
  receive(setCookie: string, url: string | URL, context: RequestContext = {}): JarChange | null {
    return this.#receive(setCookie, url, context);
  }

  /**
   * Puts `cookie`, taken from another browser's jar, into this one as if `url` had set it: what an
   * attacker does who gets a victim's browser to hold the attacker's cookie (session fixation). Reported
   * as `planted`; refused like any cookie the browser would refuse.
   */
  plant(cookie: JarCookie, url: string | URL, from: BrowserId): JarChange | null {
    const attributes = [
      `${cookie.name}=${cookie.value}`,
      `Path=${cookie.path}`,
      cookie.httpOnly ? 'HttpOnly' : '',
      cookie.secure ? 'Secure' : '',
      cookie.sameSite === 'unset' ? '' : `SameSite=${capitalize(cookie.sameSite)}`,
      cookie.expires === null ? '' : `Expires=${new Date(cookie.expires).toUTCString()}`,
    ];
    return this.#receive(attributes.filter(Boolean).join('; '), url, {}, from);
  }

  /** Removes every cookie, without a word to listeners: whoever empties a jar says so. */
  clear(): void {
    for (const cookie of this.#all()) this.#remove(cookie);
  }

  /** Stores a cookie received from `url`, or planted from browser `from`. */
  #receive(setCookie: string, url: string | URL, context: RequestContext, from?: BrowserId): JarChange | null {
    const now = this.#clock.now();
    const cookie = Cookie.parse(setCookie);
    if (!cookie) return this.#emit({ step: 'rejected', name: nameOf(setCookie), detail: 'The Set-Cookie value cannot be parsed (RFC 6265 §5.2).' });
    const problem = chromiumProblem(cookie);
    if (problem) return this.#emit({ step: 'rejected', name: cookie.key, detail: problem });
    const sameSite = sameSiteContext(url, context);
    if (sameSite === 'none' && cookie.sameSite !== 'none') {
      return this.#emit({
        step: 'rejected',
        name: cookie.key,
        detail: `A cross-site response cannot set a SameSite=${cookie.sameSite ? capitalize(cookie.sameSite) : 'Lax (the default)'} cookie; only SameSite=None; Secure cookies cross sites.`,
      });
    }
    const expiry = expiryOf(cookie, now);
    if (expiry !== null) {
      // Fixed at arrival: tough-cookie counts Max-Age from the last access, and on the real clock.
      cookie.expires = new Date(expiry);
      cookie.maxAge = null;
    }
    const held = new Set(this.#all().map(keyOf));
    let stored: Cookie | undefined;
    try {
      stored = this.#jar.setCookieSync(cookie, url, { now: new Date(now), http: true, sameSiteContext: sameSite });
    } catch (error) {
      return this.#emit({ step: 'rejected', name: cookie.key, detail: error instanceof Error ? `${error.message}.` : String(error) });
    }
    if (!stored) return this.#emit({ step: 'rejected', name: cookie.key, detail: 'The browser ignored it.' });
    if (expiry !== null && expiry <= now) {
      // An expiry in the past is how a server deletes a cookie (RFC 6265 §3.1).
      this.#remove(stored);
      return held.has(keyOf(stored)) ? this.#emit({ step: 'removed', name: stored.key }) : null;
    }
    return this.#emit(from === undefined ? { step: 'stored', name: stored.key } : { step: 'planted', name: stored.key, from });
  }

  /** The cookies a request to `url` carries, HttpOnly ones included (it is the browser sending them). */
  cookiesFor(url: string | URL, context: RequestContext = {}): OutgoingCookies {
    this.sweep();
    const sameSite = sameSiteContext(url, context);
    const cookies = this.#jar
      .getCookiesSync(url, { http: true, expire: false, sameSiteContext: sameSite, sort: true })
      // tough-cookie sends SameSite-less cookies cross-site; Chromium treats them as Lax and does not.
      .filter((cookie) => sameSite === 'strict' || cookie.sameSite === 'none');
    return {
      header: cookies.length === 0 ? null : cookies.map((cookie) => cookie.cookieString()).join('; '),
      names: cookies.map((cookie) => cookie.key),
      pairs: cookies.map((cookie) => ({ name: cookie.key, value: cookie.value })),
    };
  }

  /** What page script at `url` reads from `document.cookie`: never an HttpOnly cookie. */
  scriptCookies(url: string | URL): string {
    this.sweep();
    return this.#jar
      .getCookiesSync(url, { http: false, expire: false, sort: true })
      .map((cookie) => cookie.cookieString())
      .join('; ');
  }

  /**
   * Changes the value of the cookie called `name` (the oldest, if several share the name), keeping
   * its attributes, as a person can in their own browser's developer tools. Throws when there is no
   * such cookie, or when `value` is not a cookie value (RFC 6265 §4.1.1: no spaces, quotes, commas,
   * semicolons or backslashes) or would make the cookie too long.
   */
  edit(name: string, value: string): JarChange {
    this.sweep();
    const cookie = this.#all().find((candidate) => candidate.key === name);
    if (!cookie) throw new Error(`The browser has no cookie called ${JSON.stringify(name)}.`);
    if (!COOKIE_VALUE.test(value)) {
      throw new Error('A cookie value may hold only printable ASCII without spaces, double quotes, commas, semicolons or backslashes.');
    }
    if (new TextEncoder().encode(name + value).length > MAX_COOKIE_BYTES) throw new Error(`A cookie's name and value may be at most ${MAX_COOKIE_BYTES} bytes.`);
    const edited = cookie.clone();
    if (!edited) throw new Error(`The cookie ${JSON.stringify(name)} could not be copied.`);
    edited.value = value;
    this.#store.updateCookie(cookie, edited, (error) => {
      if (error) throw error;
    });
    const before = cookie.value;
    return this.#emit({ step: 'edited', name, detail: `By hand: ${shortened(before)} became ${shortened(value)}.` });
  }

  /** Removes the cookies whose time has passed on the clock; returns (and reports) them. */
  sweep(): JarChange[] {
    const now = this.#clock.now();
    const changes: JarChange[] = [];
    for (const cookie of this.#all()) {
      if (cookie.expires instanceof Date && cookie.expires.getTime() <= now) {
        this.#remove(cookie);
        changes.push(this.#emit({ step: 'expired', name: cookie.key }));
      }
    }
    return changes;
  }

  /** Every cookie the browser holds, oldest first: the browser's view, HttpOnly cookies included. */
  cookies(): JarCookie[] {
    this.sweep();
    return this.#all().map((cookie) => ({
      name: cookie.key,
      value: cookie.value,
      domain: cookie.domain ?? '',
      path: cookie.path ?? '/',
      httpOnly: cookie.httpOnly,
      secure: cookie.secure,
      sameSite: sameSiteOf(cookie),
      expires: cookie.expires instanceof Date ? cookie.expires.toISOString() : null,
    }));
  }

  /** Calls `listener` for every change. Returns an unsubscribe function. */
  on(listener: (change: JarChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #all(): Cookie[] {
    let cookies: Cookie[] = [];
    // MemoryCookieStore answers its callbacks synchronously.
    this.#store.getAllCookies((error, found) => {
      if (error) throw error;
      cookies = found ?? [];
    });
    return cookies;
  }

  #remove(cookie: Cookie): void {
    this.#store.removeCookie(cookie.domain ?? '', cookie.path ?? '/', cookie.key, () => {});
  }

  #emit(change: JarChange): JarChange {
    for (const listener of this.#listeners) listener(change);
    return change;
  }
}

/** Why Chromium would refuse this cookie outright, or null. */
function chromiumProblem(cookie: Cookie): string | null {
  if (new TextEncoder().encode(cookie.key + cookie.value).length > MAX_COOKIE_BYTES) {
    return `Its name and value are longer than ${MAX_COOKIE_BYTES} bytes.`;
  }
  if (cookie.sameSite === 'none' && !cookie.secure) return 'SameSite=None cookies must be Secure; Chromium rejects them otherwise.';
  return null;
}

/** The cookie's expiry as ms on the clock, or null for a browser-session cookie. */
function expiryOf(cookie: Cookie, now: number): number | null {
  const expiry = cookie.expiryTime(new Date(now));
  if (expiry === undefined || expiry === Infinity) return null;
  // Max-Age=0 or less gives -Infinity: the earliest time there is (RFC 6265 §5.2.2).
  return Math.min(Math.max(expiry, 0), now + MAX_LIFETIME_MS);
}

/**
 * 'strict' when the initiator and the target are the same site (same scheme and registrable domain,
 * "schemeful same-site" as Chromium has it), 'none' otherwise. A `fetch()` is never a top-level
 * navigation, so a cross-site one gets no Lax cookies.
 */
function sameSiteContext(url: string | URL, context: RequestContext): 'strict' | 'none' {
  if (context.initiator === undefined) return 'strict';
  return siteOf(new URL(context.initiator)) === siteOf(new URL(url)) ? 'strict' : 'none';
}

function siteOf(url: URL): string {
  let registrable: string | undefined;
  try {
    registrable = getPublicSuffix(url.hostname, { allowSpecialUseDomain: true, ignoreError: true }) ?? undefined;
  } catch {
    registrable = undefined;
  }
  // IP addresses and single-label hosts are their own site.
  return `${url.protocol}//${registrable ?? url.hostname}`;
}

function sameSiteOf(cookie: Cookie): JarCookie['sameSite'] {
  const value = cookie.sameSite?.toLowerCase();
  return value === 'strict' || value === 'lax' || value === 'none' ? value : 'unset';
}

function keyOf(cookie: Cookie): string {
  return `${cookie.domain ?? ''}\n${cookie.path ?? ''}\n${cookie.key}`;
}

function nameOf(setCookie: string): string {
  const end = setCookie.search(/[=;]/);
  return (end === -1 ? setCookie : setCookie.slice(0, end)).trim();
}

/** The start of a value, enough to see a change near its beginning. */
function shortened(value: string): string {
  return value.length > 12 ? `${value.slice(0, 12)}…` : value || '(empty)';
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
}
