/**
 * `npm run bench:server`: Express servers under load, Session Lab against express-session.
 *
 * Each case is an Express app loaded by autocannon over loopback with signed-in cookies: 1 s of
 * warm-up, then 5 s measured. Two routes:
 *
 *   read   GET /read answers the signed-in user as JSON (one session, 16 connections).
 *          bare Express (no session) · express-session + its MemoryStore · Session Lab + MemoryStore ·
 *          Session Lab + SQLite · Session Lab + Redis · express-session + connect-redis ·
 *          Session Lab + connect-redis through ConnectStoreBridge · Session Lab + PostgreSQL
 *          (PostgresStore) · express-session + connect-pg-simple · Session Lab + connect-pg-simple
 *          through ConnectStoreBridge
 *   write  GET /write counts a visit in the session's data, so every request changes the session
 *          (16 sessions, taken in turn, so concurrent requests are mostly different users).
 *          bare Express (a counter, no session) · express-session + MemoryStore at its defaults
 *          (resave and saveUninitialized on) · Session Lab + MemoryStore (compare-and-set on: every
 *          save is a versioned write that merges on a lost race)
 *
 * Every server runs in its own child process (this file, started with `serve <case>`) and the load
 * generator in this one: the server gets an event loop and a core to itself, as in production, and
 * each case starts with a fresh heap and JIT, untouched by the cases before it. The Redis cases
 * share one redis-server, started on a free loopback port for the run and stopped after it; the
 * PostgreSQL cases share one throwaway cluster (tests/support/postgres-server.ts), likewise private
 * to the run. Each PostgreSQL server process gets its own `pg` Pool of 10 connections.
 *
 * Ratios compare like with like ("e-s" = express-session on the same kind of store and route):
 * Session Lab + MemoryStore against express-session + MemoryStore, Session Lab + Redis against
 * express-session + connect-redis, Session Lab + PostgresStore against express-session +
 * connect-pg-simple. A bridged case (Session Lab + ConnectStoreBridge over connect-redis or
 * connect-pg-simple) is compared with express-session on the same connect store: what the bridge,
 * and Session Lab around it, cost over the store used directly. (SQLite has no express-session twin
 * here; every case is also shown against bare Express on its route.) Besides req/s and p99 latency, each server reports its own CPU
 * time per request (user + system, over the measured 5 s), and the table shows what the session layer
 * adds to bare Express's: the load generator and redis-server share the machine, and that figure
 * moves least when they, or anything else, compete for it. "promoted B/req" is what the server's
 * young-generation collections moved to the old generation per request (V8's GC statistics): near
 * zero when an answered request is garbage at once, kilobytes when something keeps requests alive.
 *
 * The run repeats in rounds (3 by default, each case once per round in a rotating order) and
 * reports medians with the spread of req/s: on a shared machine one 5-second sample can be off by
 * half or more. Latencies come from autocannon in whole milliseconds.
 *
 * On the read route each library runs as its documentation recommends: express-session with resave
 * and saveUninitialized off (connect-redis then still refreshes the key's TTL, an EXPIRE, on every
 * request, and connect-pg-simple its row's expiry, an UPDATE); Session Lab with its defaults (an active session is written at most about once a
 * minute, so a 6-second run of reads writes nothing).
 *
 * Flags (after `npm run bench:server --`):
 *   --profile[=dir]   a V8 CPU profile of each server process (one per case and round), written to dir
 *                     (default build/bench-profiles/server-<time>/), and a summary of the hottest
 *                     frames of Session Lab's own code. The profiler slows every case: read the
 *                     profiles, not that run's rates.
 *   --slowdown=µs     a deliberate regression: every Session Lab session load busy-waits this long
 *                     first. Proves the benchmark sees a slowdown of that size.
 * Environment: BENCH_ROUNDS=n (default 3; 1 takes about a minute); BENCH_CASES=a,b runs only those
 * cases (ids in CASES below); BENCH_CPU_PROF=dir is the same as --profile=dir; BENCH_BASELINE=dir
 * adds, beside each Session Lab case, the same case with the library of another checkout (its
 * `src/session/`), id suffixed `-baseline`: before and after a change, measured in one run;
 * BENCH_RATE=n offers every case n req/s in all (autocannon's overallRate) instead of as many as it
 * answers. A server's CPU per request falls as its rate rises (each wake-up of the event loop, each
 * epoll and timer check, is shared by more requests: bare Express cost 72 µs per request at 3,000
 * req/s and 48 µs at 8,000 in one session), so "added CPU" at open throttle also charges a slower
 * case for being slower; at one rate it is what the session layer adds. Pick a rate every case reaches.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { GCProfiler } from 'node:v8';
import express, { type Express } from 'express';
import { startPostgresServer } from '../support/postgres-server.ts';
import { startRedisServer } from '../support/redis-server.ts';
import { formatSummary, summarizeProfile } from './profile-summary.ts';
import { slowDown } from './slowdown.ts';

const SECRET = 'benchmark-secret-that-is-long-enough-0001';
const WARMUP_SECONDS = 1;
const MEASURE_SECONDS = 5;
const CONNECTIONS = 16;

type Kind = 'none' | 'memory' | 'sqlite' | 'redis' | 'postgres';
/** `read`: GET /read answers the signed-in user. `write`: GET /write counts a visit in the session's data. */
type Route = 'read' | 'write';
interface Case {
  id: string;
  label: string;
  library: 'Express' | 'express-session' | 'Session Lab';
  store: Kind;
  route: Route;
  /** Session Lab through ConnectStoreBridge over the connect store express-session uses for `store`. */
  bridged?: true;
  /** Session Lab from the BENCH_BASELINE checkout instead of this one. */
  baseline?: true;
}

