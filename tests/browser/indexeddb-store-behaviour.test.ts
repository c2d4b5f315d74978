/**
 * IndexedDBStore in real Chromium: the promises of its options, its reads and its connection's life
 * that indexeddb-store.test.ts leaves open. A name or clock that cannot work is refused at
 * construction; an id that is not a string is no session; a get() of a live session never waits
 * behind another tab's reads, and one that finds a session expired reads it again before removing
 * it; close() closes the connection, also one still opening (once the calls waiting for it have
 * their answers); a failed upgrade leaves the database as
 * it was; an open that failed is tried again by the next call.
 */
import { openDB } from 'idb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SessionConfigError, type SessionRecord } from 'sessionlab';
import { IndexedDBStore, IndexedDBStoreError, type IndexedDBStoreOptions } from 'sessionlab/indexeddb';
import { deleteDatabase } from '../support/delete-database.ts';

const HOUR = 3_600_000;

const stores: IndexedDBStore[] = [];

/** A store on a database no other test uses, closed and deleted after the test. */
function newStore(options: IndexedDBStoreOptions = {}): IndexedDBStore {
  const store = new IndexedDBStore({ name: `sessionlab-behaviour-${crypto.randomUUID().slice(0, 8)}`, ...options });
  stores.push(store);
  return store;
}

afterEach(async () => {
  for (const store of stores.splice(0)) {
    store.close();
    await deleteDatabase(store.databaseName);
  }
});

function record(id: string): SessionRecord {
  return {
    sessionId: id,
    userId: `user-${id}`,
    expires: new Date(Date.now() + HOUR).toISOString(),
    createdAt: new Date().toISOString(),
    data: { cart: ['apple'] },
    version: 0,
  };
}

