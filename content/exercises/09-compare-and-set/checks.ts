/** Exercise 9: compare-and-set, so concurrent changes to one session merge. */
import { compareAndSetCopies, compareAndSetExpired } from '../../../src/exercises/checks/compare-and-set-checks.ts';
import { sessionTwoTabs } from '../../../src/exercises/checks/session-checks.ts';
import { conformance } from '../../../src/checks/conformance-checks.ts';
import type { ExerciseCheck } from '../../../src/checks/exercise-check.ts';

export const checks: readonly ExerciseCheck[] = [
  ...conformance('create-get', 'update', 'update-missing', 'get-expired', 'compare-and-set'),
  compareAndSetCopies,
  compareAndSetExpired,
  ...conformance('compare-and-set-concurrent'),
  sessionTwoTabs,
];
