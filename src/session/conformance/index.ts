/**
 * `sessionlab/conformance`: the store conformance suite, and the check engine it runs on, for store
 * authors who write checks of their own. Framework-free: it runs checks and returns results; wrap
 * them in whatever test runner you use.
 *
 * @example
 * import { runConformance } from 'sessionlab/conformance';
 * const results = await runConformance({ createStore: () => new MyStore() });
 * for (const r of results) console.log(r.passed ? 'ok  ' : r.skipped ? 'skip' : 'FAIL', r.level, r.title, r.message ?? '');
 *
 * @example
 * // A check of your own, on the same engine: its own clock, a deadline, messages like the suite's.
 * import { runChecks, expectAbsent, sampleRecord, type Check, type ClockControl } from 'sessionlab/conformance';
 * const checks: Check<{ store: MyStore; clock: ClockControl }>[] = [{
 *   id: 'gone-a-day-later', title: 'clean() removes a session a day after it expired', level: 'required',
 *   hint: 'Remove expired records in clean().',
 *   async run({ store, clock }) {
 *     const record = sampleRecord();
 *     await store.create(record);
 *     clock.travel(86_400_000);
 *     await store.clean();
 *     clock.travelTo(clock.baseNow()); // back: a lazily expiring get() cannot hide what clean() left
 *     expectAbsent(await store.get(record.sessionId), 'get() after clean()');
 *   },
 * }];
 * const results = await runChecks(checks, { setup: (_check, clock) => ({ store: new MyStore(), clock }) });
 */
import { CHECKS, type AnyStore, type CheckLevel } from './checks.ts';
import { runChecks, type CheckResult } from './run-checks.ts';
import type { ClockControl } from './clock-control.ts';

export { CHECKS as conformanceChecks, sampleRecord } from './checks.ts';
export { CheckFailure, NotOffered, callStore, canonicalJson, describeValue, expectAbsent, expectOffered, expectSame } from './assertions.ts';
export { ClockControl, patchDate } from './clock-control.ts';
export { runChecks } from './run-checks.ts';
export { isoWithOffset } from './sample-record.ts';
export type { AnyStore, ConformanceCheck, ConformanceCheckContext } from './checks.ts';
export type { Check, CheckLevel, CheckResult, RunChecksOptions } from './run-checks.ts';
export type { ClockControlOptions } from './clock-control.ts';

/** Options of `runConformance`. */
export interface ConformanceOptions<S extends AnyStore = AnyStore> {
  /** A fresh, empty store for each check. */
  createStore: () => S | Promise<S>;
  /** Called after each check with the store it used (close connections, delete databases). */
  disposeStore?: (store: S) => void | Promise<void>;
  /** Checks not to run, each with its reason (shown in the results). */
  skip?: Readonly<Record<string, string>>;
  /** Only these checks (by id). */
  only?: readonly string[];
  /** A check that takes longer fails. Default 10 000 ms. */
  timeoutMs?: number;
  /** Called as each check finishes, for live progress. */
  onResult?: (result: ConformanceResult) => void;
}

/** The result of one conformance check: a `CheckResult` that always has its level. */
export interface ConformanceResult extends CheckResult {
  level: CheckLevel;
}

/**
 * Runs every check (one fresh store each, and a clock of its own that the store sees through `Date`)
 * and resolves to one result per check, in order.
 */
export async function runConformance<S extends AnyStore>(options: ConformanceOptions<S>): Promise<ConformanceResult[]> {
  const results = await runChecks(
    CHECKS.map((check) => ({
      id: check.id,
      title: check.title,
      level: check.level,
      hint: check.hint,
      run: ({ store, clock }: { store: S; clock: ClockControl }) => check.run(store, { clock }),
    })),
    {
      name: 'runConformance',
      setup: async (_check, clock) => ({ store: await options.createStore(), clock }),
      ...(options.disposeStore ? { teardown: ({ store }: { store: S }) => options.disposeStore!(store) } : {}),
      ...(options.skip ? { skip: options.skip } : {}),
      ...(options.only ? { only: options.only } : {}),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.onResult ? { onResult: (result: CheckResult) => options.onResult!(result as ConformanceResult) } : {}),
    },
  );
  return results as ConformanceResult[];
}
