/** What the tests expect of exercise 8's starter and wrong solutions. */
import type { ExerciseExpectations } from '../../../src/exercises/exercise-expectations.ts';

export const expectations: ExerciseExpectations = {
  starterFails: [
    'create-duplicate',
    'get-expired',
    'copies-out',
    'copies-in',
    'caller-cannot-revive',
    'clean-boundary',
    'clean-unreadable-expiry',
    'clean-count',
  ],
  wrong: {
    'less-or-equal': {
      'clean-unreadable-expiry': /get\(\) of a session with expires "not a date", after clean\(\) returned .*, expected null/,
    },
    'copies-out-only': {
      'copies-in': /get\(\) after changing the object given to create\(\) returned .*"mallory"/,
    },
    'no-expiry-on-read': {
      'get-expired': /get\(\) of a session that expired a second ago returned .*, expected null/,
    },
    'overwrites-on-create': {
      'create-duplicate': /A second create\(\) with the same sessionId succeeded/,
    },
  },
  needsIndexedDB: false,
};
