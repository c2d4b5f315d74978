/**
 * Checks about time: where exactly a session ends, for clean() and for get(). They move or stop the
 * clock the store sees (context.clock), or write expiries in formats a careless comparison misreads.
 *
 * The clean() checks look at clean() itself, never through a get() that may hide what clean() left:
 * what clean() should have removed is looked for with the clock set back to when it was still live,
 * and a record whose expiry cannot be read (never live) is looked for in the store (store-held.ts).
 */
import { callStore, describeValue, expectAbsent, expectSame, isoWithOffset, sampleRecord } from '../../session/conformance/index.ts';
import { HOUR, MINUTE, recordExpiringIn } from '../check-records.ts';
import { CheckFailure, type AnyStore, type CheckContext, type ExerciseCheck } from '../../checks/exercise-check.ts';
import type { SessionRecord } from '../../session/index.ts';
import { heldByStore } from './store-held.ts';

const DAY = 24 * HOUR;

/** Runs clean() and, when it reports a count, checks it; otherwise the caller looks with get(). */
async function cleanCount(store: AnyStore, when: string): Promise<number | null> {
  const removed: unknown = await callStore(`clean() ${when}`, () => store.clean());
  return typeof removed === 'number' ? removed : null;
}

/**
 * Fails when clean() left `record` behind: the clock is set back a day before `record` expired, so
 * a get() that hides expired records returns it if it is still stored. The clock stays there.
 */
async function expectCleanedAway(context: CheckContext, store: AnyStore, record: SessionRecord, what: string): Promise<void> {
  context.clock.freeze(Date.parse(record.expires) - DAY);
  const left = await callStore('get()', () => store.get(record.sessionId));
  if (left !== null && left !== undefined) {
    throw new CheckFailure(
      `${what} is still in the store after clean(): with the clock set back to a day before it expired, get() returned ${describeValue(left)}. A get() that hides expired sessions does not free them; clean() must remove them.`,
    );
  }
}

const cleanBoundaryCheck: Omit<ExerciseCheck, 'hint'> = {
  id: 'clean-boundary',
  title: 'clean() removes a session at the very millisecond it expires, and keeps one that has a millisecond left',
  async run(context) {
    const store = await context.createStore();
    const at = context.clock.now() + MINUTE;
    const ending = sampleRecord({ expires: new Date(at).toISOString() });
    const staying = sampleRecord({ expires: new Date(at + 1).toISOString() });
    await callStore('create()', () => store.create(ending));
    await callStore('create()', () => store.create(staying));
    context.clock.freeze(at);
    const removed = await cleanCount(store, `at ${new Date(at).toISOString()}`);
    if (removed !== null && removed !== 1) {
      throw new CheckFailure(
        `At ${new Date(at).toISOString()}, clean() removed ${removed} sessions; expected 1: the one whose expires is exactly that moment${removed === 0 ? ' (it was kept: the comparison leaves out the boundary)' : ''}.`,
      );
    }
    expectSame(await callStore('get()', () => store.get(staying.sessionId)), staying, 'get() of a session that expires one millisecond from now, after clean(),');
    await expectCleanedAway(context, store, ending, `The session whose expires is exactly the moment clean() ran (${ending.expires})`);
  },
};

/** Where an exercise's store keeps its records: a hint says what to do there, not in some other store. */
export type ExerciseStorage = 'map' | 'indexeddb';

const CLEAN_BOUNDARY_HOW: Readonly<Record<ExerciseStorage, string>> = {
  map: 'In a Map, walk its entries and delete each one whose Date.parse(record.expires) is not later than Date.now() (deleting the entry a for…of loop is on is safe).',
  indexeddb: 'In IndexedDB, IDBKeyRange.upperBound(now) includes now; upperBound(now, true) does not.',
};

/**
 * clean() at the exact millisecond of an expiry. The check is the same for every store; its hint
 * ends with what to do in the store the exercise builds, so each exercise names its storage.
 */
export function cleanBoundary(storage: ExerciseStorage): ExerciseCheck {
  return {
    ...cleanBoundaryCheck,
    hint: `\`expires\` is the moment the session ends, so at that moment it has expired: remove a record when its expiry is not later than now (expiresAt <= now), not only when it is earlier. ${CLEAN_BOUNDARY_HOW[storage]}`,
  };
}

