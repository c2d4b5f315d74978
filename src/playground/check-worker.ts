/**
 * The checks worker: runs checks on the reader's store, one at a time, in a worker of its own, so
 * reader code never runs on the page and the Lab's server keeps serving meanwhile. A run names its
 * checks: the conformance suite (the playground's "Run checks") or one exercise's
 * (content/exercises/<slug>/checks.ts). Both go through src/exercises/run-checks.ts, so every check
 * gets its own clock and its own IndexedDB databases: a check never reads or writes the Lab's data.
 *
 * The page (check-runner.ts) gives it a deadline: this worker says it is alive five times a second,
 * and one that falls silent (a `while (true) {}` in a store method) is terminated. A check whose
 * store call never settles fails by its own deadline; after two of those in a row the rest are not
 * run (each would only wait as long again), and say why.
 *
 * A restart asks the page for the reader's module once more (`reload`): a new module instance, so
 * whatever the store kept in module-level variables is gone, as in a restarted server.
 */
import { conformanceChecks } from '../session/conformance/index.ts';
import { conformance } from '../exercises/conformance-checks.ts';
import type { CheckInfo, CheckResult, ExerciseCheck } from '../exercises/exercise-check.ts';
import { runChecks } from '../exercises/run-checks.ts';
import { provideReaderModules } from '../sim/reader-modules.ts';

/** How often the worker tells the page it is not stuck. */
const HEARTBEAT_MS = 200;
/** The reader runtime reports through this hook object when a worker installs one (reader-runtime.js). */
const HOOKS_KEY = 'sessionlab.playground-hooks';
/** Checks in a row that may time out before the others are given up. */
const TIMEOUTS_BEFORE_GIVING_UP = 2;

/** Each exercise's checks, loaded when asked for (one chunk per exercise). */
const EXERCISE_CHECKS = import.meta.glob<{ checks: readonly ExerciseCheck[] }>('/content/exercises/*/checks.ts');

/** Which checks a run runs. */
export type CheckSuite = { kind: 'conformance' } | { kind: 'exercise'; slug: string };

/** How each suite words its messages, as its page does ("Run checks" there, "Check" on an exercise). */
const WORDING = {
  conformance: { store: 'the store', again: 'run the checks again', within: (ms: number) => `${ms} ms` },
  exercise: { store: 'your store', again: 'check again', within: (ms: number) => `${ms / 1000} s` },
};

export type ToChecks =
  | { type: 'run'; suite: CheckSuite; entryUrl: string; timeoutMs: number }
  /** The answer to `reload`: the reader's module, loaded anew. */
  | { type: 'reloaded'; id: number; entryUrl: string | null };

export type FromChecks =
  | { type: 'alive' }
  /** The checks and the store loaded: the checks begin. */
  | { type: 'loaded'; store: string; checks: CheckInfo[] }
  /** The checks or the store could not be loaded or constructed: no check can run. */
  | { type: 'failed'; message: string }
  | { type: 'start'; id: string }
  | { type: 'result'; result: CheckResult }
  /** Something the reader runtime reports (console output, the method that started). */
  | { type: 'report'; report: unknown }
  /** A restart: the page is asked for a new entry module of the same code. */
  | { type: 'reload'; id: number }
  | { type: 'done' };

interface Hooks {
  report(message: unknown): void;
  pending?: () => number[];
  methodOf?: (id: number) => string | null;
  newCheck?: () => void;
}

type StoreClass = new () => object;

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

let reloads = 0;
const waitingReloads = new Map<number, (entryUrl: string | null) => void>();

scope.addEventListener('message', (event) => {
  const message = event.data;
  if (message.type === 'run') void run(message.suite, message.entryUrl, message.timeoutMs);
  else waitingReloads.get(message.id)?.(message.entryUrl);
});

