/**
 * Whether a store still holds a record, seen without asking its get(): a get() that hides expired
 * or unreadable records would cover for a clean() that leaves them behind. For a record whose expiry
 * can be read, a check sets the clock back instead (see expiry-checks.ts); an expiry that cannot be
 * read is never live, so for that one the store is looked into.
 */
import { callStore } from '../../session/conformance/index.ts';
import { holdsString } from '../check-records.ts';
import type { AnyStore, CheckContext } from '../../checks/exercise-check.ts';
import type { SessionRecord } from '../../session/index.ts';

/** What was found, and where: for the failure message. */
export interface Held {
  held: boolean;
  /** Where it was seen (or looked for), in the reader's terms. */
  where: string;
}

/**
 * Looks for `record` in what the store keeps: its IndexedDB databases, else its own fields (a Map
 * in `this.db`), else — for a store that hides its state (a `#private` or module-level Map) — by
 * an update(): update() of an id that is gone writes nothing, so if a later get() returns what
 * update() wrote, the record was still there. The probe gives the record a readable, later expiry.
 */
export async function heldByStore(context: CheckContext, store: AnyStore, record: SessionRecord): Promise<Held> {
  if (context.indexedDB) {
    const databases = await context.indexedDB.databases();
    if (databases.length > 0) {
      const held = databases.some((database) =>
        database.stores.some((objectStore) => holdsString(objectStore.values, record.sessionId) || holdsString(objectStore.keys, record.sessionId)),
      );
      return { held, where: 'in IndexedDB' };
    }
  }
  const fields = Object.entries(store as object).filter(([, value]) => value instanceof Map || Array.isArray(value) || value instanceof Set);
  if (fields.length > 0) {
    const held = fields.some(([, value]) => holdsString(value instanceof Set ? [...value] : value, record.sessionId));
    return { held, where: `in ${fields.map(([name]) => `this.${name}`).join(', ')}` };
  }
  const probe: SessionRecord = { ...record, expires: new Date(context.clock.now() + 3_600_000).toISOString(), version: record.version + 1 };
  await callStore('update() (to see whether the record is still there)', () => store.update(record.sessionId, probe));
  const found = await callStore('get()', () => store.get(record.sessionId));
  return { held: found !== null && found !== undefined, where: 'by update() and get(): update() still found it' };
}