export const cleanAnyDateFormat: ExerciseCheck = {
  id: 'clean-compares-times',
  title: 'clean() compares times, not strings: it reads an expiry written with a time-zone offset',
  hint: 'Strings sort like times only when both are UTC in exactly the same format. "2026-03-01T10:30:00+02:00" is 08:30 UTC, yet as a string it sorts after "2026-03-01T09:00:00.000Z". Turn expires into a number first: Date.parse(record.expires) (or new Date(record.expires).getTime()), and compare it with Date.now().',
  async run(context) {
    const store = await context.createStore();
    const now = context.clock.now();
    // Expired half an hour ago, written two hours east of UTC: as a string it looks 90 minutes in the future.
    const expired = sampleRecord({ expires: isoWithOffset(now - 30 * MINUTE, 120) });
    // Expires in half an hour, written five hours west of UTC: as a string it looks long past.
    const live = sampleRecord({ expires: isoWithOffset(now + 30 * MINUTE, -300) });
    await callStore('create()', () => store.create(expired));
    await callStore('create()', () => store.create(live));
    await callStore('clean()', () => store.clean());
    const kept = await callStore('get()', () => store.get(live.sessionId));
    if (kept === null || kept === undefined) {
      throw new CheckFailure(`clean() removed a session with expires "${live.expires}", which is half an hour from now: it was still in use.`);
    }
    await expectCleanedAway(context, store, expired, `A session with expires "${expired.expires}" (it expired half an hour ago)`);
  },
};

export const getExpiresOnTime: ExerciseCheck = {
  id: 'get-expires-on-time',
  title: 'get() returns a session while it lasts, and null once its time is up',
  hint: 'Compare the record\'s expiry with the time at the moment get() runs: if (!(Date.parse(record.expires) > Date.now())) the session is over: return null. Do not work out "now" once, in the constructor or at create(): the store lives for days.',
  async run(context) {
    const store = await context.createStore();
    const record = recordExpiringIn(context.clock.now(), 10 * MINUTE);
    await callStore('create()', () => store.create(record));
    expectSame(await callStore('get()', () => store.get(record.sessionId)), record, 'get() of a session with 10 minutes left');
    context.clock.travel(11 * MINUTE);
    expectAbsent(
      await callStore('get()', () => store.get(record.sessionId)),
      'get() of the same session 11 minutes later',
      'it expired a minute ago. Check its expiry against the time when get() is called.',
    );
  },
};

export const getExpiryBoundary: ExerciseCheck = {
  id: 'get-expiry-boundary',
  title: 'get() returns null at the very millisecond a session expires',
  hint: 'At its expiry a session has ended: return the record only while Date.parse(record.expires) > Date.now(). With >= (or a < test for "expired") the session lives one millisecond too long — and the Session, clean() and get() must agree on the boundary.',
  async run(context) {
    // The store is made with the clock already stopped at the boundary, so a "now" taken once (in
    // the constructor, at create()) is the right one here: that fault is get-expires-on-time's, not this check's.
    const at = context.clock.now() + MINUTE;
    context.clock.freeze(at);
    const store = await context.createStore();
    const gone = sampleRecord({ expires: new Date(at - MINUTE).toISOString() });
    const ending = sampleRecord({ expires: new Date(at).toISOString() });
    const staying = sampleRecord({ expires: new Date(at + 1).toISOString() });
    for (const record of [gone, ending, staying]) await callStore('create()', () => store.create(record));
    // A session that ended a minute ago first: a get() that misses that one has no boundary
    // fault, it does not compare with the time of the call at all, and the message says so.
    expectAbsent(
      await callStore('get()', () => store.get(gone.sessionId)),
      'get() of a session that ended a minute ago',
      'before the exact millisecond matters, get() must see that a session has ended at all: compare its expiry with the time when get() is called.',
    );
    expectAbsent(await callStore('get()', () => store.get(ending.sessionId)), 'get() of a session whose expires is exactly now', 'at its expiry a session has ended.');
    expectSame(await callStore('get()', () => store.get(staying.sessionId)), staying, 'get() of a session that has one millisecond left');
  },
};

