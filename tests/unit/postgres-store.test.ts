import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session, SessionConfigError, SessionStoreError } from 'sessionlab';
import { conformanceChecks, runConformance } from 'sessionlab/conformance';
import { storeUnavailable, withSession } from 'sessionlab/fetch';
import {
  POSTGRES_SCHEMA_VERSION,
  PostgresStore,
  PostgresStoreError,
  postgresMigrationSql,
  type PostgresQueryable,
  type PostgresStoreOptions,
} from '../../src/session/stores/postgres-store.ts';
import { CookieClient, ManualClock, MINUTE, SECRET, makeSession, recordAt } from '../support/harness.ts';
import { startPostgresServer, type PostgresServer } from '../support/postgres-server.ts';

let server: PostgresServer;
let pool: pg.Pool;
let tables = 0;
/** A table name no other test uses: a fresh, empty store on the shared server. */
const freshTable = (): string => `sessions_${++tables}`;

beforeAll(async () => {
  server = await startPostgresServer();
  // Twenty connections: the twenty compare-and-set writers of the conformance suite overlap in the database itself.
  pool = newPool({ max: 20 });
}, 60_000);
afterAll(async () => {
  // The server first: its shutdown ends every connection, so ending the pool cannot wait on a hung query.
  await server?.destroy();
  await pool?.end();
});

/** A pool on the test server. It listens for 'error' (an idle connection the server ended): unheard, Node would crash on it. */
function newPool(config: pg.PoolConfig = {}): pg.Pool {
  const created = new pg.Pool({ connectionString: server.url, ...config });
  created.on('error', () => undefined);
  return created;
}

/** A migrated store on `table` (by default a fresh one). */
async function freshStore(options: Partial<PostgresStoreOptions> = {}): Promise<PostgresStore> {
  const store = new PostgresStore({ pool, table: freshTable(), ...options });
  await store.migrate();
  return store;
}

/** `pool`, recording the text of every statement sent through it. */
function recording(target: PostgresQueryable): { pool: PostgresQueryable; texts: string[] } {
  const texts: string[] = [];
  return {
    texts,
    pool: {
      query: (text, values) => {
        texts.push(text);
        return values === undefined ? target.query(text) : target.query(text, values);
      },
    },
  };
}

/** `expired` sessions that expired an hour before `now` and `live` ones that expire an hour after, inserted in bulk. */
async function seed(table: string, now: number, expired: number, live: number): Promise<void> {
  await pool.query(
    `INSERT INTO "${table}" (session_id, user_id, expires_at, version, record)
     SELECT 's' || g, 'u' || g, t, 0, json_build_object('sessionId', 's' || g, 'userId', 'u' || g, 'expires', to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'version', 0)
     FROM generate_series(1, $1::int + $2::int) AS g, LATERAL (SELECT to_timestamp(($3::float8 + CASE WHEN g <= $1 THEN -3600000 ELSE 3600000 END) / 1000) AS t) AS at`,
    [expired, live, now],
  );
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  probe.close();
  await once(probe, 'close');
  return port;
}

const rejection = async (promise: Promise<unknown>): Promise<PostgresStoreError> => {
  const error = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(PostgresStoreError);
  return error as PostgresStoreError;
};

// One test per check, each running only its check: mutation testing then reruns only the checks
// that reach a mutant, not the whole suite.
describe('PostgresStore passes the store conformance suite', () => {
  it.each(conformanceChecks.map((check) => [`${check.title} (${check.level})`, check.id] as const))('%s', async (_, id) => {
    // A long deadline: under mutation testing, instrumented code on a loaded machine is many times slower.
    const [result] = await runConformance({ createStore: () => freshStore(), only: [id], timeoutMs: 60_000 });
    expect(result?.passed, result?.message).toBe(true);
  }, 60_000);
});

