/**
 * `npm run bench`: the library's benchmarks. Figures are reported as ratios against a baseline
 * measured in the same run, so they mean the same on a slow machine and a fast one.
 *
 *   1. MemoryStore.clean() with 1,000 expired sessions among 1,000,000 vs among 10,000: the cost
 *      should follow the expired count, not the total (a full scan would be ~100x).
 *   2. Requests through the Fetch adapter with a session load, vs the same handler bare.
 *   3. The same session requests with an event listener attached, vs none.
 *   (2 and 3 take turns in short rounds and report medians, so a busy moment hits them alike.)
 *
 * Then the browser benchmarks (IndexedDB), in Chromium.
 */
import { spawnSync } from 'node:child_process';
import { MemoryStore, Session, type SessionRecord } from '../../src/session/index.ts';
import { withSession } from '../../src/session/adapters/fetch.ts';

const HOUR = 3_600_000;

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

/** A store holding `total` sessions, `expired` of which have expired by the time `clock` is advanced. */
function filledStore(total: number, expired: number): { store: MemoryStore; records: Map<string, SessionRecord>; clock: { now(): number; t: number } } {
  const clock = { t: Date.parse('2026-01-01T00:00:00Z'), now() { return this.t; } };
  const store = new MemoryStore({ clock });
  const records = new Map<string, SessionRecord>();
  for (let i = 0; i < total; i++) {
    const expiresIn = i < expired ? 30_000 : 2 * HOUR + i;
    const record: SessionRecord = {
      sessionId: `s${i}`,
      userId: `u${i % 1000}`,
      expires: new Date(clock.t + expiresIn).toISOString(),
      createdAt: new Date(clock.t).toISOString(),
      data: {},
      version: 0,
    };
    store.create(record);
    records.set(record.sessionId, record);
  }
  clock.t += HOUR;
  return { store, records, clock };
}

function benchClean(total: number, expired: number, runs: number): { clean: number; scan: number } {
  const cleanTimes: number[] = [];
  const scanTimes: number[] = [];
  for (let run = 0; run < runs; run++) {
    const { store, records, clock } = filledStore(total, expired);
    (globalThis as { gc?: () => void }).gc?.(); // start each measurement with no garbage pending
    let started = performance.now();
    const removed = store.clean();
    cleanTimes.push(performance.now() - started);
    if (removed !== expired) throw new Error(`clean() removed ${removed}, expected ${expired}`);
    // Baseline: what a store without an expiry index must do — visit every record.
    started = performance.now();
    let found = 0;
    const now = clock.now();
    for (const record of records.values()) if (!(Date.parse(record.expires) > now)) found++;
    scanTimes.push(performance.now() - started);
    if (found !== expired) throw new Error('scan disagrees');
  }
  return { clean: median(cleanTimes), scan: median(scanTimes) };
}

async function opsPerSecond(run: () => Promise<unknown>, durationMs: number): Promise<number> {
  let count = 0;
  const started = performance.now();
  while (performance.now() - started < durationMs) {
    for (let i = 0; i < 50; i++) await run();
    count += 50;
  }
  return count / ((performance.now() - started) / 1000);
}

/**
 * Each case's median rate over `rounds` short runs, the cases taking turns: a slow moment on a
 * shared machine (or the JIT settling) then hits every case alike instead of whichever ran at the time.
 */
async function compareRates(cases: Record<string, () => Promise<unknown>>, rounds = 7, durationMs = 400): Promise<Record<string, number>> {
  for (const run of Object.values(cases)) for (let i = 0; i < 500; i++) await run(); // warm-up
  const rates: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const [name, run] of Object.entries(cases)) rates[name]!.push(await opsPerSecond(run, durationMs));
  }
  return Object.fromEntries(Object.entries(rates).map(([name, values]) => [name, median(values)]));
}

async function benchRequests(): Promise<void> {
  const bare = (_request: Request): Response => Response.json({ user: null });
  const session = new Session({ secret: 'bench-secret-that-is-long-enough-001', cleanInterval: false });
  const listened = new Session({ secret: 'bench-secret-that-is-long-enough-001', cleanInterval: false, store: session.store });
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
  const { bare: bareOps, session: sessionOps, listened: listenedOps } = rates as Record<'bare' | 'session' | 'listened', number>;
  rows.push({ name: 'Fetch handler, bare', value: `${bareOps.toFixed(0)} req/s`, ratio: '1.00 (baseline)' });
  rows.push({ name: 'Fetch handler + session load (MemoryStore)', value: `${sessionOps.toFixed(0)} req/s`, ratio: `${(sessionOps / bareOps).toFixed(2)} of bare` });
  rows.push({ name: '  same, with an event listener attached', value: `${listenedOps.toFixed(0)} req/s`, ratio: `${(listenedOps / sessionOps).toFixed(2)} of no listener` });
}

benchClean(10_000, 1_000, 5); // warm-up: let the JIT compile clean() before anything is measured
const small = benchClean(10_000, 1_000, 9);
const large = benchClean(1_000_000, 1_000, 5);
rows.push({ name: 'MemoryStore.clean(), 1,000 expired of 10,000', value: fmtMs(small.clean), ratio: '1.00 (baseline)' });
rows.push({ name: 'MemoryStore.clean(), 1,000 expired of 1,000,000', value: fmtMs(large.clean), ratio: `${(large.clean / small.clean).toFixed(2)}x (target < 3x)` });
rows.push({ name: '  full scan, 1,000,000 (what an unindexed clean costs)', value: fmtMs(large.scan), ratio: `${(large.scan / large.clean).toFixed(0)}x the indexed clean` });
await benchRequests();

const width = Math.max(...rows.map((row) => row.name.length));
const valueWidth = Math.max(...rows.map((row) => row.value.length));
console.log(`\n${'benchmark'.padEnd(width)}  ${'result'.padEnd(valueWidth)}  ratio`);
for (const row of rows) console.log(`${row.name.padEnd(width)}  ${row.value.padEnd(valueWidth)}  ${row.ratio}`);
console.log(`\nNode ${process.version}, ${new Date().toISOString()}`);

if (!process.argv.includes('--node-only')) {
  const browser = spawnSync('npx', ['vitest', 'run', '--config', 'tests/bench/vitest.bench.config.ts'], { stdio: 'inherit', cwd: new URL('../..', import.meta.url).pathname });
  process.exitCode = browser.status ?? 1;
}
