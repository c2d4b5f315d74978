/** What the tests expect of exercise 3's starter and wrong solutions. */
import type { ExerciseExpectations } from '../../../src/exercises/exercise-expectations.ts';

export const expectations: ExerciseExpectations = {
  starterFails: ['clean-boundary', 'clean-unreadable-expiry', 'clean-count'],
  wrong: {
    'fluidauth-with-count': {
      'clean-boundary': /removed 0 sessions; expected 1: .* \(it was kept: the comparison leaves out the boundary\)/,
      'clean-unreadable-expiry': /expires "not a date", after clean\(\) returned .*, expected null/,
    },
    'string-compare': {
      'clean-unreadable-expiry': /"not a date"/,
      'clean-compares-times': /\(half an hour ago\), after clean\(\), returned .*, expected null: it had expired/,
    },
    'nan-guard-strict-less': {
      'clean-boundary': /removed 0 sessions; expected 1/,
    },
    'counts-what-is-left': {
      'clean-count': /clean\(\) returned 1 after removing three expired sessions, expected 3/,
    },
  },
  needsIndexedDB: false,
};