const CASES: readonly Case[] = [
  { id: 'bare', label: 'bare Express (no session)', library: 'Express', store: 'none', route: 'read' },
  { id: 'express-session-memory', label: 'express-session + MemoryStore', library: 'express-session', store: 'memory', route: 'read' },
  { id: 'sessionlab-memory', label: 'Session Lab + MemoryStore', library: 'Session Lab', store: 'memory', route: 'read' },
  { id: 'sessionlab-sqlite', label: 'Session Lab + SqliteStore', library: 'Session Lab', store: 'sqlite', route: 'read' },
  { id: 'sessionlab-redis', label: 'Session Lab + RedisStore', library: 'Session Lab', store: 'redis', route: 'read' },
  { id: 'express-session-redis', label: 'express-session + connect-redis', library: 'express-session', store: 'redis', route: 'read' },
  { id: 'sessionlab-connect-redis', label: 'Session Lab + ConnectStoreBridge(connect-redis)', library: 'Session Lab', store: 'redis', route: 'read', bridged: true },
  { id: 'sessionlab-postgres', label: 'Session Lab + PostgresStore', library: 'Session Lab', store: 'postgres', route: 'read' },
  { id: 'express-session-postgres', label: 'express-session + connect-pg-simple', library: 'express-session', store: 'postgres', route: 'read' },
  { id: 'sessionlab-connect-postgres', label: 'Session Lab + ConnectStoreBridge(connect-pg-simple)', library: 'Session Lab', store: 'postgres', route: 'read', bridged: true },
  { id: 'bare-write', label: 'bare Express, write route (no session)', library: 'Express', store: 'none', route: 'write' },
  { id: 'express-session-memory-write', label: 'express-session + MemoryStore, write route', library: 'express-session', store: 'memory', route: 'write' },
  { id: 'sessionlab-memory-write', label: 'Session Lab + MemoryStore, write route', library: 'Session Lab', store: 'memory', route: 'write' },
];

/** CASES, and with BENCH_BASELINE each Session Lab case again on the baseline's library, right after it. */
function allCases(): Case[] {
  if (!process.env['BENCH_BASELINE']) return [...CASES];
  return CASES.flatMap((benchCase) =>
    benchCase.library === 'Session Lab' ? [benchCase, { ...benchCase, id: `${benchCase.id}-baseline`, label: `${benchCase.label} (baseline)`, baseline: true as const }] : [benchCase],
  );
}

/** Where the server process loads Session Lab from: this checkout, or the baseline's. */
function libraryUrl(path: string, benchCase: Case): string {
  const baseline = process.env['BENCH_BASELINE'];
  if (!benchCase.baseline || !baseline) return new URL(`../../src/session/${path}`, import.meta.url).href;
  return pathToFileURL(join(baseline, 'src/session', path)).href;
}

