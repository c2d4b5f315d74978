/**
 * `sessionlab/indexeddb`: a session store in the browser's IndexedDB, built on `idb`.
 *
 * Sessions survive page reloads and worker restarts, and every tab and worker of the origin sees the
 * same ones. The database opens once, lazily, on the first call; every write resolves only after its
 * transaction has committed. Failures reject with an `IndexedDBStoreError` whose `reason` says what
 * happened, in the vocabulary every store shares (quota exceeded, unavailable, locked by another tab...),
 * and whose message says what to do; nothing is dropped silently.
 *
 * The layout and its upgrades are in indexeddb-schema.ts; how failures are classified, in
 * indexeddb-errors.ts.
 */
import { wrap, type IDBPDatabase, type IDBPTransaction } from 'idb';
import { BaseSessionStore, answersWithOwnCopy } from './base-session-store.ts';
import { SessionConfigError } from '../errors.ts';
import { systemClock, type Clock, type ISessionData, type SessionRecord } from '../types.ts';
import { IndexedDBStoreError, blocked, noIndexedDB, openFailure, operationFailure, unavailable } from './indexeddb-errors.ts';
import {
  DEFAULT_DATABASE_NAME,
  EXPIRES_AT,
  SCHEMA_VERSION,
  SESSIONS,
  USER_ID,
  entryOf,
  upgrade,
  type Entry,
  type SessionDatabase,
  type SessionObjectStore,
  type VersionChange,
} from './indexeddb-schema.ts';

export { IndexedDBStoreError } from './indexeddb-errors.ts';
export type { IndexedDBStoreFailure } from './indexeddb-errors.ts';

/** Options of `new IndexedDBStore()`. */
export interface IndexedDBStoreOptions {
  /** The IndexedDB database name. Stores with different names never share records. Default `'sessionlab'`. */
  name?: string;
  /** Where "now" comes from for lazy expiry and `clean()`. Defaults to the system clock. */
  clock?: Clock;
  /**
   * The IndexedDB factory to open the database with. Defaults to the global `indexedDB`. Its requests
   * must be this realm's IndexedDB objects (`idb` wraps them); pass one to wrap or instrument the
   * browser's factory, or in an environment that installs IndexedDB globals (`fake-indexeddb/auto`).
   */
  indexedDB?: IDBFactory;
}

/** One attempt to open the database, shared by every call until it is closed or lost. */
interface Connection<R> {
  /** The open database; rejects with an `IndexedDBStoreError`. */
  readonly ready: Promise<SessionDatabase<R>>;
  /** Never resolves; rejects (for good) once the open is reported blocked. */
  readonly blocked: Promise<never>;
  /** Set once `ready` has resolved, so `close()` can close synchronously. */
  database: SessionDatabase<R> | null;
}

/**
 * Sessions in IndexedDB: durable across reloads, shared by the tabs and workers of an origin.
 *
 * Copies in and copies out (structured clone); `create()` rejects a taken id; `update()` writes only
 * when the id exists; `get()` of an expired record returns null and removes it; `clean()` removes
 * expired and unreadable records through an index and returns how many. `compareAndSet()` and
 * `listByUser()` give the Session safe concurrent updates and "sign out everywhere".
 *
 * When another tab upgrades or deletes the database, this store closes its connection so that can
 * proceed, and opens the database again on its next call (a deleted database comes back empty:
 * every session ended).
 *
 * @example
 * import { Session } from 'sessionlab';
 * import { IndexedDBStore } from 'sessionlab/indexeddb';
 * const session = new Session({ secret, store: new IndexedDBStore({ name: 'my-app-sessions' }) });
 */
export class IndexedDBStore<R extends ISessionData = SessionRecord> extends BaseSessionStore<R> {
  /** The IndexedDB database name. */
  readonly databaseName: string;
  readonly #clock: Clock;
  readonly #factory: IDBFactory | undefined;
  #connection: Connection<R> | null = null;

  constructor(options: IndexedDBStoreOptions = {}) {
    super();
    const name = options.name ?? DEFAULT_DATABASE_NAME;
    if (typeof name !== 'string' || name.length === 0) {
      throw new SessionConfigError(
        `IndexedDBStore: the database name must be a non-empty string, got ${JSON.stringify(name)}.`,
        `Pass { name: 'my-app-sessions' }, or leave name out for '${DEFAULT_DATABASE_NAME}'.`,
      );
    }
    if (options.clock !== undefined && typeof options.clock?.now !== 'function') {
      throw new SessionConfigError('IndexedDBStore: clock must have a now() method that returns milliseconds.', 'Pass { clock: { now: () => Date.now() } } or leave clock out.');
    }
    this.databaseName = name;
    this.#clock = options.clock ?? systemClock;
    this.#factory = options.indexedDB;
  }

