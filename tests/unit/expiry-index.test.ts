import { describe, expect, it } from 'vitest';
import { ExpiryIndex } from '../../src/session/stores/expiry-index.ts';

const SECOND = 1000;

describe('ExpiryIndex', () => {
  describe('takeDue(now)', () => {
    it('returns nothing while nothing is due, and keeps what is not due yet', () => {
      const index = new ExpiryIndex();
      index.add('later', 10 * SECOND);
      expect(index.takeDue(5 * SECOND)).toEqual([]);
      expect(index.size).toBe(1);
      expect(index.takeDue(10 * SECOND)).toEqual(['later']);
    });

    it('returns every id of a bucket that begins at or before now, once', () => {
      const index = new ExpiryIndex();
      index.add('a', 1500);
      index.add('b', 1999);
      index.add('c', 2000);
      // The bucket of second 1 begins at 1000 ms: due at 1000 even though its ids expire later in that second.
      expect(index.takeDue(1000).sort()).toEqual(['a', 'b']);
      expect(index.takeDue(1999)).toEqual([]);
      expect(index.takeDue(2000)).toEqual(['c']);
    });

    it('returns ids in order of expiry, whatever order they were added in', () => {
      // Enough buckets out of order that both the heap's sift-up and sift-down (with two children) matter.
      const seconds = [7, 3, 9, 1, 8, 2, 6, 4, 5, 10, 0];
      const index = new ExpiryIndex();
      for (const second of seconds) index.add(`s${second}`, second * SECOND + 500);
      const order: string[] = [];
      for (let second = 0; second <= 10; second++) {
        const due = index.takeDue(second * SECOND);
        expect(due).toEqual([`s${second}`]);
        order.push(...due);
      }
      expect(order).toHaveLength(seconds.length);
      expect(index.size).toBe(0);
    });

    it('takes the earlier of two children after popping the root', () => {
      // Heap after these adds: [1, 2, 3]; popping 1 must bring up 2 (left), then 3.
      const index = new ExpiryIndex();
      index.add('one', 1 * SECOND);
      index.add('three', 3 * SECOND);
      index.add('two', 2 * SECOND);
      index.add('four', 4 * SECOND);
      expect(index.takeDue(1 * SECOND)).toEqual(['one']);
      expect(index.takeDue(2 * SECOND)).toEqual(['two']);
      expect(index.takeDue(3 * SECOND)).toEqual(['three']);
      expect(index.takeDue(4 * SECOND)).toEqual(['four']);
    });

    it('takes the right child when it is the earlier one', () => {
      const index = new ExpiryIndex();
      for (const second of [1, 3, 2, 5, 4]) index.add(`s${second}`, second * SECOND);
      for (let second = 1; second <= 5; second++) expect(index.takeDue(second * SECOND)).toEqual([`s${second}`]);
    });

    it('takes a whole run of due buckets in one call, in order', () => {
      const index = new ExpiryIndex();
      for (const second of [6, 2, 5, 1, 4, 3]) index.add(`s${second}`, second * SECOND);
      expect(index.takeDue(6 * SECOND)).toEqual(['s1', 's2', 's3', 's4', 's5', 's6']);
    });

    it('indexes an id again after its bucket was taken', () => {
      const index = new ExpiryIndex();
      index.add('a', 1 * SECOND);
      expect(index.takeDue(1 * SECOND)).toEqual(['a']);
      index.add('a', 1 * SECOND);
      expect(index.takeDue(1 * SECOND)).toEqual(['a']);
    });
  });

  describe('size', () => {
    it('counts every entry added, and drops those taken', () => {
      const index = new ExpiryIndex();
      expect(index.size).toBe(0);
      index.add('a', 1 * SECOND);
      index.add('b', 1 * SECOND);
      index.add('c', 5 * SECOND);
      expect(index.size).toBe(3);
      index.takeDue(1 * SECOND);
      expect(index.size).toBe(1);
    });
  });

  describe('clear()', () => {
    it('forgets every entry, and the index works as new afterwards', () => {
      const index = new ExpiryIndex();
      index.add('a', 1 * SECOND);
      index.add('b', 2 * SECOND);
      index.clear();
      expect(index.size).toBe(0);
      expect(index.takeDue(10 * SECOND)).toEqual([]);
      index.add('c', 3 * SECOND);
      index.add('d', 1 * SECOND);
      expect(index.takeDue(1 * SECOND)).toEqual(['d']);
      expect(index.takeDue(3 * SECOND)).toEqual(['c']);
    });
  });
});
