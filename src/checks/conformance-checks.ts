/**
 * Conformance checks as exercise checks: the same id, title, level, hint and test, run on a fresh
 * instance of the reader's store with the check's own clock. Exercises reuse them by id wherever
 * the store contract already says it; the playground's Run checks runs all of them.
 *
 * An optional method is optional in the store contract, not in an exercise that asks for it: a store
 * without it gets "not offered" from the suite (`conformanceSuite`), and fails an exercise's check
 * (`conformance`).
 */
import { CheckFailure, NotOffered, conformanceChecks as CHECKS, type ConformanceCheck } from '../session/conformance/index.ts';
import type { ExerciseCheck } from './exercise-check.ts';

/** The conformance checks with these ids, in the order given, as an exercise asks for them. Throws for an unknown id (a typo in an exercise). */
export function conformance(...ids: string[]): ExerciseCheck[] {
  return ids.map((id) => {
    const check = CHECKS.find((candidate) => candidate.id === id);
    if (!check) throw new Error(`conformance(): no conformance check has the id "${id}". Known ids: ${CHECKS.map((known) => known.id).join(', ')}.`);
    return asExerciseCheck(check, { asked: true });
  });
}

/** Every conformance check, in the suite's order, as the suite runs it: a missing optional method is "not offered". */
export function conformanceSuite(): ExerciseCheck[] {
  return CHECKS.map((check) => asExerciseCheck(check, { asked: false }));
}

/** `asked`: the exercise asks for the optional methods the check needs, so a store without one fails it. */
function asExerciseCheck(check: ConformanceCheck, { asked }: { asked: boolean }): ExerciseCheck {
  return {
    id: check.id,
    title: check.title,
    level: check.level,
    hint: check.hint,
    run: async (context) => {
      try {
        await check.run(await context.createStore(), { clock: context.clock });
      } catch (error) {
        if (asked && error instanceof NotOffered) throw new CheckFailure(`${error.message} This exercise asks for ${error.method}().`);
        throw error;
      }
    },
  };
}
