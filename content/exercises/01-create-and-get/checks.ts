/** Exercise 1: create and get. */
import { conformance } from '../../../src/checks/conformance-checks.ts';
import { sessionKeepsData } from '../../../src/exercises/checks/session-checks.ts';
import type { ExerciseCheck } from '../../../src/checks/exercise-check.ts';

export const checks: readonly ExerciseCheck[] = [
  ...conformance('create-get', 'get-missing', 'many-sessions', 'large-unicode', 'concurrent-creates'),
  sessionKeepsData,
];
