/**
 * The checks of the store conformance suite. Each one is a promise about the store contract, a way
 * to test it, and — for when it fails — why it matters and how to fix it.
 */
import type { BaseSessionStore } from '../stores/base-session-store.ts';
import type { ISessionData, SessionRecord } from '../types.ts';

export type CheckLevel = 'required' | 'recommended';

/** The store under test, loosely typed: a reader's store may be wrong in any way. */
export type AnyStore = BaseSessionStore<any>;

export interface ConformanceCheck {
  id: string;
  title: string;
  level: CheckLevel;
  /** Why it matters and how to fix it; shown when the check fails. */
  hint: string;
  run(store: AnyStore): Promise<void>;
}

/** Thrown by a check to fail with a message for the store's author. */
export class CheckFailure extends Error {
  override readonly name = 'CheckFailure';
}

const HOUR = 3_600_000;

let counter = 0;
/** A record like the ones Session Lab writes, with a unique id. */
export function sampleRecord(overrides: Partial<SessionRecord> = {}): SessionRecord {
  counter += 1;
  const now = Date.now();
  return {
    sessionId: `conformance-${now.toString(36)}-${counter}-${Math.random().toString(36).slice(2, 10)}`,
    userId: `user-${counter}`,
    expires: new Date(now + HOUR).toISOString(),
    createdAt: new Date(now).toISOString(),
    data: { visits: counter, cart: ['apple', 'pear'] },
    version: 0,
    ...overrides,
  };
}

