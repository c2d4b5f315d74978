/** What the tests expect of exercise 1's starter and wrong solutions. */
import type { ExerciseExpectations } from '../../../src/exercises/exercise-expectations.ts';

export const expectations: ExerciseExpectations = {
  starterFails: ['create-get', 'many-sessions', 'large-unicode', 'concurrent-creates', 'session-keeps-data'],
  wrong: {
    'three-fields': {
      'create-get': /expected .*"createdAt"/,
      'large-unicode': /expected .*"data"/,
      'session-keeps-data': /the next request sees the cart as undefined: the store lost the session's data/,
    },
    'one-slot': {
      'many-sessions': /expected the session of user-/,
      'concurrent-creates': /99 of 100 sessions created at the same time could not be read back/,
    },
    'throws-when-missing': {
      'get-missing': /The store threw: Error: No session with id/,
    },
    'keyed-by-user': {
      'create-get': /get\(\) after create\(\) returned null, expected the record/,
      'many-sessions': /returned null, expected the session of/,
      'large-unicode': /returned null/,
      'concurrent-creates': /100 of 100 sessions .* could not be read back/,
      'session-keeps-data': /not signed in/,
    },
  },
  promises: [
    { says: 'Everything you were given comes back', checks: ['create-get', 'large-unicode'] },
    { says: 'An unknown id gives null', checks: ['get-missing'] },
    { says: 'A thousand sessions stay apart', checks: ['many-sessions', 'concurrent-creates'] },
    { says: 'A real Session can sign someone in on your store', checks: ['session-keeps-data'] },
  ],
  needsIndexedDB: false,
};
