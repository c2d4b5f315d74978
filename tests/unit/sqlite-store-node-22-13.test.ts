/**
 * SqliteStore on the oldest Node it supports (22.13): `DatabaseSync` there has no `isOpen`, so the store
 * must not rely on it. Node 24's `DatabaseSync` is wrapped so that `isOpen` reads as it did there.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SqliteStore, SqliteStoreError } from 'sessionlab/sqlite';

vi.mock('node:sqlite', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:sqlite')>();
  /** A DatabaseSync as on Node 22.13 and 22.14: everything but `isOpen`. */
  function DatabaseSync(...args: ConstructorParameters<typeof original.DatabaseSync>) {
    const db = new original.DatabaseSync(...args);
    return new Proxy(db, {
      get(target, name) {
        if (name === 'isOpen') return undefined;
        const value: unknown = Reflect.get(target, name, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }
  return { ...original, DatabaseSync };
});

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'sessionlab-sqlite-22-13-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('SqliteStore where DatabaseSync has no isOpen (Node 22.13, 22.14)', () => {
  it('close() closes the database, and a second close() is harmless', () => {
    const store = new SqliteStore({ path: join(folder, 'sessions.db') });
    expect(store.get('any')).toBeNull();
    store.close();
    expect(() => store.close()).not.toThrow();
    // A closed database refuses statements: the file is really released.
    expect(() => store.get('any')).toThrow(SqliteStoreError);
  });
});
