/**
 * The Vitest wrapper around exercise checks (src/checks/run-checks.ts), shared by the unit
 * (Node) and browser (Chromium) projects: for each exercise, its starter fails exactly the checks
 * it should, its reference solution passes every check, and each wrong solution fails exactly the
 * checks listed in the exercise's expectations.ts, with messages that match their patterns.
 *
 * The test files find the exercises with `import.meta.glob` (it must be written out in the file
 * that uses it) and hand the modules over.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { AnyStore, CheckResult, ExerciseCheck } from '../../src/checks/exercise-check.ts';
import type { ExerciseExpectations } from '../../src/exercises/exercise-expectations.ts';
import { runChecks } from '../../src/checks/run-checks.ts';

/** A store module, loaded again for each call: a restart forgets module-level state, as a restarted worker does. */
export type StoreModuleLoader = (fresh: boolean) => Promise<Record<string, unknown>>;

export interface ExerciseUnderTest {
  /** The folder name, e.g. `01-create-and-get`. */
  slug: string;
  checks: readonly ExerciseCheck[];
  expectations: ExerciseExpectations;
  starter: StoreModuleLoader;
  solution: StoreModuleLoader;
  /** By file name without `.ts`. */
  wrong: Record<string, StoreModuleLoader>;
}

type Loaders = Record<string, () => Promise<unknown>>;

/**
 * Groups the globbed modules by exercise folder. `stores` maps each store file's path to its loader;
 * `reload(path)` must import that file as a new module instance.
 */
export function collectExercises(
  checks: Record<string, { checks: readonly ExerciseCheck[] }>,
  expectations: Record<string, { expectations: ExerciseExpectations }>,
  stores: Loaders,
  reload: (path: string) => Promise<unknown>,
): ExerciseUnderTest[] {
  const slugOf = (path: string): string => /\/content\/exercises\/([^/]+)\//.exec(path)?.[1] ?? path;
  const loader = (path: string): StoreModuleLoader => {
    const load = stores[path];
    if (!load) throw new Error(`No store module at ${path}.`);
    return async (fresh) => (await (fresh ? reload(path) : load())) as Record<string, unknown>;
  };
  return Object.entries(checks)
    .map(([path, module]) => {
      const slug = slugOf(path);
      const folder = path.slice(0, path.lastIndexOf('/') + 1);
      const expected = expectations[`${folder}expectations.ts`]?.expectations;
      if (!expected) throw new Error(`Exercise ${slug} has no expectations.ts.`);
      const wrong = Object.fromEntries(
        Object.keys(stores)
          .filter((store) => store.startsWith(`${folder}wrong/`))
          .map((store) => [store.slice(`${folder}wrong/`.length).replace(/\.ts$/, ''), loader(store)]),
      );
      return { slug, checks: module.checks, expectations: expected, starter: loader(`${folder}starter.ts`), solution: loader(`${folder}solution.ts`), wrong };
    })
    .sort((a, b) => a.slug.localeCompare(b.slug));
}

/** The one exported class with the five store methods; a store file exports exactly one. */
export function storeClassOf(module: Record<string, unknown>, what: string): new () => AnyStore {
  const classes = Object.values(module).filter(
    (value): value is new () => AnyStore =>
      typeof value === 'function' && ['create', 'get', 'update', 'delete', 'clean'].every((method) => typeof value.prototype?.[method] === 'function'),
  );
  if (classes.length !== 1) throw new Error(`${what} must export exactly one store class; it exports ${classes.length}.`);
  return classes[0]!;
}

/** Runs an exercise's checks on the store a module exports; a restart loads the module again. */
export async function checkStoreModule(exercise: ExerciseUnderTest, load: StoreModuleLoader, what: string, timeoutMs = 5000): Promise<CheckResult[]> {
  const Store = storeClassOf(await load(false), what);
  return runChecks({
    checks: exercise.checks,
    createStore: () => new Store(),
    restartStore: async () => new (storeClassOf(await load(true), what))(),
    timeoutMs,
  });
}

/** The verdict on one store as a map of failed check id → message, for readable assertions. */
export function failures(results: readonly CheckResult[]): Record<string, string> {
  return Object.fromEntries(results.filter((result) => !result.passed).map((result) => [result.id, result.message ?? '']));
}

/** One describe block per exercise, with a test for the starter, the solution and each wrong solution. */
export function describeExercise(exercise: ExerciseUnderTest): void {
  const ids = exercise.checks.map((check) => check.id);
  const { expectations } = exercise;

  describe(`exercise ${exercise.slug}`, () => {
    it('lists only checks that exist, and expectations name only those checks', () => {
      expect(new Set(ids).size, 'check ids are unique').toBe(ids.length);
      for (const id of expectations.starterFails) expect(ids).toContain(id);
      for (const caught of Object.values(expectations.wrong)) for (const id of Object.keys(caught)) expect(ids).toContain(id);
    });

    it('has at least three wrong solutions, each with an expectation', () => {
      expect(Object.keys(exercise.wrong).length).toBeGreaterThanOrEqual(3);
      expect(Object.keys(exercise.wrong).sort()).toEqual(Object.keys(expectations.wrong).sort());
    });

    it(`the starter fails exactly: ${expectations.starterFails.join(', ')}`, async () => {
      const results = await checkStoreModule(exercise, exercise.starter, `${exercise.slug}/starter.ts`);
      expect(results.map((result) => result.id)).toEqual(ids);
      expect(Object.keys(failures(results)).sort()).toEqual([...expectations.starterFails].sort());
    });

    it('the reference solution passes every check', async () => {
      const results = await checkStoreModule(exercise, exercise.solution, `${exercise.slug}/solution.ts`);
      expect(failures(results)).toEqual({});
      expect(results).toHaveLength(ids.length);
    });

    for (const [name, caught] of Object.entries(expectations.wrong)) {
      it(`wrong/${name} is caught by ${Object.keys(caught).join(', ')}, with a message that says why`, async () => {
        const load = exercise.wrong[name];
        expect(load, `wrong/${name}.ts exists`).toBeDefined();
        const failed = failures(await checkStoreModule(exercise, load!, `${exercise.slug}/wrong/${name}.ts`));
        expect(Object.keys(failed).sort()).toEqual(Object.keys(caught).sort());
        for (const [id, pattern] of Object.entries(caught)) expect(failed[id], id).toMatch(pattern);
      });
    }
  });
}

/** Runs `beforeAll` to check the model stores once and returns their failures by exercise. */
export function describeModelStore(name: string, exercises: readonly ExerciseUnderTest[], createStore: () => AnyStore): void {
  describe(`${name}, the library's own store,`, () => {
    const verdicts = new Map<string, Record<string, string>>();
    beforeAll(async () => {
      for (const exercise of exercises) verdicts.set(exercise.slug, failures(await runChecks({ checks: exercise.checks, createStore, timeoutMs: 5000 })));
    }, 60_000);
    for (const exercise of exercises) {
      it(`passes every check of exercise ${exercise.slug}`, () => {
        expect(verdicts.get(exercise.slug)).toEqual({});
      });
    }
  });
}
