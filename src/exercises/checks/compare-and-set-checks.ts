/**
 * What compareAndSet() promises besides the version test (the conformance suite's compare-and-set
 * checks cover that): the record it writes is a copy, and a session that has expired is refused,
 * as one that is gone is — a compare-and-set is an update, never a way back to life.
 */
import { callStore, describeValue, expectAbsent, expectSame, sampleRecord } from '../../session/conformance/index.ts';
import { MINUTE, recordExpiringIn } from '../check-records.ts';
import { CheckFailure, type AnyStore, type ExerciseCheck } from '../../checks/exercise-check.ts';
import type { SessionRecord } from '../../session/index.ts';

function compareAndSetOf(store: AnyStore): NonNullable<AnyStore['compareAndSet']> {
  if (typeof store.compareAndSet !== 'function') throw new CheckFailure('The store has no compareAndSet() yet.');
  return store.compareAndSet.bind(store);
}

export const compareAndSetCopies: ExerciseCheck = {
  id: 'compare-and-set-copies',
  title: 'Changing a record after a successful compareAndSet() does not change the store',
  hint: 'compareAndSet() writes like update(): keep a copy of the record (structuredClone), not the caller\'s object. The Session goes on using that object for the rest of the request.',
  async run(context) {
    const store = await context.createStore();
    const compareAndSet = compareAndSetOf(store);
    const record = sampleRecord({ version: 3 });
    await callStore('create()', () => store.create(record));
    const next: SessionRecord = { ...structuredClone(record), version: 4, data: { cart: ['plum'] } };
    const expected = structuredClone(next);
    const wrote: unknown = await callStore('compareAndSet() with the current version', () => compareAndSet(record.sessionId, 3, next));
    if (wrote !== true) throw new CheckFailure(`compareAndSet() with the current version resolved to ${describeValue(wrote)}, expected true.`);
    next.userId = 'mallory';
    (next.data['cart'] as string[]).push('stolen');
    expectSame(await callStore('get()', () => store.get(record.sessionId)), expected, 'get() after changing the object given to a successful compareAndSet()');
  },
};

export const compareAndSetExpired: ExerciseCheck = {
  id: 'compare-and-set-expired',
  title: 'compareAndSet() of a session that has expired writes nothing and resolves to false',
  hint: 'An expired session is over, even while its record is still stored (until clean() or a get() removes it). A compare-and-set on it must not write — the new record would carry a later expiry and bring the session back — and must say so: false.',
  async run(context) {
    const store = await context.createStore();
    const compareAndSet = compareAndSetOf(store);
    const record = recordExpiringIn(context.clock.now(), MINUTE, { version: 2 });
    await callStore('create()', () => store.create(record));
    context.clock.travel(2 * MINUTE);
    // What a request that read the session just before it expired would write: the same version, a later expiry.
    const extended: SessionRecord = { ...record, version: 3, expires: new Date(context.clock.now() + 30 * MINUTE).toISOString() };
    const wrote: unknown = await callStore('compareAndSet() of a session that expired a minute ago', () => compareAndSet(record.sessionId, 2, extended));
    const after = await callStore('get()', () => store.get(record.sessionId));
    expectAbsent(after, 'get() after a compareAndSet() of a session that had expired a minute ago', 'the compare-and-set wrote a later expiry and brought the expired session back.');
    if (wrote !== false) throw new CheckFailure(`compareAndSet() of a session that expired a minute ago resolved to ${describeValue(wrote)}, expected false: nothing may be written to it.`);
  },
};

/** Few enough writers that an IndexedDB store finishes well within the page's deadline per check. */
const WRITERS = 6;

export const compareAndSetOverlapping: ExerciseCheck = {
  id: 'compare-and-set-overlapping',
  title: `${WRITERS} overlapping read, change and compare-and-set loops lose no change`,
  hint: 'compareAndSet() must check the version and write in one step: in IndexedDB, one readwrite transaction that reads the entry and puts the new one. A read in one transaction and a write in another lets two writers both see the same version, and both "win".',
  async run(context) {
    const store = await context.createStore();
    const compareAndSet = compareAndSetOf(store);
    const record = sampleRecord({ version: 0, data: { count: 0 } });
    await callStore('create()', () => store.create(record));
    let wins = 0;
    await Promise.all(
      Array.from({ length: WRITERS }, async () => {
        for (let attempt = 0; attempt < 100; attempt++) {
          const current = (await callStore('get()', () => store.get(record.sessionId))) as SessionRecord | null;
          if (!current) throw new CheckFailure('get() of the session the writers share returned nothing.');
          const next: SessionRecord = { ...current, version: current.version + 1, data: { count: (current.data['count'] as number) + 1 } };
          if ((await callStore('compareAndSet()', () => compareAndSet(record.sessionId, current.version, next))) === true) {
            wins++;
            return;
          }
        }
        throw new CheckFailure('A writer lost 100 compare-and-set rounds in a row.');
      }),
    );
    const final = (await callStore('get()', () => store.get(record.sessionId))) as SessionRecord | null;
    if (final?.data['count'] !== WRITERS || final.version !== WRITERS) {
      throw new CheckFailure(
        `${wins} compare-and-sets succeeded, each adding one, yet the record has count ${describeValue(final?.data['count'])} and version ${describeValue(final?.version)}, expected ${WRITERS} and ${WRITERS}: some writes overwrote others.`,
      );
    }
  },
};
