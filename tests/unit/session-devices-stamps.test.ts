/**
 * What a Session writes into a record for its device list: when lastSeenAt is due, and what a write
 * stamps on the record (a public id, the time it was seen, this request's details).
 */
import { describe, expect, it } from 'vitest';
import type { RandomSource, SessionRecord } from 'sessionlab';
import type { CheckedDevices } from '../../src/session/devices.ts';
import { lastSeenDue, stampRecord } from '../../src/session/session-devices.ts';

const NOW = Date.parse('2026-03-01T09:00:00.000Z');
const EVERY: CheckedDevices = { userAgent: true, ip: 'coarse', lastSeenEvery: 60_000 };
const iso = (ms: number) => new Date(ms).toISOString();

function record(fields: Partial<SessionRecord> = {}): SessionRecord {
  return { sessionId: 'key', userId: 'ada', expires: iso(NOW + 1_800_000), createdAt: iso(NOW), data: {}, version: 0, ...fields };
}

/** Random bytes that are all `byte`: a public id made of them is recognisable. */
const bytesOf = (byte: number): RandomSource => (array) => array.fill(byte);

describe('lastSeenAt is due', () => {
  it('never when the Session keeps no device details', () => {
    expect(lastSeenDue(record(), NOW, null)).toBe(false);
  });

  it('when the record has none, or one that is not a time', () => {
    expect(lastSeenDue(record(), NOW, EVERY)).toBe(true);
    expect(lastSeenDue(record({ lastSeenAt: 'yesterday' }), NOW, EVERY)).toBe(true);
    expect(lastSeenDue(record({ lastSeenAt: 5 as never }), NOW, EVERY)).toBe(true);
    // Not a string, though it would read as the time it holds: damaged all the same.
    expect(lastSeenDue(record({ lastSeenAt: [iso(NOW)] as never }), NOW, EVERY)).toBe(true);
  });

  it('once lastSeenEvery has passed, not a millisecond before', () => {
    const seen = record({ lastSeenAt: iso(NOW) });
    expect(lastSeenDue(seen, NOW + 59_999, EVERY)).toBe(false);
    expect(lastSeenDue(seen, NOW + 60_000, EVERY)).toBe(true);
  });

  it('when the record was seen further in the future than lastSeenEvery (a damaged record is repaired)', () => {
    expect(lastSeenDue(record({ lastSeenAt: iso(NOW + 59_999) }), NOW, EVERY)).toBe(false);
    expect(lastSeenDue(record({ lastSeenAt: iso(NOW + 60_000) }), NOW, EVERY)).toBe(true);
  });
});

describe('a write stamps the record', () => {
  it('with a public id when it has none, or an empty one, and keeps one it has', () => {
    const fresh = record();
    stampRecord(fresh, NOW, null, null, bytesOf(0));
    expect(fresh.publicId).toBe('A'.repeat(22));
    const empty = record({ publicId: '' });
    stampRecord(empty, NOW, null, null, bytesOf(0xff));
    expect(empty.publicId).toBe(`${'_'.repeat(21)}w`); // 128 bits: the last character carries 2 of them
    const named = record({ publicId: 'kept' });
    stampRecord(named, NOW, EVERY, null, bytesOf(0));
    expect(named.publicId).toBe('kept');
  });

  it('with nothing else when the Session keeps no device details', () => {
    const stamped = record({ publicId: 'kept' });
    stampRecord(stamped, NOW, null, { userAgent: 'UA' }, bytesOf(0));
    expect(stamped).toEqual(record({ publicId: 'kept' }));
  });

  it('with the time it was seen and this request\'s details', () => {
    const stamped = record({ publicId: 'kept', device: { userAgent: 'old' } });
    stampRecord(stamped, NOW + 5, EVERY, { userAgent: 'new' }, bytesOf(0));
    expect(stamped.lastSeenAt).toBe(iso(NOW + 5));
    expect(stamped.device).toEqual({ userAgent: 'new' });
  });

  it('keeping the old details when this request carries none', () => {
    for (const device of [{}, null]) {
      const stamped = record({ publicId: 'kept', device: { userAgent: 'old' } });
      stampRecord(stamped, NOW, EVERY, device, bytesOf(0));
      expect(stamped.device).toEqual({ userAgent: 'old' });
      expect(stamped.lastSeenAt).toBe(iso(NOW));
    }
  });
});
