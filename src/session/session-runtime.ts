/**
 * What a `SessionHandle` needs from its `Session`, and how a request arrived. Internal: built by
 * `Session`, read by the handle and the modules it delegates to.
 */
import type { CommitBudget } from './commit-budget.ts';
import type { DeviceSession } from './devices.ts';
import type { SessionEvents } from './session-events.ts';
import type { StoreCaller } from './store-caller.ts';
import type { Clock, DeviceDetails, ISessionData, SessionData, SessionRecord } from './types.ts';

/** What a new session carries over from the one it replaces. */
export interface Carried {
  /** The creation time to keep (regenerate); a new one when absent. */
  createdAt?: string | undefined;
  /** The public id to keep (same device); a new one when absent. */
  publicId?: string | undefined;
  /** The last real sign-in; none when null (not fresh). */
  authenticatedAt: string | null;
  lastSeenAt?: string | undefined;
  device?: DeviceDetails | undefined;
}

/** What a handle needs from its Session. */
export interface SessionRuntime {
  readonly store: StoreCaller;
  readonly events: SessionEvents;
  readonly clock: Clock;
  /** A fresh token and the record stored under its hash. Rejects when no key can sign it. */
  mint(userId: string, data: SessionData, carried: Carried): Promise<{ token: string; record: SessionRecord }>;
  /** The expiry a session would get if extended now (capped by its absolute lifetime). */
  extendedExpiry(record: SessionRecord): number;
  /** Why `record` has ended by now, or null while it lives. */
  expiredReason(record: SessionRecord): 'idle' | 'absolute' | 'unreadable' | null;
  /** A stored record with every field the Session needs filled in. */
  normalize(stored: ISessionData): SessionRecord;
  /** Before a write: gives the record a public id when it has none, and its lastSeenAt and device when the Session keeps them. */
  stamp(record: SessionRecord, device: DeviceDetails | null): void;
  /** The bounds of one commit, starting now. */
  commitBudget(): CommitBudget;
  /** `Set-Cookie` values for this request's cookie name and Secure flag. */
  setCookie(token: string, record: SessionRecord, secure: boolean): Promise<string>;
  clearCookie(secure: boolean): string;
  cookieName(secure: boolean): string;
  revokeAll(userId: string, except?: string): Promise<number>;
  devicesOf(userId: string): Promise<DeviceSession[]>;
  revokeDevice(userId: string, publicId: string): Promise<boolean>;
}

/** How a request arrived, as far as its session goes. Built by `Session.load`. */
export interface LoadedState {
  record: SessionRecord | null;
  token: string | null;
  /** The request carried a session cookie (valid or not): a logout or a stale cookie must clear it. */
  hadCookie: boolean;
  /** The cookie was signed by a key that no longer signs: write it again, signed by the current one. */
  reissue: boolean;
  /** The new expiry when the session is due for extension. */
  extendTo: number | null;
  /** The session's lastSeenAt is older than the `devices` option's interval: write it even if nothing else is. */
  lastSeenDue: boolean;
  /** The request's device details the Session keeps (read when first needed), or null when it keeps none. */
  device: (() => DeviceDetails) | null;
  secure: boolean;
}
