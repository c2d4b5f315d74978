/**
 * Builds the store the simulated server runs on, inside the server worker, from the reader's choice.
 * A reader's store module can fail in many ways (it does not load, exports no store class, its
 * constructor throws, a method is missing); each becomes a `StoreLoadError` whose message says what
 * went wrong in the reader's terms and what to do.
 */
import { MemoryStore, SessionConfigError, type BaseSessionStore, type Clock } from '../session/index.ts';
import { IndexedDBStore } from '../session/stores/indexeddb-store.ts';
import { FaultyStore } from './faulty-store.ts';
import { LastWriteWinsStore } from './last-write-wins-store.ts';
import type { StoreChoice } from './protocol.ts';

const STORE_METHODS = ['create', 'get', 'update', 'delete', 'clean'] as const;

/** The reader's store could not be set up. The message is for the reader. */
export class StoreLoadError extends Error {
  override readonly name = 'StoreLoadError';
}

export interface StoreLoadOptions {
  clock: Clock;
  /** The IndexedDB database of the `indexeddb` choice. */
  database: string;
}

export async function loadStore(choice: StoreChoice, options: StoreLoadOptions): Promise<BaseSessionStore<any>> {
  switch (choice.kind) {
    case 'memory': {
      const memory = new MemoryStore({ clock: options.clock });
      return choice.lastWriteWins ? new LastWriteWinsStore(memory) : memory;
    }
    case 'indexeddb': {
      const database = new IndexedDBStore({ name: options.database, clock: options.clock });
      return choice.lastWriteWins ? new LastWriteWinsStore(database) : database;
    }
    case 'faulty':
      return new FaultyStore(choice.fault, new MemoryStore({ clock: options.clock }));
    case 'module':
      return loadModuleStore(choice.url, choice.exportName);
  }
}

/** Whether `error` is a reader's mistake with a message worth showing as is. */
export function isStoreLoadError(error: unknown): error is StoreLoadError | SessionConfigError {
  return error instanceof StoreLoadError || error instanceof SessionConfigError;
}

async function loadModuleStore(url: string, exportName: string | undefined): Promise<BaseSessionStore<any>> {
  let module: Record<string, unknown>;
  try {
    module = (await import(/* @vite-ignore */ url)) as Record<string, unknown>;
  } catch (error) {
    // A module may explain its own failure in the reader's terms (the playground's do): pass that on as is.
    if (error instanceof Error && error.name === 'StoreLoadError') throw new StoreLoadError(error.message);
    throw new StoreLoadError(`The store module did not load: ${describe(error)}. Fix the error in the module and try again.`);
  }
  const [name, StoreClass] = findStoreClass(module, exportName);
  let store: unknown;
  try {
    store = new StoreClass();
  } catch (error) {
    throw new StoreLoadError(`new ${name}() threw: ${describe(error)}. The constructor runs with no arguments; keep it free of work that can fail.`);
  }
  const missing = STORE_METHODS.filter((method) => typeof (store as Record<string, unknown> | null)?.[method] !== 'function');
  if (missing.length > 0) {
    throw new StoreLoadError(
      `${name} has no ${missing.map((method) => `${method}()`).join(', ')}. A store implements create, get, update, delete and clean.`,
    );
  }
  return store as BaseSessionStore<any>;
}

type StoreClass = new () => unknown;

function findStoreClass(module: Record<string, unknown>, exportName: string | undefined): [string, StoreClass] {
  const names = Object.keys(module);
  if (exportName !== undefined) {
    const candidate = module[exportName];
    if (typeof candidate !== 'function') {
      throw new StoreLoadError(
        candidate === undefined
          ? `The module has no export named "${exportName}". It exports: ${names.join(', ') || 'nothing'}.`
          : `The export "${exportName}" is not a class (it is ${typeof candidate}).`,
      );
    }
    return [className(exportName, candidate), candidate as StoreClass];
  }
  // The default export first, then the named ones in order.
  for (const key of ['default', ...names.filter((name) => name !== 'default')]) {
    const candidate = module[key];
    if (typeof candidate === 'function' && STORE_METHODS.every((method) => typeof candidate.prototype?.[method] === 'function')) {
      return [className(key, candidate), candidate as StoreClass];
    }
  }
  throw new StoreLoadError(
    `No exported class has the five store methods (create, get, update, delete, clean). The module exports: ${names.join(', ') || 'nothing'}. Export your store class, e.g. "export class MyStore extends BaseSessionStore { … }".`,
  );
}

function className(exportName: string, candidate: unknown): string {
  const name = (candidate as { name?: unknown }).name;
  return typeof name === 'string' && name.length > 0 ? name : exportName;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
