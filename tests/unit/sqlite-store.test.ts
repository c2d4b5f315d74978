import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionConfigError, SessionStoreError, type SessionRecord } from 'sessionlab';
import { SqliteStore, SqliteStoreError } from 'sessionlab/sqlite';
// Not yet exported from the 'sessionlab' entry point.
import { StoreError } from '../../src/session/errors.ts';
import { describeConformance } from '../support/conformance.ts';
import { CookieClient, makeSession, ManualClock, MINUTE, recordAt } from '../support/harness.ts';

const STORE_SOURCE = fileURLToPath(new URL('../../src/session/stores/sqlite-store.ts', import.meta.url));

let dir: string;
let files = 0;
/** A path for a new database file in this run's temporary folder. */
const newPath = (): string => join(dir, `sessions-${++files}.db`);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sessionlab-sqlite-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});


/** Runs `code` (an ES module body with DB_PATH and STORE in its environment) in a separate Node process. */
async function runInChild(code: string, env: Record<string, string>): Promise<{ stdout: string; code: number | null }> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
    env: { ...process.env, STORE: STORE_SOURCE, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const [exitCode] = (await once(child, 'exit')) as [number | null];
  return { stdout, code: exitCode };
}

describeConformance('SqliteStore (a database file)', {
  createStore: () => new SqliteStore({ path: newPath() }),
  disposeStore: (store) => store.close(),
});

describeConformance('SqliteStore (in memory)', {
  createStore: () => new SqliteStore({ path: ':memory:' }),
  disposeStore: (store) => store.close(),
});

