import { describe, expect, it } from 'vitest';
import { MemoryStore, type SessionRecord } from 'sessionlab';
import { CookieClient, makeSession, ManualClock, MINUTE, recordAt } from '../support/harness.ts';
import { conformanceChecks, runConformance } from 'sessionlab/conformance';
// Not yet exported from the 'sessionlab' entry point.
import { StoreError } from '../../src/session/errors.ts';
import { MemoryStoreError } from '../../src/session/stores/memory-store.ts';


// One test per check, each running only its check: a failing check names itself, and each check's
// run belongs to its own test (mutation testing then reruns only the checks that reach a mutant).
describe('MemoryStore passes the store conformance suite', () => {
  it.each(conformanceChecks.map((check) => [check.id, check] as const))('%s', async (id) => {
    const [result] = await runConformance({ createStore: () => new MemoryStore(), only: [id] });
    expect(result?.passed, result?.message).toBe(true);
  });
});

describe('MemoryStore', () => {
  describe('create', () => {
    it('rejects an id that already exists with a StoreError of reason "duplicate-id", and keeps the first record', () => {
      const clock = new ManualClock();
      const store = new MemoryStore({ clock });
      store.create(recordAt(clock, 'a', MINUTE));
      let error: unknown;
      try {
        store.create({ ...recordAt(clock, 'a', MINUTE), userId: 'mallory' });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(MemoryStoreError);
      expect(error).toBeInstanceOf(StoreError);
      expect(error).toMatchObject({ name: 'MemoryStoreError', reason: 'duplicate-id', hint: 'Use update() to change it.', message: expect.stringMatching(/"a" already exists/) });
      expect(store.get('a')?.userId).toBe('user-a');
    });
  });

  describe('get', () => {
    it('returns null for a missing id', () => {
      expect(new MemoryStore().get('nope')).toBeNull();
    });

    it('returns null once the record has expired, at the exact expiry instant', () => {
      const clock = new ManualClock();
      const store = new MemoryStore({ clock });
      store.create(recordAt(clock, 'a', MINUTE));
      clock.advance(MINUTE - 1);
      expect(store.get('a')).not.toBeNull();
      clock.advance(1);
      expect(store.get('a')).toBeNull();
      expect(store.count()).toBe(0);
    });

    it('hands out copies: changing what it returned changes nothing stored', () => {
      const clock = new ManualClock();
      const store = new MemoryStore({ clock });
      store.create(recordAt(clock, 'a', MINUTE));
      const got = store.get('a')!;
      got.data['n'] = 99;
      got.expires = new Date(clock.now() + 1000 * MINUTE).toISOString();
      expect(store.get('a')?.data).toEqual({ n: 1 });
      clock.advance(MINUTE);
      expect(store.get('a')).toBeNull();
    });
  });

  describe('copies', () => {
    it('copy in: changing an object after create() changes nothing stored, however deep', () => {
      const clock = new ManualClock();
      const store = new MemoryStore({ clock });
      const record = { ...recordAt(clock, 'a', MINUTE), data: { cart: [{ sku: 'tea', qty: 1 }], prefs: { theme: 'dark' } } };
      store.create(record);
      record.data.cart[0]!.qty = 7;
      record.data.prefs.theme = 'light';
      expect(store.get('a')!.data).toEqual({ cart: [{ sku: 'tea', qty: 1 }], prefs: { theme: 'dark' } });
    });

    it('copy out keeps what structuredClone keeps: Dates, Maps, a data key named __proto__, a cycle', () => {
      const clock = new ManualClock();
      const store = new MemoryStore({ clock });
      const cyclic: Record<string, unknown> = { name: 'loop' };
      cyclic['self'] = cyclic;
      const data = JSON.parse('{"__proto__": {"admin": true}}') as Record<string, unknown>;
      data['seen'] = new Date(0);
      data['tags'] = new Map([['a', 1]]);
      data['cyclic'] = cyclic;
      store.create({ ...recordAt(clock, 'a', MINUTE), data } as SessionRecord);
      const got = store.get('a')!.data as Record<string, unknown>;
      expect(Object.hasOwn(got, '__proto__')).toBe(true);
      expect(Object.getPrototypeOf(got)).toBe(Object.prototype);
      expect((got as { admin?: unknown }).admin).toBeUndefined();
      expect(got['seen']).toEqual(new Date(0));
      expect(got['tags']).toEqual(new Map([['a', 1]]));
      const loop = got['cyclic'] as Record<string, unknown>;
      expect(loop['self']).toBe(loop);
      expect(loop).not.toBe(cyclic);
    });

    it('refuses what structuredClone refuses (a function in the data), and stores nothing', () => {
      const clock = new ManualClock();
      const store = new MemoryStore({ clock });
      const record = { ...recordAt(clock, 'a', MINUTE), data: { callback: () => 1 } } as unknown as SessionRecord;
      expect(() => store.create(record)).toThrow(expect.objectContaining({ name: 'DataCloneError' }));
      expect(store.count()).toBe(0);
    });
  });

  describe('as the Session sees it', () => {
    it('is not copied a second time, but a subclass whose get() hands out its own objects is', async () => {
      // The Session skips its defensive copy for the shipped stores' get(), which copies already.
      class SharingStore extends MemoryStore {
        readonly kept = new Map<string, SessionRecord>();
        override create(record: SessionRecord): void {
          super.create(record);
          this.kept.set(record.sessionId, structuredClone(record));
        }
        override get(sessionId: string): SessionRecord | null {
          return super.get(sessionId) ? this.kept.get(sessionId)! : null; // the object it keeps, as FluidAuth's docs store does
        }
      }
      const clock = new ManualClock();
      for (const store of [new MemoryStore({ clock }), new SharingStore({ clock })]) {
        const { session } = makeSession({ store, clock });
        const client = new CookieClient();
        await client.visit(session, (handle) => handle.login('ada', { role: 'user' }));
        const handle = await session.load({ cookie: client.header(), url: 'https://app.example/' });
        handle.data!['role'] = 'admin';
        const again = await session.load({ cookie: client.header(), url: 'https://app.example/' });
        expect(again.data, store.constructor.name).toEqual({ role: 'user' });
      }
    });
  });

  describe('update', () => {
    it('writes nothing for an unknown id', () => {
      const clock = new ManualClock();
      const store = new MemoryStore({ clock });
      store.update('ghost', recordAt(clock, 'ghost', MINUTE));
      expect(store.get('ghost')).toBeNull();
      expect(store.count()).toBe(0);
    });
  });

  describe('all', () => {
    it('lists every record, expired ones included, as copies, removing nothing', () => {
      const clock = new ManualClock();
      const store = new MemoryStore({ clock });
      store.create(recordAt(clock, 'short', MINUTE));
      store.create(recordAt(clock, 'long', 10 * MINUTE));
      clock.advance(MINUTE);
      const listed = store.all();
      expect(listed.map((entry) => entry.sessionId).sort()).toEqual(['long', 'short']);
      listed[0]!.userId = 'mallory';
      expect(store.all().map((entry) => entry.userId).sort()).toEqual(['user-long', 'user-short']);
      expect(store.count()).toBe(2);
    });
  });

  describe('clean', () => {
    it('removes exactly the expired records and says how many', () => {
      const clock = new ManualClock();
      const store = new MemoryStore({ clock });
      store.create(recordAt(clock, 'short', MINUTE));
      store.create(recordAt(clock, 'long', 10 * MINUTE));
      store.create({ ...recordAt(clock, 'broken', MINUTE), expires: 'not a date' });
      clock.advance(MINUTE);
      expect(store.clean()).toBe(2);
      expect(store.count()).toBe(1);
      expect(store.get('long')).not.toBeNull();
    });

    it('keeps a record whose expiry was moved later by update()', () => {
      const clock = new ManualClock();
      const store = new MemoryStore({ clock });
      store.create(recordAt(clock, 'a', MINUTE));
      store.update('a', recordAt(clock, 'a', 10 * MINUTE));
      clock.advance(2 * MINUTE);
      expect(store.clean()).toBe(0);
      expect(store.get('a')).not.toBeNull();
    });

    it('removes a record whose expiry was moved earlier by update()', () => {
      const clock = new ManualClock();
      const store = new MemoryStore({ clock });
      store.create(recordAt(clock, 'a', 10 * MINUTE));
      store.update('a', recordAt(clock, 'a', MINUTE));
      clock.advance(2 * MINUTE);
      expect(store.clean()).toBe(1);
    });

    it('stays correct across many updates of the same record (stale heap entries are compacted)', () => {
      const clock = new ManualClock();
      const store = new MemoryStore({ clock });
      store.create(recordAt(clock, 'a', MINUTE));
      for (let i = 0; i < 5000; i++) store.update('a', recordAt(clock, 'a', MINUTE + i));
      clock.advance(MINUTE + 4998);
      expect(store.clean()).toBe(0);
      clock.advance(1);
      expect(store.clean()).toBe(1);
    });

    it('keeps a record that is not due yet indexed, and removes it once it is', () => {
      const clock = new ManualClock();
      const store = new MemoryStore({ clock });
      store.create(recordAt(clock, 'a', 10_000));
      expect(store.clean()).toBe(0);
      clock.advance(10_000);
      expect(store.clean()).toBe(1);
      expect(store.count()).toBe(0);
    });

    it('removes a record due later in the current second on a later clean()', () => {
      const clock = new ManualClock(Date.parse('2026-03-01T09:00:00.000Z'));
      const store = new MemoryStore({ clock });
      store.create(recordAt(clock, 'a', 1500));
      clock.advance(1200); // its one-second bucket is due, the record itself is not
      expect(store.clean()).toBe(0);
      expect(store.get('a')).not.toBeNull();
      clock.advance(300);
      expect(store.clean()).toBe(1);
      expect(store.count()).toBe(0);
    });

    it('still cleans a record nobody touched after the index was rebuilt', () => {
      const clock = new ManualClock();
      const store = new MemoryStore({ clock });
      store.create(recordAt(clock, 'quiet', 10_000));
      store.create(recordAt(clock, 'busy', MINUTE));
      // Enough expiry changes of one record that the index is rebuilt from the records.
      for (let i = 1; i <= 1100; i++) store.update('busy', recordAt(clock, 'busy', MINUTE + i * 1000));
      store.delete('busy');
      clock.advance(10_000);
      expect(store.clean()).toBe(1);
      expect(store.count()).toBe(0);
    });

    it('does not resurrect: a deleted record stays deleted after clean()', () => {
      const clock = new ManualClock();
      const store = new MemoryStore({ clock });
      store.create(recordAt(clock, 'a', MINUTE));
      store.delete('a');
      clock.advance(MINUTE);
      expect(store.clean()).toBe(0);
      expect(store.get('a')).toBeNull();
    });
  });

  describe('compareAndSet', () => {
    it('writes until the expiry instant, and refuses at it', () => {
      const clock = new ManualClock();
      const store = new MemoryStore({ clock });
      store.create(recordAt(clock, 'a', MINUTE));
      clock.advance(MINUTE - 1);
      expect(store.compareAndSet('a', 0, { ...recordAt(clock, 'a', 1), version: 1 })).toBe(true);
      clock.advance(1); // now exactly the new expiry
      expect(store.compareAndSet('a', 1, { ...recordAt(clock, 'a', MINUTE), version: 2 })).toBe(false);
      expect(store.all()[0]?.version).toBe(1);
    });

    it('refuses a stale version and an unknown id', () => {
      const clock = new ManualClock();
      const store = new MemoryStore({ clock });
      store.create(recordAt(clock, 'a', MINUTE));
      expect(store.compareAndSet('a', 1, { ...recordAt(clock, 'a', MINUTE), version: 2 })).toBe(false);
      expect(store.compareAndSet('b', 0, recordAt(clock, 'b', MINUTE))).toBe(false);
      expect(store.count()).toBe(1);
    });
  });

  describe('listByUser', () => {
    it('lists a session until its expiry instant, and not at it', () => {
      const clock = new ManualClock();
      const store = new MemoryStore({ clock });
      store.create(recordAt(clock, 'a', MINUTE));
      store.create({ ...recordAt(clock, 'b', 2 * MINUTE), userId: 'user-a' });
      clock.advance(MINUTE - 1);
      expect(store.listByUser('user-a').map((record) => record.sessionId).sort()).toEqual(['a', 'b']);
      clock.advance(1);
      expect(store.listByUser('user-a').map((record) => record.sessionId)).toEqual(['b']);
    });

    it('follows a record to its new user when update() changes it', () => {
      const clock = new ManualClock();
      const store = new MemoryStore({ clock });
      store.create(recordAt(clock, 'a', MINUTE));
      store.update('a', { ...recordAt(clock, 'a', MINUTE), userId: 'bob' });
      expect(store.listByUser('user-a')).toEqual([]);
      expect(store.listByUser('bob').map((record) => record.sessionId)).toEqual(['a']);
    });

    it('hands out copies', () => {
      const clock = new ManualClock();
      const store = new MemoryStore({ clock });
      store.create(recordAt(clock, 'a', MINUTE));
      const [listed] = store.listByUser('user-a');
      listed!.userId = 'mallory';
      expect(store.get('a')?.userId).toBe('user-a');
    });
  });

  describe('reading an expired record', () => {
    it('removes it: it is no longer counted or listed', () => {
      const clock = new ManualClock();
      const store = new MemoryStore({ clock });
      store.create(recordAt(clock, 'a', MINUTE));
      clock.advance(MINUTE);
      expect(store.get('a')).toBeNull();
      expect(store.count()).toBe(0);
      expect(store.all()).toEqual([]);
      expect(store.clean()).toBe(0);
    });
  });

  describe('the id a record is stored under', () => {
    it('is the id update() was called with, whatever the record says', () => {
      const clock = new ManualClock();
      const store = new MemoryStore({ clock });
      store.create(recordAt(clock, 'a', MINUTE));
      store.update('a', { ...recordAt(clock, 'b', 2 * MINUTE), userId: 'user-a' });
      expect(store.get('a')).toMatchObject({ sessionId: 'a', expires: new Date(clock.now() + 2 * MINUTE).toISOString() });
      expect(store.get('b')).toBeNull();
    });

    it('is the id compareAndSet() was called with, whatever the record says', () => {
      const clock = new ManualClock();
      const store = new MemoryStore({ clock });
      store.create(recordAt(clock, 'a', MINUTE));
      expect(store.compareAndSet('a', 0, { ...recordAt(clock, 'b', MINUTE), userId: 'user-a', version: 1 })).toBe(true);
      expect(store.get('a')).toMatchObject({ sessionId: 'a', version: 1 });
      expect(store.count()).toBe(1);
    });
  });

  describe('a record without a version (FluidAuth\'s three fields)', () => {
    it('counts as version 0 for compareAndSet()', () => {
      const clock = new ManualClock();
      const store = new MemoryStore({ clock });
      const { sessionId, userId, expires } = recordAt(clock, 'a', MINUTE);
      store.create({ sessionId, userId, expires } as SessionRecord);
      expect(store.compareAndSet('a', 1, { ...recordAt(clock, 'a', MINUTE), version: 2 })).toBe(false);
      expect(store.compareAndSet('a', 0, { ...recordAt(clock, 'a', MINUTE), version: 1 })).toBe(true);
    });
  });

  describe('listByUser of a user without sessions', () => {
    it('is empty, also once the user\'s last session is deleted', () => {
      const clock = new ManualClock();
      const store = new MemoryStore({ clock });
      expect(store.listByUser('nobody')).toEqual([]);
      store.create(recordAt(clock, 'a', MINUTE));
      store.delete('a');
      expect(store.listByUser('user-a')).toEqual([]);
    });
  });

  describe('an id used again for another user', () => {
    it.each(['delete', 'clear'] as const)('after %s(), is listed for its new user only', (remove) => {
      const clock = new ManualClock();
      const store = new MemoryStore({ clock });
      store.create(recordAt(clock, 'a', MINUTE));
      if (remove === 'delete') store.delete('a');
      else store.clear();
      store.create({ ...recordAt(clock, 'a', MINUTE), userId: 'bob' });
      expect(store.listByUser('user-a')).toEqual([]);
      expect(store.listByUser('bob').map((record) => record.sessionId)).toEqual(['a']);
    });
  });

  describe('clear', () => {
    it('removes every record, and the store works as new afterwards', () => {
      const clock = new ManualClock();
      const store = new MemoryStore({ clock });
      store.create(recordAt(clock, 'a', MINUTE));
      store.create(recordAt(clock, 'b', 2 * MINUTE));
      store.clear();
      expect(store.count()).toBe(0);
      expect(store.listByUser('user-a')).toEqual([]);
      clock.advance(2 * MINUTE);
      expect(store.clean()).toBe(0);
      store.create(recordAt(clock, 'a', MINUTE));
      expect(store.get('a')).not.toBeNull();
      clock.advance(MINUTE);
      expect(store.clean()).toBe(1);
    });
  });
});
