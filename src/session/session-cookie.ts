/**
 * The session cookie's attributes, and reading and writing it through the `cookie` package
 * (RFC 6265 parsing and serialisation; we do not hand-write either).
 */
import { parseCookie, stringifySetCookie } from 'cookie';
import { SessionConfigError } from './errors.ts';

/** Attributes of the session cookie. Every default is the safe one. */
export interface SessionCookieOptions {
  /** Default `'/'`. */
  path?: string;
  /** Default: none, so the cookie goes back only to the host that set it. */
  domain?: string;
  /** Default `true`: page scripts cannot read the cookie (OWASP: HttpOnly). */
  httpOnly?: boolean;
  /**
   * Default `'auto'`: Secure on every request except plain-http `localhost`, `127.0.0.1` and `[::1]`,
   * so local development works and nothing else ever sends the cookie in the clear.
   */
  secure?: boolean | 'auto';
  /** Default `'lax'`: not sent on cross-site subrequests or form posts (CSRF), kept on top-level links. */
  sameSite?: 'lax' | 'strict' | 'none';
  /**
   * Default `false`: a browser-session cookie, dropped when the browser closes (OWASP prefers
   * non-persistent session cookies). `true` adds `Max-Age` up to the session's expiry.
   */
  persistent?: boolean;
  /** Default `false`. CHIPS partitioned cookie, for sessions inside third-party iframes. */
  partitioned?: boolean;
}

export interface ResolvedCookieOptions {
  path: string;
  domain: string | undefined;
  httpOnly: boolean;
  secure: boolean | 'auto';
  sameSite: 'lax' | 'strict' | 'none';
  persistent: boolean;
  partitioned: boolean;
}

/** Browsers keep at most about 4096 bytes per cookie (RFC 6265 §6.1). */
export const MAX_COOKIE_BYTES = 4096;
const TOKEN_CHARS = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
/**
 * Headers a proxy adds. A request that carries one did not come straight from a browser on this
 * machine: behind a proxy that ends TLS (whose Host may well be 127.0.0.1) the cookie stays Secure.
 * Anyone can send them, but they can only turn Secure on, never off.
 */
export const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-real-ip', 'via'] as const;

export function resolveCookieOptions(options: SessionCookieOptions & Record<string, unknown> = {}): ResolvedCookieOptions {
  for (const key of ['maxAge', 'expires']) {
    if (key in options) {
      throw new SessionConfigError(
        `cookie.${key} is not an option here.`,
        'The cookie lives as long as the session: set sessionDuration (and cookie.persistent: true for a Max-Age).',
      );
    }
  }
  const resolved: ResolvedCookieOptions = {
    path: options.path ?? '/',
    domain: options.domain,
    httpOnly: options.httpOnly ?? true,
    secure: options.secure ?? 'auto',
    sameSite: options.sameSite ?? 'lax',
    persistent: options.persistent ?? false,
    partitioned: options.partitioned ?? false,
  };
  if (!['lax', 'strict', 'none'].includes(resolved.sameSite)) {
    throw new SessionConfigError(
      `cookie.sameSite ${JSON.stringify(options.sameSite)} is not one of "lax", "strict" or "none".`,
      'Use "lax" (the default) unless you know you need another.',
    );
  }
  if (!['auto', true, false].includes(resolved.secure)) {
    throw new SessionConfigError(`cookie.secure ${JSON.stringify(options.secure)} is not true, false or "auto".`, 'Leave it out: "auto" is the safe default.');
  }
  if (!resolved.path.startsWith('/')) {
    throw new SessionConfigError(`cookie.path "${resolved.path}" must start with "/".`, 'Use "/" for the whole site.');
  }
  if (resolved.sameSite === 'none' && resolved.secure === false) {
    throw new SessionConfigError(
      'cookie.sameSite "none" needs a Secure cookie; browsers drop it otherwise.',
      'Remove cookie.secure: false, or choose sameSite "lax".',
    );
  }
  return resolved;
}

