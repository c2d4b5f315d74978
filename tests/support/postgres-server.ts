/**
 * A real, throwaway PostgreSQL server for tests: a fresh cluster (`initdb`) in a temporary folder,
 * listening on a free port of 127.0.0.1 only (no Unix socket), with durability off for speed (fsync,
 * synchronous_commit and full-page writes off: a crash may lose the data, which tests never keep).
 * It can be stopped and started again on the same port with its data (the fault tests do). It stops
 * by itself when the test process ends, however it ends (even killed), and its folder is deleted
 * when that process exits normally without destroying it.
 *
 * PostgreSQL refuses to run as root: when the tests run as root, initdb and the server run as the
 * `postgres` user, in a folder under the system's temporary directory that this user owns (never
 * inside the checkout, which that user may not be able to read). A machine without the server
 * binaries fails the tests that need it, with the command that installs them: never a silent skip.
 *
 * One cluster for many runs: when SESSIONLAB_TEST_POSTGRES_URL names a running server on loopback
 * (a mutation run starts one for all its mutants: tests/support/with-postgres.ts), each
 * `startPostgresServer()` creates a fresh database there instead of a cluster, so the tests stay
 * as independent of each other as with clusters of their own, without an `initdb` per run. Such a
 * server is reached through a TCP relay of its own, which `stop()` and `start()` close and open
 * again on the same port: to the test's clients the server is gone, then back, with its data.
 * `destroy()` drops the database (and every connection to it). Without the variable nothing changes.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { accessSync, chownSync, constants, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.ts';

/** The environment variable that names a running server for `startPostgresServer()` to share. */
export const SHARED_POSTGRES_ENV = 'SESSIONLAB_TEST_POSTGRES_URL';

export interface PostgresServer {
  readonly port: number;
  /** `postgres://postgres@127.0.0.1:<port>/<database>`: the superuser, no password (trust on loopback). */
  readonly url: string;
  /** The database `url` names: `postgres` in a cluster of its own, a fresh one on a shared server. */
  readonly database: string;
  /** The server's major version, e.g. 15. */
  readonly version: number;
  /** The temporary folder that holds the cluster (on a shared server, a folder for the test's files); deleted by `destroy()`. */
  readonly folder: string;
  /** The folder of the PostgreSQL binaries the server runs (psql is there too). */
  readonly bin: string;
  /** Whether the server process is running. */
  readonly running: boolean;
  /** Fast shutdown (clients are disconnected at once); resolves once the server has exited. The data stays. */
  stop(): Promise<void>;
  /** Starts it again on the same port, with the data it had; resolves once it accepts connections. */
  start(): Promise<void>;
  /** Stops the server and deletes its folder. */
  destroy(): Promise<void>;
}

const INSTALL_HINT =
  'PostgreSQL server binaries (initdb, postgres) were not found in /usr/lib/postgresql/<version>/bin or on PATH; ' +
  'install them with `apt-get install postgresql` (Debian/Ubuntu) or `brew install postgresql` (macOS), ' +
  'or point POSTGRES_BIN at the folder that holds initdb.';

/**
 * A server of the test's own: a fresh database on the server SESSIONLAB_TEST_POSTGRES_URL names,
 * when it is set, else a fresh cluster (`startPostgresCluster()`).
 */
export async function startPostgresServer(): Promise<PostgresServer> {
  const shared = process.env[SHARED_POSTGRES_ENV];
  return shared ? openSharedDatabase(shared) : startPostgresCluster();
}

