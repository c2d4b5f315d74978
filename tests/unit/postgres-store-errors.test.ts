/**
 * How PostgresStore reads its options, what it sends, and how it words node-postgres's failures,
 * with a stand-in pool that answers or fails as node-postgres does (a server error carries its
 * SQLSTATE as `code`; a socket error the system's code; the pool's own failures only a message).
 * Failures a real server gives on demand (a missing table, a read-only connection, a statement
 * timeout, a closed port) are tested against PostgreSQL in postgres-store.test.ts.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SessionConfigError } from 'sessionlab';
import { PostgresStore, PostgresStoreError, postgresMigrationSql, type PostgresQueryable, type PostgresQueryResult } from 'sessionlab/postgres';
import { ManualClock, MINUTE, recordAt } from '../support/harness.ts';

interface Sent {
  text: string;
  values: unknown[] | undefined;
}

/** A pool that records what is sent and answers each query with `answer(text)` (by default no rows). */
function standIn(answer: (text: string, values: unknown[] | undefined) => PostgresQueryResult | PostgresQueryResult[] = () => ({ rows: [], rowCount: 0 })): {
  pool: PostgresQueryable;
  sent: Sent[];
} {
  const sent: Sent[] = [];
  return {
    sent,
    pool: {
      query: async (text, values) => {
        sent.push({ text, values });
        return answer(text, values);
      },
    },
  };
}

/** A pool every query of which fails with `failure`. */
const failingPool = (failure: unknown): PostgresQueryable => ({ query: () => Promise.reject(failure) });

async function failureOf(failure: unknown, call: (store: PostgresStore) => Promise<unknown> = (store) => store.get('a')): Promise<PostgresStoreError> {
  const caught = await call(new PostgresStore({ pool: failingPool(failure) })).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(caught).toBeInstanceOf(PostgresStoreError);
  return caught as PostgresStoreError;
}

/** node-postgres's error for SQLSTATE `code`. */
const serverError = (code: string, message = 'the server said no'): Error => Object.assign(new Error(message), { code });

afterEach(() => {
  vi.useRealTimers();
});

describe('PostgresStore options', () => {
  it.each([
    ['no options at all', undefined, /needs a pg Pool as \{ pool \}/],
    ['a null pool', { pool: null }, /needs a pg Pool/],
    ['a connection string instead of a pool', { pool: 'postgres://localhost/app' }, /needs a pg Pool/],
    ['a cleanBatchSize that is a numeric string', { pool: standIn().pool, cleanBatchSize: '100' }, /cleanBatchSize must be a whole number of at least 1, got "100"/],
    ['a negative cleanBatchSize', { pool: standIn().pool, cleanBatchSize: -5 }, /cleanBatchSize must be a whole number of at least 1, got -5/],
    ['a table name that is not a string', { pool: standIn().pool, table: ['sessions'] }, /table name \["sessions"\] is not allowed/],
    ['a schema name that is not a string', { pool: standIn().pool, schema: 5 }, /schema name 5 is not allowed/],
    ['an empty table name', { pool: standIn().pool, table: '' }, /table name "" is not allowed/],
  ])('refuses %s with a SessionConfigError', (_, options, message) => {
    expect(() => new PostgresStore(options as never)).toThrow(SessionConfigError);
    expect(() => new PostgresStore(options as never)).toThrow(message);
  });

  it.each([
    ['a one-letter name', 'a'],
    ['a name that starts with _', '_sessions'],
    ['a name of 48 characters, the longest allowed', 's'.repeat(48)],
    ['upper and lower case letters, digits and _', 'Web_Sessions_2'],
  ])('accepts %s as table and schema name', async (_, name) => {
    const { pool, sent } = standIn();
    await new PostgresStore({ pool, table: name, schema: name }).delete('x');
    expect(sent[0]?.text).toBe(`DELETE FROM "${name}"."${name}" WHERE session_id = $1`);
  });

  it('accepts a cleanBatchSize of 1: clean() then deletes one session per DELETE', async () => {
    let left = 2;
    const { pool, sent } = standIn(() => ({ rows: [], rowCount: left-- > 0 ? 1 : 0 }));
    const store = new PostgresStore({ pool, cleanBatchSize: 1, clock: new ManualClock(1_000) });
    expect(await store.clean()).toBe(2);
    expect(sent.map((query) => query.values)).toEqual([
      [1_000, 1],
      [1_000, 1],
      [1_000, 1],
    ]);
  });

  it('cleans in batches of 1,000 by default', async () => {
    const { pool, sent } = standIn(() => ({ rows: [], rowCount: 0 }));
    await new PostgresStore({ pool, clock: new ManualClock(5) }).clean();
    expect(sent.map((query) => query.values)).toEqual([[5, 1000]]);
  });

  it('counts a DELETE that reports no row count as removing none', async () => {
    const { pool } = standIn(() => ({ rows: [], rowCount: null }));
    expect(await new PostgresStore({ pool }).clean()).toBe(0);
  });

  it('keeps sessions in a table named "sessions" by default, where the connection\'s search_path puts it', async () => {
    const { pool, sent } = standIn();
    await new PostgresStore({ pool }).delete('x');
    expect(sent[0]?.text).toBe('DELETE FROM "sessions" WHERE session_id = $1');
  });

  it('reads "now" from the system clock when no clock is given', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.parse('2030-01-02T03:04:05.678Z') });
    const { pool, sent } = standIn();
    await new PostgresStore({ pool }).get('a');
    expect(sent[0]?.values).toEqual(['a', Date.parse('2030-01-02T03:04:05.678Z')]);
  });
});

