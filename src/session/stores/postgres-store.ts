/**
 * `sessionlab/postgres`: sessions in a PostgreSQL table (PostgreSQL 11 or later), through the
 * application's own `pg` pool (node-postgres 8.11 or later). Every app process that uses the same
 * database and table shares the same sessions. The table is created and upgraded by `migrate()`
 * (or by SQL you run yourself), never silently on start.
 */
import { SessionConfigError, StoreError, type StoreErrorReason } from '../errors.ts';
import { BaseSessionStore, answersWithOwnCopy } from './base-session-store.ts';
import { systemClock, type Clock, type ISessionData, type SessionRecord } from '../types.ts';
import { recordOf } from './record-json.ts';
import { POSTGRES_SCHEMA_VERSION, migrationStatements, postgresNames, type PostgresNames, type PostgresTableOptions } from './postgres-schema.ts';

export { POSTGRES_SCHEMA_VERSION, postgresMigrationSql } from './postgres-schema.ts';
export type { PostgresTableOptions } from './postgres-schema.ts';

/** What one query answers: node-postgres's `QueryResult`, reduced to what the store reads. */
export interface PostgresQueryResult {
  rows: Record<string, unknown>[];
  rowCount: number | null;
}

/**
 * What the store needs of the database: `query(text, values)`. A `Pool` from `pg` has it (so do a
 * `Client` and a pool's client); the store never connects, ends or reconfigures it. A text without
 * values may hold several statements (node-postgres then answers with one result each): only
 * `migrate()` sends such a text.
 */
export interface PostgresQueryable {
  query(text: string, values?: unknown[]): Promise<PostgresQueryResult | PostgresQueryResult[]>;
}

export interface PostgresStoreOptions extends PostgresTableOptions {
  /**
   * The application's `Pool` from `pg`. Give it an `'error'` listener, as node-postgres asks of
   * every application (an idle connection the server ends is reported there), and a
   * `connectionTimeoutMillis`, so that a database that does not answer fails requests in time.
   */
  pool: PostgresQueryable;
  /** How many expired sessions one `DELETE` of `clean()` removes at most. Default 1000. */
  cleanBatchSize?: number;
  /** Where "now" comes from for `get`, `clean()`, `compareAndSet` and `listByUser`. Default: the system clock. */
  clock?: Clock;
}

/** What `migrate()` did: the table's schema version before and after. Equal when there was nothing to do. */
export interface PostgresMigration {
  from: number;
  to: number;
}

/**
 * A failed `PostgresStore` call, in the store-error shape every store shares: `reason` classifies
 * it, `hint` says what to do, `cause` holds node-postgres's error, and `code` its SQLSTATE (or the
 * system's error code, such as `ECONNREFUSED`) when it had one.
 */
export class PostgresStoreError extends StoreError {
  override readonly name = 'PostgresStoreError';
  readonly code: string | undefined;

  constructor(reason: StoreErrorReason, problem: string, hint: string, options?: { cause?: unknown; code?: string | undefined }) {
    super(reason, problem, hint, options?.cause === undefined ? {} : { cause: options.cause });
    this.code = options?.code;
  }
}

/** The record's expiry as an instant: `$n` holds milliseconds since the epoch (or -Infinity). */
const instant = (n: number): string => `to_timestamp($${n}::float8 / 1000)`;
/** The earliest instant PostgreSQL's timestamptz holds (4713 BC); anything before is as expired as -infinity. */
const EARLIEST = -210_866_803_200_000;

/**
 * Sessions in a PostgreSQL table: the record whole as `json`, beside the columns queries need (user
 * id, expiry as `timestamptz`, version), so `get` is one primary-key lookup, `listByUser` one indexed
 * `SELECT`, `compareAndSet` one conditional `UPDATE`, and `clean()` indexed `DELETE`s of at most
 * `cleanBatchSize` rows each, so it never holds many row locks for long. Times are compared with the
 * application's clock, not the database's.
 *
 * Call `migrate()` once before use (at deploy time, or at start: it is idempotent and safe to run
 * from several servers at once); a store used on a table that was never migrated fails with a
 * `PostgresStoreError` that says so.
 *
 * @example
 * import pg from 'pg';
 * import { PostgresStore } from 'sessionlab/postgres';
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: 2000 });
 * pool.on('error', (error) => console.error('postgres:', error.message));
 * const store = new PostgresStore({ pool });
 * await store.migrate();
 * const session = new Session({ secret: process.env.SESSION_SECRET!, store });
 */
