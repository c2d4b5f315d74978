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
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { accessSync, chownSync, constants, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort } from './free-port.ts';

export interface PostgresServer {
  readonly port: number;
  /** `postgres://postgres@127.0.0.1:<port>/postgres`: the superuser, no password (trust on loopback). */
  readonly url: string;
  /** The server's major version, e.g. 15. */
  readonly version: number;
  /** The temporary folder that holds the cluster; deleted by `destroy()`. */
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

/** Creates a cluster in a fresh temporary folder, starts it on a free loopback port, and resolves once it accepts connections. */
export async function startPostgresServer(): Promise<PostgresServer> {
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

