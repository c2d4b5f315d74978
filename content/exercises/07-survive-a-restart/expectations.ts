/** What the tests expect of exercise 7's starter and wrong solutions. */
import type { ExerciseExpectations } from '../../../src/exercises/exercise-expectations.ts';

export const expectations: ExerciseExpectations = {
  starterFails: ['restart-keeps-sessions', 'restart-keeps-changes', 'instances-agree', 'session-survives-restart'],
  wrong: {
    'database-per-instance': {
      'restart-keeps-sessions': /After a restart, get\(\) of ada's session \(created before it\) returned null: the session did not survive/,
      'restart-keeps-changes': /After a restart, get\(\) of a session updated before it returned null/,
      'instances-agree': /A second instance's get\(\) of a session the first one created returned null/,
      'session-survives-restart': /her next request is not signed in: the session was lost with the old process/,
    },
    'clears-on-open': {
      'restart-keeps-sessions': /the session did not survive/,
      'restart-keeps-changes': /returned null/,
      'instances-agree': /A second instance's get\(\) of a session the first one created returned null/,
      'session-survives-restart': /not signed in/,
    },
    'read-through-cache': {
      'instances-agree': /After the second instance updated a session, the first instance's get\(\) returned .*"apple".*, expected .*"plum"/,
    },
    'background-writes': {
      'stores-in-indexeddb': /create\(\) resolved, but no IndexedDB database holds session .* yet .* or create\(\) did not wait for the write to commit/,
      'restart-keeps-sessions': /the session did not survive/,
      'session-survives-restart': /not signed in: the session was lost with the old process/,
    },
    'module-map': {
      'stores-in-indexeddb': /create\(\) resolved, but your store never opened an IndexedDB database: the sessions live in memory/,
      'restart-keeps-sessions': /the session did not survive/,
      'restart-keeps-changes': /returned null/,
      'session-survives-restart': /not signed in/,
    },
  },
  promises: [
    { says: 'has written the session to IndexedDB by the time it resolves', checks: ['stores-in-indexeddb'] },
    { says: 'After a restart, the sessions created before it are there', checks: ['restart-keeps-sessions', 'restart-keeps-changes'] },
    { says: 'Two instances at once see each other', checks: ['instances-agree'] },
    { says: 'signed in before a restart, still signed in after it', checks: ['session-survives-restart'] },
  ],
  needsIndexedDB: true,
};