/** The write route spreads its requests over this many signed-in sessions, as many users would. */
const WRITE_SESSIONS = CONNECTIONS;

// Loaded through require, untyped on purpose: @types/express-session declares `req.session` globally
// with its own type, and one TypeScript program cannot hold it beside sessionlab/express's.
const require = createRequire(import.meta.url);

if (process.argv[2] === 'serve') await serve(process.argv[3]!);
else await main(parseArgs({ options: { profile: { type: 'string' }, slowdown: { type: 'string' } }, args: withDefaultProfileDir(process.argv.slice(2)) }).values);

/** `--profile` alone means "profile into a new folder under build/". */
function withDefaultProfileDir(args: string[]): string[] {
  const dir = fileURLToPath(new URL(`../../build/bench-profiles/server-${new Date().toISOString().replaceAll(':', '-')}`, import.meta.url));
  return args.map((arg) => (arg === '--profile' ? `--profile=${dir}` : arg));
}

// ---------------------------------------------------------------- the load generator (parent)

interface Measured {
  case: Case;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  /** Server CPU time (user + system) per request served while measured, in µs. */
  cpuPerRequest: number;
  /** Bytes per request the server's young-generation collections promoted to the old generation. */
  promotedPerRequest: number;
}

interface Summary extends Measured {
  /** Lowest and highest req/s over the rounds. */
  spread: [number, number];
}

async function main(flags: { profile?: string; slowdown?: string }): Promise<void> {
  const profileDir = flags.profile ?? process.env['BENCH_CPU_PROF'];
  const slowdown = Number(flags.slowdown ?? 0);
  if (!Number.isFinite(slowdown) || slowdown < 0) throw new Error(`--slowdown=${flags.slowdown}: expected a number of microseconds.`);
  if (profileDir) await mkdir(profileDir, { recursive: true });
  const only = process.env['BENCH_CASES']?.split(',');
  const cases = allCases().filter((candidate) => !only || only.includes(candidate.id.replace(/-baseline$/, '')));
  const rounds = Number(process.env['BENCH_ROUNDS'] ?? 3);
  const needsRedis = cases.some((candidate) => candidate.store === 'redis');
  const redis = needsRedis ? await startRedisServer() : null;
  const postgres = cases.some((candidate) => candidate.store === 'postgres') ? await startPostgresServer() : null;
  const dir = await mkdtemp(join(tmpdir(), 'sessionlab-bench-'));
  const env = { REDIS_URL: redis?.url ?? '', POSTGRES_URL: postgres?.url ?? '', SQLITE_PATH: join(dir, 'sessions.db'), BENCH_SLOWDOWN_US: String(slowdown) };
  console.log(
    `Node ${process.version}; ${CONNECTIONS} connections; ${WARMUP_SECONDS} s warm-up + ${MEASURE_SECONDS} s per case; ` +
      `${rounds} round(s), each case once per round in a rotating order; medians reported; loopback only.` +
      (profileDir ? `\nProfiling into ${profileDir} (the profiler slows every case: read the profiles, not these rates).` : '') +
      (slowdown ? `\nDeliberate slowdown: every Session Lab session load busy-waits ${slowdown} µs first.` : '') +
      '\n',
  );
  const measured = new Map<Case, Measured[]>(cases.map((benchCase) => [benchCase, []]));
  try {
    for (let round = 0; round < rounds; round++) {
      // Rotate the order, so no case always runs first (cold machine) or last.
      const order = cases.map((_, index) => cases[(index + round) % cases.length]!);
      for (const benchCase of order) {
        process.stdout.write(`round ${round + 1}: ${benchCase.label} … `);
        const result = await measure(benchCase, env, profileDir ? { dir: profileDir, name: `${benchCase.id}.round${round + 1}.cpuprofile` } : null);
        measured.get(benchCase)!.push(result);
        console.log(`${Math.round(result.requestsPerSecond)} req/s, p99 ${result.p99} ms, ${result.cpuPerRequest.toFixed(0)} µs CPU/request, ${result.promotedPerRequest.toFixed(0)} B promoted/request`);
      }
    }
  } finally {
    await redis?.stop();
    await postgres?.destroy();
    await rm(dir, { recursive: true, force: true });
  }
  const summaries = cases.map((benchCase): Summary => {
    const results = measured.get(benchCase)!;
    const rates = results.map((result) => result.requestsPerSecond);
    return {
      case: benchCase,
      requestsPerSecond: median(rates),
      p50: median(results.map((result) => result.p50)),
      p99: median(results.map((result) => result.p99)),
      cpuPerRequest: median(results.map((result) => result.cpuPerRequest)),
      promotedPerRequest: median(results.map((result) => result.promotedPerRequest)),
      spread: [Math.min(...rates), Math.max(...rates)],
    };
  });
  console.log(`\n${table(summaries)}`);
  if (profileDir) await printProfiles(profileDir);
}

