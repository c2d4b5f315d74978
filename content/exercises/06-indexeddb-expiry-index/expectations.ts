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
    'leaks-expires-at': {
      'create-get': /get\(\) after create\(\) returned \{"createdAt":.*"expiresAt":\d+.*, expected \{/,
      'update': /get\(\) after update\(\) returned .*"expiresAt":/,
      'create-duplicate': /get\(\) after a rejected duplicate create\(\) returned .*"expiresAt":/,
      'delete-missing': /get\(\) of another session after deleting an unknown id returned .*"expiresAt":/,
      'copies-out': /"expiresAt":/,
      'copies-in': /"expiresAt":/,
      'large-unicode': /get\(\) of a 100 kB record .* returned \{/,
      'clean-keeps-live': /"expiresAt":/,
      'clean-removes-unreadable': /get\(\) of a session that expires in an hour, after clean\(\), returned .*"expiresAt":/,
      'clean-boundary': /get\(\) of a session that expires one millisecond from now, after clean\(\), returned .*"expiresAt":/,
    },
  },
  needsIndexedDB: true,
};
