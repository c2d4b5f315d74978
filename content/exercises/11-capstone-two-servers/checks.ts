/** Capstone 2: a store that two servers share, and that survives a restart. */
import { compareAndSetExpired, compareAndSetOverlapping } from '../../../src/exercises/checks/compare-and-set-checks.ts';
import { instancesAgree, restartKeepsChanges, restartKeepsSessions, storesInIndexedDB } from '../../../src/exercises/checks/durability-checks.ts';
import { cleanRemovesUnreadable, getUnreadableExpiry } from '../../../src/exercises/checks/expiry-checks.ts';
import { recordsComeBackWhole, setExtraFieldsAside } from '../../../src/exercises/checks/record-shape-checks.ts';
import { cleanOnTwoServers, twoServersOneSession, twoServersTwoTabs } from '../../../src/exercises/checks/server-checks.ts';
import { sessionLogoutRace, sessionSurvivesRestart } from '../../../src/exercises/checks/session-checks.ts';
import { conformance } from '../../../src/checks/conformance-checks.ts';
import type { ExerciseCheck } from '../../../src/checks/exercise-check.ts';

export const checks: readonly ExerciseCheck[] = [
  recordsComeBackWhole,
  ...setExtraFieldsAside([
    ...conformance('create-get', 'get-missing', 'update', 'update-missing', 'delete', 'delete-missing', 'create-duplicate'),
    ...conformance('get-expired'),
    getUnreadableExpiry,
    ...conformance('clean-removes-expired', 'clean-keeps-live', 'clean-count'),
    cleanRemovesUnreadable('indexeddb'),
    storesInIndexedDB,
    restartKeepsSessions,
    restartKeepsChanges,
    sessionSurvivesRestart,
    instancesAgree,
    twoServersOneSession,
    sessionLogoutRace,
    ...conformance('compare-and-set'),
    compareAndSetExpired,
    // Not the suite's twenty writers: an IndexedDB store must finish within the page's deadline per check.
    compareAndSetOverlapping,
    twoServersTwoTabs,
    cleanOnTwoServers,
  ]),
];