describe('IndexedDBStore options', () => {
  it.each([
    ['a number', 42],
    ['an object', { name: 'sessions' }],
  ])('refuses a database name that is %s with a SessionConfigError that says how to fix it', (_what, name) => {
    expect(() => new IndexedDBStore({ name: name as unknown as string })).toThrow(SessionConfigError);
    expect(() => new IndexedDBStore({ name: name as unknown as string })).toThrow(/non-empty string.*Pass \{ name:/);
  });

  it.each([
    ['null', null],
    ['an object without now()', {}],
    ['a now that is not a function', { now: 1 }],
  ])('refuses a clock that is %s with a SessionConfigError that says how to fix it', (_what, clock) => {
    expect(() => new IndexedDBStore({ clock: clock as never })).toThrow(SessionConfigError);
    expect(() => new IndexedDBStore({ clock: clock as never })).toThrow(/clock must have a now\(\) method.*Pass \{ clock:/);
  });
});

describe('IndexedDBStore reads', () => {
  it('answers get() of a live session while another tab is reading the store: reads do not wait for each other', async () => {
    const store = newStore();
    const live = record('live');
    await store.create(live);
    // Another connection keeps a read-only transaction busy; a read-write one would have to wait for it.
    const other = await openDB(store.databaseName);
    try {
      const reader = other.transaction('sessions', 'readonly');
      let answer: SessionRecord | null | undefined;
      const reading = store.get('live').then((found) => {
        answer = found;
      });
      for (let round = 0; answer === undefined && round < 2000; round++) await reader.store.get('live');
      expect(answer, 'get() answered only after the other reader finished').toEqual(live);
      await Promise.all([reader.done, reading]);
    } finally {
      other.close();
    }
  });
});

describe('IndexedDBStore ids that are not strings', () => {
  it.each([
    ['undefined', undefined],
    ['an object', { id: 'a' }],
  ])('answers get() of an id that is %s with null, and deletes nothing for it', async (_what, id) => {
    const store = newStore();
    await store.create(record('a'));
    expect(await store.get(id as unknown as string)).toBeNull();
    await expect(store.delete(id as unknown as string)).resolves.toBeUndefined();
    expect(await store.count()).toBe(1);
  });
});

describe('IndexedDBStore get() and another tab at once', () => {
  it('answers the session, and keeps it, when another tab extends it while get() finds it expired', async () => {
    const here = newStore();
    const there = newStore({ name: here.databaseName });
    const session = { ...record('a'), expires: new Date(Date.now() - 1000).toISOString() };
    await here.create(session);
    await there.count(); // both connections open
    const extended = { ...session, expires: new Date(Date.now() + HOUR).toISOString(), version: 1 };
    // IndexedDB runs overlapping transactions in the order they were made: get()'s read, the other
    // tab's update(), then the write get() makes to remove what it read as expired. That write reads again.
    const [found] = await Promise.all([here.get('a'), there.update('a', extended)]);
    expect(found).toEqual(extended);
    expect(await there.get('a')).toEqual(extended);
  });
});

describe('IndexedDBStore connection', () => {
  it('closes a database that is still opening when close() is called, once it opens, after answering the call that waited for it; the next call opens it again', async () => {
    const store = newStore();
    await store.create(record('kept'));
    store.close();
    const closing = vi.spyOn(IDBDatabase.prototype, 'close');
    try {
      const counting = store.count(); // opens the database again
      expect(() => store.close()).not.toThrow();
      expect(await counting).toBe(1);
      await expect.poll(() => closing.mock.calls.length).toBe(1);
    } finally {
      vi.restoreAllMocks();
    }
    expect(await store.count()).toBe(1);
  });

  it('closes an open connection at once', async () => {
    const store = newStore();
    await store.count();
    const closing = vi.spyOn(IDBDatabase.prototype, 'close');
    try {
      store.close();
      expect(closing).toHaveBeenCalledTimes(1);
    } finally {
      vi.restoreAllMocks();
    }
  });

  it('leaves a database it fails to upgrade as it was, and says the upgrade failed', async () => {
    const name = `sessionlab-behaviour-${crypto.randomUUID().slice(0, 8)}`;
    // Version 1 of a database of that name made by other code: no sessions store to move records from.
    (await openDB(name, 1, { upgrade: (database) => database.createObjectStore('other') })).close();
    const store = newStore({ name });
    // The aborted upgrade also rejects the `done` promise idb keeps for the transaction: the store
    // handles it, so the page sees no unhandled rejection.
    const unhandled: unknown[] = [];
    const record_ = (event: PromiseRejectionEvent): void => {
      unhandled.push(event.reason);
      event.preventDefault();
    };
    window.addEventListener('unhandledrejection', record_);
    let error: unknown;
    try {
      error = await store.count().catch((caught: unknown) => caught);
      await new Promise((resolve) => setTimeout(resolve, 50)); // a rejection is reported after a task
    } finally {
      window.removeEventListener('unhandledrejection', record_);
    }
    expect(unhandled).toEqual([]);
    expect(error).toBeInstanceOf(IndexedDBStoreError);
    expect(error).toMatchObject({ reason: 'failed', message: expect.stringMatching(/upgrading database .* failed .*left as it was/) });
    const after = await openDB(name);
    expect({ version: after.version, stores: [...after.objectStoreNames] }).toEqual({ version: 1, stores: ['other'] });
    after.close();
  });

  it('tries to open the database again on the next call after an open failed', async () => {
    let refusals = 1;
    const refusesOnce = {
      open(name: string, version?: number): IDBOpenDBRequest {
        if (refusals-- > 0) throw new DOMException('denied for now', 'SecurityError');
        return indexedDB.open(name, version);
      },
    } as unknown as IDBFactory;
    const store = newStore({ indexedDB: refusesOnce });
    const error: unknown = await store.get('kept').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(IndexedDBStoreError);
    expect(error).toMatchObject({ reason: 'unavailable' });
    const kept = record('kept');
    await store.create(kept);
    expect(await store.get('kept')).toEqual(kept);
  });
});
