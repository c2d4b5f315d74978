/**
 * `sessionlab/sqlite`: a durable session store in one SQLite file, on Node's built-in `node:sqlite`
 * (Node 22.13+, no native add-on to build). For a single server or a few processes on one machine;
 * use Redis when several machines share sessions.
 */
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { SessionConfigError, StoreError, describeError } from '../errors.ts';
import { BaseSessionStore, answersWithOwnCopy } from './base-session-store.ts';
import { systemClock, type Clock, type ISessionData, type SessionRecord } from '../types.ts';
import { recordOf } from './record-json.ts';

export interface SqliteStoreOptions {
  /** The database file, created when missing, or `':memory:'` for a private in-memory database (tests). */
  path: string;
  /** The table sessions live in; created when missing. Letters, digits and `_`. Default `'sessions'`. */
  table?: string;
  /**
   * How long (ms) a write waits for another connection's lock before failing with reason `'locked'`.
   * `node:sqlite` is synchronous, so the wait blocks the event loop: keep it short. Default 1000.
   */
  busyTimeout?: number;
  /** Where "now" comes from for `get` and `clean()`. Default: the system clock. */
  clock?: Clock;
}

/**
 * A SQLite failure: a `StoreError` whose `reason` comes from the list every Session Lab store shares
 * (`'read-only'`, `'locked'`, `'unavailable'` when the file cannot be opened, `'duplicate-id'`,
 * `'quota-exceeded'` when the disk is full, `'failed'`), with what went wrong and how to fix it.
 * Thrown by the constructor (a read-only or unopenable file is found at start-up, not at the first
 * login) and by the store's methods; the Session wraps the latter in a `SessionStoreError` whose
 * `cause` is this error.
 */
export class SqliteStoreError extends StoreError {
  override readonly name = 'SqliteStoreError';
}

const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

// SQLite result codes (https://sqlite.org/rescode.html); node:sqlite reports the extended code as `errcode`.
const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;
const SQLITE_READONLY = 8;
const SQLITE_FULL = 13;
const SQLITE_CANTOPEN = 14;
const SQLITE_CONSTRAINT_PRIMARYKEY = 1555;

/**
 * Sessions in a SQLite table: the record whole as JSON, beside the columns queries need (user id,
 * expiry as a number, version), so `get` is one primary-key lookup, `clean()` one indexed `DELETE`,
 * `listByUser` one indexed `SELECT` and `compareAndSet` one conditional `UPDATE`. The database runs
 * in WAL mode: readers never wait for the writer.
 *
 * @example
 * import { SqliteStore } from 'sessionlab/sqlite';
 * const session = new Session({ secret: process.env.SESSION_SECRET!, store: new SqliteStore({ path: 'sessions.db' }) });
 */
export class SqliteStore<R extends ISessionData = SessionRecord> extends BaseSessionStore<R> {
  readonly #db: DatabaseSync;
  /** Tracked here, not read from `DatabaseSync.isOpen`, which Node only has from 22.15 / 23.11. */
  #open = true;
  readonly #where: string;
  readonly #busyTimeout: number;
  readonly #clock: Clock;
  readonly #insert: StatementSync;
  readonly #select: StatementSync;
  readonly #update: StatementSync;
  readonly #compareAndSet: StatementSync;
  readonly #byUser: StatementSync;
  readonly #delete: StatementSync;
  readonly #clean: StatementSync;
  readonly #count: StatementSync;
  readonly #all: StatementSync;
  readonly #clear: StatementSync;

