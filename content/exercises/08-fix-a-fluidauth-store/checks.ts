/** Exercise 8: fix a store written from FluidAuth's docs. */
import { callerCannotRevive } from '../../../src/exercises/checks/copy-checks.ts';
import { cleanBoundary } from '../../../src/exercises/checks/expiry-checks.ts';
import { sessionKeepsData } from '../../../src/exercises/checks/session-checks.ts';
import { conformance } from '../../../src/checks/conformance-checks.ts';
import type { ExerciseCheck } from '../../../src/checks/exercise-check.ts';

export const checks: readonly ExerciseCheck[] = [
  ...conformance('create-get', 'get-missing', 'update', 'update-missing', 'delete', 'delete-missing', 'create-duplicate'),
  ...conformance('get-expired', 'copies-out', 'copies-in'),
  callerCannotRevive,
  ...conformance('clean-removes-expired', 'clean-keeps-live'),
  cleanBoundary,
  ...conformance('clean-unreadable-expiry', 'clean-count'),
  sessionKeepsData,
];
