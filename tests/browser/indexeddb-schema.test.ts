/**
 * IndexedDBStore's database layout, as other code sees it: another tab running older or newer code,
 * DevTools, or an application reading the database itself. indexeddb-schema.ts documents the layout;
 * these tests open the database with `idb` directly and check it, for a new database and for one
 * upgraded from schema version 1 (the `idb` recipe's layout).
 */
import { deleteDB, openDB, type IDBPDatabase } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionRecord } from 'sessionlab';
import { IndexedDBStore } from 'sessionlab/indexeddb';
import { writeVersion1Database } from '../support/indexeddb-version1.ts';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-12-03T12:00:00.000Z');

const names: string[] = [];
const stores: IndexedDBStore[] = [];

function uniqueName(label: string): string {
  const name = `sessionlab-schema-${label}-${crypto.randomUUID().slice(0, 8)}`;
  names.push(name);
  return name;
}

function newStore(name: string): IndexedDBStore {
  const store = new IndexedDBStore({ name });
  stores.push(store);
  return store;
}

afterEach(async () => {
  for (const store of stores.splice(0)) store.close();
  for (const name of names.splice(0)) await deleteDB(name);
});

function record(id: string, userId: string, expires: string): SessionRecord {
  return { sessionId: id, userId, expires, createdAt: new Date(NOW).toISOString(), data: { n: 1 }, version: 0 };
}

/** What a database holds, read with `idb` alone: its version, stores, key paths, indexes and entries. */
async function layoutOf(name: string): Promise<unknown> {
  const database: IDBPDatabase = await openDB(name);
  try {
    const transaction = database.transaction([...database.objectStoreNames], 'readonly');
    const stores = [...database.objectStoreNames].map((storeName) => {
      const store = transaction.objectStore(storeName);
      const indexes = Object.fromEntries([...store.indexNames].map((indexName) => [indexName, store.index(indexName).keyPath]));
      return { name: storeName, keyPath: store.keyPath, indexes };
    });
    return { version: database.version, stores };
  } finally {
    database.close();
  }
}

const VERSION_2_LAYOUT = {
  version: 2,
  stores: [{ name: 'sessions', keyPath: 'record.sessionId', indexes: { expiresAt: 'expiresAt', userId: 'record.userId' } }],
};

async function entriesOf(name: string): Promise<unknown[]> {
  const database: IDBPDatabase = await openDB(name);
  try {
    return await database.getAll('sessions');
  } finally {
    database.close();
  }
}

describe('the IndexedDB layout (schema version 2)', () => {
  it("names the database 'sessionlab' when no name is given", () => {
    const store = new IndexedDBStore();
    expect(store.databaseName).toBe('sessionlab');
    store.close();
  });

  it('lays a new database out as documented: one store "sessions" keyed by record.sessionId, indexed by expiresAt and record.userId', async () => {
    const name = uniqueName('new');
    const store = newStore(name);
    await store.create(record('a', 'alice', new Date(NOW + HOUR).toISOString()));
    store.close();
    expect(await layoutOf(name)).toEqual(VERSION_2_LAYOUT);
  });

  it('keeps each record whole beside its expiry in milliseconds, and -Infinity for an expiry it cannot read', async () => {
    const name = uniqueName('entries');
    const store = newStore(name);
    const readable = record('a', 'alice', new Date(NOW + HOUR).toISOString());
    const unreadable = record('b', 'bob', 'not a date');
    await store.create(readable);
    await store.create(unreadable);
    store.close();
    expect(await entriesOf(name)).toEqual([
      { record: readable, expiresAt: NOW + HOUR },
      { record: unreadable, expiresAt: -Infinity },
    ]);
  });
});

describe('upgrading a schema version 1 database (the idb recipe layout)', () => {
  it('ends with the same layout as a new database, the old store and its "expires" index gone', async () => {
    const name = uniqueName('v1-layout');
    await writeVersion1Database(name, [record('a', 'alice', new Date(NOW + HOUR).toISOString())]);
    await newStore(name).count();
    stores.splice(0).forEach((store) => store.close());
    expect(await layoutOf(name)).toEqual(VERSION_2_LAYOUT);
  });

  it('moves every record into an entry with its expiry as a number, -Infinity where it cannot be read', async () => {
    const name = uniqueName('v1-entries');
    const at = (hours: number) => new Date(NOW + hours * HOUR).toISOString();
    const [c, a, d, b, e] = [record('c', 'carol', at(0)), record('a', 'alice', at(1)), record('d', 'dave', at(2)), record('b', 'bob', 'not a date'), record('e', 'erin', at(4))];
    await writeVersion1Database(name, [c, a, d, b, e]);
    await newStore(name).count();
    stores.splice(0).forEach((store) => store.close());
    // getAll() answers in key order: by sessionId.
    expect(await entriesOf(name)).toEqual([
      { record: a, expiresAt: NOW + HOUR },
      { record: b, expiresAt: -Infinity },
      { record: c, expiresAt: NOW },
      { record: d, expiresAt: NOW + 2 * HOUR },
      { record: e, expiresAt: NOW + 4 * HOUR },
    ]);
  });

  it('upgrades an empty version 1 database', async () => {
    const name = uniqueName('v1-empty');
    await writeVersion1Database(name, []);
    expect(await newStore(name).count()).toBe(0);
    stores.splice(0).forEach((store) => store.close());
    expect(await layoutOf(name)).toEqual(VERSION_2_LAYOUT);
  });
});
