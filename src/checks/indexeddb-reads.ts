/**
 * Counts the records a piece of code reads from IndexedDB: what tells a `clean()` that walks an index
 * over the expired records from one that loads every session to filter them.
 *
 * While the body runs, the read methods of object stores and indexes (get, getKey, getAll,
 * getAllKeys, openCursor, openKeyCursor) are wrapped; each request they return counts what it
 * delivers: one per record for `get`, the length of the array for `getAll`, one per cursor step.
 * The browser's own methods are put back afterwards. Works under `idb` too, which calls them.
 */

const READ_METHODS = ['get', 'getKey', 'getAll', 'getAllKeys', 'openCursor', 'openKeyCursor'] as const;

type ReadMethod = (typeof READ_METHODS)[number];

/** Runs `body` and counts the records it read from IndexedDB in this realm. */
export async function countIndexedDBReads<T>(body: () => Promise<T>): Promise<{ result: T; reads: number }> {
  let reads = 0;
  const count = (request: IDBRequest): void => {
    request.addEventListener('success', () => {
      const result: unknown = request.result;
      if (Array.isArray(result)) reads += result.length;
      else if (result !== undefined && result !== null) reads += 1;
    });
  };
  const restore: (() => void)[] = [];
  for (const prototype of [IDBObjectStore.prototype, IDBIndex.prototype] as Record<ReadMethod, unknown>[]) {
    for (const method of READ_METHODS) {
      const original = prototype[method];
      if (typeof original !== 'function') continue;
      const descriptor = Object.getOwnPropertyDescriptor(prototype, method);
      Object.defineProperty(prototype, method, {
        configurable: true,
        writable: true,
        value(this: unknown, ...args: unknown[]): IDBRequest {
          const request = (original as (...inner: unknown[]) => IDBRequest).apply(this, args);
          count(request);
          return request;
        },
      });
      restore.push(() => (descriptor ? Object.defineProperty(prototype, method, descriptor) : delete prototype[method]));
    }
  }
  try {
    const result = await body();
    return { result, reads };
  } finally {
    for (const undo of restore) undo();
  }
}