async function run(suite: CheckSuite, entryUrl: string, timeoutMs: number): Promise<void> {
  const checks = await checksOf(suite);
  if (typeof checks === 'string') {
    post({ type: 'failed', message: checks });
    return;
  }
  let Store: StoreClass;
  try {
    Store = await storeClass(entryUrl);
  } catch (error) {
    post({ type: 'failed', message: messageOf(error) });
    return;
  }
  post({ type: 'loaded', store: Store.name, checks: checks.map(({ id, title, hint }) => ({ id, title, hint })) });

  const wording = WORDING[suite.kind];
  /** The playground says once that the constructor throws, and runs no check; an exercise's checks each fail with it. */
  let firstStore = suite.kind === 'conformance';
  let failed: string | null = null;
  let timeouts = 0;
  /** Store calls already unfinished when the current check began: not this check's doing. */
  let pendingBefore = new Set<number>();
  await runChecks({
    checks,
    createStore: () => {
      if (!firstStore) return new Store() as never;
      firstStore = false;
      try {
        return new Store() as never;
      } catch (error) {
        failed = `new ${Store.name}() threw: ${messageOf(error)}. The constructor runs with no arguments; keep it free of work that can fail.`;
        throw error;
      }
    },
    restartStore: async () => new (await storeClass(await reload()))() as never,
    timeoutMs,
    onStart: (id) => {
      hooks.newCheck?.();
      pendingBefore = new Set(hooks.pending?.() ?? []);
      post({ type: 'start', id });
    },
    onResult: (result) => {
      timeouts = result.message?.startsWith('No answer within') ? timeouts + 1 : 0;
      if (failed === null) post({ type: 'result', result: withStuckMethod(result, wording.within(timeoutMs), pendingBefore) });
    },
    skipReason: () =>
      failed ??
      (timeouts >= TIMEOUTS_BEFORE_GIVING_UP
        ? `Not run: ${TIMEOUTS_BEFORE_GIVING_UP} checks in a row got no answer from ${wording.store}, and this one would only wait as long again. Fix the store and ${wording.again}.`
        : null),
  });
  post(failed === null ? { type: 'done' } : { type: 'failed', message: failed });
}

/** The checks a suite runs, or why there are none. */
async function checksOf(suite: CheckSuite): Promise<readonly ExerciseCheck[] | string> {
  if (suite.kind === 'conformance') return conformance(...conformanceChecks.map((check) => check.id));
  const load = EXERCISE_CHECKS[`/content/exercises/${suite.slug}/checks.ts`];
  if (!load) return `There is no exercise "${suite.slug}".`;
  try {
    return (await load()).checks;
  } catch (error) {
    return `The checks of this exercise did not load (${messageOf(error)}). Reload the page and try again.`;
  }
}

/** The store class an entry module exports (the reader runtime picks and instruments it). */
async function storeClass(entryUrl: string): Promise<StoreClass> {
  return ((await import(/* @vite-ignore */ entryUrl)) as { default: StoreClass }).default;
}

/** Asks the page for the reader's module once more, for a restart. */
function reload(): Promise<string> {
  const id = ++reloads;
  return new Promise((resolve, reject) => {
    waitingReloads.set(id, (entryUrl) => {
      waitingReloads.delete(id);
      if (entryUrl) resolve(entryUrl);
      else reject(new Error('the page could not load your code again for the restart'));
    });
    post({ type: 'reload', id });
  });
}

/** A timed-out check says which store method never settled, when the runtime knows. */
function withStuckMethod(result: CheckResult, within: string, pendingBefore: ReadonlySet<number>): CheckResult {
  if (result.passed || !result.message?.startsWith('No answer within')) return result;
  const stuck = (hooks.pending?.() ?? [])
    .filter((id) => !pendingBefore.has(id))
    .map((id) => hooks.methodOf?.(id))
    .find(Boolean);
  if (!stuck) return result;
  return {
    ...result,
    message: `${stuck}() never settled: it returned a promise that neither resolved nor rejected within ${within}. Every path through ${stuck}() must resolve (return) or reject (throw).`,
  };
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.name === 'StoreLoadError' ? error.message : `${error.name}: ${error.message}`;
  return String(error);
}