  constructor(options: SqliteStoreOptions) {
    super();
    const { path, table, busyTimeout } = checkOptions(options);
    this.#where = path === ':memory:' ? 'the in-memory database' : `"${path}"`;
    this.#busyTimeout = busyTimeout;
    this.#clock = options.clock ?? systemClock;
    try {
      this.#db = new DatabaseSync(path);
    } catch (error) {
      throw this.#failure(error, 'open');
    }
    try {
      this.#db.exec(`PRAGMA busy_timeout = ${busyTimeout}`);
      // WAL: reads go on while a write commits. NORMAL sync is durable across process crashes in WAL
      // mode (a power cut may lose the last commits), the usual trade for a session table.
      this.#db.exec('PRAGMA journal_mode = WAL');
      this.#db.exec('PRAGMA synchronous = NORMAL');
      this.#db.exec(`
        CREATE TABLE IF NOT EXISTS "${table}" (
          session_id TEXT NOT NULL PRIMARY KEY,
          user_id TEXT NOT NULL,
          expires_at INTEGER NOT NULL, -- ms since the epoch; 0 when the record's expires is unreadable
          version INTEGER NOT NULL,    -- the record's version, for compareAndSet
          record TEXT NOT NULL         -- the whole record, as JSON
        ) STRICT;
        CREATE INDEX IF NOT EXISTS "${table}_expires_at" ON "${table}" (expires_at);
        CREATE INDEX IF NOT EXISTS "${table}_user_id" ON "${table}" (user_id);
      `);
      const columns = 'user_id = ?, expires_at = ?, version = ?, record = ?';
      this.#insert = this.#db.prepare(`INSERT INTO "${table}" (user_id, expires_at, version, record, session_id) VALUES (?, ?, ?, ?, ?)`);
      this.#select = this.#db.prepare(`SELECT record FROM "${table}" WHERE session_id = ? AND expires_at > ?`);
      this.#update = this.#db.prepare(`UPDATE "${table}" SET ${columns} WHERE session_id = ?`);
      this.#compareAndSet = this.#db.prepare(`UPDATE "${table}" SET ${columns} WHERE session_id = ? AND version = ? AND expires_at > ?`);
      this.#byUser = this.#db.prepare(`SELECT record FROM "${table}" WHERE user_id = ? AND expires_at > ?`);
      this.#delete = this.#db.prepare(`DELETE FROM "${table}" WHERE session_id = ?`);
      this.#clean = this.#db.prepare(`DELETE FROM "${table}" WHERE expires_at <= ?`);
      this.#count = this.#db.prepare(`SELECT count(*) AS n FROM "${table}"`);
      this.#all = this.#db.prepare(`SELECT record FROM "${table}" ORDER BY session_id`);
      this.#clear = this.#db.prepare(`DELETE FROM "${table}"`);
      // A write that changes nothing: a read-only file fails here, at start-up, rather than at the first login.
      this.#delete.run('');
    } catch (error) {
      this.#db.close();
      throw this.#failure(error, 'open');
    }
  }

  create(record: R): void {
    this.#run('create', record.sessionId, () => this.#insert.run(...columnsOf(record), record.sessionId));
  }

  static {
    // Each answer is a new object (a copy, or parsed from storage): the Session need not copy it.
    answersWithOwnCopy(this.prototype.get);
  }

  get(sessionId: string): R | null {
    const row = this.#run('get', sessionId, () => this.#select.get(sessionId, this.#clock.now())) as { record: string } | undefined;
    return row ? (JSON.parse(row.record) as R) : null;
  }

  update(sessionId: string, record: R): void {
    this.#run('update', sessionId, () => this.#update.run(...columnsOf({ ...record, sessionId }), sessionId));
  }

  /** Writes `record` only if the stored version is `expectedVersion`: one conditional UPDATE, atomic by itself. */
  override compareAndSet(sessionId: string, expectedVersion: number, record: R): boolean {
    const columns = columnsOf({ ...record, sessionId });
    const result = this.#run('compareAndSet', sessionId, () => this.#compareAndSet.run(...columns, sessionId, expectedVersion, this.#clock.now()));
    return Number(result.changes) === 1;
  }

  /** Every live session of `userId` (an indexed lookup). */
  override listByUser(userId: string): R[] {
    const rows = this.#run('listByUser', null, () => this.#byUser.all(userId, this.#clock.now())) as { record: string }[];
    return rows.map((row) => JSON.parse(row.record) as R);
  }

  delete(sessionId: string): void {
    this.#run('delete', sessionId, () => this.#delete.run(sessionId));
  }

  /** Removes expired records (and records whose expiry cannot be read) in one indexed `DELETE`; returns how many. */
  clean(): number {
    return Number(this.#run('clean', null, () => this.#clean.run(this.#clock.now())).changes);
  }

  /** How many records are stored (expired ones included until they are cleaned). */
  count(): number {
    const row = this.#run('count', null, () => this.#count.get()) as { n: number };
    return row.n;
  }

  /**
   * Every stored record, expired ones and those whose `expires` cannot be read included, without
   * removing any: for inspection, not for requests. One `SELECT` of the whole table (a consistent
   * snapshot), in `sessionId` order; each record is parsed anew, so nothing aliases the table. A row
   * whose JSON does not parse (written by something else) is left out rather than failing the list.
   */
  override all(): R[] {
    const rows = this.#run('all', null, () => this.#all.all()) as { record: string }[];
    return rows.flatMap((row) => recordOf<R>(row.record) ?? []);
  }

  /** Removes every record. */
  clear(): void {
    this.#run('clear', null, () => this.#clear.run());
  }

  /** Closes the database. The store cannot be used afterwards. */
  close(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#db.close();
  }

  #run<T>(operation: string, sessionId: string | null, statement: () => T): T {
    try {
      return statement();
    } catch (error) {
      throw this.#failure(error, operation, sessionId);
    }
  }

  /** Turns SQLite's error into one that says what happened to this store and what to do about it. */
  #failure(error: unknown, operation: string, sessionId: string | null = null): SqliteStoreError {
    const code = (error as { errcode?: unknown }).errcode;
    const primary = typeof code === 'number' ? code & 0xff : undefined;
    const cause = { cause: error };
    if (code === SQLITE_CONSTRAINT_PRIMARYKEY) {
      return new SqliteStoreError('duplicate-id', `SqliteStore.create: a session with id "${sessionId}" already exists.`, 'Use update() to change it.', cause);
    }
    if (primary === SQLITE_READONLY) {
      return new SqliteStoreError(
        'read-only',
        `SqliteStore cannot write to ${this.#where} (${operation}): the database is read-only.`,
        'Give the server write access to the file and to its folder, where SQLite keeps its -wal and -shm files.',
        cause,
      );
    }
    if (primary === SQLITE_BUSY || primary === SQLITE_LOCKED) {
      return new SqliteStoreError(
        'locked',
        `SqliteStore could not use ${this.#where} (${operation}): another connection kept it locked for more than ${this.#busyTimeout} ms.`,
        "Keep other writers' transactions short, or raise the busyTimeout option.",
        cause,
      );
    }
    if (primary === SQLITE_FULL) {
      return new SqliteStoreError(
        'quota-exceeded',
        `SqliteStore cannot write to ${this.#where} (${operation}): the disk is full.`,
        'Free disk space; calling clean() removes expired sessions.',
        cause,
      );
    }
    if (primary === SQLITE_CANTOPEN) {
      return new SqliteStoreError(
        'unavailable',
        `SqliteStore cannot open ${this.#where}.`,
        'Check that its folder exists and that the server may create files in it.',
        cause,
      );
    }
    // At start-up, a table of that name with other columns is the usual cause.
    const hint = operation === 'open' ? 'If the table already exists for something else, pass another `table` name.' : 'Retry; if it keeps failing, check the database file with the sqlite3 tool.';
    return new SqliteStoreError('failed', `SqliteStore ${operation} on ${this.#where} failed: ${describeError(error)}.`, hint, cause);
  }
}

