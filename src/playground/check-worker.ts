/**
 * The checks worker: runs the conformance suite on the reader's store, one check at a time, in a
 * worker of its own, so reader code never runs on the page and the Lab's server keeps serving
 * meanwhile. The page (check-runner.ts) gives it a deadline: this worker says it is alive five times
 * a second, and one that falls silent (a `while (true) {}` in a store method) is terminated.
 *
 * A check whose store call never settles fails by the suite's own timeout; after two of those in a
 * row the rest are not run (each would only wait as long again), and say why.
 */
import { conformanceChecks, runConformance, type ConformanceResult } from '../session/conformance/index.ts';
import { provideReaderModules } from '../sim/reader-modules.ts';

/** How often the worker tells the page it is not stuck. */
const HEARTBEAT_MS = 200;
const HOOKS_KEY = 'sessionlab.playground-hooks';
/** Checks in a row that may time out before the others are given up. */
const TIMEOUTS_BEFORE_GIVING_UP = 2;

export type ToChecks = { type: 'run'; entryUrl: string; timeoutMs: number };

export type FromChecks =
  | { type: 'alive' }
  /** The store loaded and one was constructed: the checks begin. */
  | { type: 'loaded'; store: string; total: number }
  /** The store could not be loaded or constructed: no check can run. */
  | { type: 'failed'; message: string }
  | { type: 'start'; id: string }
  | { type: 'result'; result: ConformanceResult }
  /** Something the reader-code runtime reports (console output, the method that started). */
  | { type: 'report'; report: unknown }
  | { type: 'done' };

interface Hooks {
  report(message: unknown): void;
  pending?: () => number[];
  methodOf?: (id: number) => string | null;
  newCheck?: () => void;
}

const scope = globalThis as unknown as {
  postMessage(message: FromChecks): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<ToChecks>) => void): void;
};

function post(message: FromChecks): void {
  scope.postMessage(message);
}

provideReaderModules();
const hooks: Hooks = { report: (report) => post({ type: 'report', report }) };
Object.defineProperty(globalThis, Symbol.for(HOOKS_KEY), { value: hooks });
setInterval(() => post({ type: 'alive' }), HEARTBEAT_MS);

scope.addEventListener('message', (event) => {
  if (event.data.type === 'run') void run(event.data.entryUrl, event.data.timeoutMs);
});

type StoreClass = new () => object;

async function run(entryUrl: string, timeoutMs: number): Promise<void> {
  let Store: StoreClass;
  try {
    Store = ((await import(/* @vite-ignore */ entryUrl)) as { default: StoreClass }).default;
  } catch (error) {
    post({ type: 'failed', message: messageOf(error) });
    return;
  }
  try {
    new Store();
  } catch (error) {
    post({ type: 'failed', message: `new ${Store.name}() threw: ${messageOf(error)}. The constructor runs with no arguments; keep it free of work that can fail.` });
    return;
  }
  post({ type: 'loaded', store: Store.name, total: conformanceChecks.length });

  let timeouts = 0;
  let gaveUp: string | null = null;
  for (const check of conformanceChecks) {
    if (gaveUp !== null) {
      const result: ConformanceResult = { id: check.id, title: check.title, level: check.level, hint: check.hint, passed: false, skipped: gaveUp, durationMs: 0 };
      post({ type: 'result', result });
      continue;
    }
    post({ type: 'start', id: check.id });
    hooks.newCheck?.();
    const before = new Set(hooks.pending?.() ?? []);
    const [result] = await runConformance({ only: [check.id], createStore: () => new Store() as never, timeoutMs });
    if (!result) continue;
    if (!result.passed && result.message?.startsWith('No answer within')) {
      timeouts++;
      const stuck = (hooks.pending?.() ?? []).filter((id) => !before.has(id)).map((id) => hooks.methodOf?.(id)).find(Boolean);
      if (stuck) {
        result.message = `${stuck}() never settled: it returned a promise that neither resolved nor rejected within ${timeoutMs} ms. Every path through ${stuck}() must resolve (return) or reject (throw).`;
      }
      if (timeouts >= TIMEOUTS_BEFORE_GIVING_UP) {
        gaveUp = `Not run: ${TIMEOUTS_BEFORE_GIVING_UP} checks in a row got no answer from the store, and this one would only wait as long again. Fix the store and run the checks again.`;
      }
    } else {
      timeouts = 0;
    }
    post({ type: 'result', result });
  }
  post({ type: 'done' });
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.name === 'StoreLoadError' ? error.message : `${error.name}: ${error.message}`;
  return String(error);
}