/** Throws when `name` cannot be a cookie name, or its prefix rules are broken. */
export function checkCookieName(name: string, cookie: ResolvedCookieOptions): void {
  if (!TOKEN_CHARS.test(name)) {
    throw new SessionConfigError(
      `The cookie name "${name}" is not a valid cookie name (RFC 6265 token).`,
      'Use letters, digits and - _ . only, e.g. "session".',
    );
  }
  // Browsers match the prefixes whatever their case (RFC 6265bis): __host-s is held to __Host-'s rules.
  const prefix = cookiePrefix(name);
  if (prefix === '__Host-' && (cookie.path !== '/' || cookie.domain !== undefined || cookie.secure === false)) {
    throw new SessionConfigError(
      `The cookie name "${name}" has the __Host- prefix, which browsers accept only with Secure, Path=/ and no Domain.`,
      'Remove cookie.domain and cookie.secure: false and keep path "/", or drop the prefix.',
    );
  }
  if (prefix === '__Secure-' && cookie.secure === false) {
    throw new SessionConfigError(
      `The cookie name "${name}" has the __Secure- prefix, which browsers accept only on a Secure cookie.`,
      'Remove cookie.secure: false, or drop the prefix.',
    );
  }
}

/** The prefix `name` starts with, in any case, that browsers hold to rules: `__Host-`, `__Secure-`, or null. */
export function cookiePrefix(name: string): '__Host-' | '__Secure-' | null {
  const start = name.slice(0, 9).toLowerCase();
  return start.startsWith('__host-') ? '__Host-' : start === '__secure-' ? '__Secure-' : null;
}

/**
 * The session cookie's name on a request: the configured one, or `__Host-session` where the prefix's
 * rules hold (Secure, Path=/, no Domain: the browser then pins the cookie to this host), `session` elsewhere.
 */
export function sessionCookieName(cookie: ResolvedCookieOptions, configured: string | undefined, secure: boolean): string {
  if (configured !== undefined) return configured;
  const hostOnly = secure && cookie.path === '/' && cookie.domain === undefined;
  return hostOnly ? '__Host-session' : 'session';
}

/**
 * Throws when the options cannot make a valid `Set-Cookie` header, or one that browsers would drop
 * for its size (a signed cookie value is 87 characters; the longest Max-Age browsers keep is 400 days).
 */
export function checkCookieSize(cookie: ResolvedCookieOptions, name: string): void {
  let sample: string;
  try {
    sample = serializeSessionCookie(cookie, { name, value: 'x'.repeat(87), secure: true, maxAge: 400 * 24 * 3600 });
  } catch (error) {
    throw new SessionConfigError(
      `The cookie options cannot make a valid Set-Cookie header: ${(error as Error).message}.`,
      'Check cookie.path and cookie.domain (a domain is a host name like "example.com").',
    );
  }
  if (new TextEncoder().encode(sample).length > MAX_COOKIE_BYTES) {
    throw new SessionConfigError(
      `The session cookie would be longer than ${MAX_COOKIE_BYTES} bytes, which browsers drop.`,
      'Shorten the cookie name, path or domain.',
    );
  }
}

/** Whether the cookie is Secure for a request to `url`. */
export function isSecureFor(cookie: ResolvedCookieOptions, url: string | URL | undefined): boolean {
  if (cookie.secure !== 'auto') return cookie.secure;
  if (url === undefined) return true;
  // Most requests in production: no need to parse the URL to know.
  if (typeof url === 'string' && url.startsWith('https://')) return true;
  const authority = typeof url === 'string' ? httpAuthority(url) : null;
  if (authority === null) return isSecureUrl(url);
  // The answer depends on the scheme and host alone, and a server sees few of them: remember it per
  // `http://host[:port]` instead of parsing every request's URL. Bounded, as the host is the client's word.
  let secure = secureByAuthority.get(authority);
  if (secure === undefined) {
    secure = isSecureUrl(authority);
    if (secureByAuthority.size >= AUTHORITY_MEMO) secureByAuthority.clear();
    secureByAuthority.set(authority, secure);
  }
  return secure;
}

