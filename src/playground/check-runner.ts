/**
 * The page's side of the checks worker (check-worker.ts), for the playground and the exercises alike:
 * starts it on a suite of checks, answers its requests for the reader's module (a restart loads it
 * anew), and keeps the page safe from it. A worker that stops saying it is alive (reader code in an
 * endless loop) is terminated; the check it was on fails with a message that says so, and the ones
 * after it are reported as not run. A run resolves (never rejects) within `totalMs`.
 */
import type { CheckInfo, CheckResult } from '../exercises/exercise-check.ts';
import type { CheckSuite, FromChecks, ToChecks } from './check-worker.ts';

export interface CheckRunOptions {
  /** Which checks: the conformance suite, or an exercise's. */
  suite: CheckSuite;
  /** The entry module of the reader's code (module-urls.ts). */
  entryUrl: string;
  /** The same code as a new entry module, for a restart; null (the default) when that cannot be done. */
  reload?: () => string | null;
  /** How long one check may wait for a store call. */
  checkTimeoutMs?: number;
  /** How long the worker may stay silent (blocked) before it is terminated. */
  silenceMs?: number;
  /** The most a whole run may take. */
  totalMs?: number;
  /** The hint under the check a stuck worker was on; none by default (the check's own hint is about something else). */
  stuckHint?: string;
  onLoaded?(store: string, checks: readonly CheckInfo[]): void;
  onStart?(id: string): void;
  onResult?(result: CheckResult): void;
  /** What reader code reported (console output), as reader-runtime.js sends it. */
  onReport?(report: unknown): void;
}

export type CheckRunOutcome =
  | { kind: 'done'; results: CheckResult[] }
  /** The checks or the store did not load: nothing was checked. */
  | { kind: 'failed'; message: string }
  /** The worker was blocked and terminated; `results` has every check, the stuck one and those after it failed. */
  | { kind: 'stuck'; checkId: string | null; method: string | null; results: CheckResult[] };

const DEFAULTS = { checkTimeoutMs: 3000, silenceMs: 2500, totalMs: 120_000 };
/** How long the worker may take to load its own code before it must say it is alive. */
const STARTUP_MS = 10_000;

export function runChecks(options: CheckRunOptions): Promise<CheckRunOutcome> {
  const checkTimeoutMs = options.checkTimeoutMs ?? DEFAULTS.checkTimeoutMs;
  const silenceMs = options.silenceMs ?? DEFAULTS.silenceMs;
  const totalMs = options.totalMs ?? DEFAULTS.totalMs;
  const worker = new Worker(new URL('./check-worker.ts', import.meta.url), { type: 'module', name: 'session-lab-checks' });
  const results: CheckResult[] = [];
  let checks: readonly CheckInfo[] = [];
  let current: string | null = null;
  let method: string | null = null;
  const send = (message: ToChecks): void => worker.postMessage(message);

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
        () =>
          stuck(
            `Your store stopped answering: it kept the checks busy for ${silenceMs / 1000} s without a pause${method ? `, inside ${method}()` : ''}. A loop that never ends (while (true) { … }) blocks everything; the checks were stopped.`,
          ),
        // The worker's own code has to load before it can say anything.
        first ? Math.max(silenceMs, STARTUP_MS) : silenceMs,
      );
    };
    /** The worker is blocked: the check it was on fails, the others are not run. */
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
            ? { ...base, message, hint: options.stuckHint ?? '' }
            : { ...base, skipped: 'Not run: the checks were stopped when your store stopped answering.', hint: check.hint };
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
          send({ type: 'reloaded', id: message.id, entryUrl: options.reload?.() ?? null });
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
    send({ type: 'run', suite: options.suite, entryUrl: options.entryUrl, timeoutMs: checkTimeoutMs });
  });
}
