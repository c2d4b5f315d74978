/** What the tests expect of capstone 1's bare starter and its wrong solutions. */
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
    'get-expiry-boundary',
    'get-unreadable-expiry',
    'clean-removes-expired',
    'clean-keeps-live',
    'clean-compares-instants',
    'update-moves-expiry',
    'clean-boundary',
    'clean-removes-unreadable',
    'clean-count',
    'clean-through-index',
    'stores-in-indexeddb',
    'restart-keeps-sessions',
    'restart-keeps-changes',
    'instances-agree',
    'session-survives-restart',
    'compare-and-set',
    'compare-and-set-copies',
    'compare-and-set-expired',
    'compare-and-set-overlapping',
    'session-two-tabs',
  ],
  wrong: {
    'reads-every-session': {
      'clean-through-index': /clean\(\) read 10[34] records from IndexedDB to remove 3 expired sessions out of 103: it looks at every session/,
    },
    'string-index': {
      'clean-compares-instants': /get\(\) of a session expiring in an hour \(expires "[^"]+-12:00"\), after clean\(\) returned null/,
      'clean-removes-unreadable': /clean\(\) removed 0 sessions; expected 1: the one whose expires is "not a date"/,
    },
    'two-transactions': {
      'compare-and-set-overlapping': /\d compare-and-sets succeeded, each adding one, yet the record has count \d+ and version \d+, expected 6 and 6: some writes overwrote others/,
      'session-two-tabs': /afterwards the cart is \["(apple|pear)"\]: one change overwrote the other/,
    },
    'revives-expired': {
      'compare-and-set-expired': /the compare-and-set wrote a later expiry and brought the expired session back/,
    },
    'cached-reads': {
      'instances-agree': /After the second instance updated a session, the first instance's get\(\) returned .*"apple".*, expected .*"plum"/,
    },
    'expiry-inside-record': {
      'records-come-back-whole': /get\(\) after create\(\) returned the record with an unexpected field `expiresAt`/,
    },
    'stale-index-on-update': {
      'update-moves-expiry': /get\(\) of a session update\(\) extended by two hours, after clean\(\) an hour past its first expiry returned null/,
    },
  },
  promises: [
    { says: 'records come back exactly as they were stored', checks: ['records-come-back-whole', 'create-get', 'get-missing', 'update', 'update-missing', 'create-duplicate', 'delete', 'delete-missing'] },
    {
      says: 'Sessions end on time',
      checks: ['get-expired', 'get-expiry-boundary', 'get-unreadable-expiry', 'clean-removes-expired', 'clean-keeps-live', 'clean-compares-instants', 'update-moves-expiry', 'clean-boundary', 'clean-removes-unreadable', 'clean-count'],
    },
    { says: 'clean() reads the expired sessions, not all of them', checks: ['clean-through-index'] },
    { says: 'Sessions outlive a restart', checks: ['stores-in-indexeddb', 'restart-keeps-sessions', 'restart-keeps-changes', 'instances-agree', 'session-survives-restart'] },
    { says: 'compareAndSet() writes only over the expected version', checks: ['compare-and-set', 'compare-and-set-copies', 'compare-and-set-expired', 'compare-and-set-overlapping', 'session-two-tabs'] },
  ],
  needsIndexedDB: true,
};
