/**
 * The IndexedDB benchmark, in Chromium (Vitest browser mode, through tests/bench/vitest.bench.config.ts;
 * `npm run bench` runs it). It prints a table and asserts correctness only, never speed.
 *
 *   1. clean() with 1,000 expired sessions among 100,000: IndexedDBStore's clean() (one key range on
 *      its expiresAt index) against what a store without an expiry index has to do on the same data:
 *      a cursor over every record, and, as the strongest such baseline, one getAll() of every record.
 *      Target: the index at least 20x faster than the cursor scan.
 *   2. Latency per operation (median and p95) of create, get and update on that 99,000-session store.
 *
 * The 100,000 records are written straight into the store's object store in large transactions (one
 * transaction per record would take minutes); the benchmark then checks through the store's own API
 * that it reads them. The baselines need the store's layout anyway: entries `{ record, expiresAt }`
 * in the object store `sessions`, keyed by `record.sessionId` (schema version 2).
 */
import { openDB, type IDBPDatabase } from 'idb';
import { expect, it } from 'vitest';
import { IndexedDBStore } from '../../src/session/stores/indexeddb-store.ts';
import type { SessionRecord } from '../../src/session/types.ts';

const TOTAL = 100_000;
const EXPIRED = 1_000;
const ROUNDS = 3;
const LATENCY_OPS = 1_000;
const HOUR = 3_600_000;
const NAME = `sessionlab-bench-${crypto.randomUUID().slice(0, 8)}`;
const SESSIONS = 'sessions';

interface Entry {
  record: SessionRecord;
  expiresAt: number;
}

const now = Date.now();
let made = 0;

function sessionRecord(expiresIn: number): SessionRecord {
  made += 1;
  return {
    sessionId: `bench-${made.toString(36)}-${crypto.randomUUID()}`,
    userId: `user-${made % 5_000}`,
    expires: new Date(now + expiresIn).toISOString(),
    createdAt: new Date(now - HOUR).toISOString(),
    data: { visits: made, cart: ['apple', 'pear'], theme: 'dark' },
    version: 1,
  };
}

/** Writes records in transactions of 10,000, as the store lays them out. */
async function seed(database: IDBPDatabase, records: readonly SessionRecord[]): Promise<void> {
  for (let start = 0; start < records.length; start += 10_000) {
    const transaction = database.transaction(SESSIONS, 'readwrite');
    const writes = records.slice(start, start + 10_000).map((record) => transaction.store.put({ record, expiresAt: Date.parse(record.expires) } satisfies Entry));
    await Promise.all([...writes, transaction.done]);
  }
}

function expiredRecords(): SessionRecord[] {
  return Array.from({ length: EXPIRED }, (_, i) => sessionRecord(-HOUR - i));
}

/** Baseline 1: a cursor over every record, deleting those whose expires has passed (or is unreadable). */
async function cleanByCursorScan(database: IDBPDatabase, at: number): Promise<number> {
  const transaction = database.transaction(SESSIONS, 'readwrite');
  let removed = 0;
  for (let cursor = await transaction.store.openCursor(); cursor; cursor = await cursor.continue()) {
    if (!(Date.parse((cursor.value as Entry).record.expires) > at)) {
      await cursor.delete();
      removed++;
    }
  }
  await transaction.done;
  return removed;
}

/** Baseline 2: every record read at once with getAll(), the expired ones deleted by key. */
async function cleanByGetAllScan(database: IDBPDatabase, at: number): Promise<number> {
  const transaction = database.transaction(SESSIONS, 'readwrite');
  const entries = (await transaction.store.getAll()) as Entry[];
  const expired = entries.filter((entry) => !(Date.parse(entry.record.expires) > at));
  await Promise.all([...expired.map((entry) => transaction.store.delete(entry.record.sessionId)), transaction.done]);
  return expired.length;
}

function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function ms(value: number): string {
  return `${value.toFixed(value < 10 ? 2 : 0)} ms`;
}

/** Each call's duration, after a warm-up of 100 calls. */
async function latencies(run: (i: number) => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 100; i++) await run(i);
  const times: number[] = [];
  for (let i = 100; i < 100 + LATENCY_OPS; i++) {
    const started = performance.now();
    await run(i);
    times.push(performance.now() - started);
  }
  return times;
}

