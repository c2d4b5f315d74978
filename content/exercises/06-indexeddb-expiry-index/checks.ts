/** Exercise 6: an IndexedDB store with an index on the expiry, cleaning through a key range. */
import { cleanBoundary, cleanRemovesUnreadable, getUnreadableExpiry } from '../../../src/exercises/checks/expiry-checks.ts';
import { cleanThroughIndex } from '../../../src/exercises/checks/indexeddb-checks.ts';
import { recordsComeBackWhole, setExtraFieldsAside } from '../../../src/exercises/checks/record-shape-checks.ts';
import { conformance } from '../../../src/checks/conformance-checks.ts';
import type { ExerciseCheck } from '../../../src/checks/exercise-check.ts';

export const checks: readonly ExerciseCheck[] = [
  // An extra field in every record read back is said once, here; the checks below judge the rest.
  recordsComeBackWhole,
  ...setExtraFieldsAside([
    ...conformance('create-get', 'get-missing', 'update', 'update-missing', 'delete', 'delete-missing', 'create-duplicate'),
    ...conformance('copies-out', 'copies-in', 'large-unicode', 'concurrent-creates', 'get-expired'),
    getUnreadableExpiry,
    ...conformance('clean-removes-expired', 'clean-keeps-live', 'update-moves-expiry'),
    cleanBoundary('indexeddb'),
    cleanRemovesUnreadable('indexeddb'),
    ...conformance('clean-count'),
    cleanThroughIndex,
  ]),
];
