/** What the tests expect of exercise 5's starter and wrong solutions. */
import type { ExerciseExpectations } from '../../../src/exercises/exercise-expectations.ts';

export const expectations: ExerciseExpectations = {
  starterFails: ['get-expired', 'get-expires-on-time', 'get-expiry-boundary', 'get-unreadable-expiry', 'get-removes-expired'],
  wrong: {
    'date-less-than': {
      'get-expiry-boundary': /get\(\) of a session whose expires is exactly now returned .*, expected null: at its expiry a session has ended/,
      'get-unreadable-expiry': /get\(\) of a session with expires "not a date" returned .*, expected null: an expiry no one can read must count as passed/,
    },
    // Only the check about "now" fails, with the hint about "now": the boundary check is not blamed.
    'now-at-start': {
      'get-expires-on-time': /get\(\) of the same session 11 minutes later returned .*, expected null: it expired a minute ago/,
    },
    'leaves-it-for-clean': {
      'get-removes-expired': /get\(\) returned null for a session that expired an hour ago but left it in the store: the clean\(\) that ran next still found 1 expired session to remove/,
    },
    'deletes-but-returns': {
      'get-expired': /get\(\) of a session that expired a second ago returned .*, expected null/,
      'get-expires-on-time': /11 minutes later returned/,
      'get-expiry-boundary': /get\(\) of a session that ended a minute ago returned .*, expected null: before the exact millisecond matters/,
      'get-unreadable-expiry': /"not a date" returned/,
      'get-removes-expired': /an hour ago returned/,
    },
    'returns-stored-object': {
      'copies-out': /get\(\) after changing the \w+ a previous get\(\) \w+.* returned .*"mallory"/,
    },
  },
  promises: [
    { says: 'A session that expired a second ago is not returned', checks: ['get-expired'] },
    { says: 'A session with 10 minutes left is returned; 11 minutes later, it is not', checks: ['get-expires-on-time'] },
    { says: 'With the clock stopped exactly at a session\'s expiry, get() returns null', checks: ['get-expiry-boundary'] },
    { says: 'An expiry of "not a date" counts as expired', checks: ['get-unreadable-expiry'] },
    { says: 'the next clean() has nothing left to remove', checks: ['get-removes-expired'] },
    { says: 'any other session comes back as a copy', checks: ['copies-out'] },
  ],
  needsIndexedDB: false,
};