/** The hottest frames of Session Lab's own code in each profile written. */
async function printProfiles(dir: string): Promise<void> {
  console.log(`\nCPU profiles in ${dir} (self time, share of the server's busy time):`);
  for (const file of (await readdir(dir)).filter((name) => name.endsWith('.cpuprofile')).sort()) {
    const path = join(dir, file);
    console.log(formatSummary(path, await summarizeProfile(path)));
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function measure(benchCase: Case, env: Record<string, string>, profile: { dir: string; name: string } | null): Promise<Measured> {
  const execArgv = profile ? ['--cpu-prof', `--cpu-prof-dir=${profile.dir}`, `--cpu-prof-name=${profile.name}`] : [];
  const child = fork(fileURLToPath(import.meta.url), ['serve', benchCase.id], { env: { ...process.env, ...env }, execArgv, stdio: 'inherit' });
  try {
    const [message] = (await Promise.race([once(child, 'message'), once(child, 'exit').then(() => [{ exited: true }])])) as [{ port?: number }];
    if (!message.port) throw new Error(`The ${benchCase.id} server exited before listening.`);
    const url = `http://127.0.0.1:${message.port}`;
    const path = `/${benchCase.route}`;
    const cookies: string[] = [];
    for (let i = 0; i < (benchCase.route === 'write' ? WRITE_SESSIONS : 1); i++) cookies.push(await signIn(url));
    const check = await fetch(`${url}${path}`, { headers: { cookie: cookies[0]! } });
    const body = await check.text();
    const expected = benchCase.route === 'read' ? '{"user":"ada"}' : '{"user":"ada","visits":1}';
    if (body !== expected) throw new Error(`${benchCase.id}: GET ${path} answered ${check.status} ${body}, expected ${expected}.`);

    // BENCH_RATE: every case offered the same rate, so CPU per request is compared at one rate (see the top).
    const rate = Number(process.env['BENCH_RATE'] ?? 0);
    // Requests take the sessions in turn, so the connections in flight at any moment hold different ones.
    let next = 0;
    const setupRequest = (request: { headers?: Record<string, string> }): object => ({ ...request, headers: { ...request.headers, cookie: cookies[next++ % cookies.length]! } });
    const run = (seconds: number): Promise<AutocannonResult> =>
      autocannon({ url: `${url}${path}`, connections: CONNECTIONS, duration: seconds, ...(rate ? { overallRate: rate } : {}), requests: [{ method: 'GET', setupRequest }] });
    await run(WARMUP_SECONDS);
    await ask(child, 'start');
    const result = await run(MEASURE_SECONDS);
    const usage = (await ask(child, 'stop')) as { served: number; cpuMicros: number; promoted: number };
    if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
      throw new Error(`${benchCase.id}: ${result.non2xx} non-2xx answers, ${result.errors} errors, ${result.timeouts} timeouts under load.`);
    }
    return {
      case: benchCase,
      requestsPerSecond: result.requests.average,
      p99: result.latency.p99,
      p50: result.latency.p50,
      cpuPerRequest: usage.cpuMicros / usage.served,
      promotedPerRequest: usage.promoted / usage.served,
    };
  } finally {
    await stopChild(child);
  }
}

/** Sends `message` to the server process and resolves with its answer. */
async function ask(child: ChildProcess, message: 'start' | 'stop'): Promise<unknown> {
  const answer = once(child, 'message');
  child.send(message);
  const [reply] = (await answer) as [unknown];
  return reply;
}

/** Signs in through POST /login; the session cookie as a Cookie header. */
async function signIn(url: string): Promise<string> {
  const response = await fetch(`${url}/login`, { method: 'POST', redirect: 'manual' });
  const cookies = response.headers.getSetCookie().map((setCookie) => setCookie.split(';')[0]!);
  return cookies.join('; ');
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.disconnect(); // the server closes and exits, writing its CPU profile when asked for one
  await exited;
}

function table(results: readonly Summary[]): string {
  const find = (library: Case['library'], store: Kind, route: Route): Summary | undefined =>
    results.find((result) => result.case.library === library && result.case.store === store && result.case.route === route);
  const ratio = (value: number, base: Summary | undefined): string => (base ? `${(value / base.requestsPerSecond).toFixed(2)}×` : '—');
  // Added CPU: what the session layer costs per request beyond the bare app on the same route.
  const added = (result: Summary, bare: Summary | undefined): number | undefined => (bare ? result.cpuPerRequest - bare.cpuPerRequest : undefined);
  const rows = results.map((result) => {
    const bare = find('Express', 'none', result.case.route);
    const twin = result.case.library === 'Session Lab' ? find('express-session', result.case.store, result.case.route) : undefined;
    const ownAdded = added(result, bare);
    const twinAdded = twin ? added(twin, bare) : undefined;
    return [
      result.case.label,
      String(Math.round(result.requestsPerSecond)),
      `${Math.round(result.spread[0])}–${Math.round(result.spread[1])}`,
      result.p99.toFixed(0),
      result.cpuPerRequest.toFixed(0),
      ownAdded === undefined || result === bare ? '—' : ownAdded.toFixed(0),
      twin ? ratio(result.requestsPerSecond, twin) : '—',
      twin ? `${(result.p99 / twin.p99).toFixed(2)}×` : '—',
      twin ? `${(result.cpuPerRequest / twin.cpuPerRequest).toFixed(2)}×` : '—',
      ownAdded !== undefined && twinAdded !== undefined && twinAdded > 0 ? `${(ownAdded / twinAdded).toFixed(2)}×` : '—',
      ratio(result.requestsPerSecond, bare),
      result.promotedPerRequest.toFixed(0),
    ];
  });
  const header = ['case', 'req/s', 'req/s range', 'p99 ms', 'CPU µs/req', 'added CPU µs', 'req/s vs e-s', 'p99 vs e-s', 'CPU vs e-s', 'added CPU vs e-s', 'req/s vs bare', 'promoted B/req'];
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => row[column]!.length)));
  const line = (row: string[]): string => `| ${row.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

interface AutocannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

function autocannon(options: { url: string; connections: number; duration: number; requests: object[] }): Promise<AutocannonResult> {
  const run = require('autocannon') as (options: object, done: (error: Error | null, result: AutocannonResult) => void) => unknown;
  return new Promise((resolve, reject) => {
    run(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

// ---------------------------------------------------------------- the servers (children)

async function serve(id: string): Promise<void> {
  const benchCase = allCases().find((candidate) => candidate.id === id);
  if (!benchCase) throw new Error(`No benchmark case "${id}".`);
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag'); // the same work in every case: no hashing of the body
  // The server's own CPU time per request: unlike req/s, it hardly moves when other processes share the machine.
  let served = 0;
  let since = process.cpuUsage();
  app.use((_req, _res, next) => {
    served++;
    next();
  });
  // What the young-generation collections promoted to the old generation: objects of answered
  // requests that something kept alive, which cost several times more to collect there.
  let profiler: GCProfiler | null = null;
  process.on('message', (message) => {
    if (message === 'start') {
      served = 0;
      since = process.cpuUsage();
      profiler = new GCProfiler();
      profiler.start();
      process.send!('started');
    } else if (message === 'stop') {
      const used = process.cpuUsage(since);
      const promoted = promotedBytes(profiler?.stop()?.statistics ?? []);
      process.send!({ served, cpuMicros: used.user + used.system, promoted });
    }
  });
  const closers: Array<() => unknown> = [];
  if (benchCase.library === 'Express') bareRoutes(app);
  else if (benchCase.library === 'express-session') await expressSessionRoutes(app, benchCase, closers);
  else await sessionLabRoutes(app, benchCase, closers);

  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  process.send!({ port: (server.address() as AddressInfo).port });
  process.once('disconnect', () => {
    server.closeAllConnections();
    server.close(async () => {
      // express-session touches the store after the response has gone (connect-pg-simple's UPDATE):
      // let those last queries finish before the pool ends, instead of failing them.
      await new Promise((resolve) => setTimeout(resolve, 250));
      for (const close of closers) await close();
      process.exit(0);
    });
  });
}

type GCStatistics = NonNullable<ReturnType<GCProfiler['stop']>>['statistics'];

/** Bytes the old generation gained in young-generation collections (scavenges). */
function promotedBytes(statistics: GCStatistics): number {
  const oldSpace = (spaces: { spaceName: string; spaceUsedSize: number }[]): number => spaces.find((space) => space.spaceName === 'old_space')?.spaceUsedSize ?? 0;
  let promoted = 0;
  for (const gc of statistics) {
    if (gc.gcType === 'Scavenge') promoted += Math.max(0, oldSpace(gc.afterGC.heapSpaceStatistics) - oldSpace(gc.beforeGC.heapSpaceStatistics));
  }
  return promoted;
}

function bareRoutes(app: Express): void {
  app.post('/login', (_req, res) => {
    res.end();
  });
  app.get('/read', (_req, res) => {
    res.json({ user: 'ada' });
  });
  const visits = new Map<string, number>();
  app.get('/write', (_req, res) => {
    const count = (visits.get('ada') ?? 0) + 1;
    visits.set('ada', count);
    res.json({ user: 'ada', visits: count });
  });
}

async function expressSessionRoutes(app: Express, { store, route }: Case, closers: Array<() => unknown>): Promise<void> {
  const session = require('express-session') as (options: object) => express.RequestHandler;
  let sessionStore: object | undefined;
  if (store === 'redis') {
    const client = await redisClient(closers);
    const { RedisStore } = require('connect-redis') as { RedisStore: new (options: object) => object };
    sessionStore = new RedisStore({ client, prefix: 'bench-express-session:' });
  } else if (store === 'postgres') {
    sessionStore = await connectPgSimpleStore(closers);
  }
  // Reading: express-session's recommended settings (no save of unchanged sessions, no empty sessions).
  // Writing: its defaults, spelled out only to keep its deprecation warnings quiet.
  const saving = route === 'read' ? { resave: false, saveUninitialized: false } : { resave: true, saveUninitialized: true };
  app.use(session({ secret: SECRET, ...saving, ...(sessionStore ? { store: sessionStore } : {}) }));
  type LegacySession = { regenerate(done: (error?: Error) => void): void; userId?: string; visits?: number };
  app.post('/login', (req, res, next) => {
    const legacy = (req as unknown as { session: LegacySession }).session;
    legacy.regenerate((error) => {
      if (error) return next(error);
      (req as unknown as { session: LegacySession }).session.userId = 'ada';
      res.end();
    });
  });
  app.get('/read', (req, res) => {
    res.json({ user: (req as unknown as { session: LegacySession }).session.userId ?? null });
  });
  app.get('/write', (req, res) => {
    const legacy = (req as unknown as { session: LegacySession }).session;
    legacy.visits = (legacy.visits ?? 0) + 1;
    res.json({ user: legacy.userId ?? null, visits: legacy.visits });
  });
}

async function sessionLabRoutes(app: Express, benchCase: Case, closers: Array<() => unknown>): Promise<void> {
  const { store, bridged } = benchCase;
  const { Session, MemoryStore } = (await import(libraryUrl('index.ts', benchCase))) as typeof import('../../src/session/index.ts');
  const { sessionMiddleware, storeErrorHandler } = (await import(libraryUrl('adapters/express.ts', benchCase))) as typeof import('../../src/session/adapters/express.ts');
  let sessionStore;
  if (bridged) {
    const { ConnectStoreBridge } = (await import(libraryUrl('stores/connect-store.ts', benchCase))) as typeof import('../../src/session/stores/connect-store.ts');
    if (store === 'redis') {
      const { RedisStore } = require('connect-redis') as { RedisStore: new (options: object) => ConnectStoreLike };
      const connectStore = new RedisStore({ client: await redisClient(closers), prefix: 'bench-bridge:' });
      // Redis drops each key at its expiry (SET ... EX): nothing to scan.
      sessionStore = new ConnectStoreBridge({ store: connectStore, clean: 'store-expires' });
    } else if (store === 'postgres') {
      const connectStore = (await connectPgSimpleStore(closers)) as ConnectStoreLike & { pruneSessions(done: (error?: Error) => void): void };
      sessionStore = new ConnectStoreBridge({
        store: connectStore,
        clean: (pgStore) => new Promise<void>((resolve, reject) => pgStore.pruneSessions((error) => (error ? reject(error) : resolve()))),
      });
    } else {
      throw new Error(`No bridged case for the ${store} store.`);
    }
  } else if (store === 'sqlite') {
    const { SqliteStore } = (await import(libraryUrl('stores/sqlite-store.ts', benchCase))) as typeof import('../../src/session/stores/sqlite-store.ts');
    const sqlite = new SqliteStore({ path: process.env['SQLITE_PATH']! });
    closers.push(() => sqlite.close());
    sessionStore = sqlite;
  } else if (store === 'redis') {
    const { RedisStore } = (await import(libraryUrl('stores/redis-store.ts', benchCase))) as typeof import('../../src/session/stores/redis-store.ts');
    sessionStore = new RedisStore({ client: await redisClient(closers), prefix: 'bench-sessionlab:' });
  } else if (store === 'postgres') {
    const { PostgresStore } = (await import(libraryUrl('stores/postgres-store.ts', benchCase))) as typeof import('../../src/session/stores/postgres-store.ts');
    const postgresStore = new PostgresStore({ pool: postgresPool(closers), table: 'bench_sessionlab' });
    await postgresStore.migrate();
    sessionStore = postgresStore;
  } else {
    sessionStore = new MemoryStore();
  }
  const session = new Session({ secret: SECRET, store: sessionStore });
  closers.push(() => session.close());
  slowDown(session, Number(process.env['BENCH_SLOWDOWN_US'] ?? 0));
  app.use(sessionMiddleware(session));
  app.post('/login', async (req, res) => {
    await req.session.login('ada');
    res.end();
  });
  app.get('/read', (req, res) => {
    res.json({ user: req.session.userId });
  });
  // With MemoryStore (it has compareAndSet), each write is a compare-and-set that merges on a lost race.
  app.get('/write', (req, res) => {
    const data = req.session.data!;
    const visits = (typeof data['visits'] === 'number' ? data['visits'] : 0) + 1;
    data['visits'] = visits;
    res.json({ user: req.session.userId, visits });
  });
  app.use(storeErrorHandler());
}

async function redisClient(closers: Array<() => unknown>) {
  const { createClient } = await import('redis');
  const client = createClient({ url: process.env['REDIS_URL']!, disableOfflineQueue: true });
  client.on('error', (error: Error) => console.error(`redis: ${error.message}`));
  await client.connect();
  closers.push(() => client.close());
  return client;
}

type ConnectStoreLike = import('../../src/session/stores/connect-store.ts').ConnectStore;

/** The application's pool, as each library's docs set one up: 10 connections, an error listener. */
function postgresPool(closers: Array<() => unknown>): import('pg').Pool {
  const pg = require('pg') as typeof import('pg');
  const pool = new pg.Pool({ connectionString: process.env['POSTGRES_URL']!, max: 10, connectionTimeoutMillis: 2000 });
  pool.on('error', (error: Error) => console.error(`postgres: ${error.message}`));
  closers.push(() => pool.end());
  return pool;
}

/**
 * connect-pg-simple on its default table, created when missing, as its README sets it up (pruning
 * left to the caller). express-session and the bridge share the table, one case at a time (its
 * index names are fixed, so a second table in the schema cannot be created); the bridge never
 * reads an entry it did not write.
 */
async function connectPgSimpleStore(closers: Array<() => unknown>): Promise<object> {
  const session = require('express-session') as object;
  const connectPgSimple = require('connect-pg-simple') as (session: object) => new (options: object) => ConnectStoreLike;
  const PgStore = connectPgSimple(session);
  const store = new PgStore({ pool: postgresPool(closers), createTableIfMissing: true, pruneSessionInterval: false });
  // The table exists before the first request: a get() waits for its creation.
  await new Promise<void>((resolve, reject) => store.get('none', (error) => (error ? reject(error as Error) : resolve())));
  return store;
}
