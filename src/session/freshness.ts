/**
 * Freshness: how recently the user really signed in (a login, or a re-authentication such as a
 * password prompt), as opposed to how recently the session was used. A sensitive action (changing
 * the password or e-mail, paying, deleting the account) should require a recent sign-in, so that a
 * session left open on a shared computer, or stolen, cannot do it (OWASP ASVS V3.7.1, OWASP
 * Session Management: re-authenticate before sensitive operations).
 */

/** What `requireFreshSignIn()` needs of a handle. */
export interface FreshnessSubject {
  isAuthenticated(): boolean;
  isFresh(maxAgeMs: number): boolean;
}

/** The answer of `requireFreshSignIn()`: go ahead, or the status and reason to answer with. */
export type FreshSignIn =
  | { ok: true }
  | { ok: false; status: 401 | 403; reason: 'signed-out' | 'stale-sign-in'; message: string };

/** Throws a TypeError for a maximum age that is not a positive, finite number of milliseconds. */
export function checkMaxAge(maxAgeMs: number): void {
  if (typeof maxAgeMs !== 'number' || !Number.isFinite(maxAgeMs) || maxAgeMs <= 0) {
    throw new TypeError(`The maximum age of a sign-in must be a positive number of milliseconds, got ${JSON.stringify(maxAgeMs)}; for example 5 * 60_000.`);
  }
}

/**
 * Whether a sign-in at `authenticatedAt` is less than `maxAgeMs` old at `now`. False when it is
 * unknown or unreadable, and when it lies further in the future than `maxAgeMs` (a damaged record
 * must not stay fresh for ever; a little clock skew between servers is tolerated).
 */
export function isFreshAt(authenticatedAt: string | null, now: number, maxAgeMs: number): boolean {
  checkMaxAge(maxAgeMs);
  if (authenticatedAt === null) return false;
  const age = now - Date.parse(authenticatedAt);
  return Math.abs(age) < maxAgeMs;
}

/**
 * Guards a sensitive action: `{ ok: true }` when the request's user signed in (or re-authenticated)
 * less than `maxAgeMs` ago; otherwise a 401 (`signed-out`: send them to sign in) or a 403
 * (`stale-sign-in`: ask for their password again, then call `handle.reauthenticate()`), with a
 * message to show. Framework-free: turn the answer into a response with your framework.
 *
 * @example
 * const fresh = requireFreshSignIn(handle, 5 * 60_000);
 * if (!fresh.ok) return Response.json({ error: fresh.reason, message: fresh.message }, { status: fresh.status });
 * Docs: Sessions › Managing sessions (/sessions/managing-sessions/).
 */
export function requireFreshSignIn(handle: FreshnessSubject, maxAgeMs: number): FreshSignIn {
  checkMaxAge(maxAgeMs);
  if (!handle.isAuthenticated()) {
    return { ok: false, status: 401, reason: 'signed-out', message: 'Sign in to continue.' };
  }
  if (!handle.isFresh(maxAgeMs)) {
    return { ok: false, status: 403, reason: 'stale-sign-in', message: 'Confirm your password to continue: your last sign-in is too long ago for this action.' };
  }
  return { ok: true };
}
