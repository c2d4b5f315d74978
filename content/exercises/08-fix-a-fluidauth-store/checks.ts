/** Exercise 8: fix a store written from FluidAuth's docs. */
import { callerCannotRevive, copiesInUpdate } from '../../../src/exercises/checks/copy-checks.ts';
import { cleanBoundary, cleanRemovesUnreadable, getExpiryBoundary, getUnreadableExpiry } from '../../../src/exercises/checks/expiry-checks.ts';
import { sessionKeepsData } from '../../../src/exercises/checks/session-checks.ts';
import { conformance } from '../../../src/checks/conformance-checks.ts';
import type { ExerciseCheck } from '../../../src/checks/exercise-check.ts';

export const checks: readonly ExerciseCheck[] = [
  ...conformance('create-get', 'get-missing', 'update', 'update-missing', 'delete', 'delete-missing', 'create-duplicate'),
  ...conformance('get-expired'),
  getExpiryBoundary,
  getUnreadableExpiry,
  ...conformance('copies-out', 'copies-in'),
  copiesInUpdate,
  callerCannotRevive,
  ...conformance('clean-removes-expired', 'clean-keeps-live'),
  cleanBoundary('map'),
  // Looks into the store itself: this get() hides an unreadable expiry, so it cannot tell whether clean() removed it.
  cleanRemovesUnreadable('map'),
  ...conformance('clean-count'),
  sessionKeepsData,
];