describe('postgresMigrationSql()', () => {
  it('without options, creates the table "sessions" and its migrations table', () => {
    const sql = postgresMigrationSql();
    expect(sql).toContain('CREATE TABLE "sessions" (');
    expect(sql).toContain('CREATE TABLE IF NOT EXISTS "sessions_migrations" (');
  });

  it('names the indexes after the table, in the table\'s schema', () => {
    const sql = postgresMigrationSql({ schema: 'app', table: 'web' });
    expect(sql).toContain('CREATE INDEX "web_expires_at" ON "app"."web" (expires_at);');
    expect(sql).toContain('CREATE INDEX "web_user_id" ON "app"."web" (user_id);');
  });
});

describe('what PostgresStore sends', () => {
  it('stores a record whose expiry is before the earliest instant PostgreSQL holds (4713 BC) as long expired, -Infinity', async () => {
    const earliest = -210_866_803_200_000;
    const { pool, sent } = standIn(() => ({ rows: [], rowCount: 1 }));
    const store = new PostgresStore({ pool });
    await store.create({ ...recordAt(new ManualClock(), 'before', MINUTE), expires: new Date(earliest - 1).toISOString() });
    await store.create({ ...recordAt(new ManualClock(), 'at', MINUTE), expires: new Date(earliest).toISOString() });
    expect(sent.map((query) => query.values?.[2])).toEqual([-Infinity, earliest]);
  });

  it('stores a version that is not a whole number as version 0, as the other stores read it', async () => {
    const { pool, sent } = standIn(() => ({ rows: [], rowCount: 1 }));
    const store = new PostgresStore({ pool });
    await store.create({ ...recordAt(new ManualClock(), 'a', MINUTE), version: 1.5 });
    await store.create({ ...recordAt(new ManualClock(), 'b', MINUTE), version: 2 ** 53 });
    await store.create({ ...recordAt(new ManualClock(), 'c', MINUTE), version: 3 });
    expect(sent.map((query) => query.values?.[3])).toEqual([0, 0, 3]);
  });

  it('keeps an updated record under the id it was given, whatever sessionId the record carries', async () => {
    const { pool, sent } = standIn(() => ({ rows: [], rowCount: 1 }));
    const store = new PostgresStore({ pool, clock: new ManualClock(7) });
    const other = recordAt(new ManualClock(), 'other', MINUTE);
    await store.update('a', other);
    expect(await store.compareAndSet('a', 0, other)).toBe(true);
    for (const { values } of sent) {
      expect(values?.[0]).toBe('a');
      expect(JSON.parse(String(values?.[4]))).toEqual({ ...other, sessionId: 'a' });
    }
    expect(sent[1]?.values?.slice(5)).toEqual([0, 7]);
  });

  it('answers false from compareAndSet() when no row was written', async () => {
    const { pool } = standIn(() => ({ rows: [], rowCount: 0 }));
    expect(await new PostgresStore({ pool }).compareAndSet('a', 0, recordAt(new ManualClock(), 'a', MINUTE))).toBe(false);
  });

  it('reads the last answer when the pool answers one per statement', async () => {
    const record = recordAt(new ManualClock(), 'a', MINUTE);
    const { pool } = standIn(() => [
      { rows: [], rowCount: 0 },
      { rows: [{ record: JSON.stringify(record) }], rowCount: 1 },
    ]);
    expect(await new PostgresStore({ pool }).get('a')).toEqual(record);
  });

  it('counts what the database counts (a bigint arrives as a string)', async () => {
    const { pool } = standIn(() => ({ rows: [{ n: '42' }], rowCount: 1 }));
    expect(await new PostgresStore({ pool }).count()).toBe(42);
  });
});

