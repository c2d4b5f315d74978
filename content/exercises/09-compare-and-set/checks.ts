/** Exercise 9: compare-and-set, so concurrent changes to one session merge. */
import { sessionTwoTabs } from '../../../src/exercises/checks/session-checks.ts';
import { conformance } from '../../../src/exercises/conformance-checks.ts';
import type { ExerciseCheck } from '../../../src/exercises/exercise-check.ts';

export const checks: readonly ExerciseCheck[] = [
  ...conformance('create-get', 'update', 'update-missing', 'get-expired', 'compare-and-set', 'compare-and-set-concurrent'),
  sessionTwoTabs,
];