/** JSON with sorted keys: equality of what a store keeps, whatever order it keeps fields in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  const text = canonicalJson(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

function expectSame(actual: unknown, expected: ISessionData, what: string): void {
  if (actual === null || actual === undefined) throw new CheckFailure(`${what} returned ${describeValue(actual)}, expected the record.`);
  if (canonicalJson(actual) !== canonicalJson(expected)) {
    throw new CheckFailure(`${what} returned ${describeValue(actual)}, expected ${describeValue(expected)}.`);
  }
}

function expectAbsent(actual: unknown, what: string): void {
  if (actual !== null && actual !== undefined) throw new CheckFailure(`${what} returned ${describeValue(actual)}, expected null.`);
}

export const CHECKS: readonly ConformanceCheck[] = [
  {
    id: 'create-get',
    title: 'A created session can be read back, every field intact',
    level: 'required',
    hint: 'get(id) must return what create() was given — all fields, not only sessionId, userId and expires: the Session keeps its creation time, data and version there.',
    async run(store) {
      const record = sampleRecord();
      await store.create(record);
      expectSame(await store.get(record.sessionId), record, 'get() after create()');
    },
  },
  {
    id: 'get-missing',
    title: 'Reading an unknown id gives null',
    level: 'required',
    hint: 'Return null when there is no such session; never throw for an unknown id (cookies can name sessions that are long gone).',
    async run(store) {
      expectAbsent(await store.get('conformance-no-such-session'), 'get() of an unknown id');
    },
  },
  {
    id: 'update',
    title: 'update() replaces the stored record',
    level: 'required',
    hint: 'update(id, record) stores the new record whole, so later get(id) calls see the new expiry, data and version.',
    async run(store) {
      const record = sampleRecord();
      await store.create(record);
      const changed = { ...record, expires: new Date(Date.now() + 2 * HOUR).toISOString(), data: { cart: ['plum'] }, version: 1 };
      await store.update(record.sessionId, changed);
      expectSame(await store.get(record.sessionId), changed, 'get() after update()');
    },
  },
  {
    id: 'update-missing',
    title: 'update() of an unknown id writes nothing',
    level: 'required',
    hint: 'Write only when the id exists. Otherwise a request that finishes after a logout (or after clean()) brings the deleted session back to life.',
    async run(store) {
      const record = sampleRecord();
      await store.update(record.sessionId, record);
      expectAbsent(await store.get(record.sessionId), 'get() after update() of an id never created');
    },
  },
  {
    id: 'delete',
    title: 'delete() removes the session',
    level: 'required',
    hint: 'After delete(id), get(id) must return null: that is what logging out relies on.',
    async run(store) {
      const record = sampleRecord();
      await store.create(record);
      await store.delete(record.sessionId);
      expectAbsent(await store.get(record.sessionId), 'get() after delete()');
    },
  },
  {
    id: 'delete-missing',
    title: 'Deleting an unknown id is harmless',
    level: 'required',
    hint: 'delete() of an id that does not exist must neither throw nor touch other sessions: logouts race with clean() all the time.',
    async run(store) {
      const other = sampleRecord();
      await store.create(other);
      await store.delete('conformance-no-such-session');
      expectSame(await store.get(other.sessionId), other, 'get() of another session after deleting an unknown id');
    },
  },
  {
    id: 'clean-removes-expired',
    title: 'clean() removes sessions that have expired',
    level: 'required',
    hint: 'Remove every record whose expires is in the past. Compare times, not strings of different formats: new Date(expires).getTime() <= Date.now().',
    async run(store) {
      const expired = sampleRecord({ expires: new Date(Date.now() - HOUR).toISOString() });
      await store.create(expired);
      await store.clean();
      expectAbsent(await store.get(expired.sessionId), 'get() of a session that expired an hour ago, after clean()');
    },
  },
  {
    id: 'clean-keeps-live',
    title: 'clean() keeps sessions that have not expired',
    level: 'required',
    hint: 'Only records whose expiry has passed may go; a session that expires in the future is in use.',
    async run(store) {
      const soon = sampleRecord({ expires: new Date(Date.now() + 60_000).toISOString() });
      const later = sampleRecord({ expires: new Date(Date.now() + 30 * 24 * HOUR).toISOString() });
      await store.create(soon);
      await store.create(later);
      await store.clean();
      expectSame(await store.get(soon.sessionId), soon, 'get() of a session expiring in a minute, after clean()');
      expectSame(await store.get(later.sessionId), later, 'get() of a session expiring in a month, after clean()');
    },
  },
  {
    id: 'many-sessions',
    title: 'Keeps a thousand sessions apart',
    level: 'required',
    hint: 'Each sessionId is its own key: reading one session must never return another.',
    async run(store) {
      const records = Array.from({ length: 1000 }, () => sampleRecord());
      for (const record of records) await store.create(record);
      for (const record of records) {
        const found = (await store.get(record.sessionId)) as ISessionData | null;
        if (found?.userId !== record.userId) {
          throw new CheckFailure(`get("${record.sessionId}") returned ${describeValue(found)}, expected the session of ${record.userId}.`);
        }
      }
    },
  },
  {
    id: 'large-unicode',
    title: 'Round-trips large and non-ASCII data',
    level: 'required',
    hint: 'Store the record as JSON (or structured clone) with a text type that holds any Unicode and at least 100 kB.',
    async run(store) {
      const text = 'Grüße, 世界! مرحبا 👩‍💻🍪 "quoted" \\ back\nslash\ttab e\u0301 ';
      const record = sampleRecord({
        userId: 'ユーザー-🍪',
        data: { note: text.repeat(Math.ceil(100_000 / text.length)), nested: { list: [1, 2.5, -0.125, true, null, text] } },
      });
      await store.create(record);
      expectSame(await store.get(record.sessionId), record, 'get() of a 100 kB record with emoji, CJK, RTL and control characters');
    },
  },
  {
    id: 'concurrent-creates',
    title: 'Concurrent creates of different ids all land',
    level: 'required',
    hint: 'Many requests log in at once. Do not read-modify-write a shared structure across an await; write each record on its own.',
    async run(store) {
      const records = Array.from({ length: 100 }, () => sampleRecord());
      await Promise.all(records.map((record) => store.create(record)));
      const found = await Promise.all(records.map((record) => store.get(record.sessionId)));
      const lost = records.filter((record, index) => (found[index] as ISessionData | null)?.sessionId !== record.sessionId);
      if (lost.length > 0) throw new CheckFailure(`${lost.length} of 100 sessions created at the same time could not be read back.`);
    },
  },
  {
    id: 'get-expired',
    title: 'An expired session is not returned',
    level: 'recommended',
    hint: 'get() should treat a record whose expiry has passed as absent (and may delete it). Session Lab checks expiry itself, but other code reading your store may not.',
    async run(store) {
      const expired = sampleRecord({ expires: new Date(Date.now() - 1000).toISOString() });
      await store.create(expired);
      expectAbsent(await store.get(expired.sessionId), 'get() of a session that expired a second ago');
    },
  },
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
      expectSame(await store.get(record.sessionId), original, 'get() after changing the object a previous get() returned');
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
    id: 'clean-unreadable-expiry',
    title: 'clean() removes a session whose expiry cannot be read',
    level: 'recommended',
    hint: 'new Date("garbage") < now is false, so a comparison with < keeps such a record forever. Test the other way round: remove unless new Date(expires).getTime() > now.',
    async run(store) {
      const broken = sampleRecord({ expires: 'not a date' });
      await store.create(broken);
      await store.clean();
      expectAbsent(await store.get(broken.sessionId), 'get() of a session with expires "not a date", after clean()');
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
    id: 'clean-count',
    title: 'clean() reports how many sessions it removed',
    level: 'recommended',
    hint: 'Return the number of removed records from clean(); the Session puts it in its clean event (and the site shows it in the timeline).',
    async run(store) {
      for (let i = 0; i < 3; i++) await store.create(sampleRecord({ expires: new Date(Date.now() - HOUR).toISOString() }));
      await store.create(sampleRecord());
      const removed: unknown = await store.clean();
      if (removed !== 3) throw new CheckFailure(`clean() returned ${describeValue(removed)} after removing three expired sessions, expected 3.`);
    },
  },
  {
    id: 'compare-and-set',
    title: 'compareAndSet() writes only over the expected version',
    level: 'recommended',
    hint: 'Offer compareAndSet(id, expectedVersion, record): write only if the stored version equals expectedVersion, in one atomic step (a transaction, a conditional UPDATE ... WHERE version = ?, a Lua script), and resolve to whether it wrote. Without it, two requests changing one session at once overwrite each other: the last write wins.',
    async run(store) {
      if (typeof store.compareAndSet !== 'function') throw new CheckFailure('The store has no compareAndSet(): concurrent changes to one session overwrite each other (last write wins).');
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
      if (typeof store.compareAndSet !== 'function') throw new CheckFailure('The store has no compareAndSet().');
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
      if (typeof store.listByUser !== 'function') throw new CheckFailure('The store has no listByUser(): "sign out everywhere" cannot find a user\'s sessions.');
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
    hint: 'all() is optional, for inspectors and admin tools; a store without it passes this check. When you offer it, return every stored record whole (expired ones too, while the store holds them), each once and as a copy (structuredClone(record)), and read them directly rather than through get(), which may remove the expired ones.',
    async run(store) {
      if (typeof store.all !== 'function') return; // Optional, and not needed by the Session: nothing to hold it to.
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