describe('migrate()', () => {
  /** A pool for a table at schema `version` (0: no migrations table yet). */
  const atVersion = (version: number): { pool: PostgresQueryable; sent: Sent[] } =>
    standIn((text) => {
      if (text.startsWith('SELECT to_regclass')) return { rows: [{ found: version > 0 }], rowCount: 1 };
      if (text.startsWith('SELECT coalesce')) return { rows: [{ version }], rowCount: 1 };
      return [
        { rows: [{ pg_advisory_xact_lock: '' }], rowCount: 1 },
        { rows: [], rowCount: null },
        { rows: [{ version }], rowCount: 1 },
        { rows: [], rowCount: null },
        { rows: [{ version: 1 }], rowCount: 1 },
      ];
    });

  it('leaves a table a newer release already migrated further alone, and says so', async () => {
    const { pool, sent } = atVersion(2);
    expect(await new PostgresStore({ pool }).migrate()).toEqual({ from: 2, to: 2 });
    expect(sent.some((query) => query.text.includes('CREATE TABLE'))).toBe(false);
  });

  it('reports the version before and after, read from the migration\'s own answers', async () => {
    const { pool, sent } = atVersion(0);
    expect(await new PostgresStore({ pool }).migrate()).toEqual({ from: 0, to: 1 });
    expect(sent.at(-1)?.values).toBeUndefined();
  });

  it('names migrate() when the migration itself fails', async () => {
    const failure = serverError('42501');
    const store = new PostgresStore({
      pool: {
        query: async (text) => {
          if (text.startsWith('SELECT to_regclass')) return { rows: [{ found: false }], rowCount: 1 };
          throw failure;
        },
      },
    });
    const error = await store.migrate().catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ name: 'PostgresStoreError', reason: 'failed', code: '42501', cause: failure });
    expect((error as Error).message.startsWith('PostgresStore.migrate() on sessions failed: ')).toBe(true);
  });

  it('names migrate() when reading the version of an existing table fails', async () => {
    const failure = serverError('42501');
    const store = new PostgresStore({
      pool: {
        query: async (text) => {
          if (text.startsWith('SELECT to_regclass')) return { rows: [{ found: true }], rowCount: 1 };
          throw failure;
        },
      },
    });
    const error = await store.migrate().catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ name: 'PostgresStoreError', code: '42501', cause: failure });
    expect((error as Error).message.startsWith('PostgresStore.migrate() on sessions failed: ')).toBe(true);
  });

  it('reads a pool that answers the migration with one result as both the version before and after', async () => {
    const { pool } = standIn((text) =>
      text.startsWith('SELECT to_regclass') ? { rows: [{ found: false }], rowCount: 1 } : { rows: [{ version: 1 }], rowCount: 1 },
    );
    expect(await new PostgresStore({ pool }).migrate()).toEqual({ from: 1, to: 1 });
  });

  it('looks for the migrations table by its quoted, qualified name', async () => {
    const { pool, sent } = atVersion(0);
    await new PostgresStore({ pool, schema: 'app', table: 'web' }).migrate();
    expect(sent[0]?.values).toEqual(['"app"."web_migrations"']);
  });
});

