/** What the tests expect of exercise 5's starter and wrong solutions. */
import type { ExerciseExpectations } from '../../../src/exercises/exercise-expectations.ts';

export const expectations: ExerciseExpectations = {
  starterFails: ['get-expired', 'get-expires-on-time', 'get-expiry-boundary', 'get-unreadable-expiry', 'get-removes-expired'],
  wrong: {
    'date-less-than': {
      'get-expiry-boundary': /get\(\) of a session whose expires is exactly now returned .*, expected null: at its expiry a session has ended/,
      'get-unreadable-expiry': /get\(\) of a session with expires "not a date" returned .*, expected null: an expiry no one can read must count as passed/,
    },
    'now-at-start': {
      'get-expires-on-time': /get\(\) of the same session 11 minutes later returned .*, expected null: it expired a minute ago/,
      'get-expiry-boundary': /get\(\) of a session whose expires is exactly now returned .*, expected null/,
    },
    'leaves-it-for-clean': {
      'get-removes-expired': /get\(\) returned null for a session that expired an hour ago but left it in the store: the clean\(\) that ran next still found 1 expired session to remove/,
    },
    'deletes-but-returns': {
      'get-expired': /get\(\) of a session that expired a second ago returned .*, expected null/,
      'get-expires-on-time': /11 minutes later returned/,
      'get-expiry-boundary': /exactly now returned/,
      'get-unreadable-expiry': /"not a date" returned/,
      'get-removes-expired': /an hour ago returned/,
    },
  },
  needsIndexedDB: false,
};
