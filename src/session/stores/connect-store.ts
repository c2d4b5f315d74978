/**
 * `sessionlab/connect`: any express-session (connect) store — connect-redis, connect-pg-simple,
 * memorystore, session-file-store and the rest — as a Session Lab store.
 *
 * A connect store has no compare-and-set, so neither has the bridge: when two requests change one
 * session at the same time, the last write wins and the other's change is lost.
 */
import { SessionConfigError } from '../errors.ts';
import { systemClock, type Awaitable, type Clock, type ISessionData, type SessionRecord } from '../types.ts';
import { BaseSessionStore, answersWithOwnCopy } from './base-session-store.ts';
import { ConnectStoreError, connectStoreFailure, duplicateSession } from './connect-store-errors.ts';

export { ConnectStoreError } from './connect-store-errors.ts';

/** A Node-style callback, as connect stores call them. */
export type ConnectCallback = (error?: unknown, value?: unknown) => void;

/**
 * The part of the express-session store interface the bridge uses: `get`, `set` and `destroy`, and
 * `all` when the store has it. Methods may answer through the callback, or return a promise
 * (connect-redis 8 and later do both); `touch`, `length` and `clear` are never called.
 */
export interface ConnectStore {
  get(sid: string, callback: ConnectCallback): unknown;
  set(sid: string, session: ConnectSession, callback: ConnectCallback): unknown;
  destroy(sid: string, callback: ConnectCallback): unknown;
  /** Every session, as an array or as an object keyed by id. */
  all?(callback: ConnectCallback): unknown;
}

/**
 * What the bridge hands a connect store: the session record under `record`, and beside it the
 * `cookie` express-session would have given it, from which connect stores compute when the entry
 * expires (`expires`, a `Date` as in express-session's own cookie, or `maxAge` / `originalMaxAge`
 * in milliseconds from now).
 */
export interface ConnectSession<R extends ISessionData = ISessionData> {
  cookie: { expires: Date; originalMaxAge: number; maxAge: number };
  record: R;
}

/**
 * How `clean()` removes expired sessions from a connect store, which has no method for it:
 * - `'scan'`: list every session with the store's `all()` and destroy those whose `expires` has
 *   passed. Exact, and it returns a count, but it reads every session each time. Needs `all()`.
 * - `'store-expires'`: the store's backend drops each entry at its expiry by itself (connect-redis's
 *   `EX`); `clean()` does nothing, and the bridge declares `expiresRecordsItself`, which the
 *   conformance suite verifies.
 * - a function: the store's own pruning, e.g. `(store) => new Promise((done, fail) =>
 *   store.pruneSessions((error) => (error ? fail(error) : done())))` for connect-pg-simple.
 */
export type ConnectStoreCleaning<S extends ConnectStore = ConnectStore> = 'scan' | 'store-expires' | ((store: S) => Awaitable<number | void>);

export interface ConnectStoreBridgeOptions<S extends ConnectStore = ConnectStore> {
  /** The express-session store to wrap, created and configured as its documentation says. */
  store: S;
  /** How `clean()` removes expired sessions. Default `'scan'` when the store has `all()`; required otherwise. */
  clean?: ConnectStoreCleaning<S>;
  /** Where "now" comes from for expiry. Default: the system clock. */
  clock?: Clock;
}

/** 1 ms after the epoch: as expired as any time can be (what an unreadable `expires` is written as). */
const LONG_AGO = 1;
/** How many `destroy()` calls a scanning `clean()` has in flight at once. */
const DESTROY_BATCH = 20;

/**
 * Serves an express-session (connect) store as a Session Lab store, so an application that already
 * runs one keeps it: `new Session({ store: new ConnectStoreBridge({ store: new RedisStore({ client }) }) })`.
 *
 * Each record is stored whole under `record`, beside a `cookie` that tells the connect store when the
 * entry expires, and read back exactly: a connect store may add fields of its own (session-file-store
 * adds `__lastAccess`, connect-redis's `all()` adds `id`) without touching the record. Entries that
 * are not the bridge's (sessions express-session wrote to the same store) are never read as records
 * and never removed by `clean()`.
 *
 * What a connect store cannot do, the bridge does not pretend to:
 * - **No compare-and-set.** Concurrent requests that change one session overwrite each other: the
 *   last write wins. Session Lab's own stores merge such changes.
 * - **`create()` is not atomic.** It refuses an id the store holds by reading it first; two creates of
 *   one id at the same instant can both succeed. (Session ids are random: this only matters when a
 *   caller reuses an id.)
 * - **`update()` is not atomic either.** It writes only when `get()` finds the id, and a `delete()`
 *   that lands in between is undone.
 * - **`listByUser()` scans**: it reads every session through `all()`, and exists only when the store
 *   has `all()`. Fine for "sign out everywhere" on a small site; slow with many sessions.
 *
 * `get()` hides a record whose `expires` has passed, by this process's clock, whatever the store
 * does. A `get()` whose error has code `ENOENT` means "no such session", as express-session reads it.
 *
 * @example
 * import { RedisStore } from 'connect-redis';
 * import { ConnectStoreBridge } from 'sessionlab/connect';
 * const store = new ConnectStoreBridge({ store: new RedisStore({ client }), clean: 'store-expires' });
 * const sessions = new Session({ secret: process.env.SESSION_SECRET!, store });
 */
