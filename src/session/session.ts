/**
 * `Session`: FluidAuth's session manager, redone. It reads a request's cookie, finds the session in a
 * store, expires and extends it, and tells adapters which cookie to send back.
 */
import { CommitBudget } from './commit-budget.ts';
import { SessionConfigError, SessionStoreError, describeError } from './errors.ts';
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
import { SessionEvents, type RecordField, type SessionEvent, type SessionEventOf, type SessionEventType } from './session-events.ts';
import { checkOptions, type SessionOptions } from './session-options.ts';
import { SessionHandle, type LoadedState, type SessionRuntime } from './session-handle.ts';
import { defaultRandom, generateToken, hashToken, importSecrets, signToken, type RandomSource } from './session-token.ts';
import { StoreCaller } from './store-caller.ts';
import { ParsedTimes } from './parsed-times.ts';
import { VerifiedCookies } from './verified-cookies.ts';
import { MemoryStore } from './stores/memory-store.ts';
import type { BaseSessionStore } from './stores/base-session-store.ts';
import { systemClock, type Clock, type ISessionData, type SessionData, type SessionRecord } from './types.ts';

/** revokeAll() stops once this many listings in a row find nothing left to revoke. */
const CONFIRMING_LISTINGS = 2;
/** ...and gives up (with an error, never a silent success) after this many listings. */
const MAX_REVOKE_ROUNDS = 20;
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
}

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
  readonly #keys: Promise<CryptoKey[]>;
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
  #cleaning: Promise<number | null> | null = null;
  #incompleteReported = false;
  /** Configuration warnings already given: each is said once per Session. */
  readonly #warned = new Set<'no-url' | 'insecure-cookie'>();
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
    this.#random = options.random ?? defaultRandom;
    this.store = options.store ?? new MemoryStore({ clock: this.#clock });
    this.#keys = importSecrets(config.secrets);
    this.#keys.catch(() => {}); // surfaced on first use; never an unhandled rejection
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
  async load(request: SessionRequest): Promise<SessionHandle<Data>> {
    if (request.url === undefined && this.#cookie.secure === 'auto') this.#reportNoUrl();
    const secure = isSecureFor(this.#cookie, request.url);
    const name = this.#cookieName(secure);
    if (!secure && this.#cookie.secure === 'auto') this.#reportDroppedCookie(name);
    const value = readCookie(request.cookie, name);
    const state: LoadedState = { record: null, token: null, hadCookie: value !== undefined, reissue: false, extendTo: null, secure };
    if (value === undefined) return new SessionHandle<Data>(this.#runtime, state);

    // A value verified before is answered from the memo, without waiting for a turn of the event loop.
    const verified = this.#verified.get(value) ?? (await this.#verified.verify(value, this.#keys));
    if (typeof verified === 'string') {
      this.events.emit({ type: 'cookie-rejected', name, reason: verified });
      return new SessionHandle<Data>(this.#runtime, state);
    }
    const { sessionId } = verified;
    const stored = await this.#caller.get(sessionId);
    if (!stored) {
      this.events.emit({ type: 'cookie-rejected', name, reason: 'unknown-session' });
      return new SessionHandle<Data>(this.#runtime, state);
    }
    const record = this.#normalize(stored);
    const now = this.#clock.now();
    const expired = this.#expiredReason(record, now);
    if (expired) {
      this.events.emit({ type: 'session-expired', sessionId, userId: record.userId, reason: expired });
      await this.#caller.delete(sessionId).catch((error: unknown) => this.#background(error));
      return new SessionHandle<Data>(this.#runtime, state);
    }
    if (this.events.wants('session-loaded')) this.events.emit({ type: 'session-loaded', sessionId, userId: record.userId, expires: record.expires });
    state.record = record;
    state.token = verified.token;
    state.reissue = verified.keyIndex > 0; // move the cookie onto the current secret
    state.extendTo = this.#dueExtension(record, now);
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
      .map((record) => this.#normalize(record))
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
    const revoked: string[] = [];
    // Signed in before the revocation began (by this clock), or a successor of a session revoked here
    // (the same createdAt, whatever the clock of the process that regenerated it).
    const isRevoked = (record: SessionRecord): boolean => lineages.has(record.createdAt) || !(Date.parse(record.createdAt) > started);
    let clean = 0;
    for (let round = 1; clean < CONFIRMING_LISTINGS; round++) {
      if (round > MAX_REVOKE_ROUNDS) {
        this.events.emit({ type: 'sessions-revoked', userId, sessionIds: revoked });
        throw new SessionStoreError('listByUser', 'conflict', `sessions of the user kept appearing after ${MAX_REVOKE_ROUNDS} rounds of revocation; call revokeAll() again.`);
      }
      const targets = (await this.#caller.listByUser(userId))
        .map((record) => this.#normalize(record))
        .filter((record) => record.userId === userId && record.sessionId !== options.except && isRevoked(record));
      // A store's listing may not be one snapshot (RedisStore reads its index, then the records): a
      // regenerate() that ran entirely between the two reads is missing from it. A second clean
      // listing, begun after the first ended, sees what the first missed.
      clean = targets.length === 0 ? clean + 1 : 0;
      for (const record of targets) {
        lineages.add(record.createdAt);
        await this.#caller.delete(record.sessionId);
        revoked.push(record.sessionId);
      }
    }
    this.events.emit({ type: 'sessions-revoked', userId, sessionIds: revoked });
    return revoked.length;
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
    this.#cleaning ??= this.#runClean().finally(() => {
      this.#cleaning = null;
    });
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
    const run = (): void => {
      this.clean().catch((error: unknown) => this.#background(error));
    };
    // At start (after the constructor returns, so listeners attached right away see it), then on the interval.
    const first = setTimeout(run, 0);
    const every = setInterval(run, intervalMs);
    for (const timer of [first, every]) {
      // In Node, an unref'd timer never keeps the process alive on its own.
      (timer as { unref?: () => void }).unref?.();
      this.#timers.push(timer);
    }
  }

  #background(error: unknown): void {
    this.events.emit({ type: 'background-error', error: error instanceof Error ? error : new Error(describeError(error), { cause: error }) });
  }

  /** Fills in what a store that keeps only FluidAuth's three fields drops. */
  #normalize(stored: ISessionData): SessionRecord {
    const raw = stored as Partial<SessionRecord>;
    const hasCreatedAt = typeof raw.createdAt === 'string' && !Number.isNaN(this.#time.of(raw.createdAt));
    const hasData = typeof raw.data === 'object' && raw.data !== null && !Array.isArray(raw.data);
    const hasVersion = typeof raw.version === 'number' && Number.isFinite(raw.version);
    // Complete: used as it is. It is the Session's own copy (the store caller copies what a store hands out).
    if (hasCreatedAt && hasData && hasVersion) return stored as SessionRecord;
    this.#reportIncomplete(stored, { createdAt: hasCreatedAt, data: hasData, version: hasVersion });
    return {
      ...stored,
      // Without a creation time, the absolute lifetime cannot be counted, and any guess that moves
      // with the expiry (such as `expires - sessionDuration`) lets each extension lift it: a session
      // active every few minutes would live for ever. Fail closed instead: take the start that makes
      // the current expiry the absolute end. Nothing can then extend the session (every extension,
      // touch() and regenerate() is capped at createdAt + absoluteDuration = expires), so it ends no
      // later than the expiry it was granted at login, itself at most sessionDuration after sign-in.
      createdAt: hasCreatedAt ? raw.createdAt! : new Date((Date.parse(stored.expires) || 0) - this.absoluteDuration).toISOString(),
      data: hasData ? raw.data! : {},
      version: hasVersion ? raw.version! : 0,
    };
  }

  /**
   * Says once per Session that the store drops fields. Only once someone listens: a listener added
   * after the first incomplete record still hears of it.
   */
  #reportIncomplete(stored: ISessionData, present: Record<RecordField, boolean>): void {
    if (this.#incompleteReported || !this.events.wants('record-incomplete')) return;
    this.#incompleteReported = true;
    const missing = (['createdAt', 'data', 'version'] as const).filter((field) => !present[field]);
    this.events.emit({ type: 'record-incomplete', sessionId: stored.sessionId, userId: stored.userId, missing });
  }

  /** Without the URL, 'auto' assumes https (the safe side): on plain-http localhost the browser drops the Secure cookie. */
  #reportNoUrl(): void {
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
  #reportDroppedCookie(name: string): void {
    if (this.#warned.has('insecure-cookie')) return;
    const reasons: string[] = [];
    if (this.#cookie.sameSite === 'none') reasons.push('SameSite=None without Secure');
    if (name.startsWith('__Host-') || name.startsWith('__Secure-')) reasons.push(`the name ${name}, whose prefix requires Secure`);
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

  #expiredReason(record: SessionRecord, now: number): 'idle' | 'absolute' | 'unreadable' | null {
    const expires = this.#time.of(record.expires);
    // An unreadable expiry is expired: never let a record we cannot date live forever.
    if (Number.isNaN(expires)) return 'unreadable';
    if (expires <= now) return 'idle';
    if (this.#time.of(record.createdAt) + this.absoluteDuration <= now) return 'absolute';
    return null;
  }

  #dueExtension(record: SessionRecord, now: number): number | null {
    if (!this.#extend) return null;
    const expires = this.#time.of(record.expires);
    if (expires - now >= this.#threshold) return null;
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
      mint: async (userId, data, createdAt) => {
        const token = generateToken(this.#random);
        const now = this.#clock.now();
        const created = createdAt ?? new Date(now).toISOString();
        const expires = Math.min(now + this.sessionDuration, Date.parse(created) + this.absoluteDuration);
        const record: SessionRecord = {
          sessionId: await hashToken(token),
          userId,
          expires: new Date(expires).toISOString(),
          createdAt: created,
          data,
          version: 0,
        };
        return { token, record };
      },
      extendedExpiry: (record) => this.#extendedExpiry(record, this.#clock.now()),
      expiredReason: (record) => this.#expiredReason(record, this.#clock.now()),
      normalize: (stored) => this.#normalize(stored),
      commitBudget: () => new CommitBudget({ clock: this.#clock, random: this.#random, commitTimeout: this.#commitTimeout, storeTimeout: this.#storeTimeout }),
      setCookie: async (token, record, secure) => {
        const [key] = await this.#keys;
        return serializeSessionCookie(this.#cookie, {
          name: this.#cookieName(secure),
          value: await signToken(token, key!),
          secure,
          maxAge: (Date.parse(record.expires) - this.#clock.now()) / 1000,
        });
      },
      clearCookie: (secure) => serializeClearCookie(this.#cookie, this.#cookieName(secure), secure),
      revokeAll: (userId, except) => this.revokeAll(userId, except === undefined ? {} : { except }),
      cookieName: (secure) => this.#cookieName(secure),
    };
  }
}
