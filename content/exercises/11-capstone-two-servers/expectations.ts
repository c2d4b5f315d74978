/** What the tests expect of capstone 2's bare starter and its wrong solutions. */
import type { ExerciseExpectations } from '../../../src/exercises/exercise-expectations.ts';

export const expectations: ExerciseExpectations = {
  // A bare class: every check fails until the store is written.
  starterFails: [
    'records-come-back-whole',
    'create-get',
    'get-missing',
    'update',
    'update-missing',
    'delete',
    'delete-missing',
    'create-duplicate',
    'get-expired',
    'get-unreadable-expiry',
    'clean-removes-expired',
    'clean-keeps-live',
    'clean-count',
    'clean-removes-unreadable',
    'stores-in-indexeddb',
    'restart-keeps-sessions',
    'restart-keeps-changes',
    'session-survives-restart',
    'instances-agree',
    'two-servers-one-session',
    'session-logout-race',
    'compare-and-set',
    'compare-and-set-expired',
    'compare-and-set-overlapping',
    'two-servers-two-tabs',
    'clean-on-two-servers',
  ],
  wrong: {
    // compare-and-set-concurrent passes: within one process the lock holds. Only two servers show it.
    'process-lock': {
      'two-servers-two-tabs': /Two tabs added "apple" \(through server A\) and "pear" \(through server B\) at the same moment; afterwards the cart is \["(apple|pear)"\]: one server's write overwrote the other's/,
    },
    'counts-twice': {
      'clean-on-two-servers': /Two servers ran clean\(\) at the same moment and reported removing 5 and 5 sessions, 10 in all; 5 had expired: both counted sessions that only one of them removed/,
    },
    'cached-reads': {
      'instances-agree': /After the second instance updated a session, the first instance's get\(\) returned .*"apple".*, expected .*"plum"/,
      'two-servers-one-session': /Server B added "pear" to ada's cart; her next request reached server A, which sees the cart as \["apple"\]: server A answered from what it had kept itself/,
      'two-servers-two-tabs': /Two tabs saved through two servers at the same moment, and the Session gave up: .*compareAndSet\(\).* a get\(\) that answers from this server's memory keeps giving the version the other server has already replaced/,
    },
    'module-map': {
      'stores-in-indexeddb': /create\(\) resolved, but your store never opened an IndexedDB database: the sessions live in memory/,
      'restart-keeps-sessions': /the session did not survive/,
      'restart-keeps-changes': /After a restart, get\(\) of a session updated before it returned null/,
      'session-survives-restart': /not signed in: the session was lost with the old process/,
    },
    'revives-expired': {
      'compare-and-set-expired': /the compare-and-set wrote a later expiry and brought the expired session back/,
    },
    'update-writes-anyway': {
      'update-missing': /get\(\) after update\(\) of an id never created returned \{.*, expected null/,
    },
  },
  promises: [
    {
      says: 'records come back exactly as they were stored',
      checks: ['records-come-back-whole', 'create-get', 'get-missing', 'update', 'update-missing', 'delete', 'delete-missing', 'create-duplicate', 'get-expired', 'get-unreadable-expiry', 'clean-removes-expired', 'clean-keeps-live', 'clean-count', 'clean-removes-unreadable'],
    },
    { says: 'Sessions outlive a restart', checks: ['stores-in-indexeddb', 'restart-keeps-sessions', 'restart-keeps-changes', 'session-survives-restart'] },
    { says: 'Two servers see one truth', checks: ['instances-agree', 'two-servers-one-session', 'session-logout-race'] },
    { says: 'Two tabs served by two servers add to one cart at the same moment', checks: ['compare-and-set', 'compare-and-set-expired', 'compare-and-set-overlapping', 'two-servers-two-tabs'] },
    { says: 'every expired session is removed and counted once', checks: ['clean-on-two-servers'] },
  ],
  needsIndexedDB: true,
};
