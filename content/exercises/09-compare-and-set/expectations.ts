/** What the tests expect of exercise 9's starter and wrong solutions. */
import type { ExerciseExpectations } from '../../../src/exercises/exercise-expectations.ts';

export const expectations: ExerciseExpectations = {
  starterFails: ['compare-and-set', 'compare-and-set-concurrent', 'session-two-tabs'],
  wrong: {
    'await-between': {
      'compare-and-set-concurrent': /After 20 successful compare-and-sets the record has count \d+ and version \d+, expected 20 and 20: some writes overwrote others/,
      'session-two-tabs': /afterwards the cart is \["(apple|pear)"\]: one change overwrote the other/,
    },
    'ignores-expected-version': {
      'compare-and-set': /compareAndSet\(\) with a stale version did not resolve to false/,
    },
    'writes-anyway': {
      'compare-and-set': /get\(\) after a compareAndSet\(\) with a stale version returned .*"stale"/,
      'session-two-tabs': /Two requests added "apple" and "pear" to one cart at the same moment; afterwards the cart is .*: one change overwrote the other/,
    },
    'creates-missing': {
      'compare-and-set': /compareAndSet\(\) of an unknown id did not resolve to false/,
    },
  },
  needsIndexedDB: false,
};