describe('SqliteStore', () => {
  describe('options', () => {
    it.each([
      [{}, /needs a path/],
      [{ path: '' }, /needs a path/],
      [{ path: ':memory:', table: 'sessions; DROP TABLE users' }, /table name .* is not allowed.*letters, digits and _/],
      [{ path: ':memory:', table: '1sessions' }, /is not allowed/],
      [{ path: ':memory:', busyTimeout: -1 }, /busyTimeout must be a whole number/],
      [undefined, /needs a path/],
      [{ path: ':memory:', table: ['sessions'] }, /table name \["sessions"\] is not allowed/],
      [{ path: ':memory:', busyTimeout: 1.5 }, /busyTimeout must be a whole number/],
    ])('rejects bad options with a hint %#', (options, message) => {
      expect(() => new SqliteStore(options as never)).toThrow(SessionConfigError);
      expect(() => new SqliteStore(options as never)).toThrow(message);
    });

    it('accepts a busyTimeout of 0: a locked database then fails at once', () => {
      const store = new SqliteStore({ path: ':memory:', busyTimeout: 0 });
      expect(store.count()).toBe(0);
      store.close();
    });

    it('refuses a table of that name that was made for something else, and says what to do', () => {
      const path = newPath();
      const db = new DatabaseSync(path);
      db.exec('CREATE TABLE sessions (sid TEXT PRIMARY KEY, sess TEXT)');
      db.close();
      expect(() => new SqliteStore({ path })).toThrow(
        expect.objectContaining({ name: 'SqliteStoreError', reason: 'failed', message: expect.stringMatching(/no such column.*pass another `table` name/) }),
      );
    });

    it('closes the database again when it cannot be used: no connection is left holding the file', () => {
      const path = newPath();
      const db = new DatabaseSync(path);
      db.exec('CREATE TABLE sessions (sid TEXT PRIMARY KEY, sess TEXT)');
      db.close();
      expect(() => new SqliteStore({ path })).toThrow(SqliteStoreError);
      // The store had switched the file to WAL mode; SQLite removes the -wal file when the last
      // connection to the database closes.
      expect(existsSync(`${path}-wal`)).toBe(false);
    });

    it('keeps sessions in the table it is given', () => {
      const path = newPath();
      const clock = new ManualClock();
      const store = new SqliteStore({ path, table: 'app_sessions', clock });
      store.create(recordAt(clock, 'a', MINUTE));
      store.close();
      const db = new DatabaseSync(path);
      expect(db.prepare('SELECT session_id FROM app_sessions').all()).toEqual([{ session_id: 'a' }]);
      db.close();
    });
  });

  describe('the database file', () => {
    it('runs in WAL mode, so readers never wait for a writer', () => {
      const path = newPath();
      new SqliteStore({ path }).close();
      const db = new DatabaseSync(path);
      expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
      db.close();
    });

    it('keeps each record whole as JSON beside a numeric expiry', () => {
      const path = newPath();
      const clock = new ManualClock();
      const store = new SqliteStore({ path, clock });
      const stored = recordAt(clock, 'a', MINUTE);
      store.create(stored);
      const db = new DatabaseSync(path);
      const row = db.prepare('SELECT session_id, expires_at, record FROM sessions').get() as { session_id: string; expires_at: number; record: string };
      expect(row.session_id).toBe('a');
      expect(row.expires_at).toBe(Date.parse(stored.expires));
      expect(JSON.parse(row.record)).toEqual(stored);
      db.close();
      store.close();
    });

    it('cleans with one DELETE that uses the expiry index', () => {
      const path = newPath();
      new SqliteStore({ path }).close();
      const db = new DatabaseSync(path);
      const plan = db.prepare('EXPLAIN QUERY PLAN DELETE FROM sessions WHERE expires_at <= ?').all(Date.now()) as { detail: string }[];
      expect(plan.map((step) => step.detail).join('\n')).toMatch(/USING COVERING INDEX sessions_expires_at|USING INDEX sessions_expires_at/);
      db.close();
    });

    it('keeps sessions across a process restart', async () => {
      const path = newPath();
      const clock = new ManualClock(Date.now());
      const written = recordAt(clock, 'survivor', 30 * MINUTE);
      // Another Node process writes the session and exits without closing the database.
      const child = await runInChild(
        `const { SqliteStore } = await import(process.env.STORE);
         new SqliteStore({ path: process.env.DB_PATH }).create(JSON.parse(process.env.RECORD));
         process.exit(0);`,
        { DB_PATH: path, RECORD: JSON.stringify(written) },
      );
      expect(child.code).toBe(0);
      const store = new SqliteStore({ path, clock });
      expect(store.get('survivor')).toEqual(written);
      store.close();
    });
  });

  describe('expiry', () => {
    it('treats a record as gone from the instant it expires', () => {
      const clock = new ManualClock();
      const store = new SqliteStore({ path: ':memory:', clock });
      store.create(recordAt(clock, 'a', MINUTE));
      clock.advance(MINUTE - 1);
      expect(store.get('a')?.userId).toBe('user-a');
      clock.advance(1);
      expect(store.get('a')).toBeNull();
    });

    it('removes expired and unreadable records in clean(), keeps live ones, and counts what it removed', () => {
      const clock = new ManualClock();
      const store = new SqliteStore({ path: ':memory:', clock });
      store.create(recordAt(clock, 'short', MINUTE));
      store.create(recordAt(clock, 'long', 10 * MINUTE));
      store.create({ ...recordAt(clock, 'broken', 10 * MINUTE), expires: 'not a date' });
      expect(store.get('broken')).toBeNull();
      clock.advance(MINUTE);
      expect(store.clean()).toBe(2);
      expect(store.count()).toBe(1);
      expect(store.get('long')?.userId).toBe('user-long');
    });

    it('moves the expiry with update(), and an update to an unreadable expiry ends the session', () => {
      const clock = new ManualClock();
      const store = new SqliteStore({ path: ':memory:', clock });
      const first = recordAt(clock, 'a', MINUTE);
      store.create(first);
      store.update('a', { ...first, expires: new Date(clock.now() + 10 * MINUTE).toISOString() });
      clock.advance(5 * MINUTE);
      expect(store.get('a')?.userId).toBe('user-a');
      store.update('a', { ...first, expires: 'garbage' });
      expect(store.get('a')).toBeNull();
      expect(store.clean()).toBe(1);
    });
  });

  describe('all', () => {
    it('lists every record, expired and unreadable ones included, in sessionId order, removing nothing', () => {
      const clock = new ManualClock();
      const store = new SqliteStore({ path: ':memory:', clock });
      const records = [recordAt(clock, 'c', 10 * MINUTE), recordAt(clock, 'a', MINUTE), { ...recordAt(clock, 'b', MINUTE), expires: 'not a date' }];
      for (const record of records) store.create(record);
      clock.advance(MINUTE);
      expect(store.all()).toEqual([records[1], records[2], records[0]]);
      expect(store.count()).toBe(3);
      expect(store.clean()).toBe(2);
    });

    it('hands out copies: changing what it returned changes nothing stored', () => {
      const clock = new ManualClock();
      const store = new SqliteStore({ path: ':memory:', clock });
      store.create(recordAt(clock, 'a', MINUTE));
      const [listed] = store.all();
      listed!.userId = 'mallory';
      listed!.data['n'] = 99;
      expect(store.all()).toEqual([recordAt(clock, 'a', MINUTE)]);
    });

    it('leaves out a row whose JSON is not a record, instead of failing the whole list', () => {
      const path = newPath();
      const clock = new ManualClock();
      const store = new SqliteStore({ path, clock });
      store.create(recordAt(clock, 'a', MINUTE));
      const db = new DatabaseSync(path);
      const insert = db.prepare('INSERT INTO sessions (session_id, user_id, expires_at, version, record) VALUES (?, ?, ?, 0, ?)');
      insert.run('broken', 'user-broken', clock.now() + MINUTE, '{"sessionId": "broken", ');
      insert.run('scalar', 'user-scalar', clock.now() + MINUTE, '42');
      db.close();
      expect(store.all()).toEqual([recordAt(clock, 'a', MINUTE)]);
      store.close();
    });
  });

  describe('create', () => {
    it('rejects an id that already exists with reason "duplicate-id", keeping the first record', () => {
      const clock = new ManualClock();
      const store = new SqliteStore({ path: ':memory:', clock });
      store.create(recordAt(clock, 'a', MINUTE));
      let error: unknown;
      try {
        store.create({ ...recordAt(clock, 'a', MINUTE), userId: 'mallory' });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(SqliteStoreError);
      expect(error).toBeInstanceOf(StoreError);
      expect(error).toMatchObject({ reason: 'duplicate-id', hint: 'Use update() to change it.' });
      expect((error as Error).cause).toMatchObject({ errcode: 1555 }); // SQLite's own error: SQLITE_CONSTRAINT_PRIMARYKEY
      expect(store.get('a')?.userId).toBe('user-a');
    });
  });

  describe('a record without a whole-number version (FluidAuth\'s three fields, or a version written by hand)', () => {
    it.each([
      ['none', undefined],
      ['a string', '2'],
      ['a fraction', 1.5],
    ])('is stored as version 0 when it has %s', (_, version) => {
      const clock = new ManualClock();
      const store = new SqliteStore({ path: ':memory:', clock });
      store.create({ ...recordAt(clock, 'a', MINUTE), version } as never);
      expect(store.compareAndSet('a', 1, recordAt(clock, 'a', MINUTE))).toBe(false);
      expect(store.compareAndSet('a', 0, { ...recordAt(clock, 'a', MINUTE), version: 1 })).toBe(true);
      expect(store.get('a')?.version).toBe(1);
      store.close();
    });
  });

  describe('clear', () => {
    it('removes every record, live and expired, and the store works as new afterwards', () => {
      const clock = new ManualClock();
      const store = new SqliteStore({ path: ':memory:', clock });
      store.create(recordAt(clock, 'a', MINUTE));
      store.create(recordAt(clock, 'b', -MINUTE));
      store.clear();
      expect(store.count()).toBe(0);
      expect(store.all()).toEqual([]);
      store.create(recordAt(clock, 'a', MINUTE));
      expect(store.get('a')?.userId).toBe('user-a');
      store.close();
    });
  });

  describe('a read-only database file', () => {
    it('fails at construction with reason "read-only" and says how to fix it', () => {
      const path = newPath();
      new SqliteStore({ path }).close();
      // SQLite opens a file it may not write read-only; a read-only URI makes it so for whoever runs
      // the test (root ignores file modes, and no test may depend on who can read the checkout).
      const readOnly = `${pathToFileURL(path).href}?mode=ro`;
      let error: unknown;
      try {
        new SqliteStore({ path: readOnly }).close();
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(SqliteStoreError);
      expect(error).toMatchObject({ name: 'SqliteStoreError', reason: 'read-only', hint: expect.stringMatching(/write access to the file and to its folder/) });
      expect((error as Error).message).toContain(path);
      expect((error as Error).message).toMatch(/read-only.*write access to the file and to its folder/);
    });

    it('fails with reason "unavailable" when the folder does not exist', () => {
      const path = join(dir, 'no-such-folder', 'sessions.db');
      expect(() => new SqliteStore({ path })).toThrow(expect.objectContaining({ reason: 'unavailable', message: expect.stringMatching(/folder exists/) }));
    });
  });

  describe('a database locked by another process', () => {
    it('fails a write after busyTimeout with reason "locked", and works again once the lock is gone', async () => {
      const path = newPath();
      const clock = new ManualClock(Date.now());
      const store = new SqliteStore({ path, busyTimeout: 50, clock });
      const holder = await holdWriteLock(path);
      try {
        expect(() => store.create(recordAt(clock, 'a', MINUTE))).toThrow(
          expect.objectContaining({ name: 'SqliteStoreError', reason: 'locked', message: expect.stringMatching(/locked for more than 50 ms.*busyTimeout/) }),
        );
        expect(store.get('a')).toBeNull(); // readers are not blocked in WAL mode
      } finally {
        await holder.release();
      }
      store.create(recordAt(clock, 'a', MINUTE));
      expect(store.get('a')?.userId).toBe('user-a');
      store.close();
    });

    it('reaches the application as a SessionStoreError whose cause says "locked"', async () => {
      const path = newPath();
      const store = new SqliteStore({ path, busyTimeout: 50 });
      const { session } = makeSession({ store, clock: { now: () => Date.now() } });
      const holder = await holdWriteLock(path);
      try {
        const failure = await new CookieClient().visit(session, (handle) => handle.login('ada')).then(
          () => null,
          (error: unknown) => error,
        );
        expect(failure).toBeInstanceOf(SessionStoreError);
        expect((failure as SessionStoreError).method).toBe('create');
        expect((failure as SessionStoreError).cause).toBeInstanceOf(SqliteStoreError);
        expect(((failure as SessionStoreError).cause as SqliteStoreError).reason).toBe('locked');
      } finally {
        await holder.release();
        store.close();
      }
    });
  });
});

/** Another process that holds a write transaction on `path` until released. */
async function holdWriteLock(path: string): Promise<{ release: () => Promise<void> }> {
  const child = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { DatabaseSync } from 'node:sqlite';
       const db = new DatabaseSync(process.env.DB_PATH);
       db.exec('BEGIN EXCLUSIVE');
       process.stdout.write('locked\\n');
       process.stdin.on('end', () => { db.exec('COMMIT'); db.close(); });
       process.stdin.resume();`,
    ],
    { env: { ...process.env, DB_PATH: path }, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  await once(child.stdout, 'data');
  return {
    release: async () => {
      const exited = once(child, 'exit');
      child.stdin.end();
      await exited;
    },
  };
}
