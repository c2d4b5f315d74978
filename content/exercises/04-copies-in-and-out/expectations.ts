/** What the tests expect of exercise 4's starter and wrong solutions. */
import type { ExerciseExpectations } from '../../../src/exercises/exercise-expectations.ts';

export const expectations: ExerciseExpectations = {
  starterFails: ['copies-out', 'copies-in', 'copies-in-update', 'caller-cannot-revive'],
  wrong: {
    'copies-out-only': {
      'copies-in': /get\(\) after changing the object given to create\(\) returned .*"mallory"/,
      'copies-in-update': /get\(\) after changing the object given to update\(\) returned .*"stolen"/,
    },
    'shallow-spread': {
      'copies-out': /get\(\) after changing the \w+ a previous get\(\) \w+.* returned .*"stolen"/,
      'copies-in': /get\(\) after changing the object given to create\(\) returned .*"stolen"/,
      'copies-in-update': /get\(\) after changing the object given to update\(\) returned .*"stolen"/,
    },
    'forgets-update': {
      'copies-in-update': /get\(\) after changing the object given to update\(\) returned .*"mallory"/,
    },
    'copies-in-only': {
      'copies-out': /get\(\) after changing the \w+ a previous get\(\) \w+.* returned .*"mallory"/,
      'caller-cannot-revive': /A session that expired an hour ago is still there after clean\(\) \(which removed 0\): a caller set a later expires on the object get\(\) returned/,
    },
  },
  promises: [
    { says: 'Changing a record you got from get() does not change what the next get() returns', checks: ['copies-out'] },
    { says: 'Changing the object you passed to create() or to update() afterwards does not change the store', checks: ['copies-in', 'copies-in-update'] },
    { says: 'cannot save it from clean()', checks: ['caller-cannot-revive'] },
  ],
  needsIndexedDB: false,
};