export class PostgresStore<R extends ISessionData = SessionRecord> extends BaseSessionStore<R> {
  readonly #pool: PostgresQueryable;
  readonly #names: PostgresNames;
  readonly #batch: number;
  readonly #clock: Clock;
  readonly #sql: ReturnType<typeof statements>;

  constructor(options: PostgresStoreOptions) {
    super();
    const pool: unknown = options?.pool;
    if (typeof pool !== 'object' || pool === null || typeof (pool as PostgresQueryable).query !== 'function') {
      throw new SessionConfigError(
        'PostgresStore needs a pg Pool as { pool }.',
        "Create one with new Pool({ connectionString }) from 'pg' (and pool.on('error', ...)), and pass it in.",
      );
    }
    const batch = options.cleanBatchSize ?? 1000;
    if (typeof batch !== 'number' || !Number.isInteger(batch) || batch < 1) {
      throw new SessionConfigError(`PostgresStore cleanBatchSize must be a whole number of at least 1, got ${JSON.stringify(batch)}.`, 'For example cleanBatchSize: 1000.');
    }
    this.#pool = options.pool;
    this.#names = postgresNames(options);
    this.#batch = batch;
    this.#clock = options.clock ?? systemClock;
    this.#sql = statements(this.#names);
  }

  /**
   * Creates the sessions table, or brings it up to `POSTGRES_SCHEMA_VERSION`: in one transaction,
   * under an advisory lock, so servers that start together wait for each other instead of racing.
   * When the table is already up to date it only reads its version, so a role that may not create
   * tables can call it at every start; bringing the table up to date needs one that may.
   */
  async migrate(): Promise<PostgresMigration> {
    const current = await this.#schemaVersion();
    if (current >= POSTGRES_SCHEMA_VERSION) return { from: current, to: current };
    const results = await this.#query('migrate', null, migrationStatements(this.#names));
    const versions = (Array.isArray(results) ? results : [results]).filter((result) => result.rows[0]?.['version'] !== undefined);
    return { from: Number(versions[0]?.rows[0]?.['version']), to: Number(versions.at(-1)?.rows[0]?.['version']) };
  }

