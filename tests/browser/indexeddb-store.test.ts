/**
 * IndexedDBStore in real Chromium (Vitest browser mode). The tests "in another tab" open more pages
 * of the test origin through the commands of tests/support/browser-tabs.ts, registered on the
 * browser project; the quota test sets a real quota through the Chrome DevTools Protocol.
 */
import { openDB, type IDBPDatabase } from 'idb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cdp, commands } from 'vitest/browser';
import { Session, SessionConfigError, type Clock, type SessionRecord } from 'sessionlab';
import { IndexedDBStore, IndexedDBStoreError, type IndexedDBStoreOptions } from 'sessionlab/indexeddb';
// Not yet exported from the 'sessionlab' entry point.
import { STORE_ERROR_REASONS, StoreError } from '../../src/session/errors.ts';
import type { OpenTabOptions } from '../support/browser-tabs.ts';
import { describeConformance } from '../support/conformance.ts';
import { deleteDatabase } from '../support/delete-database.ts';
import { CookieClient, HOUR, ManualClock, MINUTE, SECRET } from '../support/harness.ts';
import { writeVersion1Database } from '../support/indexeddb-version1.ts';

let databases = 0;
/** A database name no other test uses. */
function uniqueName(label: string): string {
  databases += 1;
  return `sessionlab-test-${label}-${databases}-${crypto.randomUUID().slice(0, 8)}`;
}

const stores: IndexedDBStore[] = [];
const names = new Set<string>();

/** A store on a fresh database (or on `name`), closed and deleted after the test. */
function newStore(options: IndexedDBStoreOptions = {}): IndexedDBStore {
  const store = new IndexedDBStore({ name: uniqueName('store'), ...options });
  stores.push(store);
  names.add(store.databaseName);
  return store;
}

afterEach(async () => {
  for (const store of stores.splice(0)) store.close();
  for (const name of names) await deleteDatabase(name);
  names.clear();
});

function record(clock: Clock, id: string, expiresIn: number, overrides: Partial<SessionRecord> = {}): SessionRecord {
  return {
    sessionId: id,
    userId: `user-${id}`,
    expires: new Date(clock.now() + expiresIn).toISOString(),
    createdAt: new Date(clock.now()).toISOString(),
    data: { n: 1, cart: ['apple'] },
    version: 0,
    ...overrides,
  };
}

const now: Clock = { now: () => Date.now() };

async function failureOf(promise: Promise<unknown>): Promise<IndexedDBStoreError> {
  const error: unknown = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, 'the call should have rejected').toBeInstanceOf(IndexedDBStoreError);
  // One error shape across stores: a StoreError with a reason from the shared list and a hint.
  expect(error).toBeInstanceOf(StoreError);
  expect(STORE_ERROR_REASONS).toContain((error as IndexedDBStoreError).reason);
  expect((error as IndexedDBStoreError).hint.length).toBeGreaterThan(10);
  return error as IndexedDBStoreError;
}

/**
 * Upgrades a database to one version past its current one from another connection, as newer code in
 * another tab would; rejects at once if an open connection blocks the upgrade.
 */
async function upgradeElsewhere(name: string): Promise<number> {
  const current = await openDB(name);
  const version = current.version + 1;
  current.close();
  await new Promise<void>((resolve, reject) => {
    openDB(name, version, { blocked: () => reject(new Error(`Upgrading database "${name}" is blocked: a connection to it did not close.`)) }).then((newer) => {
      newer.close();
      resolve();
    }, reject);
  });
  return version;
}

type TabModule = typeof import('../support/indexeddb-tab.ts');
const TAB_MODULE = '/tests/support/indexeddb-tab.ts';

/** Opens another tab of the test origin (or of another origin: storage no other test uses). */
async function openTab(options: OpenTabOptions = {}): Promise<string> {
  if (typeof commands.openTab !== 'function') {
    throw new Error('The tab commands are not registered: add `commands: browserTabCommands` (tests/support/browser-tabs.ts) to the browser project in tests/vitest.config.ts.');
  }
  return commands.openTab(options);
}