export class ConnectStoreBridge<R extends ISessionData = SessionRecord, S extends ConnectStore = ConnectStore> extends BaseSessionStore<R> {
  /** True with `clean: 'store-expires'`: the connect store's backend drops entries at their expiry. */
  override readonly expiresRecordsItself: boolean;
  /** The wrapped connect store. */
  readonly store: S;
  // Held as a cleaning of any store, so a bridge of a particular store is still a ConnectStoreBridge.
  readonly #clean: ConnectStoreCleaning;
  readonly #clock: Clock;

  constructor(options: ConnectStoreBridgeOptions<S>) {
    super();
    const store: unknown = options?.store;
    const missing = ['get', 'set', 'destroy'].filter((method) => typeof (store as Record<string, unknown> | null)?.[method] !== 'function');
    if (typeof store !== 'object' || store === null || missing.length > 0) {
      throw new SessionConfigError(
        `ConnectStoreBridge needs an express-session store as { store }${store && missing.length > 0 ? `; this one has no ${missing.join(', ')}()` : ''}.`,
        'Pass the store you would give express-session, e.g. { store: new RedisStore({ client }) } from connect-redis.',
      );
    }
    const hasAll = typeof options.store.all === 'function';
    const clean = options.clean ?? (hasAll ? 'scan' : undefined);
    if (clean === undefined || (clean !== 'scan' && clean !== 'store-expires' && typeof clean !== 'function')) {
      throw new SessionConfigError(
        clean === undefined ? 'ConnectStoreBridge cannot find expired sessions in a store without all().' : `ConnectStoreBridge clean must be 'scan', 'store-expires' or a function, got ${JSON.stringify(clean)}.`,
        "Say how they go: clean: 'store-expires' when the store's backend drops them at their expiry by itself (connect-redis), or clean: (store) => ... calling the store's own pruning (connect-pg-simple's pruneSessions).",
      );
    }
    if (clean === 'scan' && !hasAll) {
      throw new SessionConfigError("ConnectStoreBridge clean: 'scan' needs a store with all().", "Use clean: 'store-expires' or a function that calls the store's own pruning.");
    }
    this.store = options.store;
    this.#clean = clean as ConnectStoreCleaning;
    this.#clock = options.clock ?? systemClock;
    this.expiresRecordsItself = clean === 'store-expires';
    // listByUser() and all() exist only when the store can list: callers (and the conformance suite)
    // look for the methods themselves.
    if (hasAll) {
      Object.defineProperties(this, {
        all: { value: (): Promise<R[]> => this.#all('all'), writable: true, configurable: true },
        listByUser: { value: (userId: string): Promise<R[]> => this.#listByUser(userId), writable: true, configurable: true },
      });
    }
  }

  /** Stores a new record; refuses (`'duplicate-id'`) an id the store holds a live session under. Not atomic: see the class. */
  async create(record: R): Promise<void> {
    // An expired record the store still holds is over: a create() may take its id.
    if (this.#isLive(await this.#read('create', record.sessionId))) throw duplicateSession(record.sessionId);
    await this.#write('create', record.sessionId, record);
  }

  static {
    // Each answer is decoded anew and copied: the Session need not copy it again.
    answersWithOwnCopy(this.prototype.get);
  }

  /** The record, or null when there is none or its `expires` has passed. */
  async get(sessionId: string): Promise<R | null> {
    const record = await this.#read('get', sessionId);
    return this.#isLive(record) ? record : null;
  }

  /** Replaces the record when the store holds the id; writes nothing otherwise. Not atomic: see the class. */
  async update(sessionId: string, record: R): Promise<void> {
    if ((await this.#read('update', sessionId)) === null) return;
    await this.#write('update', sessionId, { ...record, sessionId });
  }

  async delete(sessionId: string): Promise<void> {
    await this.#call('delete', 'destroy', [sessionId]);
  }

  /**
   * Removes expired sessions as the `clean` option says. With `'scan'` it resolves to how many it
   * removed (a store whose `all()` drops expired entries by itself leaves fewer to count); with
   * `'store-expires'` it does nothing.
   */
  async clean(): Promise<number | void> {
    const clean = this.#clean;
    if (clean === 'store-expires') return;
    if (typeof clean === 'function') {
      try {
        return await clean(this.store);
      } catch (error) {
        throw connectStoreFailure('clean', 'clean option', error);
      }
    }
    const now = this.#clock.now();
    const expired = (await this.#all('clean')).filter((record) => !(Date.parse(record.expires) > now));
    for (let start = 0; start < expired.length; start += DESTROY_BATCH) {
      await Promise.all(expired.slice(start, start + DESTROY_BATCH).map((record) => this.#call('clean', 'destroy', [record.sessionId])));
    }
    return expired.length;
  }

  /** Every record of the bridge's the store lists (expired ones too, while it holds them), as copies. */
  async #all(operation: string): Promise<R[]> {
    const listed = await this.#call(operation, 'all', []);
    // An object keyed by id (express-session's MemoryStore), or an array whose entries may carry their
    // id (connect-redis adds `id`). A record listed under another id than its own is not the bridge's.
    const entries: [unknown, unknown][] = Array.isArray(listed)
      ? listed.map((entry: unknown) => [(entry as { id?: unknown } | null)?.id, entry])
      : listed && typeof listed === 'object' ? Object.entries(listed) : [];
    const found: R[] = [];
    for (const [id, entry] of entries) {
      const record = recordIn<R>(entry);
      if (record && (id === undefined || id === record.sessionId)) found.push(record);
    }
    return found;
  }

  /** The user's live sessions, found by reading every session through `all()`. */
  async #listByUser(userId: string): Promise<R[]> {
    const now = this.#clock.now();
    return (await this.#all('listByUser')).filter((record) => record.userId === userId && Date.parse(record.expires) > now);
  }

  /** Whether `record` is there and its `expires` has not passed (an unreadable one has). */
  #isLive(record: R | null): record is R {
    return record !== null && Date.parse(record.expires) > this.#clock.now();
  }

  /** The record the store holds under `sessionId`, expired or not, or null. */
  async #read(operation: string, sessionId: string): Promise<R | null> {
    let value: unknown;
    try {
      value = await this.#call(operation, 'get', [sessionId]);
    } catch (error) {
      // express-session reads ENOENT as "no such session" (session-file-store reports a missing file so).
      if ((error as ConnectStoreError).cause && ((error as ConnectStoreError).cause as { code?: unknown }).code === 'ENOENT') return null;
      throw error;
    }
    const record = recordIn<R>(value);
    return record?.sessionId === sessionId ? record : null;
  }

  #write(operation: string, sessionId: string, record: R): Promise<unknown> {
    return this.#call(operation, 'set', [sessionId, toConnectSession(record, this.#clock.now())]);
  }

  /**
   * Calls a method of the connect store and settles with its answer: the callback's, or the
   * promise's when the method returns one and it settles first. Whatever it throws or reports
   * becomes a `ConnectStoreError`.
   */
  #call(operation: string, method: 'get' | 'set' | 'destroy' | 'all', args: unknown[]): Promise<unknown> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const settle = (error: unknown, value?: unknown): void => {
        if (settled) return;
        settled = true;
        if (error) reject(connectStoreFailure(operation, method, error));
        else resolve(value);
      };
      try {
        const returned = (this.store[method] as (...params: unknown[]) => unknown).call(this.store, ...args, (error?: unknown, value?: unknown) => settle(error ?? null, value));
        if (isThenable(returned)) {
          returned.then(
            (value) => settle(null, value),
            (error: unknown) => settle(error ?? new Error(`the promise of ${method}() was rejected without a reason`)),
          );
        }
      } catch (error) {
        settle(error ?? new Error(`${method}() threw without a reason`));
      }
    });
  }
}

/** What the bridge gives the connect store for `record`: the record, and the cookie its TTL comes from. */
function toConnectSession<R extends ISessionData>(record: R, now: number): ConnectSession<R> {
  const at = Date.parse(record.expires);
  // An unreadable expiry is written as long past: the store treats the entry as expired at once.
  const expiresAt = Number.isNaN(at) ? LONG_AGO : at;
  const maxAge = expiresAt - now;
  return {
    cookie: { expires: new Date(expiresAt), originalMaxAge: maxAge, maxAge },
    // A copy: the caller keeping its object cannot change what an in-memory store keeps.
    record: structuredClone(record),
  };
}

/** The record in what a connect store answered, as a copy; null for anything that is not the bridge's. */
function recordIn<R extends ISessionData>(value: unknown): R | null {
  if (typeof value !== 'object' || value === null) return null;
  const record: unknown = (value as { record?: unknown }).record;
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return null;
  const { sessionId, userId, expires } = record as Partial<ISessionData>;
  if (typeof sessionId !== 'string' || typeof userId !== 'string' || typeof expires !== 'string') return null;
  return structuredClone(record) as R;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
