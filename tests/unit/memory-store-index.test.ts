import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryStore } from 'sessionlab';
import { ManualClock, MINUTE, recordAt } from '../support/harness.ts';
import { ExpiryIndex } from '../../src/session/stores/expiry-index.ts';

// MemoryStore promises that clean() visits only the records that are due, and that the entries an
// extension leaves behind are compacted once they outnumber the live records. Neither shows in what
// clean() returns, only in the work it does: these tests count the ids the expiry index hands to
// clean() (takeDue), the entries written to it (add) and its rebuilds (clear).

afterEach(() => {
  vi.restoreAllMocks();
});

/** How many ids the index handed to each clean(), in order. */
function watchVisits(): () => number[] {
  const takeDue = vi.spyOn(ExpiryIndex.prototype, 'takeDue');
  return () => takeDue.mock.results.map((result) => (result.value as string[]).length);
}

describe('MemoryStore: the work clean() does', () => {
  describe('when a record is written again with the same expiry', () => {
    it('adds no second index entry: clean() visits the record once', () => {
      const clock = new ManualClock();
      const store = new MemoryStore({ clock });
      const record = recordAt(clock, 'a', MINUTE);
      store.create(record);
      for (let n = 2; n <= 5; n++) store.update('a', { ...record, data: { n } });
      const visits = watchVisits();
      clock.advance(MINUTE);
      expect(store.clean()).toBe(1);
      expect(visits()).toEqual([1]);
    });
  });

  describe('when a record was extended before clean() reached its old entry', () => {
    it('visits it once more at its new expiry, not twice', () => {
      const clock = new ManualClock();
      const store = new MemoryStore({ clock });
      store.create(recordAt(clock, 'a', 10_000));
      store.update('a', recordAt(clock, 'a', 100_000));
      const visits = watchVisits();
      clock.advance(20_000);
      expect(store.clean()).toBe(0); // the old entry is due, the record is not
      clock.advance(80_000);
      expect(store.clean()).toBe(1);
      expect(visits()).toEqual([1, 1]);
    });
  });

  describe('after clear()', () => {
    it('visits only records written since: the index was emptied with the records', () => {
      const clock = new ManualClock();
      const store = new MemoryStore({ clock });
      store.create(recordAt(clock, 'a', MINUTE));
      store.create(recordAt(clock, 'b', MINUTE));
      store.clear();
      store.create(recordAt(clock, 'c', MINUTE));
      const visits = watchVisits();
      clock.advance(MINUTE);
      expect(store.clean()).toBe(1);
      expect(visits()).toEqual([1]);
    });
  });

  describe('a write while stale entries are few', () => {
    it('indexes only the record it writes, not the whole store', () => {
      const clock = new ManualClock();
      const store = new MemoryStore({ clock });
      for (let i = 0; i < 10; i++) store.create(recordAt(clock, `s${i}`, MINUTE + i * 1000));
      const add = vi.spyOn(ExpiryIndex.prototype, 'add');
      const clear = vi.spyOn(ExpiryIndex.prototype, 'clear');
      store.create(recordAt(clock, 'new', 2 * MINUTE));
      expect(add.mock.calls).toEqual([['new', clock.now() + 2 * MINUTE]]);
      expect(clear).not.toHaveBeenCalled();
    });
  });

  describe('a record extended again and again', () => {
    it('rebuilds the index once it holds more than twice as many entries as records plus 1,024, and not before', () => {
      const clock = new ManualClock();
      const store = new MemoryStore({ clock });
      store.create(recordAt(clock, 'quiet', MINUTE));
      store.create(recordAt(clock, 'busy', MINUTE));
      const clear = vi.spyOn(ExpiryIndex.prototype, 'clear');
      // Two records: the limit is 2 × 2 + 1,024 = 1,028 entries. Each extension adds one.
      for (let i = 1; i <= 1026; i++) store.update('busy', recordAt(clock, 'busy', MINUTE + i * 1000));
      expect(clear).not.toHaveBeenCalled(); // 1,028 entries: at the limit, not over it
      store.update('busy', recordAt(clock, 'busy', MINUTE + 1027 * 1000));
      expect(clear).toHaveBeenCalledTimes(1);
      // Rebuilt from the records: one entry each, so clean() visits each record once.
      const visits = watchVisits();
      clock.advance(MINUTE + 1027 * 1000);
      expect(store.clean()).toBe(2);
      expect(visits()).toEqual([2]);
    });
  });
});
