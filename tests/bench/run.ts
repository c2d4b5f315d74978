/**
 * `npm run bench`: the library's benchmarks. Figures are reported as ratios against a baseline
 * measured in the same run, so they mean the same on a slow machine and a fast one.
 *
 *   1. MemoryStore.clean() removing 1,000 expired sessions among 1,000,000 vs among 10,000: the cost
 *      should follow the expired count, not the total (a full scan would be ~100x).
 *   2. Requests through the Fetch adapter with a session load, vs the same handler bare.
 *   3. The same session requests with an event listener attached, vs none.
 *   4. Express in one process, without sockets: bare Express, express-session + MemoryStore and
 *      Session Lab + MemoryStore, on a route that reads the session and one that changes it, as CPU
 *      time per request. `npm run bench:server` measures the same over loopback under load; this
 *      leaves out the network and the load generator, which cost every case alike, so what the
 *      session layers add stands out, even on a busy machine.
 *   (2, 3 and 4 take turns in short rounds and report medians, so a busy moment hits them alike.)
 *
 * Then the browser benchmarks (IndexedDB), in Chromium.
 *
 * Flags (after `npm run bench --`):
 *   --node-only       skip the browser benchmarks.
 *   --only=a,b        run only these parts of the Node benchmarks: clean, fetch, express (implies --node-only).
 *   --profile[=dir]   a V8 CPU profile of each part (clean-10k, clean-1m, fetch, express-read,
 *                     express-write), written to dir (default build/bench-profiles/run-<time>/), and
 *                     a summary of the hottest frames of Session Lab's own code. Profiling slows
 *                     everything: read the profiles, not that run's figures.
 *   --slowdown=µs     a deliberate regression: every Session Lab session load busy-waits this long
 *                     first. Proves the benchmark sees a slowdown of that size.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { Session as InspectorSession } from 'node:inspector/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { MemoryStore, Session, type SessionRecord } from '../../src/session/index.ts';
import { withSession } from '../../src/session/adapters/fetch.ts';
import { compareExpress } from './express-inprocess.ts';
import { formatSummary, summarizeProfile } from './profile-summary.ts';
import { slowDown } from './slowdown.ts';

const defaultProfileDir = fileURLToPath(new URL(`../../build/bench-profiles/run-${new Date().toISOString().replaceAll(':', '-')}`, import.meta.url));
const { values: flags } = parseArgs({
  options: { 'node-only': { type: 'boolean' }, only: { type: 'string' }, profile: { type: 'string' }, slowdown: { type: 'string' } },
  args: process.argv.slice(2).map((arg) => (arg === '--profile' ? `--profile=${defaultProfileDir}` : arg)),
});
const slowdown = Number(flags.slowdown ?? 0);
if (!Number.isFinite(slowdown) || slowdown < 0) throw new Error(`--slowdown=${flags.slowdown}: expected a number of microseconds.`);
const profiler = flags.profile ? await startProfiler(flags.profile) : null;
const parts = new Set(flags.only?.split(',') ?? ['clean', 'fetch', 'express']);
for (const part of parts) if (!['clean', 'fetch', 'express'].includes(part)) throw new Error(`--only=${flags.only}: expected clean, fetch or express.`);

const MINUTE = 60_000;
const YEAR = 365 * 24 * 3_600_000;

interface Row {
  name: string;
  value: string;
  ratio: string;
}
const rows: Row[] = [];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function fmtMs(ms: number): string {
  return ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`;
}

/**
 * The median time of `cleans` calls of `clean()` on a store of `total` sessions, each call removing
 * the `expired` sessions added (and let expire) just before it, the rest live for a year. Many short
 * timings and their median, not one long one: on a shared machine a single timing of a millisecond
 * is often stretched by another process taking the core, and the median leaves those out.
 */