  /** Stores a new record. Rejects with reason `'duplicate-id'` when its `sessionId` is taken. */
  async create(record: R): Promise<void> {
    const entry = this.#snapshot('create', record);
    await this.#run('create', (database) => inTransaction(database, 'readwrite', (store) => store.add(entry)));
  }

  static {
    // Each answer is a new object (a copy, or parsed from storage): the Session need not copy it.
    answersWithOwnCopy(this.prototype.get);
  }

  /** The record, or null when there is none or it has expired (an expired one is removed). */
  async get(sessionId: string): Promise<R | null> {
    if (typeof sessionId !== 'string') return null;
    return this.#run('get', async (database) => {
      // Read-only first: reads run side by side; only an expired record needs a write.
      const entry = await inTransaction(database, 'readonly', (store) => store.get(sessionId));
      if (!entry) return null;
      if (entry.expiresAt > this.#clock.now()) return entry.record;
      return inTransaction(database, 'readwrite', async (store) => {
        // Read again inside the write: an update() may have extended the session in between.
        const current = await store.get(sessionId);
        if (current && current.expiresAt > this.#clock.now()) return current.record;
        if (current) await store.delete(sessionId);
        return null;
      });
    });
  }

  /** Replaces the record stored under `sessionId`; writes nothing when the id is unknown. */
  async update(sessionId: string, record: R): Promise<void> {
    const entry = this.#snapshot('update', { ...record, sessionId });
    await this.#run('update', (database) =>
      // Check and write in one transaction: a delete() or clean() cannot slip in between.
      inTransaction(database, 'readwrite', async (store) => {
        if ((await store.getKey(sessionId)) !== undefined) await store.put(entry);
      }),
    );
  }

  /**
   * Writes `record` only if the stored record's `version` is `expectedVersion` (and it has not
   * expired); resolves to whether it wrote. Atomic: the check and the write share one transaction,
   * and IndexedDB runs overlapping read-write transactions one after the other.
   */
  override async compareAndSet(sessionId: string, expectedVersion: number, record: R): Promise<boolean> {
    const entry = this.#snapshot('compareAndSet', { ...record, sessionId });
    return this.#run('compareAndSet', (database) =>
      inTransaction(database, 'readwrite', async (store) => {
        const current = await store.get(sessionId);
        if (!current || current.expiresAt <= this.#clock.now()) return false;
        if (((current.record as Partial<SessionRecord>).version ?? 0) !== expectedVersion) return false;
        await store.put(entry);
        return true;
      }),
    );
  }

  /** Every live session of `userId`, found through the `userId` index. */
  override async listByUser(userId: string): Promise<R[]> {
    return this.#run('listByUser', (database) =>
      inTransaction(database, 'readonly', async (store) => {
        const now = this.#clock.now();
        const entries = await store.index(USER_ID).getAll(userId);
        return entries.filter((entry) => entry.expiresAt > now).map((entry) => entry.record);
      }),
    );
  }

  /** Removes the record stored under `sessionId`. Deleting an unknown id is not an error. */
  async delete(sessionId: string): Promise<void> {
    if (typeof sessionId !== 'string') return;
    await this.#run('delete', (database) => inTransaction(database, 'readwrite', (store) => store.delete(sessionId)));
  }

  /**
   * Removes every record whose `expires` has passed or cannot be read; returns how many. Finds them
   * with one key range on the `expiresAt` index, so the cost grows with the expired records only.
   */
  async clean(): Promise<number> {
    return this.#run('clean', (database) =>
      inTransaction(database, 'readwrite', async (store) => {
        // upperBound is inclusive: a record expiring exactly now has expired, as get() has it.
        const expired = await store.index(EXPIRES_AT).getAllKeys(IDBKeyRange.upperBound(this.#clock.now()));
        await Promise.all(expired.map((sessionId) => store.delete(sessionId)));
        return expired.length;
      }),
    );
  }

  /** How many records are stored (expired ones included until they are cleaned or read). */
  async count(): Promise<number> {
    return this.#run('count', (database) => inTransaction(database, 'readonly', (store) => store.count()));
  }

  /** Every stored record, expired ones included, without removing any: for inspection, not for requests. */
  override async all(): Promise<R[]> {
    return this.#run('all', (database) =>
      inTransaction(database, 'readonly', async (store) => (await store.getAll()).map((entry) => entry.record)),
    );
  }

  /** Removes every record. */
  async clear(): Promise<void> {
    await this.#run('clear', (database) => inTransaction(database, 'readwrite', (store) => store.clear()));
  }

  /**
   * Closes the connection once its running transactions finish, so other tabs can upgrade or delete
   * the database without waiting. The store stays usable: its next call opens the database again.
   */
  close(): void {
    const connection = this.#connection;
    this.#connection = null;
    if (!connection) return;
    if (connection.database) connection.database.close();
    // Still opening: the calls already waiting for it start their transactions first (a closing
    // connection refuses new ones, and lets those it has finish), so it is closed a task later.
    else connection.ready.then((database) => setTimeout(() => database.close(), 0), () => {});
  }

  /** The entry to store for `record`, copied now: the caller may change its object as soon as we return. */
  #snapshot(operation: string, record: R): Entry<R> {
    try {
      return entryOf(structuredClone(record));
    } catch (error) {
      throw operationFailure(this.databaseName, operation, error);
    }
  }

  /** Runs one operation on the open database; every failure becomes an `IndexedDBStoreError`. */
  async #run<T>(operation: string, body: (database: SessionDatabase<R>) => Promise<T>): Promise<T> {
    try {
      const connection = (this.#connection ??= this.#open());
      // `ready` first: once open, a stale `blocked` rejection no longer matters.
      const database = await Promise.race([connection.ready, connection.blocked]);
      return await body(database);
    } catch (error) {
      throw error instanceof IndexedDBStoreError ? error : operationFailure(this.databaseName, operation, error);
    }
  }

  #open(): Connection<R> {
    let reportBlocked: (error: IndexedDBStoreError) => void = () => {};
    const blocked = new Promise<never>((_, reject) => {
      reportBlocked = reject;
    });
    blocked.catch(() => {}); // observed by the calls that race it, not by everyone
    const connection: Connection<R> = {
      blocked,
      database: null,
      ready: this.#openDatabase((error) => reportBlocked(error)).then((database) => {
        // Another connection wants to upgrade or delete the database: step aside, reopen on next use.
        database.addEventListener('versionchange', () => {
          database.close();
          this.#forget(connection);
        });
        // The browser closed it (site data cleared, database deleted in DevTools): reopen on next use.
        database.addEventListener('close', () => this.#forget(connection));
        connection.database = database;
        return database;
      }),
    };
    connection.ready.catch(() => this.#forget(connection)); // the next call tries again
    return connection;
  }

  async #openDatabase(reportBlocked: (error: IndexedDBStoreError) => void): Promise<SessionDatabase<R>> {
    const name = this.databaseName;
    const factory = this.#factory ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB;
    if (!factory) {
      throw noIndexedDB(name);
    }
    let request: IDBOpenDBRequest;
    try {
      request = factory.open(name, SCHEMA_VERSION);
    } catch (cause) {
      throw unavailable(name, cause);
    }

    let upgradeError: unknown;
    request.addEventListener('upgradeneeded', (event) => {
      const transaction = request.transaction;
      if (!transaction) return;
      const versionChange = wrap(transaction);
      // idb keeps a `done` promise for each transaction it wraps; an aborted upgrade rejects it, and
      // the open's own failure says why: handled here, never an unhandled rejection.
      versionChange.done.catch(() => {});
      upgrade(wrap(request.result), versionChange as unknown as VersionChange, event.oldVersion).catch((error: unknown) => {
        upgradeError = error;
        abortQuietly(transaction); // all or nothing: the database stays at its old version
      });
    });
    request.addEventListener('blocked', (event) => {
      reportBlocked(blocked(name, event.oldVersion));
    });

    let database: IDBPDatabase | undefined;
    try {
      database = await wrap(request);
    } catch (cause) {
      throw openFailure(name, cause, upgradeError);
    }
    if (!database) throw openFailure(name, request.error, upgradeError);
    return database as unknown as SessionDatabase<R>;
  }

  #forget(connection: Connection<R>): void {
    if (this.#connection === connection) this.#connection = null;
  }
}

/**
 * Runs `body` in one transaction on the `sessions` store and resolves once the transaction has
 * committed. The first failure wins; a failed body aborts the transaction, so nothing is half-written.
 */
async function inTransaction<R, Mode extends 'readonly' | 'readwrite', T>(
  database: SessionDatabase<R>,
  mode: Mode,
  body: (store: SessionObjectStore<R, Mode>) => Promise<T>,
): Promise<T> {
  const transaction = database.transaction(SESSIONS, mode);
  const work = body(transaction.store as SessionObjectStore<R, Mode>).catch((error: unknown) => {
    abortQuietly(transaction);
    throw error;
  });
  // Both promises are awaited together: neither can reject unhandled.
  const [result] = await Promise.all([work, transaction.done]);
  return result;
}

function abortQuietly(transaction: IDBTransaction | IDBPTransaction<any, any, any>): void {
  try {
    transaction.abort();
  } catch {
    // Already finished or aborted: nothing left to undo.
  }
}
