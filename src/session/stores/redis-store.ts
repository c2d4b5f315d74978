/**
 * `sessionlab/redis`: sessions in Redis, through the official `redis` client (node-redis 5 or later)
 * the application creates and connects. Every app process that uses the same Redis and prefix
 * shares the same sessions.
 */
import { SessionConfigError, StoreError, describeError, type StoreErrorReason } from '../errors.ts';
import { BaseSessionStore, answersWithOwnCopy } from './base-session-store.ts';
import { systemClock, type Clock, type ISessionData, type SessionRecord } from '../types.ts';
import { recordOf } from './record-json.ts';

/**
 * The commands the store sends. A client from `createClient()` (package `redis`) has them all; the
 * store never connects, closes or reconfigures it.
 */
export interface RedisStoreClient {
  hGet(key: string, field: string): Promise<unknown>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  zRange(key: string, min: number | string, max: number | string, options?: { BY?: 'SCORE' | 'LEX' }): Promise<unknown>;
  zRem(key: string, members: string | string[]): Promise<unknown>;
  zRemRangeByScore(key: string, min: number | string, max: number | string): Promise<unknown>;
  zCard(key: string): Promise<unknown>;
}

/**
 * A `RedisStore` failure: a `StoreError` whose `reason` comes from the list every Session Lab store
 * shares — `'duplicate-id'` (create() of a taken id), `'unavailable'` (no connection), `'read-only'`
 * (a replica), `'quota-exceeded'` (Redis's maxmemory), `'locked'` (Redis busy with a long script),
 * `'failed'` — and whose `cause` is the client's error.
 */
export class RedisStoreError extends StoreError {
  override readonly name = 'RedisStoreError';
}

export interface RedisStoreOptions {
  /**
   * A connected node-redis client. Create it with `disableOfflineQueue: true`, so that while Redis
   * is down commands fail at once (the request gets a 503) instead of waiting for the Session's
   * `storeTimeout`; and give it an `'error'` listener, as node-redis asks of every application.
   */
  client: RedisStoreClient;
  /** Prepended to every key. Default `'sess:'`. */
  prefix?: string;
  /** Where "now" comes from for `get`, `clean()` and `listByUser`. Default: the system clock. */
  clock?: Clock;
}

/** Beside the records: a sorted set of every session id, scored by expiry. `#` never occurs in a Session id (base64url). */
const INDEX_SUFFIX = '#expiries';
/** Beside the records: per user, a sorted set of that user's session ids, scored by expiry. */
const USER_SUFFIX = '#user:';
/** 1 ms after the epoch: as expired as any time can be, and a valid PEXPIREAT. */
const LONG_AGO = 1;
/** How many records `all()` reads per script: no single command holds Redis up for long. */
const ALL_BATCH = 1000;

// Each write is one Lua script, so "write only if the condition holds, then index" is one atomic
// step: a duplicate create never re-scores the existing session, an update never revives a
// deleted one, and compareAndSet checks the version and writes with nothing in between.
// A record is a hash: its JSON in field `record`, its version in field `version`, beside it (as
// SqliteStore keeps it in a column), so no script ever decodes a record's JSON: the cost of a write
// does not grow with the record, and a record of any shape or depth can be written.
// KEYS: record, expiry index, user index. ARGV: record JSON, expiry (ms since the epoch), session id,
// now (ms), version.
const WRITE = `
local function write(keys, argv)
  redis.call('HSET', keys[1], 'record', argv[1], 'version', argv[5])
  -- A time already past deletes the key at once: an expired record is never stored.
  redis.call('PEXPIREAT', keys[1], argv[2])
  redis.call('ZADD', keys[2], argv[2], argv[3])
  -- The user's index forgets their expired sessions, and lives exactly as long as their last one.
  redis.call('ZREMRANGEBYSCORE', keys[3], '-inf', argv[4])
  redis.call('ZADD', keys[3], argv[2], argv[3])
  local last = redis.call('ZRANGE', keys[3], -1, -1, 'WITHSCORES')
  redis.call('PEXPIREAT', keys[3], last[2])
end
`;
const CREATE = `${WRITE}
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
write(KEYS, ARGV)
return 1`;
const UPDATE = `${WRITE}
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
write(KEYS, ARGV)
return 1`;
// ARGV[6]: the expected version.
const COMPARE_AND_SET = `${WRITE}
local version = redis.call('HGET', KEYS[1], 'version')
if not version or tonumber(version) ~= tonumber(ARGV[6]) then return 0 end
write(KEYS, ARGV)
return 1`;
// KEYS: record, expiry index. ARGV: session id. (The user's index lets go of it lazily: see listByUser.)
const DELETE = `
redis.call('ZREM', KEYS[2], ARGV[1])
return redis.call('DEL', KEYS[1])`;
// KEYS: records. The JSON of each, or false where there is none: MGET for hashes, read-only.
const READ_MANY = `
local found = {}
for i, key in ipairs(KEYS) do found[i] = redis.call('HGET', key, 'record') end
return found`;

