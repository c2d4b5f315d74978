/// <reference types="vite/client" />
/**
 * Every exercise, in real Chromium: the IndexedDB ones included. Each starter fails exactly the checks
 * it should, each reference solution passes all of them, each wrong solution is caught by the checks
 * its expectations name, with messages that explain it. A restart loads the store's module again, as
 * a restarted server worker would. Below, the parts of the runner that need a browser: fresh
 * IndexedDB data per check, restarts that close connections, counting reads.
 */
import { openDB, type IDBPDatabase } from 'idb';
import { describe, expect, it } from 'vitest';
import { BaseSessionStore, MemoryStore, type SessionRecord } from 'sessionlab';
import { sampleRecord } from 'sessionlab/conformance';
import { IndexedDBStore } from 'sessionlab/indexeddb';
import type { CheckContext, ExerciseCheck } from '../../src/checks/exercise-check.ts';
import { ProgressStore } from '../../src/exercises/exercise-progress.ts';
import { runChecks } from '../../src/checks/run-checks.ts';
import { collectExercises, describeExercise, describeModelStore } from '../support/exercise-suite.ts';

let reloads = 0;
const exercises = collectExercises(
  import.meta.glob('/content/exercises/*/checks.ts', { eager: true }),
  import.meta.glob('/content/exercises/*/expectations.ts', { eager: true }),
  import.meta.glob(['/content/exercises/*/starter.ts', '/content/exercises/*/solution.ts', '/content/exercises/*/wrong/*.ts']),
  (path) => import(/* @vite-ignore */ `${path}?restart=${++reloads}`),
);

describe('the exercises', () => {
  it('are at least eight, and at least two of them need IndexedDB', () => {
    expect(exercises.length).toBeGreaterThanOrEqual(8);
    expect(exercises.filter((exercise) => exercise.expectations.needsIndexedDB).length).toBeGreaterThanOrEqual(2);
  });
});

for (const exercise of exercises) describeExercise(exercise);

describeModelStore('MemoryStore', exercises.filter((exercise) => !exercise.expectations.needsIndexedDB), () => new MemoryStore());
describeModelStore('IndexedDBStore', exercises.filter((exercise) => exercise.expectations.needsIndexedDB), () => new IndexedDBStore());

/** A tiny IndexedDB store with a fixed database name, as readers write them. */
class FixedNameStore extends BaseSessionStore<SessionRecord> {
  #database: Promise<IDBPDatabase> | null = null;
  open(): Promise<IDBPDatabase> {
    this.#database ??= openDB('reader-sessions', 1, { upgrade: (database) => void database.createObjectStore('sessions', { keyPath: 'sessionId' }) });
    return this.#database;
  }
  async create(record: SessionRecord): Promise<void> {
    await (await this.open()).add('sessions', record);
  }
  async get(sessionId: string): Promise<SessionRecord | null> {
    return ((await (await this.open()).get('sessions', sessionId)) as SessionRecord | undefined) ?? null;
  }
  async update(): Promise<void> {}
  async delete(sessionId: string): Promise<void> {
    await (await this.open()).delete('sessions', sessionId);
  }
  async clean(): Promise<number> {
    const all = (await (await this.open()).getAll('sessions')) as SessionRecord[];
    return all.length;
  }
}

function check(id: string, body: (context: CheckContext) => Promise<void>): ExerciseCheck {
  return { id, title: id, hint: id, run: body };
}

