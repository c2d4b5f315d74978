/**
 * `Session`: FluidAuth's session manager, redone. It reads a request's cookie, finds the session in a
 * store, expires and extends it, and tells adapters which cookie to send back.
 */
import { CommitBudget } from './commit-budget.ts';
import { SessionConfigError, SessionStoreError } from './errors.ts';
import {
  checkCookieName,
  checkCookieSize,
  isSecureFor,
  readCookie,
  resolveCookieOptions,
  serializeClearCookie,
  serializeSessionCookie,
  sessionCookieName,
  type ResolvedCookieOptions,
  type SessionCookieOptions,
} from './session-cookie.ts';
import { SessionEvents, type SessionEvent, type SessionEventOf, type SessionEventType } from './session-events.ts';
import { checkOptions, type SessionOptions } from './session-options.ts';
import { SessionHandle } from './session-handle.ts';
import type { LoadedState, SessionRuntime } from './session-runtime.ts';
import { lazyDeviceOf, generatePublicId, type CheckedDevices, type DeviceSession } from './devices.ts';
import { lastSeenDue, listDevices, revokeDevice, stampRecord } from './session-devices.ts';
import { KeyRing } from './key-ring.ts';
import { revokeSessions } from './revocation.ts';
import { defaultRandom, generateToken, hashToken, signToken, type RandomSource } from './session-token.ts';
import { StoreCaller } from './store-caller.ts';
import { ParsedTimes } from './parsed-times.ts';
import { VerifiedCookies, type VerifiedCookie } from './verified-cookies.ts';
import { RecordNormalizer } from './record-normalizer.ts';
import { CookieWarnings } from './cookie-warnings.ts';
import { MemoryStore } from './stores/memory-store.ts';
import type { BaseSessionStore } from './stores/base-session-store.ts';
import { systemClock, type Clock, type ISessionData, type SessionData, type SessionRecord } from './types.ts';

/** How many verified cookie values a Session remembers (about 200 bytes each). */
const VERIFIED_COOKIE_MEMO = 10_000;
/** How many parsed record times a Session remembers (about 100 bytes each). */
const PARSED_TIMES_MEMO = 10_000;

/** What the Session needs to know about a request. */
export interface SessionRequest {
  /** The request's `Cookie` header. */
  cookie: string | null | undefined;
  /**
   * The request URL: decides whether the cookie is Secure under `cookie.secure: 'auto'`. Without it
   * the request counts as https (Secure, `__Host-` name), and `load()` warns once on the console.
   */
  url?: string | URL;
  /** It came through a proxy (Forwarded, X-Forwarded-*, X-Real-IP or Via): under 'auto', Secure even on http://localhost. */
  forwarded?: boolean;
  /** The request's `User-Agent` header: kept only under the `devices: { userAgent: true }` option. */
  userAgent?: string | null;
  /** The client's IP address: kept only under the `devices: { ip }` option (coarse or full). */
  ip?: string | null;
}

/**
 * `session.load(request)` as the adapters call it: the handle itself when nothing had to wait, else
 * a promise of it; throws what `load` rejects with. Internal: not exported from the package.
 */
export let loadNow: <Data extends SessionData>(session: Session<Data>, request: SessionRequest) => SessionHandle<Data> | Promise<SessionHandle<Data>>;

/**
 * Sessions for one application.
 *
 * @example
 * const session = new Session({ secret: process.env.SESSION_SECRET! });
 * const handle = await session.load({ cookie: request.headers.get('cookie'), url: request.url });
 * if (!handle.isAuthenticated()) await handle.login('user-42');
 * const setCookie = await handle.commit(); // add to the response when not null
 */
export class Session<Data extends SessionData = SessionData> {
  /** The store sessions live in. */
  readonly store: BaseSessionStore<any>;
  /** Every store call and session step, as typed events. */
  readonly events: SessionEvents;
  readonly sessionDuration: number;
  readonly absoluteDuration: number;