describe('the test server', () => {
  it('runs in a folder of its own under the temporary directory, with fsync off and no Unix socket', async () => {
    expect(server.folder.startsWith(tmpdir()) || server.folder.startsWith('/tmp/')).toBe(true);
    expect(existsSync(server.folder)).toBe(true);
    const { rows } = await pool.query("SELECT current_setting('server_version_num')::int / 10000 AS major, current_setting('fsync') AS fsync, current_setting('unix_socket_directories') AS sockets");
    expect(rows).toEqual([{ major: server.version, fsync: 'off', sockets: '' }]);
  });

  it('says how to install PostgreSQL when its binaries are missing', async () => {
    const before = process.env['POSTGRES_BIN'];
    process.env['POSTGRES_BIN'] = '/nonexistent/postgresql/bin';
    try {
      await expect(startPostgresServer()).rejects.toThrow(/holds no initdb and postgres.*apt-get install postgresql/);
    } finally {
      if (before === undefined) delete process.env['POSTGRES_BIN'];
      else process.env['POSTGRES_BIN'] = before;
    }
  });
});

describe('PostgresStore', () => {
  describe('options', () => {
    it.each([
      [{}, /needs a pg Pool as \{ pool \}.*new Pool\(\{ connectionString \}\)/],
      [{ pool: { query: 1 } }, /needs a pg Pool/],
      [{ pool: { query() {} }, table: 'sessions; DROP TABLE users' }, /table name .* is not allowed.*letters, digits and _/],
      [{ pool: { query() {} }, table: '1sessions' }, /table name .* is not allowed/],
      [{ pool: { query() {} }, table: 'x'.repeat(49) }, /at most 48 characters/],
      [{ pool: { query() {} }, schema: 'app"; --' }, /schema name .* is not allowed/],
      [{ pool: { query() {} }, cleanBatchSize: 0 }, /cleanBatchSize must be a whole number of at least 1/],
      [{ pool: { query() {} }, cleanBatchSize: 2.5 }, /cleanBatchSize must be a whole number/],
    ])('rejects bad options at construction, with a hint %#', (options, message) => {
      expect(() => new PostgresStore(options as never)).toThrow(SessionConfigError);
      expect(() => new PostgresStore(options as never)).toThrow(message);
    });

    it('takes a pg Pool as it is', () => {
      // Typed: a Pool from pg is a PostgresQueryable without a cast.
      const store: PostgresStore = new PostgresStore({ pool });
      expect(store).toBeInstanceOf(PostgresStore);
    });
  });

  describe('schema and migrate()', () => {
    it('refuses to work on a table that was never migrated, and says to run migrate()', async () => {
      const store = new PostgresStore({ pool, table: freshTable() });
      const error = await rejection(store.get('a'));
      expect(error).toMatchObject({ reason: 'failed', code: '42P01', name: 'PostgresStoreError' });
      expect(error.hint).toMatch(/Run `await store\.migrate\(\)` once before use/);
      expect(error.message).toMatch(/PostgresStore\.get\(\) of "a" on sessions_\d+ failed: the sessions table is missing/);
      expect(error.cause).toMatchObject({ code: '42P01' });
    });

    it('reaches the application as a SessionStoreError whose cause says to run migrate()', async () => {
      const { session } = makeSession({ store: new PostgresStore({ pool, table: freshTable() }) });
      const error = await new CookieClient().visit(session, (handle) => handle.login('ada')).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(SessionStoreError);
      expect((error as SessionStoreError).cause).toMatchObject({ name: 'PostgresStoreError', hint: expect.stringMatching(/migrate\(\)/) });
    });

    it('creates the table on the first run and changes nothing on the next', async () => {
      const table = freshTable();
      const store = new PostgresStore({ pool, table });
      expect(await store.migrate()).toEqual({ from: 0, to: POSTGRES_SCHEMA_VERSION });
      await store.create(recordAt(new ManualClock(Date.now()), 'kept', MINUTE));
      expect(await store.migrate()).toEqual({ from: POSTGRES_SCHEMA_VERSION, to: POSTGRES_SCHEMA_VERSION });
      expect(await store.get('kept')).toMatchObject({ sessionId: 'kept' });
      const { rows } = await pool.query(`SELECT version, description FROM "${table}_migrations"`);
      expect(rows).toEqual([{ version: 1, description: 'sessions table, with its expiry and user indexes' }]);
    });

    it('lets five servers migrate at once: one creates the table, the others wait and find it done', async () => {
      const table = freshTable();
      const results = await Promise.all(Array.from({ length: 5 }, () => new PostgresStore({ pool, table }).migrate()));
      expect(results.filter((result) => result.from === 0)).toHaveLength(1);
      expect(results.every((result) => result.to === POSTGRES_SCHEMA_VERSION)).toBe(true);
      const { rows } = await pool.query(`SELECT count(*)::int AS n FROM "${table}_migrations"`);
      expect(rows).toEqual([{ n: 1 }]);
    });

    it('undoes everything when a migration fails half-way', async () => {
      const table = freshTable();
      // A table named like the expiry index the migration creates: the migration fails at that step.
      await pool.query(`CREATE TABLE "${table}_expires_at" (x int)`);
      const error = await rejection(new PostgresStore({ pool, table }).migrate());
      expect(error.reason).toBe('failed');
      const { rows } = await pool.query(`SELECT to_regclass($1) AS sessions, to_regclass($2) AS migrations`, [table, `${table}_migrations`]);
      expect(rows).toEqual([{ sessions: null, migrations: null }]);
    });

    describe('for an application role that may not create tables', () => {
      const table = freshTable();
      // Roles belong to the whole server, which a mutation run shares between test runs: a name of this run's own.
      const appUser = `app_user_${process.pid}_${Date.now().toString(36)}`;
      let appPool: pg.Pool;
      beforeAll(async () => {
        await pool.query(`CREATE ROLE "${appUser}" LOGIN`);
        appPool = new pg.Pool({ host: '127.0.0.1', port: server.port, user: appUser, database: server.database });
        appPool.on('error', () => undefined);
      });
      afterAll(async () => {
        await appPool.end();
      });

      it('fails to create the table, with a hint to migrate with a role that may', async () => {
        const error = await rejection(new PostgresStore({ pool: appPool, table }).migrate());
        expect(error).toMatchObject({ reason: 'failed', code: '42501' });
        expect(error.hint).toMatch(/Run migrate\(\) once with a role that may create tables/);
      });

      it('only reads the version once the table is up to date, so it may call migrate() at every start', async () => {
        await new PostgresStore({ pool, table }).migrate();
        await pool.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON "${table}" TO "${appUser}"; GRANT SELECT ON "${table}_migrations" TO "${appUser}"`);
        const store = new PostgresStore({ pool: appPool, table });
        expect(await store.migrate()).toEqual({ from: 1, to: 1 });
        await store.create(recordAt(new ManualClock(Date.now()), 'a', MINUTE));
        expect(await store.clean()).toBe(0);
        expect(await store.get('a')).toMatchObject({ sessionId: 'a' });
      });
    });

    it('gives the same SQL to run by hand, in a transaction, safe to run twice', async () => {
      const table = freshTable();
      const sql = postgresMigrationSql({ table });
      expect(sql).toMatch(/^-- sessionlab\/postgres: sessions table, schema version 1\. Safe to run again\.\nBEGIN;\n/);
      expect(sql.trimEnd().endsWith('COMMIT;')).toBe(true);
      await pool.query(sql);
      await pool.query(sql);
      const store = new PostgresStore({ pool, table });
      expect(await store.migrate()).toEqual({ from: 1, to: 1 });
      await store.create(recordAt(new ManualClock(Date.now()), 'a', MINUTE));
      expect(await store.count()).toBe(1);
    });

    it('gives SQL that psql runs as it is, from a file', async () => {
      const table = freshTable();
      const file = join(server.folder, `${table}.sql`);
      writeFileSync(file, postgresMigrationSql({ table }));
      // Not execFileSync: the test server may be a relay in this very process, which a blocked event loop would stall.
      const psql = (): Promise<unknown> => promisify(execFile)(join(server.bin, 'psql'), [server.url, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', file]);
      await psql();
      await psql();
      expect(await new PostgresStore({ pool, table }).migrate()).toEqual({ from: 1, to: 1 });
    });

    it('keeps sessions in the schema it is given', async () => {
      await pool.query('CREATE SCHEMA IF NOT EXISTS app');
      const store = new PostgresStore({ pool, schema: 'app', table: 'web_sessions' });
      await store.migrate();
      await store.create(recordAt(new ManualClock(Date.now()), 'a', MINUTE));
      const { rows } = await pool.query('SELECT session_id FROM app.web_sessions');
      expect(rows).toEqual([{ session_id: 'a' }]);
    });

    it('keeps each record whole as json, beside its user, expiry and version', async () => {
      const table = freshTable();
      const store = await freshStore({ table });
      const clock = new ManualClock(Date.now());
      const stored = { ...recordAt(clock, 'a', MINUTE), version: 7, data: { text: 'nul \u0000, lone \ud800, emoji \u{1F600}' } };
      await store.create(stored);
      const { rows } = await pool.query(
        `SELECT user_id, (extract(epoch FROM expires_at) * 1000)::float8 AS expires_ms, version::int AS version, record::text AS record FROM "${table}"`,
      );
      expect(rows).toEqual([{ user_id: 'user-a', expires_ms: Date.parse(stored.expires), version: 7, record: JSON.stringify(stored) }]);
      expect(await store.get('a')).toEqual(stored);
    });

    it('stores an unreadable expiry as -infinity: never returned, removed by the next clean()', async () => {
      const table = freshTable();
      const store = await freshStore({ table });
      await store.create({ ...recordAt(new ManualClock(Date.now()), 'broken', MINUTE), expires: 'not a date' });
      const { rows } = await pool.query(`SELECT expires_at::text AS at FROM "${table}"`);
      expect(rows).toEqual([{ at: '-infinity' }]);
      expect(await store.get('broken')).toBeNull();
      expect(await store.clean()).toBe(1);
    });
  });

  describe('clear() and all()', () => {
    it('clear() removes every session of its table, live and expired, and none of another table', async () => {
      const clock = new ManualClock(Date.now());
      const store = await freshStore({ clock });
      const other = await freshStore({ clock });
      await store.create(recordAt(clock, 'live', MINUTE));
      await store.create(recordAt(clock, 'expired', -MINUTE));
      await other.create(recordAt(clock, 'elsewhere', MINUTE));
      await store.clear();
      expect(await store.count()).toBe(0);
      expect(await other.all()).toMatchObject([{ sessionId: 'elsewhere' }]);
    });

    it('all() leaves out a row whose record is valid JSON but no record (an operator wrote it by hand)', async () => {
      const table = freshTable();
      const clock = new ManualClock(Date.now());
      const store = await freshStore({ table, clock });
      await store.create(recordAt(clock, 'a', MINUTE));
      await pool.query(`INSERT INTO "${table}" (session_id, user_id, expires_at, version, record) VALUES ('b', 'u', now() + interval '1 hour', 0, '"not a record"'), ('c', 'u', now() + interval '1 hour', 0, 'null')`);
      expect((await store.all()).map((record) => record.sessionId)).toEqual(['a']);
    });
  });

  describe('compareAndSet()', () => {
    it('does not write over a session that has expired', async () => {
      const clock = new ManualClock(Date.now());
      const store = await freshStore({ clock });
      const stored = recordAt(clock, 'a', MINUTE);
      await store.create(stored);
      clock.advance(MINUTE);
      expect(await store.compareAndSet('a', 0, { ...stored, version: 1, expires: new Date(clock.now() + MINUTE).toISOString() })).toBe(false);
    });

    it('answers false for an expected version that is not a whole number, without asking the database', async () => {
      const recorder = recording(pool);
      const store = new PostgresStore({ pool: recorder.pool, table: freshTable() });
      expect(await store.compareAndSet('a', 1.5, recordAt(new ManualClock(), 'a', MINUTE))).toBe(false);
      expect(recorder.texts).toEqual([]);
    });
  });

  describe('clean()', () => {
    it('removes 2,500 expired sessions in three DELETEs of at most 1,000, counts them, and keeps the live ones', async () => {
      const clock = new ManualClock(Date.now());
      const recorder = recording(pool);
      const store = new PostgresStore({ pool: recorder.pool, table: freshTable(), clock, cleanBatchSize: 1000 });
      await store.migrate();
      const expired = Array.from({ length: 2500 }, (_, i) => recordAt(clock, `old-${i}`, -MINUTE - i));
      const live = Array.from({ length: 10 }, (_, i) => recordAt(clock, `live-${i}`, MINUTE + i));
      for (let start = 0; start < expired.length; start += 50) await Promise.all(expired.slice(start, start + 50).map((record) => store.create(record)));
      for (const record of live) await store.create(record);
      recorder.texts.length = 0;

      expect(await store.clean()).toBe(2500);
      expect(recorder.texts.filter((text) => text.startsWith('DELETE'))).toHaveLength(3);
      expect(await store.count()).toBe(10);
      expect((await store.all()).map((record) => record.sessionId).sort()).toEqual(live.map((record) => record.sessionId).sort());
      expect(await store.clean()).toBe(0);
    }, 30_000);

    it('removes 10,000 expired among 100,000 in batches, each found through the expiry index and deleted by row address', async () => {
      const table = freshTable();
      const now = Date.now();
      await new PostgresStore({ pool, table }).migrate();
      await seed(table, now, 10_000, 90_000);
      await pool.query(`ANALYZE "${table}"`);
      // Each DELETE the store sends is explained first, with its own parameters, then run.
      const plans: string[] = [];
      const explaining: PostgresQueryable = {
        async query(text, values) {
          if (text.startsWith('DELETE')) plans.push((await pool.query(`EXPLAIN ${text}`, values)).rows.map((row: Record<string, string>) => row['QUERY PLAN']).join('\n'));
          return values === undefined ? pool.query(text) : pool.query(text, values);
        },
      };
      const store = new PostgresStore({ pool: explaining, table, clock: { now: () => now } });
      expect(await store.clean()).toBe(10_000);
      expect(plans).toHaveLength(11); // ten full batches, and one that finds nothing left
      for (const plan of plans) {
        expect(plan).toMatch(new RegExp(`Index Scan using ${table}_expires_at`));
        expect(plan).toMatch(/Tid Scan/);
        expect(plan).not.toMatch(/Seq Scan/);
      }
      expect(await store.count()).toBe(90_000);
    }, 60_000);

    it('shares the work between servers cleaning at the same time, each session counted once', async () => {
      const clock = new ManualClock(Date.now());
      const table = freshTable();
      const store = await freshStore({ table, clock, cleanBatchSize: 100 });
      await seed(table, clock.now(), 2500, 10);
      const counts = await Promise.all(Array.from({ length: 3 }, () => new PostgresStore({ pool, table, clock, cleanBatchSize: 100 }).clean()));
      expect(counts.reduce((sum, count) => sum + count, 0)).toBe(2500);
      expect(await store.count()).toBe(10);
    });

    it('skips a session another transaction holds (one being extended right now) instead of waiting for it', async () => {
      const clock = new ManualClock(Date.now());
      const table = freshTable();
      // A cleaner that waited for the lock would fail here, after a second, rather than hang the test.
      const impatient = newPool({ statement_timeout: 1000 });
      const store = new PostgresStore({ pool: impatient, table, clock });
      await store.migrate();
      await store.create(recordAt(clock, 'busy', -MINUTE));
      await store.create(recordAt(clock, 'idle', -MINUTE));
      const other = await pool.connect();
      try {
        await other.query('BEGIN');
        await other.query(`UPDATE "${table}" SET expires_at = expires_at + interval '1 hour', version = version + 1 WHERE session_id = 'busy'`);
        expect(await store.clean()).toBe(1);
        await other.query('COMMIT');
      } finally {
        other.release(true); // closed, not pooled: never hand on a connection that may still be in a transaction
      }
      clock.advance(MINUTE);
      expect(await store.get('busy')).toMatchObject({ sessionId: 'busy' });
      expect(await store.get('idle')).toBeNull();
      await impatient.end();
    });
  });

  describe('failures', () => {
    it("rejects a duplicate create() with reason 'duplicate-id' and keeps the first session", async () => {
      const store = await freshStore();
      const first = recordAt(new ManualClock(Date.now()), 'a', MINUTE);
      await store.create(first);
      const error = await rejection(store.create({ ...first, userId: 'mallory' }));
      expect(error).toMatchObject({ reason: 'duplicate-id', hint: 'Use update() to change it.' });
      expect(await store.get('a')).toEqual(first);
    });

    it("fails writes with reason 'read-only' on a read-only connection, and still reads", async () => {
      const table = freshTable();
      const writer = new PostgresStore({ pool, table });
      await writer.migrate();
      const stored = recordAt(new ManualClock(Date.now()), 'a', MINUTE);
      await writer.create(stored);
      const readOnlyPool = newPool({ options: '-c default_transaction_read_only=on' });
      try {
        const store = new PostgresStore({ pool: readOnlyPool, table });
        const error = await rejection(store.create(recordAt(new ManualClock(Date.now()), 'b', MINUTE)));
        expect(error).toMatchObject({ reason: 'read-only', code: '25006' });
        expect(error.hint).toMatch(/primary.*default_transaction_read_only/);
        expect(await store.get('a')).toEqual(stored);
      } finally {
        await readOnlyPool.end();
      }
    });

    it("fails with reason 'timeout' when the statement outlives statement_timeout (the table locked by someone else)", async () => {
      const table = freshTable();
      const store = await freshStore({ table });
      const impatient = newPool({ statement_timeout: 100 });
      const other = await pool.connect();
      try {
        await other.query('BEGIN');
        await other.query(`LOCK TABLE "${table}" IN ACCESS EXCLUSIVE MODE`);
        const error = await rejection(new PostgresStore({ pool: impatient, table }).get('a'));
        expect(error).toMatchObject({ reason: 'timeout', code: '57014' });
        expect(error.hint).toMatch(/pg_stat_activity/);
      } finally {
        await other.query('ROLLBACK');
        other.release();
        await impatient.end();
      }
      expect(await store.get('a')).toBeNull();
    });

    it("fails with reason 'timeout' when a write is slower than statement_timeout (a trigger that sleeps)", async () => {
      const table = freshTable();
      await new PostgresStore({ pool, table }).migrate();
      await pool.query(`CREATE FUNCTION "${table}_nap"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(2); RETURN NEW; END $$`);
      await pool.query(`CREATE TRIGGER nap BEFORE INSERT ON "${table}" FOR EACH ROW EXECUTE FUNCTION "${table}_nap"()`);
      const impatient = newPool({ statement_timeout: 100 });
      try {
        const store = new PostgresStore({ pool: impatient, table });
        const error = await rejection(store.create(recordAt(new ManualClock(Date.now()), 'a', MINUTE)));
        expect(error).toMatchObject({ reason: 'timeout', code: '57014' });
        expect(await store.get('a')).toBeNull();
      } finally {
        await impatient.end();
      }
    });

    it("fails at once with reason 'unavailable' when nothing listens on the pool's port", async () => {
      const deadPool = new pg.Pool({ host: '127.0.0.1', port: await closedPort(), user: 'postgres' });
      try {
        const error = await rejection(new PostgresStore({ pool: deadPool }).get('a'));
        expect(error).toMatchObject({ reason: 'unavailable', code: 'ECONNREFUSED' });
        expect(error.hint).toMatch(/Check that PostgreSQL is running.*reconnects by itself/);
      } finally {
        await deadPool.end();
      }
    });

    it.each([
      { label: 'SQLSTATE 57P01 (the server shutting down)', thrown: { code: '57P01', message: 'terminating connection due to administrator command' }, reason: 'unavailable' },
      { label: 'SQLSTATE 08006 (connection failure)', thrown: { code: '08006', message: 'connection failure' }, reason: 'unavailable' },
      { label: 'SQLSTATE 53300 (too many connections)', thrown: { code: '53300', message: 'sorry, too many clients already' }, reason: 'unavailable' },
      { label: 'SQLSTATE 28P01 (wrong password)', thrown: { code: '28P01', message: 'password authentication failed for user "app"' }, reason: 'unavailable' },
      { label: 'a broken connection', thrown: { message: 'Connection terminated unexpectedly' }, reason: 'unavailable' },
      { label: 'a connection used after it broke', thrown: { message: 'Client has encountered a connection error and is not queryable' }, reason: 'unavailable' },
      { label: "the pool's connection timeout", thrown: { message: 'timeout exceeded when trying to connect' }, reason: 'timeout' },
      { label: "the client's query_timeout", thrown: { message: 'Query read timeout' }, reason: 'timeout' },
      { label: 'SQLSTATE 55P03 (lock_timeout)', thrown: { code: '55P03', message: 'canceling statement due to lock timeout' }, reason: 'locked' },
      { label: 'SQLSTATE 53100 (disk full)', thrown: { code: '53100', message: 'could not extend file: No space left on device' }, reason: 'quota-exceeded' },
      { label: 'SQLSTATE 42703 (a column missing)', thrown: { code: '42703', message: 'column "version" does not exist' }, reason: 'failed' },
      { label: 'an ended pool', thrown: { message: 'Cannot use a pool after calling end on the pool' }, reason: 'failed' },
      { label: 'SQLSTATE XX000 (internal error)', thrown: { code: 'XX000', message: 'internal error' }, reason: 'failed' },
    ])('maps $label to reason $reason, with a hint and the original error as cause', async ({ thrown, reason }) => {
      const original = Object.assign(new Error(thrown.message), thrown);
      const store = new PostgresStore({ pool: { query: () => Promise.reject(original) } });
      const error = await rejection(store.get('a'));
      expect(error.reason).toBe(reason);
      expect(error.hint.length).toBeGreaterThan(20);
      expect(error.message.endsWith(error.hint)).toBe(true);
      expect(error.message).toContain(thrown.message);
      expect(error.cause).toBe(original);
    });
  });

  describe('under a Session', () => {
    it('logs in, extends an active session, and logs out, all through the table', async () => {
      const clock = new ManualClock(Date.now());
      const store = await freshStore({ clock });
      const { session } = makeSession({ store, clock, sessionDuration: 30 * MINUTE });
      const browser = new CookieClient();
      await browser.visit(session, (handle) => handle.login('ada', { cart: [] }));
      const [created] = await store.listByUser('ada');
      expect(created).toMatchObject({ userId: 'ada', data: { cart: [] }, version: 0 });

      clock.advance(20 * MINUTE);
      const { result } = await browser.visit(session, (handle) => handle.userId);
      expect(result).toBe('ada');
      const [extended] = await store.listByUser('ada');
      expect(extended!.sessionId).toBe(created!.sessionId);
      expect(Date.parse(extended!.expires)).toBe(clock.now() + 30 * MINUTE);
      expect(extended!.version).toBe(1);

      clock.advance(29 * MINUTE); // past the first expiry, within the extended one
      expect((await browser.visit(session, (handle) => handle.isAuthenticated())).result).toBe(true);

      await browser.visit(session, (handle) => handle.logout());
      expect(browser.header()).toBeNull();
      expect(await store.count()).toBe(0);
      session.close();
    });

    it('keeps both changes when two servers change one session at the same time', async () => {
      const clock = new ManualClock(Date.now());
      const table = freshTable();
      const store = await freshStore({ table, clock });
      const [first, second] = [makeSession({ store, clock }).session, makeSession({ store: new PostgresStore({ pool, table: table, clock }), clock }).session];
      const browser = new CookieClient();
      await browser.visit(first!, (handle) => handle.login('ada', { a: 0, b: 0 }));
      const [one, two] = await Promise.all([first!.load({ cookie: browser.header(), url: 'https://app.example/' }), second!.load({ cookie: browser.header(), url: 'https://app.example/' })]);
      one.data!['a'] = 1;
      two.data!['b'] = 2;
      await Promise.all([one.commit(), two.commit()]);
      const { result } = await browser.visit(second!, (handle) => handle.data);
      expect(result).toEqual({ a: 1, b: 2 });
      first!.close();
      second!.close();
    });
  });

  describe('when PostgreSQL stops in the middle of a load', () => {
    it('answers 503 at once while it is down, never crashes, and recovers, sessions intact, when it is back on the same port', async () => {
      const db = await startPostgresServer();
      const appPool = new pg.Pool({ connectionString: db.url, max: 8, connectionTimeoutMillis: 1000 });
      appPool.on('error', () => undefined); // idle connections the shutdown ends are reported here
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
      process.on('unhandledRejection', onUnhandled);
      const storeTimeout = 5000;
      const store = new PostgresStore({ pool: appPool });
      await store.migrate();
      const session = new Session({ secret: SECRET, store, storeTimeout, cleanInterval: false });
      const causes: unknown[] = [];
      const app = withSession(
        session,
        async (request, { session: handle }) => {
          if (new URL(request.url).pathname === '/login') await handle.login('ada');
          return Response.json({ user: handle.userId });
        },
        {
          onStoreError: (error) => {
            causes.push(error.cause);
            return storeUnavailable();
          },
        },
      );
      const browser = new CookieClient();
      const send = async (path: string, init: RequestInit = {}): Promise<Response> => {
        const response = await app(new Request(`https://app.example${path}`, { ...init, headers: { cookie: browser.header() ?? '' } }));
        for (const setCookie of response.headers.getSetCookie()) browser.receive(setCookie);
        return response;
      };
      try {
        expect((await send('/login', { method: 'POST' })).status).toBe(200);
        const load = new Load(() => send('/me'), 8);
        await load.until((results) => results.filter((result) => result.phase === 'up').length >= 30);
        load.phase = 'stopping';
        // Requests that started while PostgreSQL was up finish before it stops: they must all be 200s.
        await load.settled('up');
        await db.stop();
        load.phase = 'down';
        await load.until((results) => results.filter((result) => result.phase === 'down').length >= 30);
        load.phase = 'restarting';
        await db.start();
        load.phase = 'back';
        await load.until((results) => results.filter((result) => result.phase === 'back').length >= 30);
        const results = await load.stop();

        const byPhase = (phase: string): Result[] => results.filter((result) => result.phase === phase);
        expect(byPhase('up').every((result) => result.status === 200)).toBe(true);
        expect(byPhase('down').every((result) => result.status === 503 && result.retryAfter === '5')).toBe(true);
        expect(byPhase('back').every((result) => result.status === 200)).toBe(true);
        // PostgreSQL kept the session across its restart: still signed in, without signing in again.
        expect(await (await send('/me')).json()).toEqual({ user: 'ada' });
        // Every failure reached the adapter as the store's typed error, saying the database is unavailable:
        // the pool failed each query at once, and none waited for the Session to give up at storeTimeout
        // (that failure has no cause). Read from the causes, not from a stopwatch.
        expect(causes.length).toBe(results.filter((result) => result.status === 503).length);
        expect(causes.every((cause) => cause instanceof PostgresStoreError && cause.reason === 'unavailable')).toBe(true);
        expect(unhandled).toEqual([]);
      } finally {
        process.off('unhandledRejection', onUnhandled);
        session.close();
        await db.destroy();
        await appPool.end();
      }
      expect(existsSync(db.folder)).toBe(false); // destroy() deleted the cluster
    }, 60_000);
  });
});

interface Result {
  phase: string;
  status: number;
  retryAfter: string | null;
}

/** `concurrency` loops sending requests back to back, each result tagged with the phase it started in. */
class Load {
  phase = 'up';
  readonly #results: Result[] = [];
  readonly #workers: Promise<void>[];
  readonly #waiters = new Set<() => void>();
  readonly #started = new Map<string, number>();
  #stopped = false;

  constructor(request: () => Promise<Response>, concurrency: number) {
    this.#workers = Array.from({ length: concurrency }, async () => {
      while (!this.#stopped) {
        const phase = this.phase;
        this.#started.set(phase, (this.#started.get(phase) ?? 0) + 1);
        const response = await request();
        await response.arrayBuffer();
        this.#results.push({ phase, status: response.status, retryAfter: response.headers.get('retry-after') });
        for (const wake of this.#waiters) wake();
      }
    });
  }

  /** Resolves once `test` holds for the results so far; rejects when a worker fails. */
  until(test: (results: readonly Result[]) => boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!test(this.#results)) return;
        this.#waiters.delete(check);
        resolve();
      };
      this.#waiters.add(check);
      Promise.all(this.#workers).catch(reject);
      check();
    });
  }

  /** Resolves once every request that started in `phase` has its result. */
  settled(phase: string): Promise<void> {
    return this.until((results) => results.filter((result) => result.phase === phase).length === (this.#started.get(phase) ?? 0));
  }

  async stop(): Promise<Result[]> {
    this.#stopped = true;
    await Promise.all(this.#workers);
    return this.#results;
  }
}
