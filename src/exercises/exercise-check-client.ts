/**
 * The page's side of the exercise checks worker (exercise-check-worker.ts): starts it, answers its
 * requests for the reader's module (a restart loads it anew), and keeps the page safe from it. A
 * worker that stops saying it is alive (reader code in an endless loop) is terminated; the check it
 * was on fails with a message that says so, and the ones after it are reported as not run. A run
 * resolves (never rejects) within `totalMs`.
 *
 * The same guard as the playground's check-runner.ts, for a worker that runs an exercise's checks.
 */
import type { CheckResult } from './exercise-check.ts';
import type { CheckInfo, FromExerciseChecks, ToExerciseChecks } from './exercise-check-worker.ts';

export interface ExerciseCheckRunOptions {
  /** The exercise (its folder name). */
  slug: string;
  /** The entry module of the reader's code (src/playground/module-urls.ts). */
  entryUrl: string;
  /** The same code as a new entry module, for a restart; null when that cannot be done. */
  reload: () => string | null;
  /** How long one check may wait for a store call. */
  checkTimeoutMs?: number;
  /** How long the worker may stay silent (blocked) before it is terminated. */
  silenceMs?: number;
  /** The most a whole run may take. */
  totalMs?: number;
  onLoaded?(store: string, checks: readonly CheckInfo[]): void;
  onStart?(id: string): void;
  onResult?(result: CheckResult): void;
  /** What reader code reported (console output), as reader-runtime.js sends it. */
  onReport?(report: unknown): void;
}

export type ExerciseCheckOutcome =
  | { kind: 'done'; results: CheckResult[] }
  /** The checks or the store did not load: nothing was checked. */
  | { kind: 'failed'; message: string }
  /** The worker was blocked and terminated; `results` has every check, the stuck one and those after it failed. */
  | { kind: 'stuck'; checkId: string | null; results: CheckResult[] };

const DEFAULTS = { checkTimeoutMs: 3000, silenceMs: 2500, totalMs: 120_000 };
/** How long the worker may take to load its own code before it must say it is alive. */
const STARTUP_MS = 10_000;

export function runExerciseChecks(options: ExerciseCheckRunOptions): Promise<ExerciseCheckOutcome> {
  const checkTimeoutMs = options.checkTimeoutMs ?? DEFAULTS.checkTimeoutMs;
  const silenceMs = options.silenceMs ?? DEFAULTS.silenceMs;
  const totalMs = options.totalMs ?? DEFAULTS.totalMs;
  const worker = new Worker(new URL('./exercise-check-worker.ts', import.meta.url), { type: 'module', name: 'session-lab-checks' });
  const results: CheckResult[] = [];
  let checks: readonly CheckInfo[] = [];
  let current: string | null = null;
  let method: string | null = null;
  const send = (message: ToExerciseChecks): void => worker.postMessage(message);

  return new Promise<ExerciseCheckOutcome>((resolve) => {
    let silence: ReturnType<typeof setTimeout> | undefined;
    const overall = setTimeout(() => stuck(`The checks took longer than ${Math.round(totalMs / 1000)} s in all and were stopped.`), totalMs);

    const finish = (outcome: ExerciseCheckOutcome): void => {
      clearTimeout(silence);
      clearTimeout(overall);
      worker.terminate();
      resolve(outcome);
    };
    const alive = (first = false): void => {
      clearTimeout(silence);
      silence = setTimeout(
        () =>
          stuck(
            `Your store stopped answering: it kept the checks busy for ${silenceMs / 1000} s without a pause${method ? `, inside ${method}()` : ''}. A loop that never ends (while (true) { … }) blocks everything; the checks were stopped.`,
          ),
        first ? Math.max(silenceMs, STARTUP_MS) : silenceMs,
      );
    };
    const stuck = (message: string): void => {
      if (checks.length === 0) {
        finish({ kind: 'failed', message });
        return;
      }
      const done = new Set(results.map((result) => result.id));
      for (const check of checks) {
        if (done.has(check.id)) continue;
        const base = { id: check.id, title: check.title, passed: false, durationMs: 0 };
        const result: CheckResult =
          check.id === current || (current === null && check === checks[0])
            ? { ...base, message, hint: 'A loop whose condition never becomes false (while (true) { … }, a for loop that never reaches its end) blocks the whole worker. Fix it and check again.' }
            : { ...base, message: 'Not run: the checks were stopped when your store stopped answering.', hint: check.hint };
        results.push(result);
        options.onResult?.(result);
      }
      finish({ kind: 'stuck', checkId: current, results });
    };

    worker.addEventListener('message', (event: MessageEvent<FromExerciseChecks>) => {
      const message = event.data;
      alive();
      switch (message.type) {
        case 'alive':
          return;
        case 'loaded':
          checks = message.checks;
          options.onLoaded?.(message.store, message.checks);
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
        case 'reload':
          send({ type: 'reloaded', id: message.id, entryUrl: options.reload() });
          return;
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
    send({ type: 'run', slug: options.slug, entryUrl: options.entryUrl, timeoutMs: checkTimeoutMs });
  });
}
