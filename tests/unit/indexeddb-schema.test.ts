/**
 * The entry IndexedDBStore keeps for a record: the record as given, and its expiry as a number the
 * `expiresAt` index ranges over. Pure, so tested in Node; the upgrades that lay the database out run
 * in Chromium (tests/browser/indexeddb-store.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { entryOf } from '../../src/session/stores/indexeddb-schema.ts';
import { ManualClock, MINUTE, recordAt } from '../support/harness.ts';

describe('entryOf()', () => {
  it('keeps the record itself, beside its expiry in milliseconds', () => {
    const record = recordAt(new ManualClock(1_000_000), 'a', MINUTE);
    const entry = entryOf(record);
    expect(entry.record).toBe(record);
    expect(entry.expiresAt).toBe(1_000_000 + MINUTE);
  });

  it.each(['not a date', '', '2026-13-45T00:00:00Z'])('counts an unreadable expiry (%j) as long expired: -Infinity, which clean() finds', (expires) => {
    expect(entryOf({ ...recordAt(new ManualClock(), 'a', MINUTE), expires }).expiresAt).toBe(-Infinity);
  });
});
