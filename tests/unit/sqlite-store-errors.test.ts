/**
 * How SqliteStore classifies SQLite failures that a test cannot cause on a real file: a full disk
 * (SQLITE_FULL) and a table locked inside the database (SQLITE_LOCKED, as opposed to SQLITE_BUSY from
 * another connection). `node:sqlite` is wrapped so that the next statement run fails with a given
 * SQLite result code, the way node:sqlite reports it (`errcode`).
 */
import { describe, expect, it, vi } from 'vitest';
import { SqliteStore, SqliteStoreError } from 'sessionlab/sqlite';
import { ManualClock, MINUTE, recordAt } from '../support/harness.ts';

const failure = vi.hoisted(() => ({ next: undefined as { errcode: number; message: string } | undefined }));

vi.mock('node:sqlite', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:sqlite')>();
  /** A DatabaseSync whose statements throw `failure.next` once, when it is set. */
  function DatabaseSync(...args: ConstructorParameters<typeof original.DatabaseSync>) {
    const db = new original.DatabaseSync(...args);
    const prepare = db.prepare.bind(db);
    db.prepare = (sql: string) => {
      const statement = prepare(sql);
      const run = statement.run.bind(statement) as (...params: unknown[]) => ReturnType<typeof statement.run>;
      statement.run = ((...params: unknown[]) => {
        const next = failure.next;
        if (next) {
          failure.next = undefined;
          throw Object.assign(new Error(next.message), { code: 'ERR_SQLITE_ERROR', errcode: next.errcode, errstr: next.message });
        }
        return run(...params);
      }) as typeof statement.run;
      return statement;
    };
    return db;
  }
  return { ...original, DatabaseSync };
});

function failNextWrite(errcode: number, message: string): void {
  failure.next = { errcode, message };
}

describe('SqliteStore failures', () => {
  describe('when the disk is full (SQLITE_FULL)', () => {
    it('rejects the write with reason "quota-exceeded", SQLite\'s error as its cause, and writes nothing', () => {
      const clock = new ManualClock();
      const store = new SqliteStore({ path: ':memory:', clock });
      failNextWrite(13, 'database or disk is full');
      let error: unknown;
      try {
        store.create(recordAt(clock, 'a', MINUTE));
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(SqliteStoreError);
      expect(error).toMatchObject({ reason: 'quota-exceeded', cause: { errcode: 13 } });
      expect(store.count()).toBe(0);
      store.close();
    });
  });

  describe('when a table is locked inside the database (SQLITE_LOCKED)', () => {
    it('rejects the write with reason "locked", as for a lock held by another connection', () => {
      const clock = new ManualClock();
      const store = new SqliteStore({ path: ':memory:', clock });
      failNextWrite(6, 'database table is locked');
      expect(() => store.create(recordAt(clock, 'a', MINUTE))).toThrow(expect.objectContaining({ name: 'SqliteStoreError', reason: 'locked' }));
      store.close();
    });
  });

  describe('an error SQLite gives no known code for', () => {
    it('is reason "failed", SQLite\'s error its cause', () => {
      const clock = new ManualClock();
      const store = new SqliteStore({ path: ':memory:', clock });
      failNextWrite(1, 'something else went wrong');
      expect(() => store.create(recordAt(clock, 'a', MINUTE))).toThrow(expect.objectContaining({ reason: 'failed', cause: expect.objectContaining({ errcode: 1 }) }));
      store.close();
    });
  });
});
