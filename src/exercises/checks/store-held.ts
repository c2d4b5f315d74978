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
 *
 * `witness` is a record the store certainly holds: a place is trusted only where the witness is
 * found, so a Map of something else (timers, listeners) is never taken for the sessions.
 */
export async function heldByStore(context: CheckContext, store: AnyStore, record: SessionRecord, witness: SessionRecord): Promise<Held> {
  if (context.indexedDB) {
    const stores = (await context.indexedDB.databases()).flatMap((database) => database.stores);
    const holds = (objectStore: (typeof stores)[number], id: string): boolean => holdsString(objectStore.values, id) || holdsString(objectStore.keys, id);
    const sessions = stores.filter((objectStore) => holds(objectStore, witness.sessionId));
    if (sessions.length > 0) return { held: sessions.some((objectStore) => holds(objectStore, record.sessionId)), where: 'in IndexedDB' };
  }
  const fields = Object.entries(store as object)
    .map(([name, value]) => [name, value instanceof Set ? [...value] : value] as const)
    .filter(([, value]) => (value instanceof Map || Array.isArray(value)) && holdsString(value, witness.sessionId));
  if (fields.length > 0) {
    return { held: fields.some(([, value]) => holdsString(value, record.sessionId)), where: `in ${fields.map(([name]) => `this.${name}`).join(', ')}` };
  }
  const probe: SessionRecord = { ...record, expires: new Date(context.clock.now() + 3_600_000).toISOString(), version: record.version + 1 };
  await callStore('update() (to see whether the record is still there)', () => store.update(record.sessionId, probe));
  const found = await callStore('get()', () => store.get(record.sessionId));
  return { held: found !== null && found !== undefined, where: 'by update() and get(): update() still found it' };
}
