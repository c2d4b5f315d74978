import { afterEach, describe, expect, it, vi } from 'vitest';
import { ParsedTimes } from '../../src/session/parsed-times.ts';

describe('ParsedTimes', () => {
  it('answers what Date.parse answers, for a time and for a string that is not one', () => {
    const times = new ParsedTimes(10);
    for (const value of ['2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 'not a date', '', 'not a date']) {
      expect(times.of(value)).toStrictEqual(Date.parse(value));
    }
  });

  it('keeps answering correctly past its capacity', () => {
    const times = new ParsedTimes(2);
    const values = Array.from({ length: 7 }, (_, index) => new Date(Date.UTC(2026, 0, 1 + index)).toISOString());
    for (const value of [...values, ...values.reverse()]) expect(times.of(value)).toBe(Date.parse(value));
  });

  describe('its cost', () => {
    afterEach(() => vi.restoreAllMocks());

    it('parses a string once while it is remembered', () => {
      const parse = vi.spyOn(Date, 'parse');
      const times = new ParsedTimes(2);
      for (const value of ['2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z', '2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z']) times.of(value);
      expect(parse.mock.calls.map(([value]) => value)).toEqual(['2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z']);
    });

    it('forgets what it remembered once full, so it never holds more than its capacity', () => {
      const parse = vi.spyOn(Date, 'parse');
      const times = new ParsedTimes(2);
      for (const value of ['a', 'b', 'c', 'c', 'a', 'b']) times.of(value);
      // The third string finds the memo full: a and b are forgotten and parsed again.
      expect(parse.mock.calls.map(([value]) => value)).toEqual(['a', 'b', 'c', 'a', 'b']);
    });
  });
});
