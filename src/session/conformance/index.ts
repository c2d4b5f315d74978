/**
 * `sessionlab/conformance`: the store conformance suite. Framework-free: it runs the checks and
 * returns results; wrap them in whatever test runner you use.
 *
 * @example
 * import { runConformance } from 'sessionlab/conformance';
 * const results = await runConformance({ createStore: () => new MyStore() });
 * for (const r of results) console.log(r.passed ? 'ok  ' : 'FAIL', r.level, r.title, r.message ?? '');
 */
import { CHECKS, CheckFailure, type AnyStore, type CheckLevel } from './checks.ts';

export { CHECKS as conformanceChecks, canonicalJson, sampleRecord } from './checks.ts';
export type { AnyStore, CheckLevel, ConformanceCheck } from './checks.ts';

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

export interface ConformanceResult {
  id: string;
  title: string;
  level: CheckLevel;
  passed: boolean;
  /** The reason, when the check was skipped (a skipped check did not pass). */
  skipped?: string;
  /** What went wrong, when it failed. */
  message?: string;
  /** Why it matters and how to fix it. */
  hint: string;
  durationMs: number;
}

/** Runs every check (one fresh store each) and returns one result per check, in order. */
export async function runConformance<S extends AnyStore>(options: ConformanceOptions<S>): Promise<ConformanceResult[]> {
  const known = new Set(CHECKS.map((check) => check.id));
  for (const id of [...Object.keys(options.skip ?? {}), ...(options.only ?? [])]) {
    if (!known.has(id)) throw new Error(`runConformance: no check has the id "${id}". Known ids: ${[...known].join(', ')}.`);
  }
  const timeoutMs = options.timeoutMs ?? 10_000;
  const results: ConformanceResult[] = [];
  for (const check of CHECKS) {
    if (options.only && !options.only.includes(check.id)) continue;
    const base = { id: check.id, title: check.title, level: check.level, hint: check.hint };
    const reason = options.skip?.[check.id];
    let result: ConformanceResult;
    if (reason !== undefined) {
      result = { ...base, passed: false, skipped: reason, durationMs: 0 };
    } else {
      const started = performance.now();
      const message = await runOne(options, check.run, timeoutMs);
      result = { ...base, passed: message === undefined, ...(message === undefined ? {} : { message }), durationMs: performance.now() - started };
    }
    results.push(result);
    options.onResult?.(result);
  }
  return results;
}

/** Runs one check on a fresh store; the failure message, or undefined when it passed. */
async function runOne<S extends AnyStore>(
  options: ConformanceOptions<S>,
  run: (store: AnyStore) => Promise<void>,
  timeoutMs: number,
): Promise<string | undefined> {
  let store: S | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new CheckFailure(`No answer within ${timeoutMs} ms: a store method never finished.`)), timeoutMs);
    });
    await Promise.race([
      (async () => {
        store = await options.createStore();
        await run(store);
      })(),
      deadline,
    ]);
    return undefined;
  } catch (error) {
    if (error instanceof CheckFailure) return error.message;
    return `The store threw: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
  } finally {
    clearTimeout(timer);
    if (store && options.disposeStore) {
      try {
        await options.disposeStore(store);
      } catch {
        // Disposal trouble must not change the verdict of the check.
      }
    }
  }
}
