/** Capstone 1: a durable IndexedDB store with efficient cleaning and compare-and-set. */
import { compareAndSetCopies, compareAndSetExpired, compareAndSetOverlapping } from '../../../src/exercises/checks/compare-and-set-checks.ts';
import { instancesAgree, restartKeepsChanges, restartKeepsSessions, storesInIndexedDB } from '../../../src/exercises/checks/durability-checks.ts';
import { cleanBoundary, cleanRemovesUnreadable, getExpiryBoundary, getUnreadableExpiry } from '../../../src/exercises/checks/expiry-checks.ts';
import { cleanThroughIndex } from '../../../src/exercises/checks/indexeddb-checks.ts';
import { recordsComeBackWhole, setExtraFieldsAside } from '../../../src/exercises/checks/record-shape-checks.ts';
import { sessionSurvivesRestart, sessionTwoTabs } from '../../../src/exercises/checks/session-checks.ts';
import { conformance } from '../../../src/checks/conformance-checks.ts';
import type { ExerciseCheck } from '../../../src/checks/exercise-check.ts';

export const checks: readonly ExerciseCheck[] = [
  recordsComeBackWhole,
  ...setExtraFieldsAside([
    ...conformance('create-get', 'get-missing', 'update', 'update-missing', 'delete', 'delete-missing', 'create-duplicate'),
    ...conformance('get-expired'),
    getExpiryBoundary,
    getUnreadableExpiry,
    ...conformance('clean-removes-expired', 'clean-keeps-live', 'clean-compares-instants', 'update-moves-expiry'),
    cleanBoundary('indexeddb'),
    cleanRemovesUnreadable('indexeddb'),
    ...conformance('clean-count'),
    cleanThroughIndex,
    storesInIndexedDB,
    restartKeepsSessions,
    restartKeepsChanges,
    instancesAgree,
    sessionSurvivesRestart,
    ...conformance('compare-and-set'),
    compareAndSetCopies,
    compareAndSetExpired,
    // Not the suite's twenty writers: an IndexedDB store must finish within the page's deadline per check.
    compareAndSetOverlapping,
    sessionTwoTabs,
  ]),
];
