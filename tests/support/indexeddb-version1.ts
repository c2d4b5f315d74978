import { openDB } from 'idb';
import type { SessionRecord } from 'sessionlab';

/** Writes a database the way schema version 1 (the idb recipe) laid it out: records as given, keyed by sessionId. */
export async function writeVersion1Database(name: string, records: readonly SessionRecord[]): Promise<void> {
  const database = await openDB(name, 1, {
    upgrade(db) {
      db.createObjectStore('sessions', { keyPath: 'sessionId' }).createIndex('expires', 'expires');
    },
  });
  const transaction = database.transaction('sessions', 'readwrite');
  await Promise.all([...records.map((r) => transaction.store.add(r)), transaction.done]);
  database.close();
}