/** Calls a function of indexeddb-tab.ts inside a tab opened with `openTab()`. */
function inTab<K extends keyof TabModule>(tab: string, fn: K, ...args: Parameters<TabModule[K]>): Promise<Awaited<ReturnType<TabModule[K]>>> {
  return commands.callInTab(tab, TAB_MODULE, fn, args) as Promise<Awaited<ReturnType<TabModule[K]>>>;
}

describeConformance('IndexedDBStore', {
  createStore: () => new IndexedDBStore({ name: uniqueName('conformance') }),
  disposeStore: async (store) => {
    store.close();
    await deleteDatabase(store.databaseName);
  },
});

describe('IndexedDBStore', () => {
  describe('construction', () => {
    it('throws a SessionConfigError that says how to fix an empty database name', () => {
      expect(() => new IndexedDBStore({ name: '' })).toThrow(SessionConfigError);
      expect(() => new IndexedDBStore({ name: '' })).toThrow(/non-empty string.*Pass \{ name:/);
    });

    it('opens nothing until the first call', async () => {
      const store = newStore();
      const existing = async (): Promise<(string | undefined)[]> => (await indexedDB.databases()).map((info) => info.name);
      expect(await existing()).not.toContain(store.databaseName);
      await store.count();
      expect(await existing()).toContain(store.databaseName);
    });
  });

  describe('create', () => {
    it('rejects an id that already exists with reason "duplicate-id", and keeps the first record', async () => {
      const store = newStore();
      const first = record(now, 'a', HOUR);
      await store.create(first);
      const error = await failureOf(store.create({ ...first, userId: 'mallory' }));
      expect(error.reason).toBe('duplicate-id');
      expect(error.message).toMatch(/already exists.*update\(\)/);
      expect(await store.get('a')).toEqual(first);
    });

    it('stores the record as it was when create() was called, even if the caller changes it before the write lands', async () => {
      const store = newStore();
      const given = record(now, 'a', HOUR);
      const original = structuredClone(given);
      const writing = store.create(given);
      given.userId = 'mallory';
      given.data['cart'] = ['stolen'];
      await writing;
      expect(await store.get('a')).toEqual(original);
    });

    it('rejects a record that cannot be stored with reason "failed", saying why', async () => {
      const store = newStore();
      const unstorable = { ...record(now, 'a', HOUR), data: { callback: () => 1 } } as unknown as SessionRecord;
      const error = await failureOf(store.create(unstorable));
      expect(error.reason).toBe('failed');
      expect(error.message).toMatch(/DataCloneError.*plain, JSON-safe/);
      expect(await store.count()).toBe(0);
    });
  });

  describe('get', () => {
    it('returns null for an id never stored', async () => {
      expect(await newStore().get('nope')).toBeNull();
    });

    it('returns the record until the instant it expires, then null, and removes it', async () => {
      const clock = new ManualClock();
      const store = newStore({ clock });
      await store.create(record(clock, 'a', MINUTE));
      clock.advance(MINUTE - 1);
      expect(await store.get('a')).not.toBeNull();
      clock.advance(1);
      expect(await store.get('a')).toBeNull();
      expect(await store.count()).toBe(0);
    });

    it('treats a record whose expires cannot be read as expired', async () => {
      const store = newStore();
      await store.create(record(now, 'broken', HOUR, { expires: 'not a date' }));
      expect(await store.get('broken')).toBeNull();
      expect(await store.count()).toBe(0);
    });

    it('hands out copies: changing what it returned changes nothing stored', async () => {
      const clock = new ManualClock();
      const store = newStore({ clock });
      await store.create(record(clock, 'a', MINUTE));
      const got = (await store.get('a'))!;
      got.data['n'] = 99;
      got.expires = new Date(clock.now() + 1000 * MINUTE).toISOString();
      expect((await store.get('a'))?.data).toEqual({ n: 1, cart: ['apple'] });
      clock.advance(MINUTE);
      expect(await store.get('a')).toBeNull();
    });
  });

  describe('update', () => {
    it('writes nothing for an unknown id', async () => {
      const store = newStore();
      await store.update('ghost', record(now, 'ghost', HOUR));
      expect(await store.get('ghost')).toBeNull();
      expect(await store.count()).toBe(0);
    });

    it('keeps the record under the id it was given, whatever sessionId the record names', async () => {
      const store = newStore();
      await store.create(record(now, 'a', HOUR));
      await store.update('a', record(now, 'b', HOUR, { version: 1 }));
      expect(await store.get('a')).toMatchObject({ sessionId: 'a', userId: 'user-b', version: 1 });
      expect(await store.get('b')).toBeNull();
    });
  });

  describe('compareAndSet', () => {
    it('refuses an expired record, as if it were gone', async () => {
      const clock = new ManualClock();
      const store = newStore({ clock });
      const stored = record(clock, 'a', MINUTE, { version: 2 });
      await store.create(stored);
      clock.advance(MINUTE);
      expect(await store.compareAndSet('a', 2, { ...stored, version: 3, expires: new Date(clock.now() + HOUR).toISOString() })).toBe(false);
      expect(await store.get('a')).toBeNull();
    });

    it('stays atomic across two stores on one database, as in two tabs: no increment is lost', async () => {
      const first = newStore();
      const second = newStore({ name: first.databaseName });
      await first.create(record(now, 'counter', HOUR, { data: { count: 0 } }));
      const increment = async (store: IndexedDBStore): Promise<void> => {
        for (let attempt = 0; attempt < 200; attempt++) {
          const current = (await store.get('counter'))!;
          const next = { ...current, version: current.version + 1, data: { count: (current.data['count'] as number) + 1 } };
          if (await store.compareAndSet('counter', current.version, next)) return;
        }
        throw new Error('A writer lost 200 compare-and-set rounds in a row.');
      };
      await Promise.all(Array.from({ length: 20 }, (_, i) => increment(i % 2 === 0 ? first : second)));
      expect(await first.get('counter')).toMatchObject({ version: 20, data: { count: 20 } });
    });
  });

  describe('listByUser', () => {
    it("returns a user's live sessions, and follows update() when a session changes hands", async () => {
      const clock = new ManualClock();
      const store = newStore({ clock });
      const laptop = record(clock, 'laptop', HOUR, { userId: 'ada' });
      const phone = record(clock, 'phone', MINUTE, { userId: 'ada' });
      await store.create(laptop);
      await store.create(phone);
      await store.create(record(clock, 'other', HOUR, { userId: 'bob' }));
      expect((await store.listByUser('ada')).map((r) => r.sessionId).sort()).toEqual(['laptop', 'phone']);
      clock.advance(MINUTE);
      expect(await store.listByUser('ada')).toEqual([laptop]);
      await store.update('laptop', { ...laptop, userId: 'bob' });
      expect(await store.listByUser('ada')).toEqual([]);
      expect((await store.listByUser('bob')).map((r) => r.sessionId).sort()).toEqual(['laptop', 'other']);
    });
  });

  describe('clean', () => {
    it('removes exactly the expired and the unreadable records and says how many', async () => {
      const clock = new ManualClock();
      const store = newStore({ clock });
      await store.create(record(clock, 'short', MINUTE));
      await store.create(record(clock, 'long', 10 * MINUTE));
      await store.create(record(clock, 'broken', MINUTE, { expires: 'not a date' }));
      clock.advance(MINUTE);
      expect(await store.clean()).toBe(2);
      expect(await store.count()).toBe(1);
      expect(await store.get('long')).not.toBeNull();
      expect(await store.clean()).toBe(0);
    });

    it('follows the expiry update() gave a record, later or earlier', async () => {
      const clock = new ManualClock();
      const store = newStore({ clock });
      await store.create(record(clock, 'extended', MINUTE));
      await store.create(record(clock, 'shortened', 10 * MINUTE));
      await store.update('extended', record(clock, 'extended', 10 * MINUTE));
      await store.update('shortened', record(clock, 'shortened', MINUTE));
      clock.advance(2 * MINUTE);
      expect(await store.clean()).toBe(1);
      expect(await store.get('extended')).not.toBeNull();
      expect(await store.get('shortened')).toBeNull();
    });

    it('asks IndexedDB only for the expired keys: one range on the expiresAt index, no scan of the store', async () => {
      const clock = new ManualClock();
      const store = newStore({ clock });
      for (let i = 0; i < 5; i++) await store.create(record(clock, `live-${i}`, HOUR));
      await store.create(record(clock, 'expired', MINUTE));
      clock.advance(MINUTE);
      const keyLookups = vi.spyOn(IDBIndex.prototype, 'getAllKeys');
      const scans = [
        vi.spyOn(IDBObjectStore.prototype, 'openCursor'),
        vi.spyOn(IDBObjectStore.prototype, 'getAll'),
        vi.spyOn(IDBIndex.prototype, 'openCursor'),
        vi.spyOn(IDBIndex.prototype, 'getAll'),
      ];
      try {
        expect(await store.clean()).toBe(1);
        expect(keyLookups).toHaveBeenCalledTimes(1);
        const [index, range] = [keyLookups.mock.contexts[0] as IDBIndex, keyLookups.mock.calls[0]?.[0] as IDBKeyRange];
        expect(index.name).toBe('expiresAt');
        expect({ lower: range.lower, upper: range.upper, upperOpen: range.upperOpen }).toEqual({ lower: undefined, upper: clock.now(), upperOpen: false });
        for (const scan of scans) expect(scan).not.toHaveBeenCalled();
      } finally {
        vi.restoreAllMocks();
      }
    });
  });

  describe('clear', () => {
    it('removes every record, live or expired, and leaves the store usable', async () => {
      const store = newStore();
      await store.create(record(now, 'live', HOUR));
      await store.create(record(now, 'expired', -MINUTE));
      await store.clear();
      expect(await store.count()).toBe(0);
      expect(await store.listByUser('user-live')).toEqual([]);
      await store.create(record(now, 'live', HOUR));
      expect(await store.count()).toBe(1);
    });
  });

  describe('close', () => {
    it('lets the store open its database again on the next call, records intact', async () => {
      const store = newStore();
      const kept = record(now, 'a', HOUR);
      await store.create(kept);
      store.close();
      await deleteDatabase(store.databaseName); // rejects if close() left the connection open
      expect(await store.get('a')).toBeNull();
      await store.create(kept);
      store.close();
      expect(await store.get('a')).toEqual(kept);
    });
  });

  describe('databases', () => {
    it('keeps stores with different names apart', async () => {
      const left = newStore();
      const right = newStore();
      await left.create(record(now, 'same-id', HOUR, { userId: 'left' }));
      await right.create(record(now, 'same-id', HOUR, { userId: 'right' }));
      await left.create(record(now, 'only-left', HOUR));
      expect((await left.get('same-id'))?.userId).toBe('left');
      expect((await right.get('same-id'))?.userId).toBe('right');
      expect(await right.get('only-left')).toBeNull();
      expect(await right.clean()).toBe(0);
      expect(await left.count()).toBe(2);
    });

    it('shares records between two stores on the same name, as two tabs of an app do', async () => {
      const clock = new ManualClock();
      const first = newStore({ clock });
      const second = newStore({ clock, name: first.databaseName });
      const written = record(clock, 'a', MINUTE);
      await first.create(written);
      expect(await second.get('a')).toEqual(written);
      await second.update('a', { ...written, version: 1 });
      expect((await first.get('a'))?.version).toBe(1);
      clock.advance(MINUTE);
      expect(await second.clean()).toBe(1);
      expect(await first.get('a')).toBeNull();
    });
  });

  describe('schema versions', () => {
    it('upgrades a version 1 database (the idb recipe layout) without losing a record', async () => {
      const name = uniqueName('v1');
      names.add(name);
      const live = record(now, 'live', HOUR, { data: { nested: { list: [1, 'two', null] } } });
      const expired = record(now, 'expired', -MINUTE);
      const broken = record(now, 'broken', HOUR, { expires: 'not a date' });
      await writeVersion1Database(name, [live, expired, broken]);

      const store = newStore({ name });
      expect(await store.count()).toBe(3);
      expect(await store.get('live')).toEqual(live);
      expect(await store.listByUser(live.userId)).toEqual([live]);
      expect(await store.clean()).toBe(2);
      store.close();
      const upgraded = await openDB(name);
      expect(upgraded.version).toBe(2);
      upgraded.close();
    });

    it('rejects with reason "unavailable", code "newer-version", when newer code has upgraded the database, and says to reload', async () => {
      const store = newStore();
      await store.create(record(now, 'a', HOUR));
      await upgradeElsewhere(store.databaseName);
      const error = await failureOf(store.get('a'));
      expect(error).toMatchObject({ reason: 'unavailable', code: 'newer-version' });
      expect(error.message).toMatch(/newer.*Reload the page/);
    });
  });

  describe('when another connection changes the database', () => {
    it('steps aside for an upgrade elsewhere instead of blocking it', async () => {
      const store = newStore();
      await store.create(record(now, 'a', HOUR));
      const version = await upgradeElsewhere(store.databaseName); // rejects if the store blocks it
      const upgraded = await openDB(store.databaseName);
      expect(upgraded.version).toBe(version);
      upgraded.close();
    });

    it.each([
      // Rejects if the store kept the database open: it must close on versionchange.
      ['another connection deletes it', (name: string) => deleteDatabase(name)],
      // The browser closes every connection first (the close event), as "Clear site data" does.
      ['the browser deletes it underneath (DevTools)', (name: string) => cdp().send('IndexedDB.deleteDatabase', { storageKey: `${location.origin}/`, databaseName: name })],
    ])('opens a new, empty database on the next call when %s', async (_how, deleteIt) => {
      const store = newStore();
      await store.create(record(now, 'a', HOUR));
      await deleteIt(store.databaseName);
      expect(await store.get('a')).toBeNull();
      await store.create(record(now, 'b', HOUR));
      expect(await store.count()).toBe(1);
    });

    it('rejects a call the browser cut off by deleting the database with reason "unavailable", code "database-deleted"', async () => {
      const store = newStore();
      await store.create(record(now, 'a', HOUR));
      // Another connection holds a write transaction on the store, so this store's create() waits in line.
      const other = await openDB(store.databaseName);
      const holder = other.transaction('sessions', 'readwrite');
      let holding = true;
      const held = (async () => {
        while (holding) await holder.store.get('a');
      })().catch(() => {});
      holder.done.catch(() => {});
      const waiting = failureOf(store.create(record(now, 'b', HOUR)));
      await cdp().send('IndexedDB.deleteDatabase', { storageKey: `${location.origin}/`, databaseName: store.databaseName });
      holding = false;
      await held;
      const error = await waiting;
      expect(error).toMatchObject({ reason: 'unavailable', code: 'database-deleted' });
      expect(error.message).toMatch(/did not complete.*next call opens the database again/);
      expect(await store.get('b')).toBeNull(); // the create() that was cut off did not land
      await store.create(record(now, 'b', HOUR));
      expect(await store.count()).toBe(1);
    });

    it('reports reason "locked", code "blocked", while an older connection that ignores versionchange holds the database, and opens once it lets go', async () => {
      const name = uniqueName('blocked');
      names.add(name);
      const kept = record(now, 'kept', HOUR);
      await writeVersion1Database(name, [kept]);
      // Old code in another tab: it keeps the version 1 database open and has no versionchange handler.
      const old: IDBPDatabase = await openDB(name, 1);
      const store = newStore({ name });
      const error = await failureOf(store.get('kept'));
      expect(error).toMatchObject({ reason: 'locked', code: 'blocked' });
      expect(error.message).toMatch(/another tab or worker keeps it open.*Close or reload the other tabs/);
      old.close();
      // Open requests are served in order: when this one succeeds, the store's upgrade has finished.
      (await openDB(name)).close();
      expect(await store.get('kept')).toEqual(kept);
    });
  });

  describe('failures', () => {
    it('rejects with reason "quota-exceeded" when the browser refuses more data, and writes nothing', async () => {
      // A real quota, enforced by Chromium, on a store in a tab of another origin: storage no other test
      // uses, so the browser has no free space cached for it (it caches that briefly) when the quota drops.
      const name = uniqueName('quota');
      const small = record(now, 'small', HOUR);
      const big = record(now, 'big', HOUR, { data: { blob: 'x'.repeat(5_000_000) } });
      const tab = await openTab({ otherOrigin: true });
      try {
        const origin = await inTab(tab, 'origin');
        expect(origin).not.toBe(location.origin);
        const { usage } = await cdp().send('Storage.getUsageAndQuota', { origin });
        await cdp().send('Storage.overrideQuotaForOrigin', { origin, quotaSize: usage + 1_000_000 });
        const outcomes: Awaited<ReturnType<TabModule['tryCreate']>>[] = [];
        try {
          outcomes.push(await inTab(tab, 'tryCreate', name, small), await inTab(tab, 'tryCreate', name, big));
        } finally {
          await cdp().send('Storage.overrideQuotaForOrigin', { origin });
        }
        expect(outcomes[0]).toBe('created');
        expect(outcomes[1]).toMatchObject({ name: 'IndexedDBStoreError', reason: 'quota-exceeded', cause: 'QuotaExceededError' });
        expect(outcomes[1]).toMatchObject({ message: expect.stringMatching(/quota exceeded.*Nothing was written.*clean\(\)/) });
        expect(await inTab(tab, 'get', name, ['small', 'big'])).toEqual([small, null]);
        expect(await inTab(tab, 'tryCreate', name, big)).toBe('created');
        expect(await inTab(tab, 'count', name)).toBe(2);
        await inTab(tab, 'destroy', name);
      } finally {
        await commands.closeTab(tab);
      }
    });

    it('rejects with reason "unavailable" when there is no global indexedDB', async () => {
      const own = Object.getOwnPropertyDescriptor(globalThis, 'indexedDB');
      Object.defineProperty(globalThis, 'indexedDB', { value: undefined, configurable: true });
      try {
        const store = newStore();
        const error = await failureOf(store.create(record(now, 'a', HOUR)));
        expect(error.reason).toBe('unavailable');
        expect(error.message).toMatch(/no global indexedDB.*Use MemoryStore/);
      } finally {
        if (own) Object.defineProperty(globalThis, 'indexedDB', own);
        else Reflect.deleteProperty(globalThis, 'indexedDB');
      }
      expect(globalThis.indexedDB).toBeInstanceOf(IDBFactory);
    });

    it('rejects with reason "unavailable" when opening throws, as in private modes and sandboxed frames', async () => {
      const refusing = {
        open() {
          throw new DOMException('access to the Indexed Database API is denied in this context.', 'SecurityError');
        },
      } as unknown as IDBFactory;
      const store = newStore({ indexedDB: refusing });
      const error = await failureOf(store.get('a'));
      expect(error.reason).toBe('unavailable');
      expect(error.cause).toMatchObject({ name: 'SecurityError' });
      expect(error.message).toMatch(/refused to open.*SecurityError.*Fall back to MemoryStore/);
      // Every call reports it; none succeeds quietly.
      expect((await failureOf(store.create(record(now, 'a', HOUR)))).reason).toBe('unavailable');
    });

    it('reports the failure to a Session as the cause of its SessionStoreError', async () => {
      const refusing = { open: () => { throw new DOMException('denied', 'SecurityError'); } } as unknown as IDBFactory;
      const session = new Session({ secret: SECRET, store: newStore({ indexedDB: refusing }), cleanInterval: false });
      const handle = await session.load({ cookie: null, url: 'https://app.example/' });
      const error: unknown = await handle.login('alice').catch((caught: unknown) => caught);
      expect(error).toMatchObject({ name: 'SessionStoreError', method: 'create' });
      expect((error as Error).cause).toBeInstanceOf(IndexedDBStoreError);
    });
  });

  describe('with a Session', () => {
    it('signs in, finds the session again from its cookie, and signs out', async () => {
      const store = newStore();
      const session = new Session({ secret: SECRET, store, cleanInterval: false });
      const browser = new CookieClient();

      const login = await browser.visit(session, (handle) => handle.login('alice'));
      expect(login.setCookie).toMatch(/HttpOnly/);
      expect(await store.count()).toBe(1);

      const again = await browser.visit(session, (handle) => ({ userId: handle.userId, id: handle.id }));
      expect(again.result.userId).toBe('alice');
      expect(await store.get(again.result.id!)).toMatchObject({ sessionId: again.result.id, userId: 'alice' });

      const logout = await browser.visit(session, (handle) => handle.logout());
      expect(logout.setCookie).toMatch(/Max-Age=0/i);
      expect(await store.count()).toBe(0);
      const after = await browser.visit(session, (handle) => handle.isAuthenticated());
      expect(after.result).toBe(false);
    });

    it('keeps a session across a restart: a new Session and store on the same database know the cookie', async () => {
      const name = uniqueName('restart');
      const browser = new CookieClient();
      const before = newStore({ name });
      await browser.visit(new Session({ secret: SECRET, store: before, cleanInterval: false }), (handle) => handle.login('alice'));
      before.close();
      const after = new Session({ secret: SECRET, store: newStore({ name }), cleanInterval: false });
      const visit = await browser.visit(after, (handle) => handle.userId);
      expect(visit.result).toBe('alice');
    });
  });

  describe('in another tab of the same origin', () => {
    it('reads what this page wrote, still has it after a real reload, and its own writes show up here', async () => {
      const name = uniqueName('tabs');
      const here = newStore({ name });
      const mine = record(now, 'written-here', HOUR);
      const theirs = record(now, 'written-there', HOUR, { data: { from: 'tab' } });
      await here.create(mine);
      here.close();

      const tab = await openTab();
      try {
        const firstRealm = await inTab(tab, 'realm');
        expect(await inTab(tab, 'get', name, [mine.sessionId])).toEqual([mine]);
        await inTab(tab, 'create', name, theirs);
        await commands.reloadTab(tab);
        expect(await inTab(tab, 'realm')).not.toBe(firstRealm);
        expect(await inTab(tab, 'get', name, [mine.sessionId, theirs.sessionId])).toEqual([mine, theirs]);
      } finally {
        await commands.closeTab(tab);
      }
      expect(await here.get(theirs.sessionId)).toEqual(theirs);
    });

    it('has a live store there step aside when this page deletes the database; its next write lands in the new one', async () => {
      const name = uniqueName('tab-delete');
      names.add(name);
      const before = record(now, 'before', HOUR);
      const after = record(now, 'after', HOUR);
      const tab = await openTab();
      try {
        await inTab(tab, 'create', name, before);
        await deleteDatabase(name); // rejects if the tab's store kept it open
        expect(await inTab(tab, 'get', name, [before.sessionId])).toEqual([null]);
        await inTab(tab, 'create', name, after);
        await inTab(tab, 'closeStore', name);
      } finally {
        await commands.closeTab(tab);
      }
      expect(await newStore({ name }).get(after.sessionId)).toEqual(after);
    });
  });
});
