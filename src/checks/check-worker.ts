/**
 * The checks worker: runs checks on the reader's store, one at a time, in a worker of its own, so
 * reader code never runs on the page and the Lab's server keeps serving meanwhile. A run names its
 * checks: the conformance suite (the playground's "Run checks") or one exercise's
 * (content/exercises/<slug>/checks.ts). Both go through src/checks/run-checks.ts, so every check
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
import { conformanceSuite } from './conformance-checks.ts';
import type { CheckResult, ExerciseCheck } from './exercise-check.ts';
import type { CheckSuite, FromChecks, Reloaded, StartChecks } from './check-protocol.ts';
import { runChecks } from './run-checks.ts';
import { lockDownRealm } from '../sim/lockdown.ts';
import { provideReaderModules } from '../sim/reader-modules.ts';

/** How often the worker tells the page it is not stuck. */
const HEARTBEAT_MS = 200;
/** The reader runtime reports through this hook object when a worker installs one (reader-runtime.js). */
const HOOKS_KEY = 'sessionlab.playground-hooks';
/** Checks in a row that may time out before the others are given up. */
const TIMEOUTS_BEFORE_GIVING_UP = 2;

/** Each exercise's checks, loaded when asked for (one chunk per exercise). */
const EXERCISE_CHECKS = import.meta.glob<{ checks: readonly ExerciseCheck[] }>('/content/exercises/*/checks.ts');

/** How each suite words its messages, as its page does ("Run checks" there, "Check" on an exercise). */
const WORDING = {
  conformance: { store: 'the store', again: 'run the checks again' },
  exercise: { store: 'your store', again: 'check again' },
};

interface Hooks {
  report(message: unknown): void;
  pending?: () => number[];
  methodOf?: (id: number) => string | null;
  newCheck?: () => void;
}

type StoreClass = new () => object;

const scope = globalThis as unknown as {
  addEventListener(type: 'message', listener: (event: MessageEvent<unknown>) => void): void;
};

/** Sends to the page over the run's port. Bound before any reader code loads, so reader code cannot patch it. */
let post: (message: FromChecks) => void = () => {};

provideReaderModules();
const hooks: Hooks = { report: (report) => post({ run: runId, type: 'report', report: report as never }) };
Object.defineProperty(globalThis, Symbol.for(HOOKS_KEY), { value: hooks });

let runId = '';
let reloads = 0;
const waitingReloads = new Map<number, (entryUrl: string | null) => void>();

// The page's first message starts the run; this worker runs once, and hears nothing else on its global channel.
let begun = false;
scope.addEventListener('message', (event) => {
  const message = event.data as Partial<StartChecks> | null;
  if (begun || !message || message.type !== 'run' || !(message.port instanceof MessagePort) || typeof message.run !== 'string') return;
  begun = true;
  const port = message.port;
  runId = message.run;
  const postOnPort = port.postMessage.bind(port) as (message: FromChecks) => void;
  post = postOnPort;
  port.addEventListener('message', (answer: MessageEvent<Reloaded>) => {
    const reply = answer.data;
    if (reply?.type === 'reloaded' && reply.run === runId) waitingReloads.get(reply.id)?.(reply.entryUrl);
  });
  port.start();
  setInterval(() => postOnPort({ run: runId, type: 'alive' }), HEARTBEAT_MS);
  void run(message.suite!, message.entryUrl!, message.timeoutMs!);
});

async function run(suite: CheckSuite, entryUrl: string, timeoutMs: number): Promise<void> {
  const checks = await checksOf(suite);
  if (typeof checks === 'string') {
    post({ run: runId, type: 'failed', message: checks });
    return;
  }
  lockDown();
  let Store: StoreClass;
  try {
    Store = await storeClass(entryUrl);
  } catch (error) {
    post({ run: runId, type: 'failed', message: messageOf(error) });
    return;
  }
  post({ run: runId, type: 'loaded', store: String(Store.name) });

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
      if (failed === null) post({ run: runId, type: 'start', id });
    },
    onResult: (result) => {
      timeouts = result.timedOut ? timeouts + 1 : 0;
      if (failed === null) post({ run: runId, type: 'result', result: withStuckMethod(result, timeoutMs, pendingBefore) });
    },
    skipReason: () =>
      failed ??
      (timeouts >= TIMEOUTS_BEFORE_GIVING_UP
        ? `Not run: ${TIMEOUTS_BEFORE_GIVING_UP} checks in a row got no answer from ${wording.store}, and this one would only wait as long again. Fix the store and ${wording.again}.`
        : null),
  });
  post(failed === null ? { run: runId, type: 'done' } : { run: runId, type: 'failed', message: failed });
}

/**
 * Freezes what reader code shares with the checks (prototypes, JSON, Promise, MessagePort…) before it
 * loads, so it cannot patch its way to a pass. Left open, for the checks' own set-up around each check:
 * the `Date` and `indexedDB` bindings and `Date.prototype` (a check's clock and databases; a store that
 * swaps them only deceives itself about time and storage), the IndexedDB read methods (counted while
 * a check runs) and the reader runtime's hooks (console output and the method in progress: text for
 * the reader, never a verdict).
 */
function lockDown(): void {
  // The checks' clock repoints `Date.prototype.constructor` at each Date it installs: kept an ordinary,
  // configurable property (lockdown would fix it for good), on a prototype left unfrozen below.
  Object.defineProperty(Date.prototype, 'constructor', {
    get: () => globalThis.Date,
    enumerable: false,
    configurable: true,
  });
  lockDownRealm({
    writableGlobals: ['Date', 'indexedDB'],
    // Date.prototype: the checks' clock (sessionlab/conformance's patchDate) points its `constructor`
    // at the Date it installs. To freeze it too, that patch must leave a frozen prototype alone.
    unfrozen: [hooks, IDBObjectStore.prototype, IDBIndex.prototype, Date.prototype],
  });
}

/** The checks a suite runs, or why there are none. */
async function checksOf(suite: CheckSuite): Promise<readonly ExerciseCheck[] | string> {
  if (suite.kind === 'conformance') return conformanceSuite();
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
    post({ run: runId, type: 'reload', id });
  });
}

/** A timed-out check says which store method never settled, when the runtime knows. */
function withStuckMethod(result: CheckResult, timeoutMs: number, pendingBefore: ReadonlySet<number>): CheckResult {
  if (!result.timedOut) return result;
  const stuck = (hooks.pending?.() ?? [])
    .filter((id) => !pendingBefore.has(id))
    .map((id) => hooks.methodOf?.(id))
    .find(Boolean);
  if (!stuck) return result;
  return {
    ...result,
    message: `${stuck}() never settled: it returned a promise that neither resolved nor rejected within ${seconds(timeoutMs)}. Every path through ${stuck}() must resolve (return) or reject (throw).`,
  };
}

/** A deadline as the pages word it, in the library's words for its own: `3 s`, `50 ms`. */
function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${ms / 1000} s`;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.name === 'StoreLoadError' ? error.message : `${error.name}: ${error.message}`;
  return String(error);
}