describe('PostgresStore failures, by what PostgreSQL or node-postgres said', () => {
  it.each([
    ['23505', 'duplicate-id', /Use update\(\)/],
    ['25006', 'read-only', /primary/],
    ['57014', 'timeout', /statement_timeout/],
    ['55P03', 'locked', /lock_timeout/],
    ['40P01', 'locked', /lock_timeout/],
    ['53100', 'quota-exceeded', /Free disk space/],
    ['42P01', 'failed', /store\.migrate\(\)/],
    ['42703', 'failed', /store\.migrate\(\)/],
    ['42501', 'failed', /role that may create tables/],
    ['28000', 'unavailable', /user and password/],
    ['28P01', 'unavailable', /user and password/],
    ['3D000', 'unavailable', /database name/],
    ['08000', 'unavailable', /running and reachable/],
    ['08001', 'unavailable', /running and reachable/],
    ['08006', 'unavailable', /running and reachable/],
    ['57P01', 'unavailable', /running and reachable/],
    ['57P02', 'unavailable', /running and reachable/],
    ['57P03', 'unavailable', /running and reachable/],
    ['53300', 'unavailable', /running and reachable/],
    ['XX000', 'failed', /See `cause`/],
  ])('SQLSTATE %s is reason "%s", with its hint, its code and the original error', async (code, reason, hint) => {
    const cause = serverError(code);
    const error = await failureOf(cause);
    expect(error).toMatchObject({ reason, code, cause, name: 'PostgresStoreError', hint: expect.stringMatching(hint) });
    expect(error.message).toContain(`(${code}: the server said no)`);
  });

  it.each(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT'])('a socket error with code %s is reason "unavailable"', async (code) => {
    const error = await failureOf(serverError(code, 'socket trouble'));
    expect(error).toMatchObject({ reason: 'unavailable', code, hint: expect.stringMatching(/running and reachable/) });
  });

  it('a SQLSTATE that only contains 08 elsewhere is not a connection failure', async () => {
    expect(await failureOf(serverError('42808'))).toMatchObject({ reason: 'failed' });
  });

  it('a code that is not a string is no code', async () => {
    const error = await failureOf(Object.assign(new Error('odd'), { code: 23505 }));
    expect(error).toMatchObject({ reason: 'failed', code: undefined });
    expect(error.message).toContain('(odd)');
  });

  it.each([
    ['timeout exceeded when trying to connect', 'timeout'],
    ['Connection terminated due to connection timeout', 'timeout'],
    ['timeout expired', 'timeout'],
    ['Query read timeout', 'timeout'],
    ['Connection terminated unexpectedly', 'unavailable'],
    ['Client has encountered a connection error and is not queryable', 'unavailable'],
  ])('node-postgres\'s own "%s" is reason "%s"', async (message, reason) => {
    expect(await failureOf(new Error(message))).toMatchObject({ reason, code: undefined });
  });

  it.each(['a timeout expired', 'timeout expired twice', 'ERR Query read timeout', 'Query read timeout!', 'Connection terminated unexpectedly, then again'])(
    'only node-postgres\'s exact words count: "%s" is reason "failed"',
    async (message) => {
      expect(await failureOf(new Error(message))).toMatchObject({ reason: 'failed' });
    },
  );

  it('a rejection that is not an Error is reason "failed", and named in the message', async () => {
    const error = await failureOf('connection lost');
    expect(error).toMatchObject({ reason: 'failed', cause: 'connection lost', code: undefined });
    expect(error.message).toContain('(connection lost)');
  });

  it('a rejection with null is reason "failed"', async () => {
    expect(await failureOf(null)).toMatchObject({ reason: 'failed', cause: null, code: undefined });
  });

  it('a duplicate create() is a PostgresStoreError without a cause', async () => {
    const { pool } = standIn(() => ({ rows: [], rowCount: 0 }));
    const error = await new PostgresStore({ pool }).create(recordAt(new ManualClock(), 'a', MINUTE)).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(PostgresStoreError);
    expect(error).toMatchObject({ reason: 'duplicate-id', code: undefined });
    expect('cause' in (error as object)).toBe(false);
  });

  it.each<[string, (store: PostgresStore) => Promise<unknown>]>([
    ['PostgresStore.create() of "a" on sessions', (store) => store.create(recordAt(new ManualClock(), 'a', MINUTE))],
    ['PostgresStore.get() of "a" on sessions', (store) => store.get('a')],
    ['PostgresStore.update() of "a" on sessions', (store) => store.update('a', recordAt(new ManualClock(), 'a', MINUTE))],
    ['PostgresStore.compareAndSet() of "a" on sessions', (store) => store.compareAndSet('a', 0, recordAt(new ManualClock(), 'a', MINUTE))],
    ['PostgresStore.delete() of "a" on sessions', (store) => store.delete('a')],
    ['PostgresStore.listByUser() on sessions', (store) => store.listByUser('ada')],
    ['PostgresStore.clean() on sessions', (store) => store.clean()],
    ['PostgresStore.count() on sessions', (store) => store.count()],
    ['PostgresStore.all() on sessions', (store) => store.all()],
    ['PostgresStore.clear() on sessions', (store) => store.clear()],
    ['PostgresStore.migrate() on sessions', (store) => store.migrate()],
  ])('names the call that failed: "%s failed: …"', async (what, call) => {
    const error = await failureOf(serverError('XX000'), call);
    expect(error.message.startsWith(`${what} failed: `)).toBe(true);
  });

  it('names the table with its schema', async () => {
    const store = new PostgresStore({ pool: failingPool(serverError('XX000')), schema: 'app', table: 'web' });
    await expect(store.count()).rejects.toThrow(/^PostgresStore\.count\(\) on app\.web failed: /);
  });
});
