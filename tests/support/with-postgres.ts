/**
 * Runs a command with one throwaway PostgreSQL cluster for all of it: starts the cluster, runs the
 * command with SESSIONLAB_TEST_POSTGRES_URL naming it (so every `startPostgresServer()` of its
 * tests creates a fresh database there instead of a cluster of its own), then destroys the cluster
 * and exits with the command's exit code. For runs that start the PostgreSQL tests many times over,
 * such as a mutation run:
 *
 *   node tests/support/with-postgres.ts npx stryker run --mutate src/session/stores/postgres-store.ts
 *
 * The cluster also stops if this process is killed (see postgres-server.ts).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { SHARED_POSTGRES_ENV, startPostgresCluster } from './postgres-server.ts';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('Usage: node tests/support/with-postgres.ts <command> [arguments...]');
  process.exit(2);
}

const cluster = await startPostgresCluster();
console.error(`PostgreSQL ${cluster.version} for this run on 127.0.0.1:${cluster.port}.`);
let code = 1;
try {
  const child = spawn(command, args, { stdio: 'inherit', env: { ...process.env, [SHARED_POSTGRES_ENV]: cluster.url } });
  // Ctrl-C reaches the command through the terminal; a signal sent to this process alone is passed on.
  const forward = (signal: NodeJS.Signals): void => void child.kill(signal);
  process.on('SIGINT', forward).on('SIGTERM', forward);
  const [exitCode, signal] = (await Promise.race([once(child, 'exit'), once(child, 'error').then(([error]) => Promise.reject(error as Error))])) as [number | null, NodeJS.Signals | null];
  code = exitCode ?? (signal ? 1 : 0);
} finally {
  await cluster.destroy();
}
process.exit(code);
