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
    'delete-clears-all': {
      'delete-missing': /get\(\) of another session after deleting an unknown id returned null, expected the record/,
      'delete-twice': /get\(\) of another session after deleting one twice returned null, expected the record/,
    },
    'only-extends': {
      update: /get\(\) after update\(\) returned .*"cart":\["apple","pear"\].*, expected .*"cart":\["plum"\]/,
    },
  },
  promises: [
    { says: 'After update(), get() returns exactly the new record', checks: ['update'] },
    { says: 'update() of an unknown id leaves the store without that id', checks: ['update-missing'] },
    { says: 'After delete(), get() returns null', checks: ['delete', 'delete-missing', 'delete-twice'] },
    { says: 'a request that finishes after its user logged out does not sign them back in', checks: ['session-logout-race'] },
  ],
  needsIndexedDB: false,
};
