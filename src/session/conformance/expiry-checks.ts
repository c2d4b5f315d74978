/**
 * The checks of expiry: clean() and get() of expired records. The suite owns the clock the store
 * sees (`Date.now()`, `new Date()`, an injected clock that reads them), so a record clean() should
 * have removed is looked for at a time when it would still be live: a get() that hides expired
 * records cannot cover for a clean() that leaves them behind.
 */
import type { ISessionData } from '../types.ts';
import { CheckFailure, describeValue, expectAbsent, expectSame, expectSameSession } from './assertions.ts';
import { DAY, HOUR, MINUTE, SECOND, claimsToExpireRecordsItself, expectNotListed, realDelay, withClock } from './check-helpers.ts';
import type { ClockControl } from './clock-control.ts';
import type { AnyStore, ConformanceCheck } from './conformance-check.ts';
import { isoWithOffset, sampleRecord } from './sample-record.ts';

const iso = (ms: number): string => new Date(ms).toISOString();

/** How long past a short expiry the suite waits (real time) before it looks for the record. */
const SHORT_EXPIRY_MS = 40;
const SETTLE_MS = 60;

/**
 * Fails unless every record in `records` is gone: each looked up with get() at a time when it would
 * still be live (the clock is rolled back), and none listed by all().
 */
async function expectAllGone(store: AnyStore, clock: ClockControl, records: readonly ISessionData[], what: string, why: string): Promise<void> {
  const earliest = Math.min(...records.map((record) => Date.parse(record.expires)).filter(Number.isFinite), clock.now());
  clock.freeze(earliest - DAY);
  const left: unknown[] = [];
  for (const record of records) {
    const found: unknown = await store.get(record.sessionId);
    if (found !== null && found !== undefined) left.push(found);
  }
  if (left.length > 0) {
    throw new CheckFailure(
      `${what} left ${left.length} of ${records.length} expired sessions in the store: with the clock set back to when they were still live, get() returned ${describeValue(left[0])}${left.length > 1 ? ' and more' : ''}. ${why}`,
    );
  }
  await expectNotListed(store, records, `after ${what}`);
}

/** Waits (real time) until `at` has passed by a margin, for a backend that expires records on its own clock. */
async function waitPast(clock: ClockControl, at: number): Promise<void> {
  while (clock.baseNow() <= at + SETTLE_MS) await realDelay(Math.max(1, at + SETTLE_MS + 1 - clock.baseNow()));
}

/**
 * For a store that says its backend expires records by itself: records written already expired,
 * and a record that expires shortly after it was written, are gone from the backend even with the
 * clock the store sees set back to when they were live.
 */
async function verifyBackendExpiry(store: AnyStore, clock: ClockControl): Promise<void> {
  const start = clock.baseNow();
  clock.freeze(start);
  const expired = [sampleRecord({ expires: iso(start - HOUR) }), sampleRecord({ expires: iso(start + SHORT_EXPIRY_MS) })];
  for (const record of expired) await store.create(record);
  await waitPast(clock, start + SHORT_EXPIRY_MS);
  await expectAllGone(
    store,
    clock,
    expired,
    'The backend',
    'The store says its backend removes records at their expiry by itself (expiresRecordsItself), but these are still there: give the backend the expiry (Redis SET ... PXAT), or drop the claim and remove them in clean().',
  );
  clock.freeze(clock.baseNow());
  await store.clean();
}

/** How long the sessions clean-keeps-live writes have to live, each with how a message says it. */
const LIVE_FOR: ReadonlyArray<readonly [number, string]> = [
  [SECOND, 'in 1 second'],
  [MINUTE, 'in 1 minute'],
  [HOUR, 'in 1 hour'],
  [30 * DAY, 'in 30 days'],
];

const KEPT_UNREADABLE = 'A get() that hides such a record does not free it: clean() must remove it.';
const LEAKS = 'clean() must remove them: a get() that hides expired records does not free them, so a session nobody reads again stays stored forever. Compare times: new Date(expires).getTime() <= Date.now().';

