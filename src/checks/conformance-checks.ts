/**
 * Conformance checks as exercise checks: the same id, title, level, hint and test, run on a fresh
 * instance of the reader's store with the check's own clock. Exercises reuse them by id wherever
 * the store contract already says it.
 */
import { conformanceChecks as CHECKS } from '../session/conformance/index.ts';
import type { ExerciseCheck } from './exercise-check.ts';

/** The conformance checks with these ids, in the order given. Throws for an unknown id (a typo in an exercise). */
export function conformance(...ids: string[]): ExerciseCheck[] {
  return ids.map((id) => {
    const check = CHECKS.find((candidate) => candidate.id === id);
    if (!check) throw new Error(`conformance(): no conformance check has the id "${id}". Known ids: ${CHECKS.map((known) => known.id).join(', ')}.`);
    return {
      id: check.id,
      title: check.title,
      level: check.level,
      hint: check.hint,
      run: async (context) => check.run(await context.createStore(), { clock: context.clock }),
    };
  });
}
