/** What the tests expect of exercise 3's starter and wrong solutions. */
import type { ExerciseExpectations } from '../../../src/exercises/exercise-expectations.ts';

export const expectations: ExerciseExpectations = {
  starterFails: ['clean-boundary', 'clean-removes-unreadable', 'clean-count'],
  wrong: {
    'fluidauth-with-count': {
      'clean-boundary': /removed 0 sessions; expected 1: .* \(it was kept: the comparison leaves out the boundary\)/,
      'clean-removes-unreadable': /clean\(\) removed 0 sessions; expected 1: the one whose expires is "not a date"/,
    },
    'string-compare': {
      'clean-removes-unreadable': /"not a date"/,
      'clean-compares-times': /clean\(\) removed a session with expires "[^"]+-05:00", which is half an hour from now: it was still in use/,
    },
    'nan-guard-strict-less': {
      'clean-boundary': /removed 0 sessions; expected 1/,
    },
    'less-or-equal-dates': {
      'clean-removes-unreadable': /clean\(\) removed 0 sessions; expected 1: the one whose expires is "not a date"/,
    },
    'now-in-seconds': {
      'clean-removes-expired': /clean\(\) left 6 of 6 expired sessions in the store: with the clock set back to when they were still live/,
      'clean-boundary': /removed 0 sessions; expected 1/,
      'clean-compares-times': /\(it expired half an hour ago\) is still in the store after clean\(\): with the clock set back to a day before it expired, get\(\) returned/,
      'clean-count': /clean\(\) returned 0 after removing three expired sessions, expected 3/,
    },
    'removes-a-minute-early': {
      'clean-keeps-live': /get\(\) of a session expiring in 1 second, after clean\(\) returned null, expected the record/,
      'clean-boundary': /clean\(\) removed 2 sessions; expected 1: the one whose expires is exactly that moment\./,
    },
    'counts-what-is-left': {
      'clean-count': /clean\(\) returned 1 after removing three expired sessions, expected 3/,
    },
  },
  promises: [
    { says: 'Sessions that expired an hour ago go', checks: ['clean-removes-expired', 'clean-keeps-live'] },
    { says: 'With the clock stopped exactly at a session\'s expiry', checks: ['clean-boundary'] },
    { says: 'is "not a date" is removed', checks: ['clean-removes-unreadable'] },
    { says: 'Expiries written with a time-zone offset are compared as times', checks: ['clean-compares-times'] },
    { says: 'clean() returns the number of sessions it removed', checks: ['clean-count'] },
  ],
  needsIndexedDB: false,
};