function benchClean(total: number, expired: number, cleans: number): { clean: number; scan: number } {
  const clock = { t: Date.parse('2026-01-01T00:00:00Z'), now() { return this.t; } };
  const store = new MemoryStore({ clock });
  const expires: string[] = [];
  const record = (id: string, expiresAt: number): SessionRecord => ({
    sessionId: id,
    userId: `u${expires.length % 1000}`,
    expires: new Date(expiresAt).toISOString(),
    createdAt: new Date(clock.t).toISOString(),
    data: {},
    version: 0,
  });
  for (let i = 0; i < total - expired; i++) {
    const live = record(`live-${i}`, clock.t + YEAR + i);
    store.create(live);
    expires.push(live.expires);
  }
  const cleanTimes: number[] = [];
  for (let round = 0; round < cleans; round++) {
    for (let i = 0; i < expired; i++) store.create(record(`round-${round}-${i}`, clock.t + 30_000 + i));
    clock.t += MINUTE;
    const started = performance.now();
    const removed = store.clean();
    cleanTimes.push(performance.now() - started);
    if (removed !== expired) throw new Error(`clean() removed ${removed}, expected ${expired}`);
  }
  // Baseline: what a store without an expiry index must do, visit every record.
  const scanTimes: number[] = [];
  for (let round = 0; round < 3; round++) {
    const started = performance.now();
    let found = 0;
    const now = clock.now();
    for (const value of expires) if (!(Date.parse(value) > now)) found++;
    scanTimes.push(performance.now() - started);
    if (found !== 0) throw new Error('scan disagrees');
  }
  return { clean: median(cleanTimes), scan: median(scanTimes) };
}

/** A case's rate over one short run: requests per second of wall time, and µs of this process's CPU time per request. */
interface Rate {
  perSecond: number;
  cpuPerOp: number;
}

async function opsPerSecond(run: () => Promise<unknown>, durationMs: number): Promise<Rate> {
  let count = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  while (performance.now() - started < durationMs) {
    for (let i = 0; i < 50; i++) await run();
    count += 50;
  }
  const used = process.cpuUsage(cpu);
  return { perSecond: count / ((performance.now() - started) / 1000), cpuPerOp: (used.user + used.system) / count };
}

/**
 * Each case's median rate over `rounds` short runs, the cases taking turns: a slow moment on a
 * shared machine (or the JIT settling) then hits every case alike instead of whichever ran at the time.
 * The CPU time per request is the steadier figure when other processes share the machine: they
 * stretch the wall time of a run, much less the CPU time this process spends in it.
 */
async function compareRates(cases: Record<string, () => Promise<unknown>>, rounds = 9, durationMs = 400): Promise<Record<string, Rate>> {
  for (const run of Object.values(cases)) for (let i = 0; i < 500; i++) await run(); // warm-up
  const rates: Record<string, Rate[]> = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const [name, run] of Object.entries(cases)) rates[name]!.push(await opsPerSecond(run, durationMs));
  }
  return Object.fromEntries(
    Object.entries(rates).map(([name, values]) => [
      name,
      { perSecond: median(values.map((rate) => rate.perSecond)), cpuPerOp: median(values.map((rate) => rate.cpuPerOp)) },
    ]),
  );
}

async function benchRequests(): Promise<void> {
  const bare = (_request: Request): Response => Response.json({ user: null });
  const session = slowDown(new Session({ secret: 'bench-secret-that-is-long-enough-001', cleanInterval: false }), slowdown);
  const listened = slowDown(new Session({ secret: 'bench-secret-that-is-long-enough-001', cleanInterval: false, store: session.store }), slowdown);
  listened.on('*', () => {});
  const route = (_request: Request, { session }: { session: { userId: string | null } }): Response => Response.json({ user: session.userId });
  const app = withSession(session, route);
  const listenedApp = withSession(listened, route);
  const login = await withSession(session, async (_r, { session }) => {
    await session.login('ada');
    return new Response('ok');
  })(new Request('https://bench.example/login'));
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const request = (): Request => new Request('https://bench.example/me', { headers: { cookie } });

  const rates = await compareRates({
    bare: async () => bare(request()),
    session: () => app(request()),
    listened: () => listenedApp(request()),
  });
  const { bare: bareRate, session: sessionRate, listened: listenedRate } = rates as Record<'bare' | 'session' | 'listened', Rate>;
  // "of bare" twice: by wall-clock rate, and by CPU time per request (bare's CPU ÷ the case's, a rate on a core of its own).
  const value = (rate: Rate): string => `${rate.perSecond.toFixed(0)} req/s, ${rate.cpuPerOp.toFixed(1)} µs CPU/req`;
  const of = (rate: Rate, base: Rate, what: string): string =>
    `${(rate.perSecond / base.perSecond).toFixed(2)} of ${what}'s rate; by CPU/req ${(base.cpuPerOp / rate.cpuPerOp).toFixed(2)}`;
  rows.push({ name: 'Fetch handler, bare', value: value(bareRate), ratio: '1.00 (baseline)' });
  rows.push({ name: 'Fetch handler + session load (MemoryStore)', value: value(sessionRate), ratio: `${of(sessionRate, bareRate, 'bare')} (target ≥ 0.75)` });
  rows.push({ name: '  same, with an event listener attached', value: value(listenedRate), ratio: of(listenedRate, sessionRate, 'no listener') });
}

