/**
 * Runs the conformance checks on a reader's store in the checks worker (check-worker.ts), and keeps
 * the page safe from it: a worker that stops saying it is alive (reader code stuck in a loop) is
 * terminated, the check it was on fails with a message that says so, and the ones after it are not
 * run. A run never takes longer than `totalMs`.
 */
import type { ConformanceResult } from '../session/conformance/index.ts';
import type { FromChecks, ToChecks } from './check-worker.ts';

export interface CheckRunOptions {
  /** The Run's entry module (module-urls.ts). */
  entryUrl: string;
  /** How long one check may wait for a store call before it fails (the suite's own timeout). */
  checkTimeoutMs?: number;
  /** How long the worker may stay silent (blocked) before it is terminated. */
  silenceMs?: number;
  /** The most a whole run may take. */
  totalMs?: number;
  onLoaded?(store: string, total: number): void;
  onStart?(id: string): void;
  onResult?(result: ConformanceResult): void;
  /** What reader code reported (console output), as reader-runtime.js sends it. */
  onReport?(report: unknown): void;
}

export type CheckRunOutcome =
  | { kind: 'done'; results: ConformanceResult[] }
  /** The store did not load or could not be constructed. */
  | { kind: 'failed'; message: string }
  /** The worker was blocked and terminated; `results` has every check, the stuck one and those after it failed. */
  | { kind: 'stuck'; checkId: string | null; method: string | null; results: ConformanceResult[] };

export interface CheckInfo {
  id: string;
  title: string;
  level: 'required' | 'recommended';
  hint: string;
}

const DEFAULTS = { checkTimeoutMs: 3000, silenceMs: 2500, totalMs: 90_000 };
/** How long the checks worker may take to load its own code before it must say it is alive. */
const STARTUP_MS = 10_000;

/**
 * Runs every check; `checks` lists them all (conformanceChecks), for the ones a stuck worker never
 * got to. Resolves (never rejects) once the run is over.
 */
export function runChecks(checks: readonly CheckInfo[], options: CheckRunOptions): Promise<CheckRunOutcome> {
  const { checkTimeoutMs, silenceMs, totalMs } = { ...DEFAULTS, ...definedOnly(options) };
  const worker = new Worker(new URL('./check-worker.ts', import.meta.url), { type: 'module', name: 'session-lab-checks' });
  const results: ConformanceResult[] = [];
  let current: string | null = null;
  let method: string | null = null;

  return new Promise<CheckRunOutcome>((resolve) => {
    let silence: ReturnType<typeof setTimeout> | undefined;
    const overall = setTimeout(() => stuck(`The checks took longer than ${Math.round(totalMs / 1000)} s in all and were stopped.`), totalMs);

    const finish = (outcome: CheckRunOutcome): void => {
      clearTimeout(silence);
      clearTimeout(overall);
      worker.terminate();
      resolve(outcome);
    };
    const alive = (first = false): void => {
      clearTimeout(silence);
      silence = setTimeout(
        () => stuck(`Your store stopped answering: it kept the checks busy for ${silenceMs / 1000} s without a pause${method ? `, inside ${method}()` : ''}. A loop that never ends (while (true) { … }) blocks everything; the checks were stopped.`),
        // The worker's own code has to load before it can say anything.
        first ? Math.max(silenceMs, STARTUP_MS) : silenceMs,
      );
    };
    /** The worker is blocked: the check it was on fails, the others are not run. */
    const stuck = (message: string): void => {
      const done = new Set(results.map((result) => result.id));
      for (const check of checks) {
        if (done.has(check.id)) continue;
        const base = { id: check.id, title: check.title, level: check.level, hint: check.hint, passed: false, durationMs: 0 };
        const result: ConformanceResult =
          check.id === current || (current === null && results.length === 0 && check === checks[0])
            ? { ...base, message, hint: '' } // the check's own hint is about something else
            : { ...base, skipped: 'Not run: the checks were stopped when your store stopped answering.' };
        results.push(result);
        options.onResult?.(result);
      }
      finish({ kind: 'stuck', checkId: current, method, results });
    };

    worker.addEventListener('message', (event: MessageEvent<FromChecks>) => {
      const message = event.data;
      alive();
      switch (message.type) {
        case 'alive':
          return;
        case 'loaded':
          options.onLoaded?.(message.store, message.total);
          return;
        case 'failed':
          finish({ kind: 'failed', message: message.message });
          return;
        case 'start':
          current = message.id;
          method = null;
          options.onStart?.(message.id);
          return;
        case 'result':
          results.push(message.result);
          options.onResult?.(message.result);
          return;
        case 'report': {
          const report = message.report as { type?: unknown; method?: unknown };
          if (report.type === 'call' && typeof report.method === 'string') method = report.method;
          else options.onReport?.(message.report);
          return;
        }
        case 'done':
          finish({ kind: 'done', results });
          return;
      }
    });
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      finish({ kind: 'failed', message: `The checks could not start: ${event.message || 'the checks worker did not load'}.` });
    });
    alive(true);
    worker.postMessage({ type: 'run', entryUrl: options.entryUrl, timeoutMs: checkTimeoutMs } satisfies ToChecks);
  });
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
