/** What the tests expect of exercise 8's starter and wrong solutions. */
import type { ExerciseExpectations } from '../../../src/exercises/exercise-expectations.ts';

export const expectations: ExerciseExpectations = {
  starterFails: [
    'create-duplicate',
    'get-expired',
    'get-expiry-boundary',
    'get-unreadable-expiry',
    'copies-out',
    'copies-in',
    'copies-in-update',
    'caller-cannot-revive',
    'clean-boundary',
    'clean-removes-unreadable',
    'clean-count',
  ],
  wrong: {
    'less-or-equal': {
      'get-unreadable-expiry': /get\(\) of a session with expires "not a date" returned .*, expected null: an expiry no one can read must count as passed/,
      'clean-removes-unreadable': /clean\(\) removed 0 sessions; expected 1: the one whose expires is "not a date"/,
    },
    // get() is right, so only a look at clean() itself can catch it.
    'clean-keeps-unreadable': {
      'clean-removes-unreadable': /clean\(\) removed 0 sessions; expected 1: the one whose expires is "not a date"/,
    },
    'copies-out-only': {
      'copies-in': /get\(\) after changing the object given to create\(\) returned .*"mallory"/,
      'copies-in-update': /get\(\) after changing the object given to update\(\) returned .*"mallory"/,
    },
    'update-keeps-callers-object': {
      'copies-in-update': /get\(\) after changing the object given to update\(\) returned .*"mallory"/,
    },
    'update-keeps-three-fields': {
      update: /get\(\) after update\(\) returned \{"expires":"[^"]+","sessionId":"[^"]+","userId":"[^"]+"\}, expected /,
      'copies-in-update': /get\(\) after changing the object given to update\(\) returned \{"expires"/,
    },
    'get-hands-out-stored': {
      'copies-out': /get\(\) after changing the \w+ a previous get\(\) \w+.* returned .*"mallory"/,
    },
    'get-strict-less': {
      'get-expiry-boundary': /get\(\) of a session whose expires is exactly now returned .*, expected null: at its expiry a session has ended/,
      'get-unreadable-expiry': /get\(\) of a session with expires "not a date" returned/,
    },
    'no-expiry-on-read': {
      'get-expired': /get\(\) of a session that expired a second ago returned .*, expected null/,
      'get-expiry-boundary': /get\(\) of a session that ended a minute ago returned .*, expected null: before the exact millisecond matters/,
      'get-unreadable-expiry': /"not a date" returned/,
    },
    'overwrites-on-create': {
      'create-duplicate': /A second create\(\) with the same sessionId succeeded/,
    },
  },
  promises: [
    { says: 'A create() whose id is taken throws and leaves the stored session as it was', checks: ['create-duplicate'] },
    { says: 'get() never returns a session whose time is up', checks: ['get-expired', 'get-expiry-boundary', 'get-unreadable-expiry'] },
    { says: 'No caller can change a stored session without calling the store', checks: ['copies-out', 'copies-in', 'copies-in-update', 'caller-cannot-revive'] },
    { says: 'update() and delete() behave as in exercise 2', checks: ['update', 'update-missing', 'delete', 'delete-missing'] },
    { says: 'clean() behaves as in exercise 3', checks: ['clean-removes-expired', 'clean-keeps-live', 'clean-boundary', 'clean-removes-unreadable', 'clean-count'] },
    { says: 'Every field of a record is kept', checks: ['create-get', 'update', 'session-keeps-data'] },
  ],
  needsIndexedDB: false,
};
