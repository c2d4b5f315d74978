/** Exercise 3: clean() with correct boundaries. */
import { cleanAnyDateFormat, cleanBoundary, cleanRemovesUnreadable } from '../../../src/exercises/checks/expiry-checks.ts';
import { conformance } from '../../../src/checks/conformance-checks.ts';
import type { ExerciseCheck } from '../../../src/checks/exercise-check.ts';

export const checks: readonly ExerciseCheck[] = [
  ...conformance('clean-removes-expired', 'clean-keeps-live'),
  cleanBoundary('map'),
  cleanRemovesUnreadable('map'),
  cleanAnyDateFormat,
  ...conformance('clean-count'),
];