/** Creates a cluster in a fresh temporary folder, starts it on a free loopback port, and resolves once it accepts connections. */
export async function startPostgresCluster(): Promise<PostgresServer> {
  const bin = findBinaries();
  const owner = serverUser();
  const root = mkdtempSync(join(baseFolder(owner), 'sessionlab-pg-'));
  if (owner) chownSync(root, owner.uid, owner.gid);
  const data = join(root, 'data');
  const port = await freePort();
  let child: ChildProcess | null = null;
  // The server stops by itself when this process goes (see WATCHDOG); on a normal exit, also delete its folder.
  const cleanUpOnExit = (): void => {
    rmSync(root, { recursive: true, force: true });
  };
  process.once('exit', cleanUpOnExit);
  const discard = (): void => {
    process.off('exit', cleanUpOnExit);
    rmSync(root, { recursive: true, force: true });
  };

  try {
    await run(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync', '--no-instructions'], root, owner);
  } catch (error) {
    discard();
    throw error;
  }

  const server: PostgresServer = {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    database: 'postgres',
    version: Number(/\d+/.exec(execFileSync(join(bin, 'postgres'), ['--version']).toString())?.[0]),
    folder: root,
    bin,
    get running() {
      return child !== null;
    },
    async start() {
      if (child) throw new Error(`PostgreSQL on port ${port} is already running.`);
      const started = await launch(join(bin, 'postgres'), data, port, root, owner);
      child = started;
      started.once('exit', () => {
        if (child === started) child = null;
      });
    },
    async stop() {
      const running = child;
      if (!running) return;
      const exited = once(running, 'exit');
      // The watchdog then sends SIGINT, PostgreSQL's fast shutdown: it ends client sessions at once.
      // (SIGTERM, the smart shutdown, would wait for every pooled connection to close by itself.)
      running.stdin?.end();
      await exited;
      child = null;
    },
    async destroy() {
      await server.stop();
      discard();
    },
  };
  try {
    await server.start();
  } catch (error) {
    discard();
    throw error;
  }
  return server;
}

let databases = 0;

/**
 * A fresh database on the running server `adminUrl` names (a superuser's URL on loopback), reached
 * through a relay on a port of its own (see the file's summary).
 */
async function openSharedDatabase(adminUrl: string): Promise<PostgresServer> {
  const target = loopbackServer(adminUrl);
  const bin = findBinaries();
  const database = `sessionlab_test_${process.pid}_${++databases}_${randomBytes(4).toString('hex')}`;
  const admin = async <T>(use: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: adminUrl });
    client.on('error', () => undefined);
    await client.connect();
    try {
      return await use(client);
    } finally {
      await client.end();
    }
  };
  const version = await admin(async (client) => {
    await client.query(`CREATE DATABASE "${database}"`);
    const { rows } = await client.query<{ major: number }>("SELECT current_setting('server_version_num')::int / 10000 AS major");
    return rows[0]!.major;
  });
  const folder = mkdtempSync(join(tmpdir(), 'sessionlab-pg-db-'));
  const cleanUpOnExit = (): void => {
    rmSync(folder, { recursive: true, force: true });
  };
  process.once('exit', cleanUpOnExit);

  const relay = new Relay(target);
  try {
    await relay.open(0);
  } catch (error) {
    await admin((client) => client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
    throw error;
  }
  const port = relay.port;
  const user = target.username ? decodeURIComponent(target.username) : 'postgres';
  const server: PostgresServer = {
    port,
    url: `postgres://${encodeURIComponent(user)}@127.0.0.1:${port}/${database}`,
    database,
    version,
    folder,
    bin,
    get running() {
      return relay.isOpen;
    },
    async start() {
      if (relay.isOpen) throw new Error(`PostgreSQL on port ${port} is already running.`);
      await relay.open(port);
    },
    async stop() {
      await relay.close();
    },
    async destroy() {
      await relay.close();
      // FORCE ends the test's own connections to it (PostgreSQL 13 or later), as a shutdown would.
      await admin((client) => client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
      process.off('exit', cleanUpOnExit);
      cleanUpOnExit();
    },
  };
  return server;
}

/** The URL's server, checked to be on this machine: tests create and drop databases there. */
function loopbackServer(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`${SHARED_POSTGRES_ENV} is not a URL (${JSON.stringify(url)}); expected postgres://postgres@127.0.0.1:<port>/postgres.`);
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'];
  if (!/^postgres(ql)?:$/.test(parsed.protocol) || !loopback.includes(parsed.hostname) || !parsed.port) {
    throw new Error(
      `${SHARED_POSTGRES_ENV} must name a throwaway server on loopback with its port (postgres://postgres@127.0.0.1:<port>/postgres), ` +
        `got ${JSON.stringify(url)}: the tests create and drop databases there. Unset it to give each test run a cluster of its own.`,
    );
  }
  return parsed;
}

/**
 * A TCP relay on 127.0.0.1 to a server: each connection it accepts is piped to a new one to the
 * server. Closing it refuses new connections and cuts every open one, as a server that stops does.
 */
class Relay {
  readonly #target: { host: string; port: number };
  readonly #sockets = new Set<Socket>();
  #listener: Server | null = null;
  port = 0;

  constructor(target: URL) {
    this.#target = { host: target.hostname.replace(/^\[|\]$/g, ''), port: Number(target.port) };
  }

  get isOpen(): boolean {
    return this.#listener !== null;
  }

