/**
 * The two cookie configuration mistakes that show only with a request, each said once per Session
 * on the console: they are right in production, so they cannot be refused at construction.
 */
import { cookiePrefix, type ResolvedCookieOptions } from './session-cookie.ts';

export class CookieWarnings {
  readonly #cookie: ResolvedCookieOptions;
  readonly #cookieName: (secure: boolean) => string;
  /** Warnings already given: each is said once per Session. */
  readonly #warned = new Set<'no-url' | 'insecure-cookie'>();

  constructor(cookie: ResolvedCookieOptions, cookieName: (secure: boolean) => string) {
    this.#cookie = cookie;
    this.#cookieName = cookieName;
  }

  /** Without the URL, 'auto' assumes https (the safe side): on plain-http localhost the browser drops the Secure cookie. */
  reportNoUrl(): void {
    this.#warnOnce(
      'no-url',
      `sessionlab: Session.load() got no url, so under cookie.secure 'auto' it treats the request as https: the cookie is Secure and named ${this.#cookieName(true)}, and a browser on http://localhost drops it. Pass { cookie, url: request.url }, or set cookie.secure to true or false.`,
    );
  }

  /**
   * 'auto' leaves Secure off on plain-http localhost. SameSite=None and the __Host- / __Secure-
   * prefixes all require Secure, so there the browser drops the cookie. Right in production, they
   * cannot be refused at construction: the first request they fail on says so.
   */
  reportDroppedCookie(name: string): void {
    const reasons: string[] = [];
    if (this.#cookie.sameSite === 'none') reasons.push('SameSite=None without Secure');
    if (cookiePrefix(name) !== null) reasons.push(`the name ${name}, whose prefix requires Secure`);
    if (reasons.length === 0) return;
    this.#warnOnce(
      'insecure-cookie',
      `sessionlab: on plain http (localhost) cookie.secure 'auto' sends the session cookie without Secure, and browsers drop a cookie with ${reasons.join(' and ')}. Use sameSite 'lax' and a name without a __Host- or __Secure- prefix for local development, or serve it over https.`,
    );
  }

  #warnOnce(kind: 'no-url' | 'insecure-cookie', message: string): void {
    if (this.#warned.has(kind)) return;
    this.#warned.add(kind);
    console.warn(message);
  }
}
