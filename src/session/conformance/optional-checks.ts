/**
 * The recommended checks of copies, duplicates and the optional methods (compareAndSet, listByUser,
 * all). A store that does not offer an optional method gets "not offered" for the checks of that
 * method (`expectOffered`), not a failure.
 */
import type { ISessionData, SessionRecord } from '../types.ts';
import { CheckFailure, describeValue, expectAbsent, expectOffered, expectSame } from './assertions.ts';
import { HOUR } from './check-helpers.ts';
import type { ConformanceCheck } from './conformance-check.ts';
import { sampleRecord } from './sample-record.ts';

export const OPTIONAL_CHECKS: readonly ConformanceCheck[] = [
  {
    id: 'copies-out',
    title: 'Changing a record you got back does not change the store',
    level: 'recommended',
    hint: 'Return a copy (structuredClone(record)), not the stored object. Handing out the stored object lets any caller change a session without update(): an expired session can be "extended" back to life by accident.',
    async run(store) {
      const record = sampleRecord();
      const original = structuredClone(record);
      await store.create(record);
      const first = (await store.get(record.sessionId)) as SessionRecord | null;
      if (!first) throw new CheckFailure('get() after create() returned nothing.');
      first.expires = new Date(Date.now() + 1000 * HOUR).toISOString();
      first.userId = 'mallory';
      if (first.data) first.data['cart'] = ['stolen'];
      expectSame(await store.get(record.sessionId), original, 'get() after changing the record a previous get() handed out');
    },
  },
  {
    id: 'copies-in',
    title: 'Changing a record after create() does not change the store',
    level: 'recommended',
    hint: 'Store a copy of what create() and update() receive (structuredClone(record)), so the caller keeping its object cannot change the stored session.',
    async run(store) {
      const record = sampleRecord();
      const original = structuredClone(record);
      await store.create(record);
      record.userId = 'mallory';
      record.data['cart'] = ['stolen'];
      expectSame(await store.get(original.sessionId), original, 'get() after changing the object given to create()');
    },
  },
  {
    id: 'create-duplicate',
    title: 'create() of an existing id fails instead of overwriting',
    level: 'recommended',
    hint: 'Reject a create() whose sessionId is taken (a primary key, add() instead of put(), SET NX) rather than silently replacing another session.',
    async run(store) {
      const record = sampleRecord();
      await store.create(record);
      let rejected = false;
      try {
        await store.create({ ...record, userId: 'mallory' });
      } catch {
        rejected = true;
      }
      if (!rejected) throw new CheckFailure('A second create() with the same sessionId succeeded.');
      expectSame(await store.get(record.sessionId), record, 'get() after a rejected duplicate create()');
    },
  },
  {
    id: 'compare-and-set',
    title: 'compareAndSet() writes only over the expected version',
    level: 'recommended',
    hint: 'Offer compareAndSet(id, expectedVersion, record): write only if the stored version equals expectedVersion, in one atomic step (a transaction, a conditional UPDATE ... WHERE version = ?, a Lua script), and resolve to whether it wrote. Without it, two requests changing one session at once overwrite each other: the last write wins.',
    async run(store) {
      expectOffered(store, 'compareAndSet', 'concurrent changes to one session overwrite each other (last write wins)');
      const record = sampleRecord({ version: 3 });
      await store.create(record);
      if ((await store.compareAndSet(record.sessionId, 2, { ...record, version: 4, userId: 'stale' })) !== false) {
        throw new CheckFailure('compareAndSet() with a stale version did not resolve to false.');
      }
      expectSame(await store.get(record.sessionId), record, 'get() after a compareAndSet() with a stale version');
      const next = { ...record, version: 4, data: { cart: ['plum'] } };
      if ((await store.compareAndSet(record.sessionId, 3, next)) !== true) throw new CheckFailure('compareAndSet() with the current version did not resolve to true.');
      expectSame(await store.get(record.sessionId), next, 'get() after a successful compareAndSet()');
      const ghost = sampleRecord();
      if ((await store.compareAndSet(ghost.sessionId, 0, ghost)) !== false) throw new CheckFailure('compareAndSet() of an unknown id did not resolve to false.');
      expectAbsent(await store.get(ghost.sessionId), 'get() after compareAndSet() of an unknown id');
    },
  },
  {
    id: 'compare-and-set-concurrent',
    title: 'Twenty overlapping compare-and-set loops lose no increment',
    level: 'recommended',
    hint: 'compareAndSet() must be atomic: check the version and write in one step. A read, then a separate write, lets two writers both see the same version and both "win".',
    async run(store) {
      expectOffered(store, 'compareAndSet', 'requests that change one session at once overwrite each other (last write wins)');
      const record = sampleRecord({ version: 0, data: { count: 0 } });
      await store.create(record);
      const writers = 20;
      await Promise.all(
        Array.from({ length: writers }, async () => {
          for (let attempt = 0; attempt < 500; attempt++) {
            const current = (await store.get(record.sessionId)) as SessionRecord;
            const next = { ...current, version: current.version + 1, data: { count: (current.data['count'] as number) + 1 } };
            if (await store.compareAndSet!(record.sessionId, current.version, next)) return;
          }
          throw new CheckFailure('A writer lost 500 compare-and-set rounds in a row.');
        }),
      );
      const final = (await store.get(record.sessionId)) as SessionRecord;
      if (final.data['count'] !== writers || final.version !== writers) {
        throw new CheckFailure(`After ${writers} successful compare-and-sets the record has count ${JSON.stringify(final.data['count'])} and version ${final.version}, expected ${writers} and ${writers}: some writes overwrote others.`);
      }
    },
  },
  {
    id: 'list-by-user',
    title: "listByUser() returns a user's sessions and no one else's",
    level: 'recommended',
    hint: 'Offer listByUser(userId), backed by an index on userId (an IndexedDB index, a SQL index, a Redis set per user), so "sign out everywhere" does not scan every session.',
    async run(store) {
      expectOffered(store, 'listByUser', '"sign out everywhere" cannot find a user\'s sessions');
      const mine = [sampleRecord({ userId: 'conformance-ada' }), sampleRecord({ userId: 'conformance-ada' })];
      const other = sampleRecord({ userId: 'conformance-bob' });
      for (const record of [...mine, other]) await store.create(record);
      const found = (await store.listByUser('conformance-ada')) as ISessionData[];
      const ids = new Set(found.map((record) => record.sessionId));
      if (!mine.every((record) => ids.has(record.sessionId))) throw new CheckFailure(`listByUser() returned ${describeValue(found)}, missing some of the user's sessions.`);
      if (ids.has(other.sessionId)) throw new CheckFailure('listByUser() returned another user\'s session.');
      await store.delete(mine[0]!.sessionId);
      const after = (await store.listByUser('conformance-ada')) as ISessionData[];
      if (after.some((record) => record.sessionId === mine[0]!.sessionId)) throw new CheckFailure('listByUser() still returned a deleted session.');
    },
  },
  {
    id: 'all-records',
    title: 'all() lists every record whole, as copies, removing none',
    level: 'recommended',
    hint: 'all() is optional, for inspectors and admin tools; a store without it gets "not offered" here, neither a pass nor a failure. When you offer it, return every stored record whole (expired ones too, while the store holds them), each once and as a copy (structuredClone(record)), and read them directly rather than through get(), which may remove the expired ones.',
    async run(store) {
      expectOffered(store, 'all', 'inspectors and admin tools cannot list its records');
      const live = [sampleRecord(), sampleRecord()];
      const expired = sampleRecord({ expires: new Date(Date.now() - HOUR).toISOString() });
      for (const record of [...live, expired]) await store.create(record);
      const listed: unknown = await store.all();
      if (!Array.isArray(listed)) throw new CheckFailure(`all() returned ${describeValue(listed)}, expected an array of records.`);
      const entryOf = (record: ISessionData): unknown => listed.find((found: ISessionData | null) => found?.sessionId === record.sessionId);
      for (const record of live) expectSame(entryOf(record), record, 'all(), for a live session,');
      // Redis-like stores drop a record at its expiry by themselves: an expired record may be missing, never changed.
      if (entryOf(expired) !== undefined) expectSame(entryOf(expired), expired, 'all(), for an expired session,');
      const ids = listed.map((found: ISessionData | null) => found?.sessionId);
      const created = new Set<unknown>([...live, expired].map((record) => record.sessionId));
      if (ids.length !== new Set(ids).size || ids.some((id) => !created.has(id))) {
        throw new CheckFailure(`all() of a store holding three sessions returned ${describeValue(listed)}: each stored record once, and nothing else.`);
      }
      const first = entryOf(live[0]!) as SessionRecord;
      first.userId = 'mallory';
      first.data['cart'] = ['stolen'];
      expectSame(await store.get(live[0]!.sessionId), live[0]!, 'get() after changing a record from all()');
      const removed: unknown = await store.clean();
      if (typeof removed === 'number' && removed !== 1) {
        throw new CheckFailure(`clean() after all() returned ${removed}, expected 1 for the expired session: all() must leave every record in place.`);
      }
    },
  },
];
