/** Exercise 7: sessions that survive a server restart (and are shared by every instance). */
import { instancesAgree, restartKeepsChanges, restartKeepsSessions, storesInIndexedDB } from '../../../src/exercises/checks/durability-checks.ts';
import { cleanRemovesUnreadable } from '../../../src/exercises/checks/expiry-checks.ts';
import { sessionSurvivesRestart } from '../../../src/exercises/checks/session-checks.ts';
import { conformance } from '../../../src/checks/conformance-checks.ts';
import type { ExerciseCheck } from '../../../src/checks/exercise-check.ts';

export const checks: readonly ExerciseCheck[] = [
  ...conformance('create-get', 'update-missing', 'delete', 'get-expired', 'clean-removes-expired'),
  cleanRemovesUnreadable('indexeddb'),
  storesInIndexedDB,
  restartKeepsSessions,
  restartKeepsChanges,
  instancesAgree,
  sessionSurvivesRestart,
];
