/**
 * Fresh IndexedDB data for every check, whatever database name the reader's store chose.
 *
 * A reader's store opens its database by a fixed name (`openDB('sessions', 1, …)`) and is constructed
 * without arguments, so two checks would share its records, and the Lab's or the reader's own data
 * would leak into the checks. While installed, the global `indexedDB` is a factory that puts a
 * per-check prefix in front of every database name: each check (a "world") starts on empty
 * databases, instances made in the same check share them (that is what a restart check needs), and
 * the world's databases are closed and deleted when the check ends.
 *
 * The factory hands out the browser's own requests and connections, so `idb` and hand-written
 * IndexedDB code behave exactly as they would without it.
 */
import type { DatabaseSnapshot, ObjectStoreSnapshot } from './exercise-check.ts';

/** Every world's databases start with this, so leftovers of an interrupted run can be found and deleted. */
const PREFIX = 'sessionlab-check';
/** At most this many values of each object store are read into a snapshot. */
const SNAPSHOT_LIMIT = 1000;
/** How long closing and deleting a world's databases may take before the run moves on. */
const CLEANUP_MS = 2000;

let worldCounter = 0;

export class IndexedDBWorlds {
  readonly #real: IDBFactory;
  readonly #run = crypto.randomUUID().slice(0, 8);
  #current: IndexedDBWorld | null = null;
  /** Worlds opened by stores still running after their check ended; deleted on uninstall. */
  readonly #strays: IndexedDBWorld[] = [];
  #descriptor: PropertyDescriptor | undefined;
  #installed = false;

  /** Worlds over the global `indexedDB`, or null where there is none (Node). */
  static create(): IndexedDBWorlds | null {
    const real = (globalThis as { indexedDB?: IDBFactory }).indexedDB;
    return real ? new IndexedDBWorlds(real) : null;
  }

  private constructor(real: IDBFactory) {
    this.#real = real;
  }

