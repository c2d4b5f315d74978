/**
 * Checks that an IndexedDB store does its work through indexes: clean() visits the expired records,
 * not every session.
 */
import { callStore } from '../../session/conformance/index.ts';
import { HOUR, holdsString, recordExpiringIn } from '../check-records.ts';
import { CheckFailure, type ExerciseCheck } from '../../checks/exercise-check.ts';

const LIVE = 100;
const EXPIRED = 3;
/** Reads allowed per expired record (an index entry, the record, a second look) plus a little slack. */
const READS_ALLOWED = EXPIRED * 3 + 10;

export const cleanThroughIndex: ExerciseCheck = {
  id: 'clean-through-index',
  title: `clean() reads only the expired sessions (through an index on expires), not all of them`,
  hint: 'Create an index on the expiry when the database is created (store.createIndex("expires", …) in upgrade), and let clean() ask it for the expired ones only: index.openCursor(IDBKeyRange.upperBound(now)) and cursor.delete() in a loop, or index.getAllKeys(range) and delete each. getAll() on the whole store, or a cursor over it, costs as much as you have sessions — every few minutes.',
  async run(context) {
    if (!context.indexedDB) throw new CheckFailure('This check needs IndexedDB, and there is none here. Run it in a browser.');
    const store = await context.createStore();
    const now = context.clock.now();
    const live = Array.from({ length: LIVE }, () => recordExpiringIn(now, HOUR));
    const expired = Array.from({ length: EXPIRED }, (_, index) => recordExpiringIn(now, -(index + 1) * HOUR));
    for (const record of [...live, ...expired]) await callStore('create()', () => store.create(record));
    const { reads } = await context.indexedDB.countReads(() => callStore('clean()', () => store.clean()));
    const databases = await context.indexedDB.databases();
    const everything = databases.flatMap((database) => database.stores.map((objectStore) => objectStore.values));
    const left = expired.filter((record) => holdsString(everything, record.sessionId));
    if (left.length > 0) throw new CheckFailure(`After clean(), ${left.length} of ${EXPIRED} expired sessions are still in IndexedDB.`);
    if (!holdsString(everything, live[0]!.sessionId)) throw new CheckFailure('After clean(), a session that expires in an hour is gone from IndexedDB.');
    if (reads > READS_ALLOWED) {
      throw new CheckFailure(
        `clean() read ${reads} records from IndexedDB to remove ${EXPIRED} expired sessions out of ${LIVE + EXPIRED}: it looks at every session. With an index on the expiry and a key range it reads about ${EXPIRED}.`,
      );
    }
  },
};
