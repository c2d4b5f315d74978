/**
 * The one check runner: runs any list of checks, one after the other, each with what `setup` made
 * for it, a clock of its own and a deadline, and resolves to one result per check. Framework-free:
 * the conformance suite, a store author's own checks and a site's exercises all run through it.
 */
import { describeError } from '../errors.ts';
import { CheckFailure, NotOffered } from './assertions.ts';
import { ClockControl } from './clock-control.ts';

/** How much a check matters: a store must pass every required check; a recommended one says how it could be better. */
export type CheckLevel = 'required' | 'recommended';

/** A promise about a store, a way to test it, and what to do when it fails. */
export interface Check<Context> {
  /** Stable and unique within a list of checks. */
  id: string;
  title: string;
  /** Passed through to the result unchanged. */
  level?: CheckLevel;
  /** Why it matters and how to fix it; shown when the check fails. */
  hint: string;
  /** Resolves when the store keeps the promise; throws a `CheckFailure` saying what went wrong when it does not. */
  run(context: Context): Promise<void>;
}

/** The result of one check. */
export interface CheckResult {
  id: string;
  title: string;
  /** The check's level, when it has one. */
  level?: CheckLevel;
  passed: boolean;
  /**
   * Why it was not run (a check not run did not pass, and did not fail): `'not-offered'` when it
   * needs an optional method the store does not offer (named in `notOffered`), or the reason a
   * `skip` option or the host gave.
   */
  skipped?: 'not-offered' | (string & {});
  /** The optional method the store does not offer, when `skipped` is `'not-offered'`. */
  notOffered?: string;
  /** What went wrong, when it failed; when not offered, what the store's users miss without the method. */
  message?: string;
  /** True when it failed because the store gave no answer within the deadline. */
  timedOut?: true;
  /** Why it matters and how to fix it. */
  hint: string;
  durationMs: number;
}

/** Options of `runChecks`. */
export interface RunChecksOptions<Context, C extends Check<Context> = Check<Context>> {
  /**
   * Makes what one check runs with (a fresh store, say), under the check's deadline. `clock` is the
   * check's own clock, not yet installed; the runner takes it off the global `Date` after the check.
   * What it throws fails the check (a `CheckFailure` with its own message).
   */
  setup: (check: C, clock: ClockControl) => Context | Promise<Context>;
  /** Undoes what `setup` made (close connections, delete databases); its failures never change a verdict. */
  teardown?: (context: Context, check: C) => void | Promise<void>;
  /** Checks not to run, by id, each with its reason (the result's `skipped`). */
  skip?: Readonly<Record<string, string>>;
  /** Only these checks, by id. */
  only?: readonly string[];
  /**
   * Asked before each check: a reason not to run it, or null to run it. For hosts that stop after a
   * store has stopped answering.
   */
  skipReason?: (check: C) => string | null;
  /** A check that takes longer fails. Default 10 000 ms. */
  timeoutMs?: number;
  /** Called as each check begins, for live progress. */
  onStart?: (check: C) => void;
  /** Called as each check finishes, for live progress. */
  onResult?: (result: CheckResult) => void;
  /** Names the caller in the errors thrown for unknown or duplicate ids. Default `'runChecks'`. */
  name?: string;
}

/**
 * Runs the checks one after the other and resolves to their results, in order. Rejects at once when
 * two checks share an id or `skip` / `only` names an id no check has.
 *
 * A store that never settles fails its check when the deadline passes and the run moves on; a store
 * that throws fails with what it threw. A synchronous endless loop cannot be stopped from inside its
 * own thread: run checks of untrusted code in a worker and terminate it from outside.
 *
 * @example
 * const checks = [{
 *   id: 'get-missing', title: 'Reading an unknown id gives null', level: 'required' as const,
 *   hint: 'Return null for an unknown id.',
 *   async run({ store }: { store: MyStore }) { expectAbsent(await store.get('nope'), 'get() of an unknown id'); },
 * }];
 * const results = await runChecks(checks, { setup: () => ({ store: new MyStore() }) });
 */
export async function runChecks<Context, C extends Check<Context> = Check<Context>>(
  checks: readonly C[],
  options: RunChecksOptions<Context, C>,
): Promise<CheckResult[]> {
  const name = options.name ?? 'runChecks';
  const ids = new Set<string>();
  for (const check of checks) {
    if (ids.has(check.id)) throw new Error(`${name}: two checks have the id "${check.id}"; ids must be unique.`);
    ids.add(check.id);
  }
  for (const id of [...Object.keys(options.skip ?? {}), ...(options.only ?? [])]) {
    if (!ids.has(id)) throw new Error(`${name}: no check has the id "${id}". Known ids: ${[...ids].join(', ')}.`);
  }
  const timeoutMs = options.timeoutMs ?? 10_000;
  const results: CheckResult[] = [];
  for (const check of checks) {
    if (options.only && !options.only.includes(check.id)) continue;
    const skipped = options.skip?.[check.id] ?? options.skipReason?.(check) ?? null;
    const base = { id: check.id, title: check.title, ...(check.level === undefined ? {} : { level: check.level }), hint: check.hint };
    let result: CheckResult;
    if (skipped !== null) {
      result = { ...base, passed: false, skipped, durationMs: 0 };
    } else {
      options.onStart?.(check);
      const started = performance.now();
      const outcome = await runOne(check, options, timeoutMs);
      result = { ...base, ...outcome, durationMs: performance.now() - started };
    }
    results.push(result);
    options.onResult?.(result);
  }
  return results;
}

/** What running a check came to: the verdict's fields of its result. */
type Outcome = Pick<CheckResult, 'passed' | 'skipped' | 'notOffered' | 'message' | 'timedOut'>;

/** The deadline passed: the check failed with no answer from the store. */
class NoAnswer extends CheckFailure {}

/** Runs one check, and says how it went. */
async function runOne<Context, C extends Check<Context>>(check: C, options: RunChecksOptions<Context, C>, timeoutMs: number): Promise<Outcome> {
  const clock = new ClockControl();
  let context: { value: Context } | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new NoAnswer(`No answer within ${duration(timeoutMs)}: a store method never finished (a promise that never settles, or a wait for something that never happens).`)), timeoutMs);
    });
    await Promise.race([
      (async () => {
        context = { value: await options.setup(check, clock) };
        await check.run(context.value);
      })(),
      deadline,
    ]);
    return { passed: true };
  } catch (error) {
    if (error instanceof NoAnswer) return { passed: false, message: error.message, timedOut: true };
    if (error instanceof CheckFailure) return { passed: false, message: error.message };
    // What a required check needs, a store must have: missing, it fails.
    if (error instanceof NotOffered) {
      return check.level === 'required'
        ? { passed: false, message: error.message }
        : { passed: false, skipped: 'not-offered', notOffered: error.method, message: error.message };
    }
    return { passed: false, message: `The store threw: ${describeError(error)}` };
  } finally {
    clearTimeout(timer);
    clock.restore();
    if (context && options.teardown) {
      try {
        await options.teardown(context.value, check);
      } catch {
        // Disposal trouble must not change the verdict of the check.
      }
    }
  }
}

/** `50 ms`, `10 s`, `1.5 s`. */
function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${ms / 1000} s`;
}
