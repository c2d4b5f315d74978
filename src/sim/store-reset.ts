/**
 * Empties the store the simulated server runs on, for the Lab's "Start fresh": sessions that earlier
 * page loads left in IndexedDB would otherwise greet a reader who came back days later. Uses the
 * store's optional `clear()` when it has one, else deletes what `all()` lists, one by one.
 */
import type { BaseSessionStore } from '../session/index.ts';
import { readRecords, type ReadRecordsOptions } from './store-records.ts';

/** Deletes every record in `store`; resolves to how many there were. */
export async function emptyStore(store: BaseSessionStore<any>, options: ReadRecordsOptions): Promise<number> {
  const records = await readRecords(store, options);
  if (records === null) {
    throw new Error(`${options.label} does not list its records (it offers no all()), so they cannot be found to delete them.`);
  }
  const clear = (store as { clear?: () => unknown }).clear;
  if (typeof clear === 'function') await clear.call(store);
  else for (const record of records) await store.delete(record.sessionId);
  return records.length;
}
