/**
 * Runs an exercise's checks against the reader's store and returns one result per check. The
 * running itself (order, deadline, failures, the check's own clock, results) is sessionlab/conformance's
 * `runChecks`, the engine `runConformance` stands on: the playground's sandbox, Vitest and Playwright
 * all get the same verdicts and the same messages as a store author's checks in Node.
 *
 * What this adds is the exercises' world around each check: a `CheckContext` that makes instances
 * of the reader's store on demand and restarts the server, and, where there is IndexedDB, fresh
 * databases per check (indexeddb-worlds.ts). Everything a check changed (the global `Date`, the
 * global `indexedDB`, the databases it wrote) is undone before the next.
 *
 * A synchronous endless loop cannot be stopped from inside its own thread: run the checks in a
 * worker (the playground does) and terminate it from outside.
 *
 * @example
 * const results = await runChecks({ checks, createStore: () => new MyStore() });
 * for (const r of results) console.log(r.passed ? 'ok  ' : 'FAIL', r.title, r.message ?? '');
 */
import { CheckFailure, runChecks as runEngine, type Check, type ClockControl } from '../session/conformance/index.ts';
import { describeError } from '../session/index.ts';
import type { AnyStore, CheckContext, CheckResult, ExerciseCheck } from './exercise-check.ts';
import { countIndexedDBReads } from './indexeddb-reads.ts';
import { IndexedDBWorlds, type IndexedDBWorld } from './indexeddb-worlds.ts';

export interface RunChecksOptions {
  checks: readonly ExerciseCheck[];
  /** A new instance of the store under test (the playground: `new ReaderStore()`). */
  createStore: () => AnyStore | Promise<AnyStore>;
  /**
   * A new instance as the server makes it after a restart. A host that can load the reader's module
   * again (so module-level state is gone, as in a restarted worker) should; default `createStore`.
   */
  restartStore?: () => AnyStore | Promise<AnyStore>;
  /** Only these checks (by id). */
  only?: readonly string[];
  /** A check that takes longer fails. Default 10 000 ms. */
  timeoutMs?: number;
  /** Called as each check begins, for live progress. */
  onStart?: (id: string) => void;
  /** Called as each check finishes, for live progress. */
  onResult?: (result: CheckResult) => void;
  /**
   * Asked before each check: a reason not to run it (it is then reported not run, with the reason as
   * `skipped`), or null to run it. For hosts that stop after a store has stopped answering.
   */
  skipReason?: () => string | null;
}

/** What one check runs with: its context, and the IndexedDB world to end after it. */
interface Run {
  context: CheckContext;
  world: IndexedDBWorld | null;
}

/** Runs the checks one after the other and resolves to their results, in order. */
export async function runChecks(options: RunChecksOptions): Promise<CheckResult[]> {
  const worlds = IndexedDBWorlds.create();
  try {
    await worlds?.sweep();
    worlds?.install();
    return await runEngine(
      options.checks.map((check): Check<Run> => ({ ...check, run: ({ context }) => check.run(context) })),
      {
        setup: (_check, clock) => {
          const world = worlds?.begin() ?? null;
          return { context: contextFor(options, world, clock), world };
        },
        teardown: async ({ world }) => {
          if (world && worlds) await worlds.end(world);
        },
        ...(options.only ? { only: options.only } : {}),
        ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
        ...(options.onStart ? { onStart: (check: Check<Run>) => options.onStart!(check.id) } : {}),
        ...(options.onResult ? { onResult: options.onResult } : {}),
        ...(options.skipReason ? { skipReason: () => options.skipReason!() } : {}),
      },
    );
  } finally {
    worlds?.uninstall();
  }
}

function contextFor(options: RunChecksOptions, world: IndexedDBWorld | null, clock: ClockControl): CheckContext {
  return {
    clock,
    createStore: async () => construct(options.createStore),
    restart: async () => {
      world?.closeConnections();
      return construct(options.restartStore ?? options.createStore);
    },
    indexedDB: world
      ? {
          databases: () => world.snapshot(),
          countReads: countIndexedDBReads,
        }
      : null,
  };
}

/** Makes an instance; a constructor that throws fails the check with a message that says so. */
async function construct(make: () => AnyStore | Promise<AnyStore>): Promise<AnyStore> {
  try {
    return await make();
  } catch (error) {
    throw new CheckFailure(
      `Creating the store threw ${describeError(error)}. The constructor runs with no arguments; keep work that can fail (opening a database) out of it, or catch its errors.`,
    );
  }
}