const AUTHORITY_MEMO = 64;
const secureByAuthority = new Map<string, boolean>();

function isSecureUrl(url: string | URL): boolean {
  try {
    const { protocol, hostname } = new URL(url);
    return !(protocol === 'http:' && LOCAL_HOSTS.has(hostname));
  } catch {
    return true;
  }
}

/**
 * `http://host[:port]` of an `http://` URL, or null for any other string. The WHATWG URL parser ends
 * an http URL's authority at the first `/`, `\`, `?` or `#`, so this prefix parses to the same
 * scheme and host as the whole URL.
 */
function httpAuthority(url: string): string | null {
  if (!url.startsWith('http://')) return null;
  let end = url.length;
  for (let index = 7; index < url.length; index++) {
    const char = url.charCodeAt(index);
    if (char === 0x2f /* / */ || char === 0x5c /* \ */ || char === 0x3f /* ? */ || char === 0x23 /* # */) {
      end = index;
      break;
    }
  }
  // `http:///host` is read as `http://host`: leave a URL whose host begins with a slash to the parser.
  return end === 7 ? null : url.slice(0, end);
}

/**
 * The value of cookie `name` in a `Cookie` header, or undefined, as `parseCookie(header)[name]`
 * answers it. Never throws. The parser reads a header as pairs separated by `;` (a value holds no
 * `;`), the first pair with a name winning; so only the pairs where `name` occurs are handed to it,
 * in order, and a header full of other cookies (analytics, preferences) is not parsed and decoded
 * whole on every request for the one this needs.
 */
export function readCookie(header: string | null | undefined, name: string): string | undefined {
  if (!header) return undefined;
  try {
    let from = 0;
    for (;;) {
      const at = header.indexOf(name, from);
      if (at === -1) return undefined;
      const start = header.lastIndexOf(';', at) + 1;
      const semicolon = header.indexOf(';', at);
      const end = semicolon === -1 ? header.length : semicolon;
      // The pair holds the name somewhere: as its name, or inside a value or a longer name.
      const value = parseCookie(header.slice(start, end))[name];
      if (value !== undefined || semicolon === -1) return value;
      from = end + 1;
    }
  } catch {
    return undefined;
  }
}

export interface CookieWrite {
  name: string;
  value: string;
  secure: boolean;
  /** Seconds until the cookie should expire; only written for persistent cookies. */
  maxAge?: number;
}

/** A `Set-Cookie` value that stores the session cookie. */
export function serializeSessionCookie(cookie: ResolvedCookieOptions, write: CookieWrite): string {
  return stringifySetCookie({
    name: write.name,
    value: write.value,
    path: cookie.path,
    ...(cookie.domain === undefined ? {} : { domain: cookie.domain }),
    httpOnly: cookie.httpOnly,
    secure: write.secure,
    sameSite: cookie.sameSite,
    ...(cookie.partitioned ? { partitioned: true } : {}),
    ...(cookie.persistent && write.maxAge !== undefined ? { maxAge: Math.max(0, Math.floor(write.maxAge)) } : {}),
  });
}

/**
 * A `Set-Cookie` value that removes the session cookie. It repeats the path and domain it was set
 * with: a browser only replaces a cookie with the same name, path and domain.
 */
export function serializeClearCookie(cookie: ResolvedCookieOptions, name: string, secure: boolean): string {
  return stringifySetCookie({
    name,
    value: '',
    path: cookie.path,
    ...(cookie.domain === undefined ? {} : { domain: cookie.domain }),
    httpOnly: cookie.httpOnly,
    secure,
    sameSite: cookie.sameSite,
    ...(cookie.partitioned ? { partitioned: true } : {}),
    maxAge: 0,
    expires: new Date(0),
  });
}