export const getUnreadableExpiry: ExerciseCheck = {
  id: 'get-unreadable-expiry',
  title: 'get() treats an expiry it cannot read as expired',
  hint: 'Date.parse("not a date") is NaN, and every comparison with NaN is false: "expires < now" says "not expired" and the record lives for ever. Ask the question the safe way round: return the record only if Date.parse(record.expires) > Date.now().',
  async run(context) {
    const store = await context.createStore();
    const broken = sampleRecord({ expires: 'not a date' });
    await callStore('create()', () => store.create(broken));
    expectAbsent(await callStore('get()', () => store.get(broken.sessionId)), 'get() of a session with expires "not a date"', 'an expiry no one can read must count as passed (fail closed).');
  },
};

export const getRemovesExpired: ExerciseCheck = {
  id: 'get-removes-expired',
  title: 'get() removes an expired session it finds, instead of leaving it for clean()',
  hint: 'When get() finds that a record has expired, delete it there and then (this.db.delete(id)) before returning null: clean() runs only every few minutes, and the record is of no use to anyone.',
  async run(context) {
    const store = await context.createStore();
    const expired = recordExpiringIn(context.clock.now(), -HOUR);
    await callStore('create()', () => store.create(expired));
    expectAbsent(await callStore('get()', () => store.get(expired.sessionId)), 'get() of a session that expired an hour ago');
    const removed = await cleanCount(store, 'after that get()');
    if (removed === null) {
      throw new CheckFailure('clean() returned no count, so this check cannot tell whether get() removed the expired session. Return the number of removed sessions from clean() (exercise 3).');
    }
    if (removed !== 0) {
      throw new CheckFailure(
        `get() returned null for a session that expired an hour ago but left it in the store: the clean() that ran next still found ${removed} expired session${removed === 1 ? '' : 's'} to remove.`,
      );
    }
  },
};

/** How to remove an unreadable expiry in each store an exercise builds. */
const UNREADABLE_HOW: Readonly<Record<ExerciseStorage, string>> = {
  map: 'In a Map, test each entry that way: an entry whose expires is "not a date" is removed with the expired ones.',
  indexeddb: 'An index on the expires string never finds "not a date": as a string it sorts after every ISO date, beyond any key range up to now. Index a number instead: Date.parse(expires), with -Infinity when that is NaN (NaN is not a valid key; -Infinity is, and sorts first).',
};

const cleanRemovesUnreadableCheck: Omit<ExerciseCheck, 'hint'> = {
  id: 'clean-removes-unreadable',
  title: 'clean() itself removes a session whose expiry cannot be read',
  async run(context) {
    const store = await context.createStore();
    const broken = sampleRecord({ expires: 'not a date' });
    const live = recordExpiringIn(context.clock.now(), HOUR);
    await callStore('create()', () => store.create(broken));
    await callStore('create()', () => store.create(live));
    const removed = await cleanCount(store, 'with one unreadable expiry stored');
    if (removed !== null && removed !== 1) {
      throw new CheckFailure(`clean() removed ${removed} sessions; expected 1: the one whose expires is "not a date". Only get() notices it, so unless someone asks for it, it stays in the store for ever.`);
    }
    expectSame(await callStore('get()', () => store.get(live.sessionId)), live, 'get() of a session that expires in an hour, after clean(),');
    const { held, where } = await heldByStore(context, store, broken, live);
    if (held) {
      throw new CheckFailure(
        `After clean()${removed === null ? '' : ` (which returned ${removed})`}, the session whose expires is "not a date" is still in the store (seen ${where}). A get() that hides it does not free it; nobody will ever ask for it again.`,
      );
    }
  },
};

/** clean() removes a record whose expiry cannot be read; the hint ends with what to do in the exercise's store. */
export function cleanRemovesUnreadable(storage: ExerciseStorage): ExerciseCheck {
  return {
    ...cleanRemovesUnreadableCheck,
    hint: `get() may already hide such a session, but only clean() removes the ones nobody asks for. Ask the question the safe way round: remove unless Date.parse(expires) > now (NaN never is). ${UNREADABLE_HOW[storage]}`,
  };
}
