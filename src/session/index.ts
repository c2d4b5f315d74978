/**
 * `sessionlab`: sessions with FluidAuth's store contract, done properly.
 * Web standards only: runs in browsers, workers, Node 22+, Deno and Bun.
 */
export { Session } from './session.ts';
export { SessionHandle } from './session-handle.ts';
export { SessionEvents } from './session-events.ts';
export { BaseSessionStore } from './stores/base-session-store.ts';
export { MemoryStore, MemoryStoreError } from './stores/memory-store.ts';
export { SessionConfigError, SessionStoreError, StoreError, STORE_ERROR_REASONS, describeError } from './errors.ts';
export { systemClock } from './types.ts';
export { requireFreshSignIn } from './freshness.ts';

export type { SessionRequest } from './session.ts';
export type { SessionOptions } from './session-options.ts';
export type { SessionKey, SessionSecret } from './key-ring.ts';
export type { DeviceOptions, DeviceSession } from './devices.ts';
export type { FreshSignIn, FreshnessSubject } from './freshness.ts';
export type { SessionCookieOptions } from './session-cookie.ts';
export type { SessionEvent, SessionEventType, SessionEventOf, UnstampedSessionEvent, CookieRejection, CookieIssue } from './session-events.ts';
export type { MemoryStoreOptions } from './stores/memory-store.ts';
export type { StoreMethod, StoreFailure, StoreErrorReason } from './errors.ts';
export type { RandomSource } from './session-token.ts';
export type { Awaitable, Clock, DeviceDetails, ISessionData, JsonValue, SessionData, SessionRecord } from './types.ts';