/**
 * Sessions in Redis. Each record is one hash, `prefix + sessionId`, holding the record's JSON (field
 * `record`) and its version (field `version`, so a compare-and-set never decodes the JSON), and
 * expiring by itself at the record's `expires` (`PEXPIREAT`): Redis, not `clean()`, removes expired
 * sessions, and a record whose `expires` cannot be read is written already expired, so it never
 * exists at all.
 *
 * `clean()` stays cheap and exact: an index (a sorted set at `prefix + '#expiries'`, scored by expiry)
 * lets it retire every expired session with one `ZREMRANGEBYSCORE` and return how many there were.
 * A second index per user (`prefix + '#user:' + userId`) serves `listByUser` ("sign out
 * everywhere"); the expiry index also serves `all()`, for inspectors. No method ever scans the
 * keyspace (no `KEYS`, no `SCAN`); `get` is one `HGET`.
 *
 * `compareAndSet` lets concurrent requests of one session, in this process or another, merge their
 * changes instead of overwriting each other.
 *
 * Needs Redis 6.2 or later, one server with or without replicas. On Redis Cluster a record
 * and its indexes must share a slot: give the prefix a hash tag, e.g. `'{sess}:'` (all sessions
 * then live on one shard).
 *
 * @example
 * import { createClient } from 'redis';
 * import { RedisStore } from 'sessionlab/redis';
 * const client = createClient({ url: process.env.REDIS_URL, disableOfflineQueue: true });
 * client.on('error', (error) => console.error('redis:', error.message));
 * await client.connect();
 * const session = new Session({ secret: process.env.SESSION_SECRET!, store: new RedisStore({ client }) });
 */
export class RedisStore<R extends ISessionData = SessionRecord> extends BaseSessionStore<R> {
  /** Redis removes each record at its `expires` (`PEXPIREAT`), by Redis's clock: `clean()` only retires index entries. */
  override readonly expiresRecordsItself = true;
  readonly #client: RedisStoreClient;
  readonly #prefix: string;
  readonly #index: string;
  readonly #clock: Clock;

  constructor(options: RedisStoreOptions) {
    super();
    const client: unknown = options?.client;
    if (typeof client !== 'object' || client === null || typeof (client as RedisStoreClient).eval !== 'function') {
      throw new SessionConfigError(
        'RedisStore needs a node-redis client as { client }.',
        "Create one with createClient({ url, disableOfflineQueue: true }) from 'redis', call connect(), and pass it in.",
      );
    }
    const prefix = options.prefix ?? 'sess:';
    if (typeof prefix !== 'string') {
      throw new SessionConfigError(`RedisStore prefix must be a string, got ${JSON.stringify(prefix)}.`, "For example prefix: 'sess:'.");
    }
    this.#client = options.client;
    this.#prefix = prefix;
    this.#index = prefix + INDEX_SUFFIX;
    this.#clock = options.clock ?? systemClock;
  }

