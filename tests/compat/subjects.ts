/**
 * The express-session stores the compatibility run puts through the conformance suite, each behind a
 * `ConnectStoreBridge`, each as its documentation says to create it, on a real backend: Redis from
 * `redis-server`, PostgreSQL from a throwaway cluster, files in a temporary folder. `setup` says, in
 * words, what a reader would have to do the same (it is shown in the table).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { findPackageJSON } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisStore } from 'connect-redis';
import connectPgSimple from 'connect-pg-simple';
import session from 'express-session';
import createMemoryStore from 'memorystore';
import pg from 'pg';
import { createClient } from 'redis';
import createFileStore from 'session-file-store';
import { ConnectStoreBridge, type ConnectCallback, type ConnectStore } from '../../src/session/stores/connect-store.ts';
import { startPostgresServer, type PostgresServer } from '../support/postgres-server.ts';
import { startRedisServer, type RedisServer } from '../support/redis-server.ts';

/** One store in the table. */
export interface CompatSubject {
  /** Unique in the table, e.g. `connect-redis/store-expires`. */
  id: string;
  /** The npm package under test. */
  package: string;
  /** How the store and the bridge are set up, in words. */
  setup: string;
  /** Starts what the store needs and resolves to a way to make fresh, empty bridged stores. */
  start(services: Services): Promise<StartedSubject>;
}

export interface StartedSubject {
  /** The backend's name and version, when the store keeps sessions outside the process (`Redis 7.0.15`). */
  backend?: string;
  createStore(): Promise<ConnectStoreBridge>;
  disposeStore?(store: ConnectStoreBridge): Promise<void>;
  /** Releases what `start` made. */
  stop(): Promise<void>;
}

/** The servers the subjects share, started on first use and stopped once at the end. */
export class Services {
  #redis: Promise<RedisServer> | null = null;
  #postgres: Promise<PostgresServer> | null = null;

  redis(): Promise<RedisServer> {
    return (this.#redis ??= startRedisServer());
  }

  postgres(): Promise<PostgresServer> {
    return (this.#postgres ??= startPostgresServer());
  }

  async stop(): Promise<void> {
    const [redis, postgres] = await Promise.allSettled([this.#redis, this.#postgres]);
    if (redis.status === 'fulfilled') await redis.value?.stop();
    if (postgres.status === 'fulfilled') await postgres.value?.destroy();
  }
}

/** The installed version of `name`, from its package.json (found as Node resolves the package). */
export function installedVersion(name: string): string {
  const path = findPackageJSON(name, import.meta.url);
  if (!path) throw new Error(`No package.json found for ${name}: is it installed?`);
  return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
}

/**
 * session-file-store's own reaping, as a `clean` for the bridge: list the session files, and destroy
 * each the store says has expired (it goes by the last write plus `cookie.originalMaxAge`, which the
 * bridge sets to the time left until the record's `expires`). Resolves to how many it removed.
 */
export async function reapFileStore(store: ConnectStore & { list(cb: ConnectCallback): void; expired(sid: string, cb: ConnectCallback): void }): Promise<number> {
  const call = <T>(body: (cb: ConnectCallback) => void): Promise<T> =>
    new Promise((resolve, reject) => body((error, value) => (error ? reject(error as Error) : resolve(value as T))));
  const files = await call<string[]>((cb) => store.list(cb));
  let removed = 0;
  for (const file of files) {
    const sid = file.replace(/\.json$/, '');
    if (await call<boolean>((cb) => store.expired(sid, cb))) {
      await call((cb) => store.destroy(sid, cb));
      removed += 1;
    }
  }
  return removed;
}

const noop = (): void => {};

export const SUBJECTS: readonly CompatSubject[] = [
  {
    id: 'express-session/MemoryStore',
    package: 'express-session',
    setup: "new session.MemoryStore(); clean: 'scan' (the default: its all())",
    async start() {
      return { createStore: async () => new ConnectStoreBridge({ store: new session.MemoryStore() }), stop: async () => {} };
    },
  },
  {
    id: 'memorystore',
    package: 'memorystore',
    setup: "new (memorystore(session))({ checkPeriod: 0 }); clean: 'scan' (the default: its all())",
    async start() {
      const MemoryStore = createMemoryStore(session);
      return { createStore: async () => new ConnectStoreBridge({ store: new MemoryStore({ checkPeriod: 0 }) }), stop: async () => {} };
    },
  },
  ...(['store-expires', 'scan'] as const).map(
    (clean): CompatSubject => ({
      id: `connect-redis/${clean}`,
      package: 'connect-redis',
      setup: `new RedisStore({ client, prefix }) on node-redis ${installedVersion('redis')}; clean: '${clean}'${clean === 'store-expires' ? ' (Redis expires each key: SET ... EX)' : ' (its all(): SCAN and MGET)'}`,
      async start(services) {
        const server = await services.redis();
        const client = createClient({ url: server.url, disableOfflineQueue: true });
        client.on('error', noop);
        await client.connect();
        let prefixes = 0;
        return {
          backend: `Redis ${/v=([\d.]+)/.exec(execFileSync('redis-server', ['--version']).toString())?.[1] ?? '?'}`,
          createStore: async () => new ConnectStoreBridge({ store: new RedisStore({ client, prefix: `compat-${clean}-${++prefixes}:` }), clean }),
          stop: async () => {
            await client.close();
          },
        };
      },
    }),
  ),
  {
    id: 'connect-pg-simple',
    package: 'connect-pg-simple',
    setup: "new (connectPgSimple(session))({ pool, createTableIfMissing: true, pruneSessionInterval: false }); clean: its pruneSessions()",
    async start(services) {
      const server = await services.postgres();
      const pool = new pg.Pool({ connectionString: server.url, max: 10 });
      pool.on('error', noop);
      const PgStore = connectPgSimple(session);
      const make = (): InstanceType<typeof PgStore> => new PgStore({ pool, createTableIfMissing: true, pruneSessionInterval: false, errorLog: noop });
      // The first store creates the table; each later one starts from an empty one.
      await new Promise<void>((resolve, reject) => make().get('none', (error) => (error ? reject(error as Error) : resolve())));
      return {
        backend: `PostgreSQL ${(await pool.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version ?? server.version}`,
        createStore: async () => {
          await pool.query('TRUNCATE "session"');
          return new ConnectStoreBridge({
            store: make(),
            clean: (store) => new Promise<void>((resolve, reject) => (store as InstanceType<typeof PgStore>).pruneSessions((error) => (error ? reject(error) : resolve()))),
          });
        },
        stop: async () => {
          await pool.end();
        },
      };
    },
  },
  {
    id: 'session-file-store',
    package: 'session-file-store',
    setup: 'new (sessionFileStore(session))({ path, retries: 0, reapInterval: -1 }); clean: its list() and expired(), then destroy()',
    async start() {
      const FileStore = createFileStore(session);
      const root = mkdtempSync(join(tmpdir(), 'sessionlab-compat-files-'));
      let folders = 0;
      return {
        backend: 'files in a temporary folder',
        // retries: 0, because the bridge reads before it creates, and by default every read of a
        // missing file is retried five times (about half a second) before it counts as "no session".
        createStore: async () => {
          const store = new FileStore({ path: join(root, String(++folders)), retries: 0, reapInterval: -1, logFn: noop });
          return new ConnectStoreBridge({ store, clean: (fileStore) => reapFileStore(fileStore as unknown as Parameters<typeof reapFileStore>[0]) });
        },
        stop: async () => {
          rmSync(root, { recursive: true, force: true });
        },
      };
    },
  },
];
