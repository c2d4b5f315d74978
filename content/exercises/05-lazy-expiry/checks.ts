/** Exercise 5: lazy expiry in get(). */
import { getExpiresOnTime, getExpiryBoundary, getRemovesExpired, getUnreadableExpiry } from '../../../src/exercises/checks/expiry-checks.ts';
import { conformance } from '../../../src/checks/conformance-checks.ts';
import type { ExerciseCheck } from '../../../src/checks/exercise-check.ts';

export const checks: readonly ExerciseCheck[] = [
  ...conformance('create-get', 'get-missing', 'get-expired', 'copies-out'),
  getExpiresOnTime,
  getExpiryBoundary,
  getUnreadableExpiry,
  getRemovesExpired,
];
