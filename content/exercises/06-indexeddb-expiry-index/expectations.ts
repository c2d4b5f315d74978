/** What the tests expect of exercise 6's starter and wrong solutions. */
import type { ExerciseExpectations } from '../../../src/exercises/exercise-expectations.ts';

export const expectations: ExerciseExpectations = {
  starterFails: ['clean-through-index'],
  wrong: {
    'string-index': {
      'clean-removes-unreadable': /clean\(\) removed 0 sessions; expected 1: the one whose expires is "not a date"/,
    },
    'index-without-range': {
      'clean-through-index': /clean\(\) read 10[34] records from IndexedDB to remove 3 expired sessions out of 103: it looks at every session/,
    },
    'open-upper-bound': {
      'clean-boundary': /removed 0 sessions; expected 1: .*\(it was kept: the comparison leaves out the boundary\)/,
    },
    'put-everywhere': {
      'create-duplicate': /A second create\(\) with the same sessionId succeeded/,
      'update-missing': /get\(\) after update\(\) of an id never created returned .*, expected null/,
    },
    'update-keeps-old-expiry': {
      'update-moves-expiry': /get\(\) of a session update\(\) extended by two hours, after clean\(\) an hour past its first expiry returned null/,
    },
    // One check names the extra field; the others are not blamed for it.
    'leaks-expires-at': {
      'records-come-back-whole': /get\(\) after create\(\) returned the record with an unexpected field `expiresAt` \(\d+\): nobody wrote it/,
    },
  },
  promises: [
    {
      says: 'Everything from the earlier exercises, now on IndexedDB',
      checks: ['create-get', 'get-missing', 'update', 'update-missing', 'delete', 'delete-missing', 'create-duplicate', 'copies-out', 'copies-in', 'large-unicode', 'concurrent-creates', 'get-expired', 'get-unreadable-expiry', 'clean-removes-expired', 'clean-keeps-live', 'clean-count'],
    },
    { says: 'Records come back exactly as they were stored', checks: ['records-come-back-whole'] },
    { says: 'clean() removes the 3 and reads about 3 records, not 103', checks: ['clean-through-index'] },
    { says: 'The boundary is exact, and an unreadable expiry is removed', checks: ['clean-boundary', 'clean-removes-unreadable'] },
    { says: 'clean() goes by the expiry update() last wrote', checks: ['update-moves-expiry'] },
  ],
  needsIndexedDB: true,
};
