/**
 * IndexedDBStore in real Chromium: an open that close() left behind, and that then fails, does not
 * cost the store the connection its next call opened. The store keeps using that connection (one
 * open for it, not one more on the call after), and its close() closes it: none is left open and
 * out of the store's reach.
 */
import { openDB } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import { IndexedDBStore, IndexedDBStoreError } from 'sessionlab/indexeddb';
import { deleteDatabase } from '../support/delete-database.ts';

const names: string[] = [];

/** A database name no other test uses, deleted after the test. */
function uniqueName(label: string): string {
  const name = `sessionlab-reopen-${label}-${crypto.randomUUID().slice(0, 8)}`;
  names.push(name);
  return name;
}

afterEach(async () => {
  for (const name of names.splice(0)) await deleteDatabase(name);
});

/** What the browser's factory did for a store: how many opens it was asked for, and each database it opened. */
interface OpenLog {
  opens: number;
  /** Each database opened, in order, with whether its close() has been called. */
  readonly databases: { readonly database: IDBDatabase; closed: boolean }[];
}

/**
 * The browser's `indexedDB`, counting its opens and recording each database it opens and its close().
 * Its first open fails as real IndexedDB fails, a task later: it opens `olderThanItIs` (a database
 * already at version 2) at version 1, which the browser refuses with a VersionError.
 */
function failingFirstOpen(olderThanItIs: string): { factory: IDBFactory; log: OpenLog } {
  const log: OpenLog = { opens: 0, databases: [] };
  const factory = {
    open(name: string, version?: number): IDBOpenDBRequest {
      log.opens += 1;
      if (log.opens === 1) return indexedDB.open(olderThanItIs, 1);
      const request = indexedDB.open(name, version);
      // Added before the store's own listener: the database is recorded before the store can use it.
      request.addEventListener('success', () => {
        const database = request.result;
        const entry = { database, closed: false };
        const close = database.close.bind(database);
        database.close = () => {
          entry.closed = true;
          close();
        };
        log.databases.push(entry);
      });
      return request;
    },
  } as unknown as IDBFactory;
  return { factory, log };
}

describe('IndexedDBStore connection, when an open that close() left behind fails', () => {
  it('keeps using the connection it opened next: one open per connection, and close() closes it', async () => {
    const older = uniqueName('at-version-2');
    (await openDB(older, 2)).close();
    const { factory, log } = failingFirstOpen(older);
    const store = new IndexedDBStore({ name: uniqueName('store'), indexedDB: factory });

    const failing = store.count().catch((caught: unknown) => caught); // opens: fails a task later
    store.close(); // while that open is still under way
    const counting = store.count(); // opens the database again
    expect(await failing).toBeInstanceOf(IndexedDBStoreError);
    expect(await counting).toBe(0);

    expect(await store.count()).toBe(0); // on the connection already open
    store.close();
    // Opens asked of the factory (the failed one, then one connection), and for each database
    // opened, whether close() reached it.
    expect({ opens: log.opens, closed: log.databases.map((entry) => entry.closed) }).toEqual({ opens: 2, closed: [true] });
  });
});