  /** The version recorded in the migrations table; 0 when there is no such table yet. */
  async #schemaVersion(): Promise<number> {
    const { rows } = await this.#rows('migrate', null, 'SELECT to_regclass($1) IS NOT NULL AS found', [this.#names.migrations]);
    if (rows[0]?.['found'] !== true) return 0;
    const { rows: versions } = await this.#rows('migrate', null, `SELECT coalesce(max(version), 0) AS version FROM ${this.#names.migrations}`, []);
    return Number(versions[0]?.['version'] ?? 0);
  }

  async create(record: R): Promise<void> {
    const result = await this.#write('create', this.#sql.insert, record.sessionId, record);
    if (result.rowCount === 0) {
      throw new PostgresStoreError('duplicate-id', `PostgresStore.create() on ${this.#names.display}: a session with id "${record.sessionId}" already exists.`, 'Use update() to change it.');
    }
  }

  static {
    // Each answer is parsed anew from the database: the Session need not copy it.
    answersWithOwnCopy(this.prototype.get);
  }

  async get(sessionId: string): Promise<R | null> {
    const { rows } = await this.#rows('get', sessionId, this.#sql.select, [sessionId, this.#clock.now()]);
    return rows[0] ? (JSON.parse(String(rows[0]['record'])) as R) : null;
  }

  /** Replaces the record of `sessionId`; writes nothing when there is none. */
  async update(sessionId: string, record: R): Promise<void> {
    await this.#write('update', this.#sql.update, sessionId, { ...record, sessionId });
  }

  /** Writes `record` only if the live stored record's version is `expectedVersion`: one conditional `UPDATE`, atomic by itself. */
  override async compareAndSet(sessionId: string, expectedVersion: number, record: R): Promise<boolean> {
    // Stored versions are whole numbers: no other expected version can match.
    if (!Number.isSafeInteger(expectedVersion)) return false;
    const result = await this.#write('compareAndSet', this.#sql.compareAndSet, sessionId, { ...record, sessionId }, [expectedVersion, this.#clock.now()]);
    return result.rowCount === 1;
  }

  /** Every live session of `userId` (an indexed lookup). */
  override async listByUser(userId: string): Promise<R[]> {
    const { rows } = await this.#rows('listByUser', null, this.#sql.byUser, [String(userId), this.#clock.now()]);
    return rows.map((row) => JSON.parse(String(row['record'])) as R);
  }

  async delete(sessionId: string): Promise<void> {
    await this.#rows('delete', sessionId, this.#sql.delete, [sessionId]);
  }

  /**
   * Removes expired sessions (and those whose expiry cannot be read) and returns how many. Each
   * `DELETE` removes at most `cleanBatchSize` of them, found through the expiry index and skipping
   * rows another transaction holds (a session being extended right now), and commits by itself:
   * no lock is held for long, and servers cleaning at the same time share the work.
   */
  async clean(): Promise<number> {
    const now = this.#clock.now();
    let removed = 0;
    for (;;) {
      const { rowCount } = await this.#rows('clean', null, this.#sql.cleanBatch, [now, this.#batch]);
      removed += rowCount ?? 0;
      if ((rowCount ?? 0) < this.#batch) return removed;
    }
  }

  /** How many sessions are stored (expired ones included until they are cleaned). */
  async count(): Promise<number> {
    const { rows } = await this.#rows('count', null, this.#sql.count, []);
    return Number(rows[0]?.['n'] ?? 0);
  }

  /**
   * Every stored record, expired ones and those whose `expires` cannot be read included, without
   * removing any: for inspection, not for requests. One `SELECT` of the whole table (a consistent
   * snapshot), in `sessionId` order, brought whole into memory; each record parsed anew.
   */
  override async all(): Promise<R[]> {
    const { rows } = await this.#rows('all', null, this.#sql.all, []);
    return rows.flatMap((row) => recordOf<R>(String(row['record'])) ?? []);
  }

  /** Removes every session in the table. */
  async clear(): Promise<void> {
    await this.#rows('clear', null, this.#sql.clear, []);
  }

  #write(operation: string, text: string, sessionId: string, record: R, extra: unknown[] = []): Promise<PostgresQueryResult> {
    return this.#rows(operation, sessionId, text, [sessionId, ...columnsOf(record), ...extra]);
  }

  async #rows(operation: string, sessionId: string | null, text: string, values: unknown[]): Promise<PostgresQueryResult> {
    const result = await this.#query(operation, sessionId, text, values);
    return Array.isArray(result) ? result[result.length - 1]! : result;
  }

  async #query(operation: string, sessionId: string | null, text: string, values?: unknown[]): Promise<PostgresQueryResult | PostgresQueryResult[]> {
    try {
      return await (values === undefined ? this.#pool.query(text) : this.#pool.query(text, values));
    } catch (error) {
      throw postgresFailure(error, `PostgresStore.${operation}()${sessionId === null ? '' : ` of "${sessionId}"`} on ${this.#names.display}`);
    }
  }
}

/** The store's statements, for one table. `$1` is always the session id in writes. */
function statements(names: PostgresNames) {
  const { table } = names;
  const set = `user_id = $2, expires_at = ${instant(3)}, version = $4, record = $5`;
  const expired = `expires_at <= ${instant(1)}`;
  return {
    insert: `INSERT INTO ${table} (session_id, user_id, expires_at, version, record) VALUES ($1, $2, ${instant(3)}, $4, $5) ON CONFLICT (session_id) DO NOTHING`,
    select: `SELECT record::text AS record FROM ${table} WHERE session_id = $1 AND expires_at > ${instant(2)}`,
    update: `UPDATE ${table} SET ${set} WHERE session_id = $1`,
    compareAndSet: `UPDATE ${table} SET ${set} WHERE session_id = $1 AND version = $6 AND expires_at > ${instant(7)}`,
    byUser: `SELECT record::text AS record FROM ${table} WHERE user_id = $1 AND expires_at > ${instant(2)}`,
    delete: `DELETE FROM ${table} WHERE session_id = $1`,
    // The batch is found through the expiry index (oldest first), locked, skipping rows another
    // transaction holds; then deleted by row address (a TID scan). The outer condition is checked
    // again on the row as it is when deleted: a session extended meanwhile stays.
    cleanBatch: `DELETE FROM ${table} WHERE ctid = ANY (ARRAY(
      SELECT ctid FROM ${table} WHERE ${expired} ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED
    )) AND ${expired}`,
    count: `SELECT count(*) AS n FROM ${table}`,
    all: `SELECT record::text AS record FROM ${table} ORDER BY session_id`,
    clear: `DELETE FROM ${table}`,
  };
}