  /** Replaces the global `indexedDB` with the world-routing factory, until `uninstall()`. */
  install(): void {
    if (this.#installed) return;
    this.#descriptor = Object.getOwnPropertyDescriptor(globalThis, 'indexedDB');
    Object.defineProperty(globalThis, 'indexedDB', { value: this.#factory(), configurable: true, writable: true, enumerable: true });
    this.#installed = true;
  }

  uninstall(): void {
    if (!this.#installed) return;
    for (const world of this.#strays.splice(0)) void world.destroy();
    if (this.#descriptor) Object.defineProperty(globalThis, 'indexedDB', this.#descriptor);
    else delete (globalThis as { indexedDB?: IDBFactory }).indexedDB;
    this.#installed = false;
  }

  /** Starts a world: the databases the store opens from now on are new and empty. */
  begin(): IndexedDBWorld {
    worldCounter += 1;
    const world = new IndexedDBWorld(this.#real, `${PREFIX}-${this.#run}-${worldCounter}/`);
    this.#current = world;
    return world;
  }

  /** Ends a world: its connections are closed and its databases deleted. */
  async end(world: IndexedDBWorld): Promise<void> {
    if (this.#current === world) this.#current = null;
    await world.destroy();
  }

  /** Deletes the databases earlier, interrupted runs left behind (a closed tab, a killed worker). */
  async sweep(): Promise<void> {
    if (typeof this.#real.databases !== 'function') return;
    const own = `${PREFIX}-${this.#run}-`;
    // Housekeeping only: a browser that will not list its databases just keeps the leftovers.
    const known = await this.#real.databases().catch((): IDBDatabaseInfo[] => []);
    const stale = known.filter((info) => info.name?.startsWith(`${PREFIX}-`) && !info.name.startsWith(own));
    await withinCleanupTime(Promise.all(stale.map((info) => settle(this.#real.deleteDatabase(info.name!)))));
  }

  #factory(): IDBFactory {
    const real = this.#real;
    const world = (): IndexedDBWorld => {
      if (this.#current) return this.#current;
      // Between checks (a store still running after its check timed out): a world no check reads.
      const stray = this.begin();
      this.#strays.push(stray);
      return stray;
    };
    const factory = {
      open(name: string, version?: number): IDBOpenDBRequest {
        return world().open(name, version);
      },
      deleteDatabase(name: string): IDBOpenDBRequest {
        return real.deleteDatabase(world().realName(name));
      },
      async databases(): Promise<IDBDatabaseInfo[]> {
        const prefix = world().prefix;
        return (await real.databases())
          .filter((info) => info.name?.startsWith(prefix))
          .map((info) => ({ name: info.name!.slice(prefix.length), version: info.version ?? 0 }));
      },
      cmp(first: unknown, second: unknown): number {
        return real.cmp(first, second);
      },
    };
    // `instanceof IDBFactory` holds, as it would for the real one.
    return Object.setPrototypeOf(factory, Object.getPrototypeOf(real) as object) as IDBFactory;
  }
}

/** The databases of one check. */
export class IndexedDBWorld {
  readonly prefix: string;
  readonly #real: IDBFactory;
  /** The reader's database names, as opened. */
  readonly #names = new Set<string>();
  readonly #connections = new Set<IDBDatabase>();
  /** Opens not yet answered; their connection is closed as soon as it arrives if the world closed meanwhile. */
  /** Bumped by every restart: a connection opened for an earlier generation belongs to a process that is gone. */
  #generation = 0;

  constructor(real: IDBFactory, prefix: string) {
    this.#real = real;
    this.prefix = prefix;
  }

  realName(name: string): string {
    return `${this.prefix}${String(name)}`;
  }

  open(name: string, version?: number): IDBOpenDBRequest {
    const request = version === undefined ? this.#real.open(this.realName(name)) : this.#real.open(this.realName(name), version);
    this.#names.add(String(name));
    const generation = this.#generation;
    request.addEventListener('success', () => {
      const database = request.result;
      // The server restarted after this open began: the process that asked for it is gone.
      if (generation < this.#generation) database.close();
      else this.#connections.add(database);
    });
    return request;
  }

  /** Closes every connection opened so far, and those still opening once they open: the process that held them ended. */
  closeConnections(): void {
    this.#generation += 1;
    for (const database of this.#connections) database.close();
    this.#connections.clear();
  }

  /** Closes everything and deletes the world's databases (bounded in time: a blocked delete is left to the browser). */
  async destroy(): Promise<void> {
    this.closeConnections();
    this.#generation = Number.POSITIVE_INFINITY;
    await withinCleanupTime(Promise.all([...this.#names].map((name) => settle(this.#real.deleteDatabase(this.realName(name))))));
  }

  /**
   * Reads every database the world's stores asked for, as it is now, through connections of its own.
   * One whose open has not finished yet is listed without object stores.
   */
  async snapshot(): Promise<DatabaseSnapshot[]> {
    const snapshots: DatabaseSnapshot[] = [];
    for (const name of this.#names) {
      const database = await this.#openExisting(this.realName(name));
      // Asked for, but not there (yet): the open has not finished.
      if (!database) {
        snapshots.push({ name, version: 0, stores: [] });
        continue;
      }
      try {
        snapshots.push({ name, version: database.version, stores: await readStores(database) });
      } finally {
        database.close();
      }
    }
    return snapshots;
  }

  /** Opens a database only if it exists (an open without a version would otherwise create it). */
  async #openExisting(realName: string): Promise<IDBDatabase | null> {
    const known = await this.#real.databases();
    if (!known.some((info) => info.name === realName)) return null;
    return new Promise((resolve) => {
      const request = this.#real.open(realName);
      request.addEventListener('success', () => resolve(request.result));
      request.addEventListener('error', () => resolve(null));
      // Only for a database that another connection is upgrading right now: it opens once that ends.
      request.addEventListener('blocked', () => resolve(null));
    });
  }
}

async function readStores(database: IDBDatabase): Promise<ObjectStoreSnapshot[]> {
  const names = [...database.objectStoreNames];
  if (names.length === 0) return [];
  const transaction = database.transaction(names, 'readonly');
  const stores = names.map(async (name): Promise<ObjectStoreSnapshot> => {
    const store = transaction.objectStore(name);
    const indexes = [...store.indexNames].map((indexName) => {
      const index = store.index(indexName);
      return { name: indexName, keyPath: index.keyPath };
    });
    const [values, keys] = await Promise.all([
      requestResult(store.getAll(undefined, SNAPSHOT_LIMIT)),
      requestResult(store.getAllKeys(undefined, SNAPSHOT_LIMIT)),
    ]);
    return { name, keyPath: store.keyPath, indexes, values, keys };
  });
  return Promise.all(stores);
}

function requestResult<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.addEventListener('success', () => resolve(request.result));
    request.addEventListener('error', () => reject(request.error ?? new Error('IndexedDB request failed')));
  });
}

/** Resolves when the request finishes, whatever the outcome. */
function settle(request: IDBOpenDBRequest): Promise<void> {
  return new Promise((resolve) => {
    request.addEventListener('success', () => resolve());
    request.addEventListener('error', () => resolve());
  });
}

function withinCleanupTime(work: Promise<unknown>): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, CLEANUP_MS);
  });
  return Promise.race([work.then(() => {}), limit]).finally(() => clearTimeout(timer));
}
