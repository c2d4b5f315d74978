/**
 * The exercise checks worker: runs one exercise's checks (content/exercises/<slug>/checks.ts) on the
 * reader's store, in a worker of its own, so reader code never runs on the page. It is the
 * playground's checks worker (src/playground/check-worker.ts) for exercises: the same reader
 * runtime and modules, the same heartbeat, but the exercise's checks, run by src/exercises/run-checks.ts
 * (time travel, restarts, fresh IndexedDB data per check) instead of the conformance suite alone.
 *
 * A restart asks the page for the reader's module once more (`reload`): a new module instance, so
 * whatever the store kept in module-level variables is gone, as in a restarted server.
 */
import { provideReaderModules } from '../sim/reader-modules.ts';
import type { CheckResult, ExerciseCheck } from './exercise-check.ts';
import { runChecks } from './run-checks.ts';

/** How often the worker tells the page it is not stuck. */
export const HEARTBEAT_MS = 200;
/** The reader runtime reports through this hook object when a worker installs one (reader-runtime.js). */
const HOOKS_KEY = 'sessionlab.playground-hooks';
/** Checks in a row that may time out before the others are given up. */
const TIMEOUTS_BEFORE_GIVING_UP = 2;

/** Each exercise's checks, loaded when asked for (one chunk per exercise). */
const CHECK_MODULES = import.meta.glob<{ checks: readonly ExerciseCheck[] }>('/content/exercises/*/checks.ts');

export interface CheckInfo {
  id: string;
  title: string;
  hint: string;
}

export type ToExerciseChecks =
  | { type: 'run'; slug: string; entryUrl: string; timeoutMs: number }
  /** The answer to `reload`: the reader's module, loaded anew. */
  | { type: 'reloaded'; id: number; entryUrl: string | null };

export type FromExerciseChecks =
  | { type: 'alive' }
  /** The checks and the store loaded: the checks begin. */
  | { type: 'loaded'; store: string; checks: CheckInfo[] }
  /** The checks or the store could not be loaded: no check can run. */
  | { type: 'failed'; message: string }
  | { type: 'start'; id: string }
  | { type: 'result'; result: CheckResult }
  /** Something the reader runtime reports (console output). */
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
  postMessage(message: FromExerciseChecks): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<ToExerciseChecks>) => void): void;
};

function post(message: FromExerciseChecks): void {
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
  if (message.type === 'run') void run(message.slug, message.entryUrl, message.timeoutMs);
  else waitingReloads.get(message.id)?.(message.entryUrl);
});

async function run(slug: string, entryUrl: string, timeoutMs: number): Promise<void> {
  const load = CHECK_MODULES[`/content/exercises/${slug}/checks.ts`];
  if (!load) {
    post({ type: 'failed', message: `There is no exercise "${slug}".` });
    return;
  }
  let checks: readonly ExerciseCheck[];
  let Store: StoreClass;
  try {
    checks = (await load()).checks;
  } catch (error) {
    post({ type: 'failed', message: `The checks of this exercise did not load (${messageOf(error)}). Reload the page and try again.` });
    return;
  }
  try {
    Store = await storeClass(entryUrl);
  } catch (error) {
    post({ type: 'failed', message: messageOf(error) });
    return;
  }
  post({ type: 'loaded', store: Store.name, checks: checks.map(({ id, title, hint }) => ({ id, title, hint })) });

  let timeouts = 0;
  /** Store calls already unfinished when the current check began: not this check's doing. */
  let pendingBefore = new Set<number>();
  await runChecks({
    checks,
    createStore: () => new Store() as never,
    restartStore: async () => new (await storeClass(await reload()))() as never,
    timeoutMs,
    onStart: (id) => {
      hooks.newCheck?.();
      pendingBefore = new Set(hooks.pending?.() ?? []);
      post({ type: 'start', id });
    },
    onResult: (result) => {
      timeouts = result.message?.startsWith('No answer within') ? timeouts + 1 : 0;
      post({ type: 'result', result: withStuckMethod(result, timeoutMs, pendingBefore) });
    },
    skipReason: () =>
      timeouts >= TIMEOUTS_BEFORE_GIVING_UP
        ? `Not run: ${TIMEOUTS_BEFORE_GIVING_UP} checks in a row got no answer from your store, and this one would only wait as long again. Fix the store and check again.`
        : null,
  });
  post({ type: 'done' });
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
function withStuckMethod(result: CheckResult, timeoutMs: number, pendingBefore: ReadonlySet<number>): CheckResult {
  if (result.passed || !result.message?.startsWith('No answer within')) return result;
  const stuck = (hooks.pending?.() ?? [])
    .filter((id) => !pendingBefore.has(id))
    .map((id) => hooks.methodOf?.(id))
    .find(Boolean);
  if (!stuck) return result;
  return {
    ...result,
    message: `${stuck}() never settled: it returned a promise that neither resolved nor rejected within ${timeoutMs / 1000} s. Every path through ${stuck}() must resolve (return) or reject (throw).`,
  };
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.name === 'StoreLoadError' ? error.message : `${error.name}: ${error.message}`;
  return String(error);
}