/**
 * The indexed columns beside the JSON: user id, expiry in ms, version, record. An unreadable
 * `expires` counts as long expired (0): `get` never returns such a record and the next `clean()`
 * removes it (fail closed; FluidAuth kept them forever). A record without a version is version 0.
 */
function columnsOf(record: ISessionData): [string, number, number, string] {
  const at = Date.parse(record.expires);
  const version = (record as Partial<SessionRecord>).version;
  return [String(record.userId), Number.isNaN(at) ? 0 : at, typeof version === 'number' && Number.isInteger(version) ? version : 0, JSON.stringify(record)];
}

function checkOptions(options: SqliteStoreOptions): { path: string; table: string; busyTimeout: number } {
  const path: unknown = options?.path;
  if (typeof path !== 'string' || path.length === 0) {
    throw new SessionConfigError(
      `SqliteStore needs a path, got ${JSON.stringify(path)}.`,
      'Pass { path: "sessions.db" } (a file, created when missing) or { path: ":memory:" } for tests.',
    );
  }
  const table = options.table ?? 'sessions';
  if (typeof table !== 'string' || !TABLE_NAME.test(table)) {
    throw new SessionConfigError(
      `SqliteStore table name ${JSON.stringify(table)} is not allowed.`,
      'Use letters, digits and _ (not starting with a digit, at most 63 characters), e.g. "sessions".',
    );
  }
  const busyTimeout = options.busyTimeout ?? 1000;
  if (typeof busyTimeout !== 'number' || !Number.isInteger(busyTimeout) || busyTimeout < 0) {
    throw new SessionConfigError(
      `SqliteStore busyTimeout must be a whole number of milliseconds, got ${JSON.stringify(busyTimeout)}.`,
      'For example busyTimeout: 1000.',
    );
  }
  return { path, table, busyTimeout };
}
