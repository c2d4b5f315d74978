/**
 * One list of stores (tests/support/engine-stores.ts: the wrong stores and correct ones) through every
 * place the checks run in a browser, with the same verdict, check for check, in each:
 * - the checks worker, as the playground's Run checks starts it (src/checks/check-runner.ts), the
 *   store loaded as the worker loads a reader's module;
 * - the exercises' runner (src/checks/run-checks.ts) on the suite's checks as exercises reuse them
 *   (`conformance(...)`);
 * - `runConformance`, as a store author calls it.
 * And the same verdicts as Node's `runConformance` (tests/unit/engine-verdicts.test.ts): both hold them
 * to tests/fixtures/engine-verdicts.json.
 */
import { describe, expect, it } from 'vitest';
import { conformanceChecks, runConformance, type CheckResult } from 'sessionlab/conformance';
import { runChecks as runInWorker } from '../../src/checks/check-runner.ts';
import { conformance, conformanceSuite } from '../../src/checks/conformance-checks.ts';
import { runChecks as runExerciseChecks } from '../../src/checks/run-checks.ts';
import { ENGINE_STORES, VERDICT_FILE, verdictFile, verdictsOf, type Verdict } from '../support/engine-stores.ts';

type Table = Record<string, Record<string, Verdict>>;


/**
 * An entry module for the checks worker whose default export makes the list's store number `index`
 * (`new Store()` returns what the constructor function returns), from the same module the page uses.
 */
function entryFor(index: number): string {
  const list = new URL('/tests/support/engine-stores.ts', location.origin).href;
  const code = `import { ENGINE_STORES } from ${JSON.stringify(list)};\nexport default function ListedStore() { return ENGINE_STORES[${index}].create(); }\n`;
  return URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
}

async function inWorker(index: number): Promise<CheckResult[]> {
  const entryUrl = entryFor(index);
  try {
    const outcome = await runInWorker({ suite: { kind: 'conformance' }, checks: conformanceChecks, entryUrl });
    if (outcome.kind !== 'done') throw new Error(`The checks worker did not finish on ${ENGINE_STORES[index]!.name}: ${JSON.stringify(outcome)}`);
    return outcome.results;
  } finally {
    URL.revokeObjectURL(entryUrl);
  }
}

describe('one list of stores, through every place the checks run', () => {
  it('gets the same verdict on every check from the checks worker, the exercises’ runner and runConformance, as in Node', async () => {
    const worker: Table = {};
    const exercises: Table = {};
    const library: Table = {};
    const levels = new Set<string>();
    const suite = conformanceSuite();
    for (const [index, store] of ENGINE_STORES.entries()) {
      const fromWorker = await inWorker(index);
      for (const result of fromWorker) levels.add(`${result.id}:${result.level}`);
      worker[store.name] = verdictsOf(fromWorker);
      exercises[store.name] = verdictsOf(await runExerciseChecks({ checks: suite, createStore: store.create }));
      library[store.name] = verdictsOf(await runConformance({ createStore: store.create }));
    }
    expect(exercises).toEqual(library);
    expect(worker).toEqual(library);
    // Levels arrive as the library gives them.
    expect([...levels].sort()).toEqual(conformanceChecks.map((check) => `${check.id}:${check.level}`).sort());
    await expect(verdictFile(worker)).toMatchFileSnapshot(VERDICT_FILE);
  }, 240_000);

  it('fails, in an exercise that asks for an optional method, a store that does not offer it: it is optional in the contract, not there', async () => {
    const bare = ENGINE_STORES.find((store) => store.name === 'a correct Map store with a lazily expiring get()')!;
    const ids = ['compare-and-set', 'list-by-user', 'all-records'];
    const inExercise = await runExerciseChecks({ checks: conformance(...ids), createStore: bare.create });
    expect(inExercise.map(({ id, passed, skipped }) => ({ id, passed, skipped }))).toEqual(ids.map((id) => ({ id, passed: false, skipped: undefined })));
    expect(inExercise[0]?.message).toBe('The store has no compareAndSet(): concurrent changes to one session overwrite each other (last write wins). This exercise asks for compareAndSet().');
    const inSuite = await runExerciseChecks({ checks: conformanceSuite().filter((check) => ids.includes(check.id)), createStore: bare.create });
    expect(inSuite.map(({ id, skipped, notOffered }) => ({ id, skipped, notOffered }))).toEqual([
      { id: 'compare-and-set', skipped: 'not-offered', notOffered: 'compareAndSet' },
      { id: 'list-by-user', skipped: 'not-offered', notOffered: 'listByUser' },
      { id: 'all-records', skipped: 'not-offered', notOffered: 'all' },
    ]);
  });
});