export const EXPIRY_CHECKS: readonly ConformanceCheck[] = [
  {
    id: 'clean-removes-expired',
    title: 'clean() removes sessions that have expired',
    level: 'required',
    hint: 'Remove every record whose expires has passed, whether or not anyone reads it again. The suite looks for them afterwards at a time when they would still be live, so a get() that hides expired records does not cover for a clean() that leaves them. Compare times: new Date(expires).getTime() <= Date.now(), with "now" from Date.now() or the injected clock, not the database server\'s clock, so clean() and the Session agree on time. A store whose backend drops records at their expiry by itself (Redis PXAT) says so with expiresRecordsItself = true, and the suite checks that instead.',
    run: (store, context) =>
      withClock(context, async (clock) => {
        if (claimsToExpireRecordsItself(store)) return verifyBackendExpiry(store, clock);
        const start = clock.baseNow();
        clock.freeze(start);
        // Half a second into a second: a clean() that rounds to whole seconds misses the last one.
        const cleanAt = Math.floor((start + 2 * DAY) / SECOND) * SECOND + 500;
        const expired = [
          sampleRecord({ expires: iso(start - HOUR) }),
          ...[SECOND, MINUTE, HOUR, DAY].map((ms) => sampleRecord({ expires: iso(start + ms) })),
          sampleRecord({ expires: iso(cleanAt - 1) }),
        ];
        for (const record of expired) await store.create(record);
        clock.freeze(cleanAt);
        await store.clean();
        await expectAllGone(store, clock, expired, 'clean()', LEAKS);
      }),
  },
  {
    id: 'clean-keeps-live',
    title: 'clean() keeps sessions that have not expired',
    level: 'required',
    hint: 'Only records whose expiry has passed may go; a session that expires in the future is in use.',
    run: (store, context) =>
      withClock(context, async (clock) => {
        const start = clock.baseNow();
        clock.freeze(start);
        // A backend that expires records itself goes by real time, which runs on: leave it a margin.
        const lives = claimsToExpireRecordsItself(store) ? LIVE_FOR.slice(1) : LIVE_FOR;
        const live = lives.map(([ms, label]) => ({ record: sampleRecord({ expires: iso(start + ms) }), label }));
        for (const { record } of live) await store.create(record);
        await store.clean();
        for (const { record, label } of live) {
          expectSame(await store.get(record.sessionId), record, `get() of a session expiring ${label}, after clean()`);
        }
        await expectListed(store, live.map(({ record }) => record), 'after clean()');
      }),
  },
  {
    id: 'clean-compares-instants',
    title: 'clean() compares instants, whatever UTC offset an expiry is written with',
    level: 'required',
    hint: 'expires is ISO 8601, and one instant can be written with any UTC offset: 2026-01-01T23:00:00+14:00 is 09:00Z. Comparing the strings removes live sessions and keeps expired ones. Parse them: Date.parse(expires) <= Date.now(). Keeping the expiry as an instant (a timestamptz column, a number) is fine: get() may answer it written with another offset (09:00Z), as long as it is the same instant.',
    run: (store, context) =>
      withClock(context, async (clock) => {
        const start = clock.baseNow();
        clock.freeze(start);
        // As text, the first reads 13 hours ahead of now and the second 11 hours behind.
        const expired = sampleRecord({ expires: isoWithOffset(start - HOUR, 14 * 60) });
        const live = sampleRecord({ expires: isoWithOffset(start + HOUR, -12 * 60) });
        await store.create(expired);
        await store.create(live);
        await store.clean();
        // A store that keeps the expiry as an instant may answer it in UTC: the same instant is the same expiry.
        expectSameSession(await store.get(live.sessionId), live, `get() of a session expiring in an hour (expires "${live.expires}"), after clean()`);
        await expectAllGone(store, clock, [expired], 'clean()', `It expired an hour ago (expires "${expired.expires}", which as text sorts after now). ${LEAKS}`);
      }),
  },
  {
    id: 'update-moves-expiry',
    title: 'clean() goes by the expiry update() wrote',
    level: 'required',
    hint: 'When update() changes expires, clean() must go by the new time. Keep whatever finds expired records (an index, a sorted set, a column) in step with every write: a stale one removes sessions that were extended, or keeps ones that were cut short.',
    run: (store, context) =>
      withClock(context, async (clock) => {
        const selfExpiring = claimsToExpireRecordsItself(store);
        const start = clock.baseNow();
        clock.freeze(start);
        const extended = sampleRecord({ expires: iso(start + HOUR) });
        const shortened = sampleRecord({ expires: iso(start + 3 * HOUR) });
        await store.create(extended);
        await store.create(shortened);
        const longer = { ...extended, expires: iso(start + 3 * HOUR), version: 1 };
        // A backend that expires records itself does it on its own (real) clock: cut this one short in real time.
        const cutTo = selfExpiring ? start + SHORT_EXPIRY_MS : start + HOUR;
        const shorter = { ...shortened, expires: iso(cutTo), version: 1 };
        await store.update(extended.sessionId, longer);
        await store.update(shortened.sessionId, shorter);
        if (selfExpiring) await waitPast(clock, cutTo);
        clock.freeze(start + 2 * HOUR);
        await store.clean();
        expectSame(await store.get(extended.sessionId), longer, 'get() of a session update() extended by two hours, after clean() an hour past its first expiry');
        await expectAllGone(store, clock, [shorter], 'clean() an hour past the expiry update() had cut a session to', LEAKS);
      }),
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
    id: 'clean-unreadable-expiry',
    title: 'clean() removes a session whose expiry cannot be read',
    level: 'recommended',
    hint: 'new Date("garbage") < now is false, so a comparison with < keeps such a record forever. Test the other way round: remove unless new Date(expires).getTime() > now.',
    async run(store) {
      const broken = sampleRecord({ expires: 'not a date' });
      await store.create(broken);
      await store.clean();
      expectAbsent(await store.get(broken.sessionId), 'get() of a session with expires "not a date", after clean()');
      await expectNotListed(store, [broken], 'after clean(), for the session with expires "not a date",');
      // A get() that treats an unreadable expiry as expired hides a record clean() kept. clean()'s count
      // cannot tell (a backend may drop the record while clean() lists, uncounted), so give the session a
      // readable expiry: update() of an id clean() removed writes nothing, and get() finds it only if kept.
      await store.update(broken.sessionId, { ...broken, expires: iso(Date.now() + HOUR) });
      expectAbsent(await store.get(broken.sessionId), `get() after clean() and then an update() that gave the session with expires "not a date" a readable expiry (clean() kept it, or update() wrote an id that was not there)`, KEPT_UNREADABLE);
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
];

/** When the store has all(): fails unless it lists each of `records` whole. */
async function expectListed(store: AnyStore, records: readonly ISessionData[], what: string): Promise<void> {
  if (typeof store.all !== 'function') return;
  const listed: unknown = await store.all();
  if (!Array.isArray(listed)) throw new CheckFailure(`all() returned ${describeValue(listed)}, expected an array of records.`);
  for (const record of records) {
    const entry: unknown = listed.find((found: ISessionData | null) => found?.sessionId === record.sessionId);
    expectSame(entry, record, `all() ${what}, for a live session,`);
  }
}
