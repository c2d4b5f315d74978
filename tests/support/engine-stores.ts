/**
 * One list of stores for every place the checks run: the wrong stores of tests/fixtures/wrong-stores.ts
 * and the correct ones beside them. tests/unit/engine-verdicts.test.ts runs it through
 * `runConformance` in Node; tests/browser/engine-verdicts.test.ts through the site's check engine
 * (the checks worker the playground's Run checks and the exercises use); both hold the verdicts to
 * one file, tests/fixtures/engine-verdicts.json, so a store can not pass a check in one place and
 * fail it in another.
 */
import { MemoryStore } from 'sessionlab';
import type { AnyStore, CheckResult } from 'sessionlab/conformance';
import { FluidAuthDocsStore } from '../fixtures/fluidauth-docs-store.js';
import { LazyMapStore, WRONG_STORES } from '../fixtures/wrong-stores.ts';

export interface EngineStore {
  name: string;
  create: () => AnyStore;
}

export const ENGINE_STORES: readonly EngineStore[] = [
  { name: 'MemoryStore, the library’s own', create: () => new MemoryStore() },
  { name: 'a correct Map store with a lazily expiring get()', create: () => new LazyMapStore() },
  { name: 'FluidAuth’s docs store', create: () => new FluidAuthDocsStore() },
  ...WRONG_STORES.map(({ name, create }) => ({ name, create })),
];

/**
 * What a check said of a store, and nothing that changes from run to run: "not offered" when it needs an
 * optional method the store does not have, "not run" when it was skipped for another reason.
 */
export type Verdict = 'pass' | 'fail' | 'not offered' | 'not run';

/** Check id → verdict, in the order the checks ran. */
export function verdictsOf(results: readonly CheckResult[]): Record<string, Verdict> {
  return Object.fromEntries(results.map((result) => [result.id, verdictOf(result)]));
}

function verdictOf(result: CheckResult): Verdict {
  if (result.passed) return 'pass';
  if (result.skipped === undefined) return 'fail';
  return result.skipped === 'not-offered' ? 'not offered' : 'not run';
}

/** The verdicts of every store as the file holds them: stable key order, one line per check. */
export function verdictFile(verdicts: Readonly<Record<string, Record<string, Verdict>>>): string {
  return `${JSON.stringify(verdicts, null, 2)}\n`;
}

/** Where both tests keep the verdicts, relative to either of them. */
export const VERDICT_FILE = '../fixtures/engine-verdicts.json';
