/** What the tests expect of exercise 9's starter and wrong solutions. */
import type { ExerciseExpectations } from '../../../src/exercises/exercise-expectations.ts';

export const expectations: ExerciseExpectations = {
  starterFails: ['compare-and-set', 'compare-and-set-copies', 'compare-and-set-expired', 'compare-and-set-concurrent', 'session-two-tabs'],
  wrong: {
    'await-between': {
      'compare-and-set-concurrent': /After 20 successful compare-and-sets the record has count \d+ and version \d+, expected 20 and 20: some writes overwrote others/,
      'session-two-tabs': /afterwards the cart is \["(apple|pear)"\]: one change overwrote the other/,
    },
    'ignores-expected-version': {
      'compare-and-set': /compareAndSet\(\) with a stale version did not resolve to false/,
      'compare-and-set-expired': /the compare-and-set wrote a later expiry and brought the expired session back/,
    },
    'writes-anyway': {
      'compare-and-set': /get\(\) after a compareAndSet\(\) with a stale version returned .*"stale"/,
      'compare-and-set-expired': /brought the expired session back/,
      'session-two-tabs': /Two requests added "apple" and "pear" to one cart at the same moment; afterwards the cart is .*: one change overwrote the other/,
    },
    'creates-missing': {
      'compare-and-set': /compareAndSet\(\) of an unknown id did not resolve to false/,
      'compare-and-set-expired': /brought the expired session back/,
    },
    'keeps-callers-object': {
      'compare-and-set-copies': /get\(\) after changing the object given to a successful compareAndSet\(\) returned .*"mallory"/,
    },
    'revives-expired': {
      'compare-and-set-expired': /get\(\) after a compareAndSet\(\) of a session that had expired a minute ago returned .*, expected null: the compare-and-set wrote a later expiry and brought the expired session back/,
    },
  },
  promises: [
    { says: 'A stale version is refused', checks: ['compare-and-set'] },
    { says: 'the record replaced, as a copy', checks: ['compare-and-set-copies'] },
    { says: 'A session that has expired is refused like one that is gone', checks: ['compare-and-set-expired'] },
    { says: 'lose no increment', checks: ['compare-and-set-concurrent'] },
    { says: 'two tabs add to one cart at the same moment, and both items stay', checks: ['session-two-tabs'] },
  ],
  needsIndexedDB: false,
};
