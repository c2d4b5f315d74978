/**
 * The page's side of the checks worker (check-worker.ts), for the playground and the exercises alike:
 * starts it on a suite of checks, answers its requests for the reader's module (a restart loads it
 * anew), and keeps the page safe from it. A worker that stops saying it is alive (reader code in an
 * endless loop) is terminated; the check it was on fails with a message that says so, and the ones
 * after it are reported as not run. A run resolves (never rejects) within `totalMs`.
 *
 * The worker runs reader code, so the page believes only what arrives over the run's own port, in
 * the run's id, in the shape check-protocol.ts reads, and in order: results for the checks the page
 * asked for, once each, a pass only for the check that is running, and `done` only once every check
 * that started has reported. Anything else ends the run with nothing counted.
 */
import { readFromChecks, type CheckInfo, type CheckResult, type CheckSuite, type FromChecks, type Reloaded, type RuntimeReport, type StartChecks } from './check-protocol.ts';

export interface CheckRunOptions {
  /** Which checks: the conformance suite, or an exercise's. */
  suite: CheckSuite;
  /** The checks the page expects, as it knows them (not as the worker says): only these are counted. */
  checks: readonly CheckInfo[];
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
  onLoaded?(store: string): void;
  onStart?(id: string): void;
  onResult?(result: CheckResult): void;
  /** What reader code reported (console output), as reader-runtime.js sends it. */
  onReport?(report: RuntimeReport): void;
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
  const { checks } = options;
  const known = new Map(checks.map((check) => [check.id, check]));
  const run = crypto.randomUUID();
  const { port1: port, port2: workerPort } = new MessageChannel();
  const results: CheckResult[] = [];
  const started = new Set<string>();
  let loaded = false;
  let current: string | null = null;
  let method: string | null = null;
  const send = (message: Reloaded): void => port.postMessage(message);

  return new Promise<CheckRunOutcome>((resolve) => {
    let silence: ReturnType<typeof setTimeout> | undefined;
    let finished = false;
    const overall = setTimeout(() => stuck(`The checks took longer than ${Math.round(totalMs / 1000)} s in all and were stopped.`), totalMs);

    const finish = (outcome: CheckRunOutcome): void => {
      if (finished) return;
      finished = true;
      clearTimeout(silence);
      clearTimeout(overall);
      port.close();
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
    /** Fills in the checks with no result yet: the one in progress fails with `message` (if given), the others are not run. */
    const fillIn = (message: string | null, notRun: string): void => {
      const done = new Set(results.map((result) => result.id));
      for (const check of checks) {
        if (done.has(check.id)) continue;
        const base = { id: check.id, title: check.title, ...(check.level === undefined ? {} : { level: check.level }), passed: false, durationMs: 0 };
        const result: CheckResult =
          message !== null && (check.id === current || (current === null && check === checks[0]))
            ? { ...base, message, hint: options.stuckHint ?? '' }
            : { ...base, skipped: notRun, hint: check.hint };
        results.push(result);
        options.onResult?.(result);
      }
    };
    /** The worker is blocked: the check it was on fails, the others are not run. */
    const stuck = (message: string): void => {
      if (!loaded) {
        finish({ kind: 'failed', message });
        return;
      }
      fillIn(message, 'Not run: the checks were stopped when your store stopped answering.');
      finish({ kind: 'stuck', checkId: current, method, results });
    };
    /** Something arrived that the checks worker would not send: nothing of this run counts. */
    const refuse = (): void => {
      finish({
        kind: 'failed',
        message: 'The checks received a message that did not come from them in the right order, so no result of this run counts. Check again; if it keeps happening, reload the page.',
      });
    };

    port.addEventListener('message', (event: MessageEvent<unknown>) => {
      if (finished) return;
      const message = readFromChecks(event.data, run);
      if (!message) {
        refuse();
        return;
      }
      alive();
      receive(message);
    });
    const receive = (message: FromChecks): void => {
      switch (message.type) {
        case 'alive':
          return;
        case 'loaded':
          if (loaded) return refuse();
          loaded = true;
          options.onLoaded?.(message.store);
          return;
        case 'failed':
          finish({ kind: 'failed', message: message.message });
          return;
        case 'start':
          // A known check, once, and only after the one before it reported.
          if (!loaded || !known.has(message.id) || started.has(message.id) || current !== null) return refuse();
          started.add(message.id);
          current = message.id;
          method = null;
          options.onStart?.(message.id);
          return;
        case 'result': {
          const { result } = message;
          const check = known.get(result.id);
          if (!loaded || !check || results.some((earlier) => earlier.id === result.id)) return refuse();
          // A check passes only by running: a result for one that did not start can only say it was not run.
          if (result.id === current) current = null;
          else if (started.has(result.id) || result.passed || result.skipped === undefined || current !== null) return refuse();
          // What a required check needs, a store must have: such a check can fail, never be "not offered".
          if (result.skipped === 'not-offered' && check.level === 'required') return refuse();
          // The page's own title and level for its own check: a worker running reader code may say otherwise.
          const { level: _claimed, ...reported } = result;
          const counted: CheckResult = { ...reported, title: check.title, ...(check.level === undefined ? {} : { level: check.level }) };
          results.push(counted);
          options.onResult?.(counted);
          return;
        }
        case 'report': {
          const { report } = message;
          if (report.type === 'call') method = report.method;
          else options.onReport?.(report);
          return;
        }
        case 'reload':
          send({ type: 'reloaded', run, id: message.id, entryUrl: options.reload?.() ?? null });
          return;
        case 'done':
          if (!loaded || current !== null || [...started].some((id) => !results.some((result) => result.id === id))) return refuse();
          fillIn(null, 'Not run: the checks ended before this one.');
          finish({ kind: 'done', results });
          return;
      }
    };
    // The worker's global channel carries nothing the page listens to: reader code can post there.
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      finish({ kind: 'failed', message: `The checks could not start: ${event.message || 'the checks worker did not load'}.` });
    });
    port.start();
    alive(true);
    const start: StartChecks = { type: 'run', run, suite: options.suite, entryUrl: options.entryUrl, timeoutMs: checkTimeoutMs, port: workerPort };
    worker.postMessage(start, [workerPort]);
  });
}
