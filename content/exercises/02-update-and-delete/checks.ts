/** Exercise 2: update and delete. */
import { deleteTwice } from '../../../src/exercises/checks/contract-checks.ts';
import { sessionLogoutRace } from '../../../src/exercises/checks/session-checks.ts';
import { conformance } from '../../../src/exercises/conformance-checks.ts';
import type { ExerciseCheck } from '../../../src/exercises/exercise-check.ts';

export const checks: readonly ExerciseCheck[] = [
  ...conformance('create-get', 'update', 'update-missing', 'delete', 'delete-missing'),
  deleteTwice,
  sessionLogoutRace,
];
