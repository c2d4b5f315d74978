// Prelude of a snippet from inside an IndexedDB read-write transaction (idb): its object store, and now as a number.
import type { IDBPObjectStore } from 'idb';
declare const store: IDBPObjectStore<unknown, ['sessions'], 'sessions', 'readwrite'>;
declare const now: number;
