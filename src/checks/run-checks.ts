/**
 * Runs an exercise's checks against the reader's store and returns one result per check, as
 * `runConformance` does: framework-free, so the playground's sandbox, Vitest and Playwright all call
 * the same code.
 *
 * Each check gets its own world: fresh IndexedDB databases (indexeddb-worlds.ts), its own clock
 * (time-travel.ts), and a deadline. A store that never settles fails its check when the deadline
 * passes and the run moves on; a store that throws fails with what it threw. Everything a check
 * changed (the global `Date`, the global `indexedDB`, the databases it wrote) is undone before the next.
 *
 * A synchronous endless loop cannot be stopped from inside its own thread: run the checks in a
 * worker (the playground does) and terminate it from outside.
 *
 * @example
 * const results = await runChecks({ checks, createStore: () => new MyStore() });
 * for (const r of results) console.log(r.passed ? 'ok  ' : 'FAIL', r.title, r.message ?? '');
 */
import { CheckFailure, type AnyStore, type CheckContext, type CheckResult, type ExerciseCheck } from './exercise-check.ts';
import { countIndexedDBReads } from './indexeddb-reads.ts';
import { IndexedDBWorlds, type IndexedDBWorld } from './indexeddb-worlds.ts';
import { TimeTravel } from './time-travel.ts';

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

/** Runs the checks one after the other and resolves to their results, in order. */
export async function runChecks(options: RunChecksOptions): Promise<CheckResult[]> {
  const ids = new Set<string>();
  for (const check of options.checks) {
    if (ids.has(check.id)) throw new Error(`runChecks: two checks have the id "${check.id}"; ids must be unique.`);
    ids.add(check.id);
  }
  for (const id of options.only ?? []) {
    if (!ids.has(id)) throw new Error(`runChecks: no check has the id "${id}". Known ids: ${[...ids].join(', ')}.`);
  }
  const timeoutMs = options.timeoutMs ?? 10_000;
  const worlds = IndexedDBWorlds.create();
  const results: CheckResult[] = [];
  try {
    await worlds?.sweep();
    worlds?.install();
    for (const check of options.checks) {
      if (options.only && !options.only.includes(check.id)) continue;
      const skipped = options.skipReason?.() ?? null;
      if (skipped === null) options.onStart?.(check.id);
      const started = performance.now();
      const message = skipped === null ? await runOne(check, options, worlds, timeoutMs) : undefined;
      const result: CheckResult = {
        id: check.id,
        title: check.title,
        passed: skipped === null && message === undefined,
        ...(skipped === null ? {} : { skipped }),
        ...(message === undefined ? {} : { message }),
        hint: check.hint,
        durationMs: performance.now() - started,
      };
      results.push(result);
      options.onResult?.(result);
    }
  } finally {
    worlds?.uninstall();
  }
  return results;
}

/** Runs one check in a world of its own; the failure message, or undefined when it passed. */
async function runOne(
  check: ExerciseCheck,
  options: RunChecksOptions,
  worlds: IndexedDBWorlds | null,
  timeoutMs: number,
): Promise<string | undefined> {
  const clock = new TimeTravel();
  const world: IndexedDBWorld | null = worlds?.begin() ?? null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const context = contextFor(options, world, clock);
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new CheckFailure(`No answer within ${timeoutMs / 1000} s: a store method never finished (a promise that never settles, or a wait for something that never happens).`)),
        timeoutMs,
      );
    });
    await Promise.race([check.run(context), deadline]);
    return undefined;
  } catch (error) {
    if (error instanceof CheckFailure) return error.message;
    return `The store threw: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
  } finally {
    clearTimeout(timer);
    clock.restore();
    if (world && worlds) await worlds.end(world);
  }
}

function contextFor(options: RunChecksOptions, world: IndexedDBWorld | null, clock: TimeTravel): CheckContext {
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
      `Creating the store threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}. The constructor runs with no arguments; keep work that can fail (opening a database) out of it, or catch its errors.`,
    );
  }
}
