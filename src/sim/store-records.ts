/**
 * Reads every record a store holds, expired ones included, for the Lab's record inspector. The store
 * contract has no such method, so this uses the optional `all()` when a store has one, and reads the
 * IndexedDB store's database directly (read only) while IndexedDBStore has no `all()` of its own.
 */
import { openDB } from 'idb';
import type { BaseSessionStore, SessionRecord } from '../session/index.ts';
import { IndexedDBStore } from '../session/stores/indexeddb-store.ts';

/** The object store IndexedDBStore keeps its entries in. */
const SESSIONS = 'sessions';

export interface ReadRecordsOptions {
  /** How the store is named to the reader, for error messages. */
  label: string;
  /** Real ms to wait for a store's `all()`. */
  timeoutMs: number;
}

interface ListingStore {
  all(): unknown;
}

export async function readRecords(store: BaseSessionStore<any>, options: ReadRecordsOptions): Promise<SessionRecord[]> {
  const listing = store as Partial<ListingStore>;
  if (typeof listing.all === 'function') {
    const found = await withTimeout(Promise.resolve().then(() => (listing as ListingStore).all()), options);
    if (!Array.isArray(found)) throw new Error(`${options.label}.all() returned ${typeof found}, not an array of records.`);
    return found as SessionRecord[];
  }
  if (store instanceof IndexedDBStore) return readIndexedDB(store);
  throw new Error(
    `${options.label} cannot list its records: add an all() method that returns every stored record (expired ones included) to see them here.`,
  );
}

/**
 * INTERIM, until IndexedDBStore has `all()`: reads its database directly. `count()` first lets the store
 * open (create, upgrade) its database its own way; opening it here without a version never upgrades it.
 */
async function readIndexedDB(store: IndexedDBStore): Promise<SessionRecord[]> {
  await store.count();
  const database = await openDB(store.databaseName);
  try {
    if (!database.objectStoreNames.contains(SESSIONS)) return [];
    const entries: unknown[] = await database.getAll(SESSIONS);
    // Schema 2 keeps entries { record, expiresAt }; schema 1 kept the records themselves.
    return entries.map((entry) => ((entry as { record?: SessionRecord }).record ?? entry) as SessionRecord);
  } finally {
    database.close();
  }
}

function withTimeout<T>(work: Promise<T>, options: ReadRecordsOptions): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${options.label}.all() did not answer within ${options.timeoutMs} ms.`)), options.timeoutMs);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