describe('runChecks in a browser', () => {
  it('gives every check empty databases, whatever name the store opens, and shares them between its instances', async () => {
    const record = sampleRecord();
    const seen: Record<string, unknown> = {};
    const results = await runChecks({
      checks: [
        check('writes', async (context) => {
          const first = await context.createStore();
          await first.create(record);
          seen['second instance'] = (await (await context.createStore()).get(record.sessionId))?.sessionId;
        }),
        check('reads', async (context) => {
          seen['next check'] = await (await context.createStore()).get(record.sessionId);
        }),
      ],
      createStore: () => new FixedNameStore(),
    });
    expect(results.every((result) => result.passed)).toBe(true);
    expect(seen).toEqual({ 'second instance': record.sessionId, 'next check': null });
  });

  it('closes the connections of the instances before a restart, as a stopped process would', async () => {
    let oldInstance: unknown = 'not run';
    let newInstance: unknown = 'not run';
    const record = sampleRecord();
    await runChecks({
      checks: [
        check('restart', async (context) => {
          const before = await context.createStore();
          await before.create(record);
          const after = await context.restart();
          newInstance = (await after.get(record.sessionId))?.sessionId;
          oldInstance = await Promise.resolve(before.get(record.sessionId)).then(
            () => 'answered',
            (error: unknown) => (error as Error).name,
          );
        }),
      ],
      createStore: () => new FixedNameStore(),
    });
    expect(newInstance).toBe(record.sessionId);
    expect(oldInstance).toBe('InvalidStateError');
  });

  it('deletes the databases of every check and gives the global indexedDB back', async () => {
    const original = globalThis.indexedDB;
    let name = '';
    let inspectable = false;
    await runChecks({
      checks: [
        check('names', async (context) => {
          await (await context.createStore()).create(sampleRecord());
          name = (await indexedDB.databases()).map((info) => info.name).join();
          inspectable = context.indexedDB !== null;
        }),
      ],
      createStore: () => new FixedNameStore(),
    });
    expect(name).toBe('reader-sessions');
    expect(inspectable).toBe(true);
    expect(globalThis.indexedDB).toBe(original);
    const left = (await indexedDB.databases()).map((info) => info.name ?? '');
    expect(left.filter((database) => database.startsWith('sessionlab-check') || database === 'reader-sessions')).toEqual([]);
  });

  it('counts the records a call reads from IndexedDB: each value of getAll, each cursor step', async () => {
    const counted: number[] = [];
    await runChecks({
      checks: [
        check('reads', async (context) => {
          const store = (await context.createStore()) as FixedNameStore;
          for (let i = 0; i < 5; i++) await store.create(sampleRecord());
          counted.push((await context.indexedDB!.countReads(() => Promise.resolve(store.clean()))).reads);
          const database = await store.open();
          counted.push(
            (
              await context.indexedDB!.countReads(async () => {
                let steps = 0;
                for (let cursor = await database.transaction('sessions').store.openCursor(); cursor && steps < 2; cursor = await cursor.continue()) steps++;
              })
            ).reads,
          );
          counted.push((await context.indexedDB!.countReads(() => store.get('no-such-id'))).reads);
        }),
      ],
      createStore: () => new FixedNameStore(),
    });
    expect(counted).toEqual([5, 3, 0]);
  });

  it('snapshots what the check\'s databases hold, by the names the store gave them', async () => {
    const record = sampleRecord();
    let snapshot: unknown;
    await runChecks({
      checks: [
        check('snapshot', async (context) => {
          await (await context.createStore()).create(record);
          snapshot = await context.indexedDB!.databases();
        }),
      ],
      createStore: () => new FixedNameStore(),
    });
    expect(snapshot).toEqual([{ name: 'reader-sessions', version: 1, stores: [{ name: 'sessions', keyPath: 'sessionId', indexes: [], values: [record], keys: [record.sessionId] }] }]);
  });
});

describe('ProgressStore', () => {
  it('records attempts, keeps "passed" once earned, and gives the same progress to a new instance (a reload)', async () => {
    const name = `sessionlab-test-progress-${crypto.randomUUID()}`;
    const store = new ProgressStore({ name });
    try {
      await store.record('01-a', { passed: 2, total: 6 }, new Date('2026-03-01T09:00:00.000Z'));
      await store.record('01-a', { passed: 6, total: 6 }, new Date('2026-03-01T09:05:00.000Z'));
      const later = await store.record('01-a', { passed: 5, total: 6 }, new Date('2026-03-01T09:10:00.000Z'));
      expect(later).toEqual({
        slug: '01-a',
        attempted: true,
        passed: true,
        attempts: 3,
        lastPassed: 5,
        lastTotal: 6,
        lastCheckedAt: '2026-03-01T09:10:00.000Z',
        passedAt: '2026-03-01T09:05:00.000Z',
      });
      await store.record('02-b', { passed: 0, total: 4 });
      const reloaded = await new ProgressStore({ name }).all();
      expect([...reloaded.keys()].sort()).toEqual(['01-a', '02-b']);
      expect(reloaded.get('02-b')).toMatchObject({ attempted: true, passed: false, attempts: 1 });
      await store.clear();
      expect((await new ProgressStore({ name }).all()).size).toBe(0);
    } finally {
      await new Promise((resolve) => {
        const request = indexedDB.deleteDatabase(name);
        request.onsuccess = request.onerror = request.onblocked = resolve;
      });
    }
  });

  it('tells other listeners (other tabs) when progress changes', async () => {
    const name = `sessionlab-test-progress-${crypto.randomUUID()}`;
    const { onProgressChange } = await import('../../src/exercises/exercise-progress.ts');
    let heard = 0;
    const stop = onProgressChange(() => heard++);
    try {
      await new ProgressStore({ name }).record('01-a', { passed: 1, total: 1 });
      await expect.poll(() => heard, { timeout: 5000 }).toBe(1); // a BroadcastChannel message: slow on a busy machine
    } finally {
      stop();
    }
  });
});
