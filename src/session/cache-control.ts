/**
 * Shared caches and the session cookie. A response that sets (or clears) the session cookie carries
 * it in a header: a shared cache (a CDN, a reverse proxy) that stored that response would hand the
 * cookie, and with it the session, to the next visitor who asks for the same URL. OWASP's session
 * cheat sheet asks for `Cache-Control: no-store` on such responses. The adapters add it when the
 * route set no Cache-Control, and replace one that lets a shared cache store the response (a route
 * that asked for `public, max-age=3600` and also touched the session), saying so once per Session.
 * A CDN reads its own targeted header (RFC 9213's `CDN-Cache-Control` and the vendors' forms, such as
 * `Cloudflare-CDN-Cache-Control`; `Surrogate-Control`) instead of Cache-Control: one the route set
 * is judged the same way.
 */
import type { Session } from './session.ts';

/** Sent with a response that sets the session cookie, when the route's own header is missing or unsafe. */
const SESSION_CACHE_CONTROL = 'no-store';

/** One directive: a name, and a value that is a quoted string (which may hold commas) or a token. */
const DIRECTIVE = /([!#$%&'*+.^_`|~\w-]+)\s*(?:=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*)))?/g;

/**
 * The Cache-Control to send with a response that sets the session cookie, given the one the route
 * set (`undefined` for none): `null` keeps the route's own. Only `no-store`, or `private` without
 * `public`, keeps every shared cache from storing the response (RFC 9111, 5.2.2); `no-cache`,
 * `max-age` and the rest let one store it and answer others after revalidation. A `private` that
 * names fields (`private="authorization"`) keeps only those from shared caches: it counts only when
 * it names `Set-Cookie`.
 */
export function sessionCacheControl(current: string | undefined): string | null {
  if (current === undefined) return SESSION_CACHE_CONTROL;
  const directives = new Map<string, string | null>();
  for (const [, name, quoted, bare] of current.matchAll(DIRECTIVE)) directives.set(name!.toLowerCase(), quoted ?? bare ?? null);
  if (directives.has('no-store')) return null;
  const fields = directives.get('private');
  const keepsTheCookie = fields === null || (fields !== undefined && fields.split(',').some((field) => field.trim().toLowerCase() === 'set-cookie'));
  return keepsTheCookie && !directives.has('public') ? null : SESSION_CACHE_CONTROL;
}

const warned = new WeakSet<Session<any>>();

/** Says once per Session that a route's Cache-Control (or a CDN's own header) was replaced, and why. */
function warnReplaced(session: Session<any>, name: string, replaced: string): void {
  if (warned.has(session)) return;
  warned.add(session);
  console.warn(
    `sessionlab: a response that sets the session cookie had ${name} "${replaced}", which lets a shared cache store the cookie and hand the session to other visitors; it was sent with "${SESSION_CACHE_CONTROL}" instead. Keep routes that are meant to be cached from changing the session, or mark them private.`,
  );
}

/** Whether a header is Cache-Control for CDNs only, which they read instead of Cache-Control. */
function isCdnCacheControl(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.endsWith('cdn-cache-control') || lower === 'surrogate-control';
}

/** A response's headers, as an adapter reads and writes them. */
export interface ResponseHeaders {
  /** Every header name it has, in any case. */
  names(): Iterable<string>;
  /** A header's value as it will be sent (`undefined` for none). */
  get(name: string): string | undefined;
  set(name: string, value: string): void;
}

/**
 * Applies both to a response about to set the session cookie: its Cache-Control (added when
 * missing) and each CDN's own header it has.
 */
export function keepFromSharedCaches(session: Session<any>, headers: ResponseHeaders): void {
  judge(session, headers, 'Cache-Control');
  for (const name of [...headers.names()]) if (isCdnCacheControl(name)) judge(session, headers, name);
}

function judge(session: Session<any>, headers: ResponseHeaders, name: string): void {
  const current = headers.get(name);
  const replacement = sessionCacheControl(current);
  if (replacement === null) return;
  if (current !== undefined) warnReplaced(session, name, current);
  headers.set(name, replacement);
}
