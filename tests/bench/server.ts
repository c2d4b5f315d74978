/**
 * `npm run bench:server`: Express servers under load, Session Lab against express-session.
 *
 * Each case is an Express app with one route that reads the session (`GET /read` answers the
 * signed-in user as JSON), loaded by autocannon over loopback with a signed-in cookie: 1 s of
 * warm-up, then 5 s measured. Cases:
 *
 *   bare Express (no session) · express-session + its MemoryStore · Session Lab + MemoryStore ·
 *   Session Lab + SQLite · Session Lab + Redis · express-session + connect-redis
 *
 * Every server runs in its own child process (this file, started with `serve <case>`) and the load
 * generator in this one: the server gets an event loop and a core to itself, as in production, and
 * each case starts with a fresh heap and JIT, untouched by the cases before it. The Redis cases
 * share one redis-server, started on a free loopback port for the run and stopped after it.
 *
 * Ratios compare like with like ("e-s" = express-session on the same kind of store): Session Lab +
 * MemoryStore against express-session + MemoryStore, Session Lab + Redis against express-session +
 * connect-redis (SQLite has no express-session twin here; every case is also shown against bare
 * Express). Besides req/s and p99 latency, each server reports its own CPU time per request (user +
 * system, over the measured 5 s): the load generator and redis-server share the machine, and that
 * figure moves least when they, or anything else, compete for it.
 *
 * The run repeats in rounds (3 by default, each case once per round in a rotating order) and
 * reports medians with the spread of req/s: on a shared machine one 5-second sample can be off by
 * half or more. Latencies come from autocannon in whole milliseconds.
 *
 * Each library runs as its documentation recommends: express-session with resave and
 * saveUninitialized off (connect-redis then still refreshes the key's TTL, an EXPIRE, on every
 * request); Session Lab with its defaults (an active session is written at most about once a
 * minute, so a 6-second run of reads writes nothing).
 *
 * Environment: BENCH_ROUNDS=n (default 3; 1 takes about 40 s); BENCH_CASES=a,b runs only those
 * cases; BENCH_CPU_PROF=dir writes a V8 CPU profile of each server process into dir (open it in
 * Chrome DevTools).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import { startRedisServer } from '../support/redis-server.ts';

const SECRET = 'benchmark-secret-that-is-long-enough-0001';
const WARMUP_SECONDS = 1;
const MEASURE_SECONDS = 5;
const CONNECTIONS = 16;

type Kind = 'none' | 'memory' | 'sqlite' | 'redis';
interface Case {
  id: string;
  label: string;
  library: 'Express' | 'express-session' | 'Session Lab';
  store: Kind;
}

const CASES: readonly Case[] = [
  { id: 'bare', label: 'bare Express (no session)', library: 'Express', store: 'none' },
  { id: 'express-session-memory', label: 'express-session + MemoryStore', library: 'express-session', store: 'memory' },
  { id: 'sessionlab-memory', label: 'Session Lab + MemoryStore', library: 'Session Lab', store: 'memory' },
  { id: 'sessionlab-sqlite', label: 'Session Lab + SqliteStore', library: 'Session Lab', store: 'sqlite' },
  { id: 'sessionlab-redis', label: 'Session Lab + RedisStore', library: 'Session Lab', store: 'redis' },
  { id: 'express-session-redis', label: 'express-session + connect-redis', library: 'express-session', store: 'redis' },
];

// Loaded through require, untyped on purpose: @types/express-session declares `req.session` globally
// with its own type, and one TypeScript program cannot hold it beside sessionlab/express's.
const require = createRequire(import.meta.url);

if (process.argv[2] === 'serve') await serve(process.argv[3]!);
else await main();

// ---------------------------------------------------------------- the load generator (parent)

interface Measured {
  case: Case;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  /** Server CPU time (user + system) per request served while measured, in µs. */
  cpuPerRequest: number;
}

interface Summary extends Measured {
  /** Lowest and highest req/s over the rounds. */
  spread: [number, number];
}