  async open(port: number): Promise<void> {
    const listener = createServer((client) => {
      const upstream = connect(this.#target);
      const cut = (): void => {
        client.destroy();
        upstream.destroy();
        this.#sockets.delete(client);
        this.#sockets.delete(upstream);
      };
      this.#sockets.add(client);
      this.#sockets.add(upstream);
      for (const socket of [client, upstream]) socket.on('error', cut).on('close', cut);
      client.pipe(upstream);
      upstream.pipe(client);
    });
    listener.listen(port, '127.0.0.1');
    await Promise.race([once(listener, 'listening'), once(listener, 'error').then(([error]) => Promise.reject(error as Error))]);
    // A relay left open must not keep the test process alive.
    listener.unref();
    this.port = (listener.address() as AddressInfo).port;
    this.#listener = listener;
  }

  async close(): Promise<void> {
    const listener = this.#listener;
    if (!listener) return;
    this.#listener = null;
    const closed = once(listener, 'close');
    listener.close();
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
    await closed;
  }
}

/** The folder with initdb and postgres: $POSTGRES_BIN, else the newest /usr/lib/postgresql/<version>/bin, else PATH. */
function findBinaries(): string {
  const chosen = process.env['POSTGRES_BIN'];
  if (chosen) {
    if (isExecutable(join(chosen, 'initdb')) && isExecutable(join(chosen, 'postgres'))) return chosen;
    throw new Error(`POSTGRES_BIN is ${JSON.stringify(chosen)}, which holds no initdb and postgres. ${INSTALL_HINT}`);
  }
  const candidates: string[] = [];
  try {
    const versions = readdirSync('/usr/lib/postgresql').filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((version) => `/usr/lib/postgresql/${version}/bin`));
  } catch {
    // Not a Debian-style install: look on PATH.
  }
  candidates.push(...(process.env['PATH'] ?? '').split(':').filter(Boolean));
  const found = candidates.find((folder) => isExecutable(join(folder, 'initdb')) && isExecutable(join(folder, 'postgres')));
  if (!found) throw new Error(INSTALL_HINT);
  return found;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

interface Owner {
  uid: number;
  gid: number;
}

/** Who runs the server: the `postgres` user when we are root (PostgreSQL refuses root), else nobody else (null: the current user). */
function serverUser(): Owner | null {
  if (process.getuid?.() !== 0) return null;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    return { uid, gid };
  } catch {
    throw new Error(
      'The tests run as root, and PostgreSQL refuses to run as root, but there is no `postgres` user to run it as. ' +
        'Installing the server (`apt-get install postgresql`) creates that user; or run the tests as an ordinary user.',
    );
  }
}

/**
 * Where the cluster's folder goes: the system's temporary directory, unless the `postgres` user
 * cannot reach it (a private TMPDIR), then /tmp.
 */
function baseFolder(owner: Owner | null): string {
  const base = tmpdir();
  if (!owner) return base;
  for (let folder = base; ; folder = dirname(folder)) {
    // Every folder on the way must let others through (o+x).
    if ((statSync(folder).mode & 0o001) === 0) return '/tmp';
    if (folder === dirname(folder)) return base;
  }
}

/** Runs a PostgreSQL tool to completion, as `owner` when given; rejects with its output when it fails. */
async function run(command: string, args: string[], cwd: string, owner: Owner | null): Promise<void> {
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], ...(owner ?? {}) });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await Promise.race([once(child, 'exit'), once(child, 'error').then(([error]) => Promise.reject(error as Error))])) as [number | null];
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit code ${code}):\n${output.trim()}`);
}

/**
 * Runs the server under a small shell that stops it (fast shutdown) as soon as its stdin closes:
 * when `stop()` ends that pipe, and also when the test process dies without stopping it (killed by
 * a timeout, a crash, SIGKILL), since the pipe closes with it. A server can never outlive its tests.
 */
const WATCHDOG = `
exec 3<&0
"$0" "$@" </dev/null 3<&- &
server=$!
{ cat <&3 >/dev/null; kill -INT "$server" 2>/dev/null; } &
watcher=$!
exec 3<&-
wait "$server"
status=$?
kill "$watcher" 2>/dev/null
exit "$status"`;

/** Starts the server on `port` and resolves once it says it accepts connections. */
async function launch(postgres: string, data: string, port: number, cwd: string, owner: Owner | null): Promise<ChildProcess> {
  const settings = {
    listen_addresses: '127.0.0.1',
    port: String(port),
    unix_socket_directories: '', // TCP only: no socket file anywhere
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    max_connections: '60',
  };
  const args = ['-D', data, ...Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`])];
  if (!isExecutable(postgres)) throw new Error(INSTALL_HINT);
  const child = spawn('/bin/sh', ['-c', WATCHDOG, postgres, ...args], { cwd, stdio: ['pipe', 'pipe', 'pipe'], ...(owner ?? {}) });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('database system is ready to accept connections')) finish(null);
    };
    const onError = (error: Error): void => finish(error);
    const onExit = (code: number | null): void => finish(new Error(`PostgreSQL exited (code ${code}) before it was ready:\n${output.trim()}`));
    const finish = (error: Error | null): void => {
      child.stderr?.off('data', onData);
      child.off('error', onError);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve();
    };
    child.stderr?.on('data', onData);
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', onError);
    child.once('exit', onExit);
  });
  // Keep draining its log so the pipes never fill.
  child.stdout?.resume();
  child.stderr?.resume();
  return child;
}