/**
 * The columns beside the JSON, as `$2`..`$5`: user id, expiry in ms, version, record. An unreadable
 * `expires` counts as long expired (-Infinity, stored as '-infinity'): `get` never returns such a
 * record and the next `clean()` removes it (fail closed). A record without a whole-number version is
 * version 0, as in the other stores.
 */
function columnsOf(record: ISessionData): [string, number, number, string] {
  const at = Date.parse(record.expires);
  const version = (record as Partial<SessionRecord>).version;
  return [
    String(record.userId),
    Number.isNaN(at) || at < EARLIEST ? -Infinity : at,
    typeof version === 'number' && Number.isSafeInteger(version) ? version : 0,
    JSON.stringify(record),
  ];
}

/** The system's error codes for a server that cannot be reached at all. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT']);

/** node-postgres's (or the system's) error, as a `PostgresStoreError` that says what happened to `what` and what to do. */
function postgresFailure(error: unknown, what: string): PostgresStoreError {
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : undefined;
  const message = error instanceof Error ? error.message : String(error);
  const fail = (reason: StoreErrorReason, problem: string, hint: string): PostgresStoreError =>
    new PostgresStoreError(reason, `${what} failed: ${problem} (${code ? `${code}: ` : ''}${message}).`, hint, { cause: error, code });
  const down = 'Check that PostgreSQL is running and reachable at the address the pool was given; the pool reconnects by itself once it is back.';

  if (code === '23505') return fail('duplicate-id', 'a session with that id already exists', 'Use update() to change it.');
  if (code === '25006') {
    return fail('read-only', 'the database accepts no writes (a read-only transaction, or a standby)', 'Point the pool at the primary, or turn off default_transaction_read_only for its role or database.');
  }
  if (code === '57014') {
    return fail('timeout', 'the statement was cancelled (statement_timeout, or cancelled by an operator)', 'Look for long-held locks on the sessions table (pg_stat_activity), or raise statement_timeout for the pool\'s role.');
  }
  if (code === '55P03' || code === '40P01') {
    return fail('locked', 'another transaction held a lock on the sessions table for too long', 'Keep other transactions on the sessions table short, or raise lock_timeout for the pool\'s role.');
  }
  if (code === '53100') return fail('quota-exceeded', 'the database server is out of disk space', 'Free disk space on the database server; clean() removes expired sessions.');
  if (code === '42P01' || code === '42703') {
    return fail(
      'failed',
      'the sessions table is missing, or older than this version of sessionlab needs',
      'Run `await store.migrate()` once before use (or the SQL of postgresMigrationSql()). If a table of that name was made for something else, pass another `table` name.',
    );
  }
  if (code === '42501') {
    return fail(
      'failed',
      'the pool\'s role lacks a privilege on the sessions table or its schema',
      'Run migrate() once with a role that may create tables in the schema (the table\'s owner); the application\'s role needs SELECT, INSERT, UPDATE and DELETE on the table.',
    );
  }
  if (code === '28000' || code === '28P01') return fail('unavailable', 'the database refused the pool\'s credentials', 'Check the user and password in the pool\'s configuration, and pg_hba.conf.');
  if (code === '3D000') return fail('unavailable', 'the database does not exist', 'Check the database name in the pool\'s configuration, or create it.');
  if (code?.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300') {
    return fail('unavailable', 'the connection to PostgreSQL failed or was ended by the server', down);
  }
  if (code !== undefined && UNREACHABLE.has(code)) return fail('unavailable', 'PostgreSQL cannot be reached', down);
  // node-postgres's own words for a connection that broke under a query, or one used after it broke.
  if (message === 'Connection terminated unexpectedly' || message === 'Client has encountered a connection error and is not queryable') {
    return fail('unavailable', 'the connection to PostgreSQL was lost', down);
  }
  if (/timeout exceeded when trying to connect|Connection terminated due to connection timeout|^timeout expired$|^Query read timeout$/.test(message)) {
    return fail(
      'timeout',
      'no connection or answer in time',
      'Check that PostgreSQL is reachable; if it is, the pool may be too small for the load (raise max) or its connectionTimeoutMillis / query_timeout too short.',
    );
  }
  return fail('failed', 'PostgreSQL reported an error', 'See `cause` for PostgreSQL\'s own error; if the pool was ended, the store cannot be used any more.');
}
