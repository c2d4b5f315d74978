/** The required checks of the five methods at their simplest: what is written can be read, changed and removed. */
import type { ISessionData } from '../types.ts';
import { CheckFailure, describeValue, expectAbsent, expectSame } from './assertions.ts';
import { expectListedOnce, expectNotListed } from './check-helpers.ts';
import type { ConformanceCheck } from './conformance-check.ts';
import { sampleRecord } from './sample-record.ts';

export const STORE_CHECKS: readonly ConformanceCheck[] = [
  {
    id: 'create-get',
    title: 'A created session can be read back, every field intact',
    level: 'required',
    hint: 'get(id) must return what create() was given — all fields, not only sessionId, userId and expires: the Session keeps its creation time, data and version there, and the public id, sign-in time, last-seen time and device details its device features need. Store the record whole (JSON, structured clone), not a column for each field you know of.',
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
    hint: 'update(id, record) stores the new record whole, so later get(id) calls see the new expiry, data and version, and the sign-in time, last-seen time and device details the Session keeps beside them.',
    async run(store) {
      const record = sampleRecord();
      await store.create(record);
      // A request after a fresh sign-in, from another network: every field a request may change, changes.
      const later = new Date(Date.now() + 5 * 60_000).toISOString();
      const changed = {
        ...record,
        expires: new Date(Date.now() + 2 * 3_600_000).toISOString(),
        data: { cart: ['plum'] },
        version: 1,
        authenticatedAt: later,
        lastSeenAt: later,
        device: { ...record.device, ip: '198.51.100.0' },
      };
      await store.update(record.sessionId, changed);
      expectSame(await store.get(record.sessionId), changed, 'get() after update()');
      await expectListedOnce(store, changed, 'after update()');
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
      await expectNotListed(store, [record], 'after update() of an id never created');
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
      await expectNotListed(store, [record], 'after delete()');
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
];
