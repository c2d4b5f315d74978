/**
 * What the IndexedDB browser tests run in a second tab (see browser-tabs.ts): an application's
 * view of the store from another page of the same origin. Stores stay open between calls, as in a
 * live tab, until `closeStore()`, `closeTab` or a reload ends them. Values cross between the tabs
 * serialized, so records compare by value.
 */
import type { SessionRecord } from 'sessionlab';
import { IndexedDBStore, IndexedDBStoreError } from 'sessionlab/indexeddb';

const stores = new Map<string, IndexedDBStore>();

/** Chosen when this module loads: a reload gives a new realm, hence a new value. */
const REALM = crypto.randomUUID();

function storeFor(name: string): IndexedDBStore {
  let store = stores.get(name);
  if (!store) {
    store = new IndexedDBStore({ name });
    stores.set(name, store);
  }
  return store;
}

/** Identifies this page's JavaScript realm. */
export function realm(): string {
  return REALM;
}

/** This page's origin. */
export function origin(): string {
  return location.origin;
}

export async function create(name: string, record: SessionRecord): Promise<void> {
  await storeFor(name).create(record);
}

/** The records stored under `ids` (null where there is none). */
export async function get(name: string, ids: string[]): Promise<(SessionRecord | null)[]> {
  const store = storeFor(name);
  return Promise.all(ids.map((id) => store.get(id)));
}

/** What `create()` did: `'created'`, or the error it rejected with, as plain values. */
export async function tryCreate(name: string, record: SessionRecord): Promise<'created' | { name: string; reason: string; message: string; cause: string | undefined }> {
  try {
    await storeFor(name).create(record);
    return 'created';
  } catch (error) {
    if (!(error instanceof IndexedDBStoreError)) throw error;
    const cause = error.cause instanceof Error || error.cause instanceof DOMException ? error.cause.name : undefined;
    return { name: error.name, reason: error.reason, message: error.message, cause };
  }
}

export async function count(name: string): Promise<number> {
  return storeFor(name).count();
}

export function closeStore(name: string): void {
  stores.get(name)?.close();
  stores.delete(name);
}

/** Closes the store on `name` and deletes its database. */
export async function destroy(name: string): Promise<void> {
  closeStore(name);
  await new Promise<void>((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error(`Deleting database "${name}" is blocked: a connection to it is still open.`));
  });
}