  async create(record: R): Promise<void> {
    const written = await this.#write(CREATE, record.sessionId, record);
    if (written !== 1) {
      throw new RedisStoreError('duplicate-id', `RedisStore.create: a session with id "${record.sessionId}" already exists.`, 'Use update() to change it.');
    }
  }

  static {
    // Each answer is a new object (a copy, or parsed from storage): the Session need not copy it.
    answersWithOwnCopy(this.prototype.get);
  }

  async get(sessionId: string): Promise<R | null> {
    const json = await this.#send('get', () => this.#client.hGet(this.#prefix + sessionId, 'record'));
    if (json === null || json === undefined) return null;
    const record = JSON.parse(String(json)) as R;
    // Redis drops the key at its expiry by its own clock; this also holds when the app's clock runs ahead.
    return Date.parse(record.expires) > this.#clock.now() ? record : null;
  }

  async update(sessionId: string, record: R): Promise<void> {
    await this.#write(UPDATE, sessionId, { ...record, sessionId });
  }

  /** Writes `record` only if the stored record's version is `expectedVersion`, atomically (one script). */
  override async compareAndSet(sessionId: string, expectedVersion: number, record: R): Promise<boolean> {
    return (await this.#write(COMPARE_AND_SET, sessionId, { ...record, sessionId }, String(expectedVersion))) === 1;
  }

  async delete(sessionId: string): Promise<void> {
    await this.#send('delete', () => this.#client.eval(DELETE, { keys: [this.#prefix + sessionId, this.#index], arguments: [sessionId] }));
  }

  /**
   * Every live session of `userId`: the user's index, then one read of their records. Ids whose record is gone
   * (deleted, or expired by Redis) are dropped from the index on the way.
   */
  override async listByUser(userId: string): Promise<R[]> {
    const now = this.#clock.now();
    const userIndex = this.#prefix + USER_SUFFIX + userId;
    const ids = (await this.#send('listByUser', () => this.#client.zRange(userIndex, `(${now}`, '+inf', { BY: 'SCORE' }))) as string[];
    if (ids.length === 0) return [];
    const values = await this.#readMany(ids);
    const found: R[] = [];
    const gone: string[] = [];
    values.forEach((json, position) => {
      const record = json === null ? null : recordOf<R>(json);
      if (!record || record.userId !== userId) gone.push(ids[position]!);
      else if (Date.parse(record.expires) > now) found.push(record);
    });
    if (gone.length > 0) await this.#send('listByUser', () => this.#client.zRem(userIndex, gone));
    return found;
  }

  /**
   * Retires every session whose expiry has passed from the index and returns how many there were.
   * Their records are already gone (Redis expired them), so this never touches a live session.
   * Cost: O(log n + expired).
   */
  async clean(): Promise<number> {
    return Number(await this.#send('clean', () => this.#client.zRemRangeByScore(this.#index, '-inf', this.#clock.now())));
  }

  /** How many sessions the index holds: live ones, plus expired ones until `clean()` runs. */
  async count(): Promise<number> {
    return Number(await this.#send('count', () => this.#client.zCard(this.#index)));
  }

  /**
   * Every record Redis holds under this prefix, without removing any: for inspection, not for
   * requests. Redis drops a record at its `expires` by itself, so the expired records listed are
   * those the app's clock has passed and Redis's has not; a record whose `expires` cannot be read
   * was never stored, so it is never listed. Each record is parsed anew (nothing aliases another
   * call's result), in `sessionId` order; a value that is not a record's JSON is left out.
   *
   * Cost: read from the expiry index, never by scanning the keyspace. One `ZRANGE` of every indexed
   * id, O(log n + n) for n sessions (live ones, plus expired ones until `clean()` runs), then one
   * read-only script of 1000 `HGET`s per 1000 ids, so other clients' commands run in between. It brings every session into the
   * app's memory, and it is no snapshot: a session created or deleted meanwhile may or may not be
   * listed. Ids whose record is gone stay indexed, for `clean()` to count.
   */
  override async all(): Promise<R[]> {
    const ids = ((await this.#send('all', () => this.#client.zRange(this.#index, 0, -1))) as string[]).sort();
    const found: R[] = [];
    for (let start = 0; start < ids.length; start += ALL_BATCH) {
      for (const json of await this.#readMany(ids.slice(start, start + ALL_BATCH))) {
        const record = json === null ? null : recordOf<R>(json);
        if (record) found.push(record);
      }
    }
    return found;
  }

  /** Removes every session under this prefix, by the index (not a keyspace scan). */
  async clear(): Promise<void> {
    for (;;) {
      const ids = (await this.#send('clear', () => this.#client.zRange(this.#index, 0, 999))) as string[];
      if (ids.length === 0) return;
      await Promise.all(ids.map((id) => this.delete(id)));
    }
  }

  /** The stored JSON of each id's record, in order; null where there is none. */
  async #readMany(ids: string[]): Promise<(string | null)[]> {
    const values = (await this.#send('read', () => this.#client.eval(READ_MANY, { keys: ids.map((id) => this.#prefix + id), arguments: [] }))) as unknown[];
    return values.map((json) => (typeof json === 'string' ? json : null));
  }

  /** Sends one command; a failure becomes a `RedisStoreError` that says what happened and what to do. */
  async #send<T>(operation: string, command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      throw redisFailure(operation, error);
    }
  }

  #write(script: string, sessionId: string, record: R, expectedVersion?: string): Promise<unknown> {
    const at = Date.parse(record.expires);
    // An unreadable expiry is written as long past: Redis drops the key at once, and clean() counts it.
    const expiresAt = Number.isNaN(at) || at < LONG_AGO ? LONG_AGO : at;
    // A record without a numeric version counts as version 0, as in SqliteStore.
    const version = (record as Partial<SessionRecord>).version;
    const operation = script === CREATE ? 'create' : script === UPDATE ? 'update' : 'compareAndSet';
    return this.#send(operation, () => this.#client.eval(script, {
      keys: [this.#prefix + sessionId, this.#index, this.#prefix + USER_SUFFIX + record.userId],
      arguments: [
        JSON.stringify(record),
        String(expiresAt),
        sessionId,
        String(this.#clock.now()),
        String(typeof version === 'number' && Number.isFinite(version) ? version : 0),
        ...(expectedVersion === undefined ? [] : [expectedVersion]),
      ],
    }));
  }
}

/** Redis's own error classes (the first word of its message), and the client's names for a lost connection. */
const FAILURES: readonly [RegExp, StoreErrorReason, string][] = [
  [/^OOM\b/, 'quota-exceeded', 'Redis reached its maxmemory: raise it, or set maxmemory-policy volatile-ttl so Redis drops the sessions nearest their expiry first.'],
  [/^READONLY\b/, 'read-only', 'The client is connected to a replica: connect it to the primary.'],
  [/^(BUSY|LOADING)\b/, 'locked', 'Redis is busy (a long script, or loading its data at start-up): retry in a moment.'],
];
/** node-redis's messages for a client without a connection, and the socket's error codes. */
const UNAVAILABLE = /^(The client is (closed|offline)|Socket closed unexpectedly|Connection timeout|Disconnects client)$|ECONNREFUSED|ECONNRESET|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT/;

/** A failed command as a `RedisStoreError`, classified by Redis's or the client's error. */
function redisFailure(operation: string, error: unknown): RedisStoreError {
  if (error instanceof RedisStoreError) return error;
  const what = `RedisStore.${operation}() failed: ${describeError(error)}.`;
  const message = error instanceof Error ? error.message : String(error);
  for (const [pattern, reason, hint] of FAILURES) {
    if (pattern.test(message)) return new RedisStoreError(reason, what, hint, { cause: error });
  }
  if (UNAVAILABLE.test(message) || UNAVAILABLE.test(String((error as { code?: unknown } | null)?.code ?? ''))) {
    return new RedisStoreError('unavailable', what, 'Redis cannot be reached: check that it runs and that the client is connected (the client reconnects by itself).', { cause: error });
  }
  return new RedisStoreError('failed', what, 'Retry; if it keeps failing, read the cause: it is the client\'s own error.', { cause: error });
}