it(`IndexedDBStore: clean() of ${EXPIRED.toLocaleString('en')} expired among ${TOTAL.toLocaleString('en')}, and per-operation latency`, async () => {
  const store = new IndexedDBStore({ name: NAME });
  const live = Array.from({ length: TOTAL - EXPIRED }, (_, i) => sessionRecord(HOUR + i * 1000));
  expect(await store.count()).toBe(0); // the store creates its database, at its own schema version
  const database = await openDB(NAME);
  try {
    const seeding = performance.now();
    await seed(database, live);
    const seedMs = performance.now() - seeding;
    expect(await store.count()).toBe(TOTAL - EXPIRED);
    expect(await store.get(live[12_345]!.sessionId)).toEqual(live[12_345]);

    const times = { index: [] as number[], cursor: [] as number[], getAll: [] as number[] };
    const methods: [keyof typeof times, () => Promise<number>][] = [
      ['index', () => store.clean()],
      ['cursor', () => cleanByCursorScan(database, Date.now())],
      ['getAll', () => cleanByGetAllScan(database, Date.now())],
    ];
    for (let round = 0; round < ROUNDS; round++) {
      for (const [method, clean] of methods) {
        await seed(database, expiredRecords());
        expect(await store.count()).toBe(TOTAL);
        const started = performance.now();
        const removed = await clean();
        times[method].push(performance.now() - started);
        expect(removed, `${method} removed`).toBe(EXPIRED);
        expect(await store.count()).toBe(TOTAL - EXPIRED);
      }
    }

    const fresh = Array.from({ length: LATENCY_OPS + 100 }, () => sessionRecord(HOUR));
    const create = await latencies((i) => store.create(fresh[i]!));
    let misses = 0;
    const get = await latencies(async (i) => {
      if (!(await store.get(live[(i * 7919) % live.length]!.sessionId))) misses++;
    });
    expect(misses, 'get() of live sessions that returned null').toBe(0);
    const update = await latencies((i) => store.update(fresh[i]!.sessionId, { ...fresh[i]!, version: 2 }));

    const index = median(times.index);
    const cursor = median(times.cursor);
    const getAll = median(times.getAll);
    const rows: [string, string, string][] = [
      [`clean() via the expiresAt index (median of ${ROUNDS})`, ms(index), 'baseline'],
      ['full cursor scan, same data', ms(cursor), `${(cursor / index).toFixed(1)}x slower than the index (target >= 20x)`],
      ['full getAll() scan, same data', ms(getAll), `${(getAll / index).toFixed(1)}x slower than the index`],
      ['create(), per operation', `median ${ms(median(create))}`, `p95 ${ms(quantile(create, 0.95))}`],
      ['get(), per operation', `median ${ms(median(get))}`, `p95 ${ms(quantile(get, 0.95))}`],
      ['update(), per operation', `median ${ms(median(update))}`, `p95 ${ms(quantile(update, 0.95))}`],
    ];
    const widths = [0, 1].map((column) => Math.max(...rows.map((row) => row[column]!.length)));
    const lines = [
      `IndexedDBStore, ${TOTAL.toLocaleString('en')} sessions, ${EXPIRED.toLocaleString('en')} expired (seeded in ${ms(seedMs)}; latency over ${LATENCY_OPS} operations each)`,
      ...rows.map(([name, value, note]) => `  ${name.padEnd(widths[0]!)}  ${value.padEnd(widths[1]!)}  ${note}`),
      `  clean() rounds, ms: index ${times.index.map((t) => t.toFixed(1)).join(' / ')}; cursor ${times.cursor.map((t) => t.toFixed(0)).join(' / ')}; getAll ${times.getAll.map((t) => t.toFixed(0)).join(' / ')}`,
      `  ${navigator.userAgent.match(/(?:Headless)?Chrome\/[\d.]+/)?.[0] ?? navigator.userAgent}, ${navigator.hardwareConcurrency} cores`,
    ];
    console.log(`\n${lines.join('\n')}\n`);
  } finally {
    database.close();
    store.close();
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.deleteDatabase(NAME);
      request.onsuccess = () => resolve();
      request.onerror = () => reject(request.error);
    });
  }
});