async function main(): Promise<void> {
  const only = process.env['BENCH_CASES']?.split(',');
  const cases = CASES.filter((candidate) => !only || only.includes(candidate.id));
  const rounds = Number(process.env['BENCH_ROUNDS'] ?? 3);
  const needsRedis = cases.some((candidate) => candidate.store === 'redis');
  const redis = needsRedis ? await startRedisServer() : null;
  const dir = await mkdtemp(join(tmpdir(), 'sessionlab-bench-'));
  const env = { REDIS_URL: redis?.url ?? '', SQLITE_PATH: join(dir, 'sessions.db') };
  console.log(
    `Node ${process.version}; ${CONNECTIONS} connections; ${WARMUP_SECONDS} s warm-up + ${MEASURE_SECONDS} s per case; ` +
      `${rounds} round(s), each case once per round in a rotating order; medians reported; loopback only.\n`,
  );
  const measured = new Map<Case, Measured[]>(cases.map((benchCase) => [benchCase, []]));
  try {
    for (let round = 0; round < rounds; round++) {
      // Rotate the order, so no case always runs first (cold machine) or last.
      const order = cases.map((_, index) => cases[(index + round) % cases.length]!);
      for (const benchCase of order) {
        process.stdout.write(`round ${round + 1}: ${benchCase.label} … `);
        const result = await measure(benchCase, env);
        measured.get(benchCase)!.push(result);
        console.log(`${Math.round(result.requestsPerSecond)} req/s, p99 ${result.p99} ms, ${result.cpuPerRequest.toFixed(0)} µs CPU/request`);
      }
    }
  } finally {
    await redis?.stop();
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
      spread: [Math.min(...rates), Math.max(...rates)],
    };
  });
  console.log(`\n${table(summaries)}`);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function measure(benchCase: Case, env: Record<string, string>): Promise<Measured> {
  const profileDir = process.env['BENCH_CPU_PROF'];
  const execArgv = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${benchCase.id}.${Date.now()}.cpuprofile`] : [];
  const child = fork(fileURLToPath(import.meta.url), ['serve', benchCase.id], { env: { ...process.env, ...env }, execArgv, stdio: 'inherit' });
  try {
    const [message] = (await Promise.race([once(child, 'message'), once(child, 'exit').then(() => [{ exited: true }])])) as [{ port?: number }];
    if (!message.port) throw new Error(`The ${benchCase.id} server exited before listening.`);
    const url = `http://127.0.0.1:${message.port}`;
    const cookie = await signIn(url);
    const check = await fetch(`${url}/read`, { headers: { cookie } });
    const body = await check.text();
    if (body !== '{"user":"ada"}') throw new Error(`${benchCase.id}: GET /read answered ${check.status} ${body}, expected the signed-in user.`);

    const run = (seconds: number): Promise<AutocannonResult> =>
      autocannon({ url: `${url}/read`, connections: CONNECTIONS, duration: seconds, headers: { cookie } });
    await run(WARMUP_SECONDS);
    await ask(child, 'start');
    const result = await run(MEASURE_SECONDS);
    const usage = (await ask(child, 'stop')) as { served: number; cpuMicros: number };
    if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
      throw new Error(`${benchCase.id}: ${result.non2xx} non-2xx answers, ${result.errors} errors, ${result.timeouts} timeouts under load.`);
    }
    return {
      case: benchCase,
      requestsPerSecond: result.requests.average,
      p99: result.latency.p99,
      p50: result.latency.p50,
      cpuPerRequest: usage.cpuMicros / usage.served,
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
  const find = (library: Case['library'], store: Kind): Summary | undefined =>
    results.find((result) => result.case.library === library && result.case.store === store);
  const bare = find('Express', 'none');
  const ratio = (value: number, base: Summary | undefined): string => (base ? `${(value / base.requestsPerSecond).toFixed(2)}×` : '—');
  const rows = results.map((result) => {
    const twin = result.case.library === 'Session Lab' ? find('express-session', result.case.store) : undefined;
    return [
      result.case.label,
      String(Math.round(result.requestsPerSecond)),
      `${Math.round(result.spread[0])}–${Math.round(result.spread[1])}`,
      result.p99.toFixed(0),
      result.cpuPerRequest.toFixed(0),
      twin ? ratio(result.requestsPerSecond, twin) : '—',
      twin ? `${(result.p99 / twin.p99).toFixed(2)}×` : '—',
      twin ? `${(result.cpuPerRequest / twin.cpuPerRequest).toFixed(2)}×` : '—',
      ratio(result.requestsPerSecond, bare),
    ];
  });
  const header = ['case', 'req/s', 'req/s range', 'p99 ms', 'CPU µs/req', 'req/s vs e-s', 'p99 vs e-s', 'CPU vs e-s', 'req/s vs bare'];
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

function autocannon(options: { url: string; connections: number; duration: number; headers: Record<string, string> }): Promise<AutocannonResult> {
  const run = require('autocannon') as (options: object, done: (error: Error | null, result: AutocannonResult) => void) => unknown;
  return new Promise((resolve, reject) => {
    run(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

// ---------------------------------------------------------------- the servers (children)

async function serve(id: string): Promise<void> {
  const benchCase = CASES.find((candidate) => candidate.id === id);
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
  process.on('message', (message) => {
    if (message === 'start') {
      served = 0;
      since = process.cpuUsage();
      process.send!('started');
    } else if (message === 'stop') {
      const used = process.cpuUsage(since);
      process.send!({ served, cpuMicros: used.user + used.system });
    }
  });
  const closers: Array<() => unknown> = [];
  if (benchCase.library === 'Express') bareRoutes(app);
  else if (benchCase.library === 'express-session') await expressSessionRoutes(app, benchCase.store, closers);
  else await sessionLabRoutes(app, benchCase.store, closers);

  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  process.send!({ port: (server.address() as AddressInfo).port });
  process.once('disconnect', () => {
    server.closeAllConnections();
    server.close(async () => {
      for (const close of closers) await close();
      process.exit(0);
    });
  });
}

function bareRoutes(app: Express): void {
  app.post('/login', (_req, res) => {
    res.end();
  });
  app.get('/read', (_req, res) => {
    res.json({ user: 'ada' });
  });
}

async function expressSessionRoutes(app: Express, store: Kind, closers: Array<() => unknown>): Promise<void> {
  const session = require('express-session') as (options: object) => express.RequestHandler;
  let sessionStore: object | undefined;
  if (store === 'redis') {
    const client = await redisClient(closers);
    const { RedisStore } = require('connect-redis') as { RedisStore: new (options: object) => object };
    sessionStore = new RedisStore({ client, prefix: 'bench-express-session:' });
  }
  // express-session's recommended settings: no save of unchanged sessions, no empty sessions.
  app.use(session({ secret: SECRET, resave: false, saveUninitialized: false, ...(sessionStore ? { store: sessionStore } : {}) }));
  type LegacySession = { regenerate(done: (error?: Error) => void): void; userId?: string };
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
}

async function sessionLabRoutes(app: Express, store: Kind, closers: Array<() => unknown>): Promise<void> {
  const { Session, MemoryStore } = await import('../../src/session/index.ts');
  const { sessionMiddleware, storeErrorHandler } = await import('../../src/session/adapters/express.ts');
  let sessionStore;
  if (store === 'sqlite') {
    const { SqliteStore } = await import('../../src/session/stores/sqlite-store.ts');
    const sqlite = new SqliteStore({ path: process.env['SQLITE_PATH']! });
    closers.push(() => sqlite.close());
    sessionStore = sqlite;
  } else if (store === 'redis') {
    const { RedisStore } = await import('../../src/session/stores/redis-store.ts');
    sessionStore = new RedisStore({ client: await redisClient(closers), prefix: 'bench-sessionlab:' });
  } else {
    sessionStore = new MemoryStore();
  }
  const session = new Session({ secret: SECRET, store: sessionStore });
  closers.push(() => session.close());
  app.use(sessionMiddleware(session));
  app.post('/login', async (req, res) => {
    await req.session.login('ada');
    res.end();
  });
  app.get('/read', (req, res) => {
    res.json({ user: req.session.userId });
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
