/** What the tests expect of exercise 2's starter and wrong solutions. */
import type { ExerciseExpectations } from '../../../src/exercises/exercise-expectations.ts';

export const expectations: ExerciseExpectations = {
  starterFails: ['update', 'delete', 'delete-twice', 'session-logout-race'],
  wrong: {
    upsert: {
      'update-missing': /get\(\) after update\(\) of an id never created returned \{.*, expected null/,
      'session-logout-race': /the session was back: her old cookie signs her in as ada again/,
    },
    'delete-throws': {
      'delete-missing': /The store threw: Error: Cannot delete session conformance-no-such-session: it does not exist/,
      'delete-twice': /the second delete\(\) of the same id threw Error: Cannot delete session/,
    },
    'only-extends': {
      update: /get\(\) after update\(\) returned .*"cart":\["apple","pear"\].*, expected .*"cart":\["plum"\]/,
    },
  },
  needsIndexedDB: false,
};