if (parts.has('clean')) {
  benchClean(10_000, 1_000, 5); // warm-up: let the JIT compile clean() before anything is measured
  const small = await profiled('clean-10k', () => benchClean(10_000, 1_000, 31));
  const large = await profiled('clean-1m', () => benchClean(1_000_000, 1_000, 31));
  rows.push({ name: 'MemoryStore.clean(), 1,000 expired of 10,000 (median of 31)', value: fmtMs(small.clean), ratio: '1.00 (baseline)' });
  rows.push({ name: 'MemoryStore.clean(), 1,000 expired of 1,000,000 (median of 31)', value: fmtMs(large.clean), ratio: `${(large.clean / small.clean).toFixed(2)}x (target < 3x)` });
  rows.push({ name: '  full scan, 1,000,000 (what an unindexed clean costs)', value: fmtMs(large.scan), ratio: `${(large.scan / large.clean).toFixed(0)}x the indexed clean` });
}
if (parts.has('fetch')) await profiled('fetch', benchRequests);
for (const route of parts.has('express') ? (['read', 'write'] as const) : []) {
  const cpu = await profiled(`express-${route}`, () => compareExpress({ route, slowdown }));
  const added = (value: number): number => value - cpu.bare;
  const label = route === 'read' ? 'a route that reads the session' : 'a route that changes it (express-session at its defaults)';
  rows.push({ name: `Express in-process, ${label}: bare`, value: `${cpu.bare.toFixed(1)} µs CPU/req`, ratio: '1.00 (baseline)' });
  rows.push({
    name: '  express-session + MemoryStore',
    value: `${cpu.expressSession.toFixed(1)} µs CPU/req`,
    ratio: `+${added(cpu.expressSession).toFixed(1)} µs over bare; ${(cpu.bare / cpu.expressSession).toFixed(2)} of bare's rate`,
  });
  rows.push({
    name: '  Session Lab + MemoryStore',
    value: `${cpu.sessionLab.toFixed(1)} µs CPU/req`,
    ratio:
      `+${added(cpu.sessionLab).toFixed(1)} µs over bare (${(added(cpu.sessionLab) / added(cpu.expressSession)).toFixed(2)}x express-session's; ` +
      `median of rounds' ratios ${cpu.addedRatio.toFixed(2)}x${route === 'read' ? ', target ≤ 0.4x' : ''}); ` +
      `${(cpu.expressSession / cpu.sessionLab).toFixed(2)}x express-session's rate`,
  });
}

const width = Math.max(...rows.map((row) => row.name.length));
const valueWidth = Math.max(...rows.map((row) => row.value.length));
console.log(`\n${'benchmark'.padEnd(width)}  ${'result'.padEnd(valueWidth)}  ratio`);
for (const row of rows) console.log(`${row.name.padEnd(width)}  ${row.value.padEnd(valueWidth)}  ${row.ratio}`);
console.log(`\nNode ${process.version}, ${new Date().toISOString()}${slowdown ? `; deliberate slowdown: ${slowdown} µs per Session Lab load` : ''}`);
if (profiler) await profiler.report();

if (!flags['node-only'] && !flags.only) {
  const browser = spawnSync('npx', ['vitest', 'run', '--config', 'tests/bench/vitest.bench.config.ts'], { stdio: 'inherit', cwd: new URL('../..', import.meta.url).pathname });
  process.exitCode = browser.status ?? 1;
}

/** Runs `part`, under the CPU profiler when `--profile` asked for one. */
async function profiled<T>(name: string, part: () => T | Promise<T>): Promise<T> {
  if (!profiler) return part();
  await profiler.start();
  try {
    return await part();
  } finally {
    await profiler.stop(name);
  }
}

/** The inspector's CPU profiler, one profile per benchmark part, in `dir`. */
async function startProfiler(dir: string) {
  await mkdir(dir, { recursive: true });
  const inspector = new InspectorSession();
  inspector.connect();
  await inspector.post('Profiler.enable');
  const written: string[] = [];
  return {
    start: () => inspector.post('Profiler.start'),
    async stop(name: string) {
      const { profile } = await inspector.post('Profiler.stop');
      const path = join(dir, `${name}.cpuprofile`);
      await writeFile(path, JSON.stringify(profile));
      written.push(path);
    },
    async report() {
      console.log(`\nCPU profiles in ${dir} (self time, share of the busy time):`);
      for (const path of written) console.log(formatSummary(path, await summarizeProfile(path)));
      inspector.disconnect();
    },
  };
}
