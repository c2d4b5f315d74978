/** Exercise 2: update and delete. */
import { deleteTwice } from '../../../src/exercises/checks/contract-checks.ts';
import { sessionLogoutRace } from '../../../src/exercises/checks/session-checks.ts';
import { conformance } from '../../../src/checks/conformance-checks.ts';
import type { ExerciseCheck } from '../../../src/checks/exercise-check.ts';

export const checks: readonly ExerciseCheck[] = [
  ...conformance('create-get', 'update', 'update-missing', 'delete', 'delete-missing'),
  deleteTwice,
  sessionLogoutRace,
];
