/**
 * The shapes a session store keeps.
 *
 * `ISessionData` is FluidAuth's record, unchanged, so a store written for FluidAuth compiles against
 * Session Lab. `SessionRecord` is what Session Lab actually writes: the same three fields plus what
 * absolute expiry, application data and safe updates need. Stores persist records whole.
 */

/** A value a session store can keep: anything that survives `JSON.stringify` / `JSON.parse`. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Application data carried by a session. */
export type SessionData = { [key: string]: JsonValue };

/** FluidAuth's session record: the store key, the signed-in user, and when the session ends. */
export interface ISessionData {
  /** The store key. Session Lab stores a SHA-256 hash of the cookie token here, never the token. */
  sessionId: string;
  /** Who is signed in, as returned by `serializeUser` (or passed to `login`). */
  userId: string;
  /** When the session ends, as an ISO 8601 UTC string (`2026-01-01T00:00:00.000Z`). */
  expires: string;
}

/** The record Session Lab writes. A superset of `ISessionData`, so FluidAuth stores keep it as is. */
export interface SessionRecord<Data extends SessionData = SessionData> extends ISessionData {
  /** When the session was created (ISO 8601); the absolute lifetime is counted from here. */
  createdAt: string;
  /** Application data (a cart, preferences...). Kept as a whole with the record. */
  data: Data;
  /** Increases by one with every update; lets stores detect concurrent writes. */
  version: number;
  /**
   * Names the session on a "Your devices" page and for `revokeDevice()`: 128 random bits, unrelated
   * to the token and the store key. Kept by `regenerate()`; a record written before it existed gets
   * one on its next write.
   */
  publicId?: string;
  /** The last real sign-in (ISO 8601): `login()` or `reauthenticate()`. Absent: not fresh. */
  authenticatedAt?: string;
  /** When the session was last used (ISO 8601), to within `devices.lastSeenEvery`. Only with the `devices` option. */
  lastSeenAt?: string;
  /** What the `devices` option asks to keep of the browser that holds the session. */
  device?: DeviceDetails;
}

/** Device details a record may keep, each only when the application asks for it. */
export interface DeviceDetails {
  /** The `User-Agent` header (at most 512 characters). */
  userAgent?: string;
  /** The client's IP address: its network only under `ip: 'coarse'`. */
  ip?: string;
}

/** A value or a promise of it: every store method may answer either way. */
export type Awaitable<T> = T | Promise<T>;

/** Where "now" comes from. Inject one in tests or simulations; defaults to `Date.now`. */
export interface Clock {
  now(): number;
  /**
   * Optional. Resolves after `ms` of this clock's time. The Session waits with it between retries of
   * a write that lost a race; without it, it waits with `setTimeout`. A simulated clock offers it so
   * that waiting moves simulated time.
   */
  sleep?(ms: number): Promise<void>;
}

export const systemClock: Clock = { now: () => Date.now() };
