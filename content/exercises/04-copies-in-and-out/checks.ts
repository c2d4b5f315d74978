/** Exercise 4: copies in and out. */
import { callerCannotRevive, copiesInUpdate } from '../../../src/exercises/checks/copy-checks.ts';
import { conformance } from '../../../src/checks/conformance-checks.ts';
import type { ExerciseCheck } from '../../../src/checks/exercise-check.ts';

export const checks: readonly ExerciseCheck[] = [
  ...conformance('create-get', 'update', 'copies-out', 'copies-in'),
  copiesInUpdate,
  callerCannotRevive,
];