  readonly #name: string | undefined;
  readonly #cookie: ResolvedCookieOptions;
  readonly #ring: KeyRing;
  readonly #devices: CheckedDevices | null;
  readonly #extend: boolean;
  readonly #threshold: number;
  readonly #clock: Clock;
  readonly #random: RandomSource;
  readonly #caller: StoreCaller;
  readonly #storeTimeout: number;
  readonly #commitTimeout: number;
  readonly #runtime: SessionRuntime;
  readonly #verified = new VerifiedCookies(VERIFIED_COOKIE_MEMO);
  readonly #time = new ParsedTimes(PARSED_TIMES_MEMO);
  readonly #records: RecordNormalizer;
  readonly #warnings: CookieWarnings;
  #cleaning: Promise<number | null> | null = null;
  #timers: ReturnType<typeof setTimeout>[] = [];

  constructor(options: SessionOptions) {
    const config = checkOptions(options);
    this.sessionDuration = config.sessionDuration;
    this.absoluteDuration = config.absoluteDuration;
    this.#threshold = config.threshold;
    this.#storeTimeout = config.storeTimeout;
    this.#commitTimeout = config.commitTimeout;
    this.#extend = options.extendSessionBeforeExpiry ?? true;
    this.#cookie = resolveCookieOptions(options.cookie as (SessionCookieOptions & Record<string, unknown>) | undefined);
    this.#name = options.name;
    if (options.name !== undefined) checkCookieName(options.name, this.#cookie);
    checkCookieSize(this.#cookie, this.#cookieName(true));
    this.#clock = options.clock ?? systemClock;
    this.events = new SessionEvents(this.#clock);
    this.#records = new RecordNormalizer(this.events, this.#time, this.absoluteDuration);
    this.#warnings = new CookieWarnings(this.#cookie, (secure) => this.#cookieName(secure));
    this.#random = options.random ?? defaultRandom;
    this.store = options.store ?? new MemoryStore({ clock: this.#clock });
    this.#ring = new KeyRing(config.keys, this.#clock.now());
    this.#devices = config.devices;
    this.#caller = new StoreCaller(this.store, this.events, config.storeTimeout);
    this.#runtime = this.#makeRuntime();
    if (config.cleanInterval !== false) this.#startCleaning(config.cleanInterval);
  }

  /** Listens to events of one type (or `'*'` for all). Returns an unsubscribe function. */
  on<T extends SessionEventType | '*'>(
    type: T,
    listener: (event: T extends SessionEventType ? SessionEventOf<T> : SessionEvent) => void,
  ): () => void {
    return this.events.on(type, listener);
  }

  /**
   * The session of a request. Never throws for a bad cookie (garbage, forged, expired: all mean "no
   * session", and the cookie is cleared on commit). Rejects with `SessionStoreError` when the store fails.
   */
  load(request: SessionRequest): Promise<SessionHandle<Data>> {
    try {
      return Promise.resolve(this.#load(request)); // a pending load's own promise, or a resolved one
    } catch (error) {
      return Promise.reject(error);
    }
  }

  static {
    // The adapters' way in. A `load` replaced on the instance (a wrapper that measures, logs or slows
    // loads) or overridden in a subclass is the one that runs.
    loadNow = (session, request) => (session.load === Session.prototype.load ? session.#load(request) : session.load(request));
  }

  /**
   * `load`'s steps, with no promise where nothing waits: a cookie verified before (the memo) and a
   * store that answers at once (MemoryStore) give the handle itself, after one clock read. What has
   * to wait (a first verification, a store's promise, deleting an expired record) goes on in a promise.
   */
  #load(request: SessionRequest): SessionHandle<Data> | Promise<SessionHandle<Data>> {
    if (request.url === undefined && this.#cookie.secure === 'auto') this.#warnings.reportNoUrl();
    const secure = isSecureFor(this.#cookie, request.url) || (this.#cookie.secure === 'auto' && request.forwarded === true);
    const name = this.#cookieName(secure);
    if (!secure && this.#cookie.secure === 'auto') this.#warnings.reportDroppedCookie(name);
    const value = readCookie(request.cookie, name);
    const device = this.#devices && lazyDeviceOf(request, this.#devices);
    const state: LoadedState = { record: null, token: null, hadCookie: value !== undefined, reissue: false, extendTo: null, lastSeenDue: false, device, secure };
    if (value === undefined) return new SessionHandle<Data>(this.#runtime, state);
    const remembered = this.#verified.get(value);
    if (remembered !== undefined) return this.#find(remembered, state, name);
    return this.#verified.verify(value, this.#ring.cryptoKeys).then((verified) => this.#find(verified, state, name));
  }

  /** The session a verified (or refused) cookie names. */
  #find(verified: VerifiedCookie | 'malformed' | 'bad-signature', state: LoadedState, name: string): SessionHandle<Data> | Promise<SessionHandle<Data>> {
    const now = this.#clock.now();
    // A remembered value too is checked against its key's window: the key may have retired since.
    const rejected = typeof verified === 'string' ? verified : this.#ring.refusal(verified.keyIndex, now);
    if (typeof verified === 'string' || rejected !== null) {
      this.events.emit({ type: 'cookie-rejected', name, reason: rejected! });
      return new SessionHandle<Data>(this.#runtime, state);
    }
    const stored = this.#caller.getNow(verified.sessionId);
    if (stored instanceof Promise) return stored.then((found) => this.#open(found, verified, state, name, this.#clock.now()));
    return this.#open(stored, verified, state, name, now);
  }

  /** The handle for the record the store answered, as of `now`. */
  #open(stored: ISessionData | null, verified: VerifiedCookie, state: LoadedState, name: string, now: number): SessionHandle<Data> | Promise<SessionHandle<Data>> {
    const { sessionId } = verified;
    if (!stored) {
      this.events.emit({ type: 'cookie-rejected', name, reason: 'unknown-session' });
      return new SessionHandle<Data>(this.#runtime, state);
    }
    const record = this.#records.normalize(stored);
    const expired = this.#expiredReason(record, now);
    if (expired) {
      this.events.emit({ type: 'session-expired', sessionId, userId: record.userId, reason: expired });
      const deleted = this.#caller.delete(sessionId).catch((error: unknown) => this.events.background(error));
      return deleted.then(() => new SessionHandle<Data>(this.#runtime, state));
    }
    if (this.events.wants('session-loaded')) this.events.emit({ type: 'session-loaded', sessionId, userId: record.userId, expires: record.expires });
    state.record = record;
    state.token = verified.token;
    // Signed by a key that no longer signs (an older secret, or before a scheduled rotation): move it onto the current one.
    state.reissue = verified.keyIndex !== this.#ring.signingIndex(now);
    state.lastSeenDue = lastSeenDue(record, now, this.#devices);
    // A lastSeenAt write extends too (it costs nothing more): the two throttles then stay in step,
    // one write a minute, where apart they would drift into two.
    state.extendTo = this.#dueExtension(record, now, state.lastSeenDue);
    return new SessionHandle<Data>(this.#runtime, state);
  }

  /**
   * Every live session of `userId`, newest first. Needs a store with `listByUser` (MemoryStore,
   * IndexedDBStore, SqliteStore and RedisStore have it).
   */
  async sessionsOf(userId: string): Promise<SessionRecord<Data>[]> {
    this.#requireListing('sessionsOf');
    const now = this.#clock.now();
    const records = (await this.#caller.listByUser(userId))
      .map((record) => this.#records.normalize(record))
      .filter((record) => record.userId === userId && this.#expiredReason(record, now) === null);
    return records.sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt)) as SessionRecord<Data>[];
  }

  /**
   * Signs `userId` out everywhere: deletes every one of their sessions (but `except`, usually the
   * current one). Resolves to how many were deleted. Use it after a password change.
   *
   * A session regenerated while this runs is caught too: `regenerate()` keeps the sign-in time
   * (`createdAt`), so its successor belongs to a revoked lineage, and this lists again until two
   * listings in a row find nothing of it. `regenerate()` in turn gives up its successor when its
   * source is gone by then. No store call is added to ordinary requests.
   */
  async revokeAll(userId: string, options: { except?: string } = {}): Promise<number> {
    this.#requireListing('revokeAll');
    const started = this.#clock.now();
    const lineages = new Set<string>();
    const revoked = await revokeSessions(userId, {
      operation: 'revokeAll',
      caller: this.#caller,
      normalize: (record) => this.#records.normalize(record),
      // Signed in before the revocation began (by this clock), or a successor of a session revoked here
      // (the same createdAt, whatever the clock of the process that regenerated it).
      select: (record) => record.sessionId !== options.except && (lineages.has(record.createdAt) || !(Date.parse(record.createdAt) > started)),
      revoking: (record) => lineages.add(record.createdAt),
      done: (sessionIds) => this.events.emit({ type: 'sessions-revoked', userId, sessionIds }),
    });
    return revoked.length;
  }

  /**
   * The live sessions of `userId` as their user may see them on a "Your devices" page, newest first:
   * public id, sign-in and creation times, expiry, and the device details the `devices` option
   * keeps. Never a store key, token or data. Needs a store with `listByUser`.
   *
   * @example
   * const devices = await session.devicesOf('user-42');
   * // [{ publicId: 'q3…', createdAt: '…', authenticatedAt: '…', lastSeenAt: null, expires: '…', userAgent: null, ip: null }]
   */
  async devicesOf(userId: string): Promise<DeviceSession[]> {
    this.#requireListing('devicesOf');
    return listDevices(this.#deviceContext(), await this.sessionsOf(userId));
  }

  /**
   * Signs one device of `userId` out: deletes the session whose public id is `publicId`. Resolves
   * to true when it did, false (revoking nothing) when no session with that public id belongs to
   * `userId`: a user can never revoke another user's session. Needs a store with `listByUser`.
   */
  async revokeDevice(userId: string, publicId: string): Promise<boolean> {
    this.#requireListing('revokeDevice');
    return revokeDevice(this.#deviceContext(), userId, publicId);
  }

  #deviceContext(): Parameters<typeof listDevices>[0] {
    return { caller: this.#caller, events: this.events, random: this.#random, normalize: (record) => this.#records.normalize(record) };
  }

  #requireListing(operation: string): void {
    if (!this.#caller.canListByUser) {
      throw new SessionConfigError(
        `${operation}() needs a store that can list a user's sessions, and this store has no listByUser().`,
        'Use MemoryStore, IndexedDBStore, SqliteStore or RedisStore, or add listByUser(userId) backed by an index on userId to your store.',
      );
    }
  }

  /** Removes expired sessions now. Resolves to the count when the store reports one. */
  clean(): Promise<number | null> {
    this.#cleaning ??= this.#runClean().finally(() => (this.#cleaning = null));
    return this.#cleaning;
  }

  /** Stops automatic cleaning. The Session still serves requests. */
  close(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers = [];
  }

  async #runClean(): Promise<number | null> {
    const started = this.#clock.now();
    try {
      const removed = await this.#caller.clean();
      this.events.emit({ type: 'clean', removed, durationMs: this.#clock.now() - started, outcome: 'ok' });
      return removed;
    } catch (error) {
      const failure = error instanceof SessionStoreError ? error.failure : 'failed';
      this.events.emit({ type: 'clean', removed: null, durationMs: this.#clock.now() - started, outcome: failure });
      throw error;
    }
  }

  #startCleaning(intervalMs: number): void {
    const run = (): void => void this.clean().catch((error: unknown) => this.events.background(error));
    // At start (after the constructor returns, so listeners attached right away see it), then on the interval.
    const first = setTimeout(run, 0);
    const every = setInterval(run, intervalMs);
    for (const timer of [first, every]) {
      // In Node, an unref'd timer never keeps the process alive on its own.
      (timer as { unref?: () => void }).unref?.();
      this.#timers.push(timer);
    }
  }

  #expiredReason(record: SessionRecord, now: number): 'idle' | 'absolute' | 'unreadable' | null {
    const expires = this.#time.of(record.expires);
    // An unreadable expiry is expired: never let a record we cannot date live forever.
    if (Number.isNaN(expires)) return 'unreadable';
    if (expires <= now) return 'idle';
    if (this.#time.of(record.createdAt) + this.absoluteDuration <= now) return 'absolute';
    return null;
  }

  #dueExtension(record: SessionRecord, now: number, writing: boolean): number | null {
    if (!this.#extend) return null;
    const expires = this.#time.of(record.expires);
    if (!writing && expires - now >= this.#threshold) return null;
    const next = this.#extendedExpiry(record, now);
    return next > expires ? next : null;
  }

  #extendedExpiry(record: SessionRecord, now: number): number {
    return Math.min(now + this.sessionDuration, this.#time.of(record.createdAt) + this.absoluteDuration);
  }

  #cookieName(secure: boolean): string {
    return sessionCookieName(this.#cookie, this.#name, secure);
  }

  #makeRuntime(): SessionRuntime {
    return {
      store: this.#caller,
      events: this.events,
      clock: this.#clock,
      mint: async (userId, data, carried) => {
        const now = this.#clock.now();
        // Refuse before anything is stored: a session whose cookie cannot be signed must not exist.
        if (this.#ring.signingIndex(now) === -1) await this.#ring.signingKey(now);
        const token = generateToken(this.#random);
        const created = carried.createdAt ?? new Date(now).toISOString();
        const expires = Math.min(now + this.sessionDuration, Date.parse(created) + this.absoluteDuration);
        const record: SessionRecord = {
          sessionId: await hashToken(token),
          userId,
          expires: new Date(expires).toISOString(),
          createdAt: created,
          data,
          version: 0,
          publicId: carried.publicId ?? generatePublicId(this.#random),
        };
        if (carried.authenticatedAt !== null) record.authenticatedAt = carried.authenticatedAt;
        if (carried.lastSeenAt !== undefined) record.lastSeenAt = carried.lastSeenAt;
        if (carried.device !== undefined) record.device = carried.device;
        return { token, record };
      },
      extendedExpiry: (record) => this.#extendedExpiry(record, this.#clock.now()),
      expiredReason: (record) => this.#expiredReason(record, this.#clock.now()),
      normalize: (stored) => this.#records.normalize(stored),
      stamp: (record, device) => stampRecord(record, this.#clock.now(), this.#devices, device, this.#random),
      commitBudget: () => new CommitBudget({ clock: this.#clock, random: this.#random, commitTimeout: this.#commitTimeout, storeTimeout: this.#storeTimeout }),
      setCookie: async (token, record, secure) => {
        const key = await this.#ring.signingKey(this.#clock.now());
        return serializeSessionCookie(this.#cookie, {
          name: this.#cookieName(secure),
          value: await signToken(token, key),
          secure,
          maxAge: (Date.parse(record.expires) - this.#clock.now()) / 1000,
        });
      },
      clearCookie: (secure) => serializeClearCookie(this.#cookie, this.#cookieName(secure), secure),
      revokeAll: (userId, except) => this.revokeAll(userId, except === undefined ? {} : { except }),
      cookieName: (secure) => this.#cookieName(secure),
      devicesOf: (userId) => this.devicesOf(userId),
      revokeDevice: (userId, publicId) => this.revokeDevice(userId, publicId),
    };
  }
}
