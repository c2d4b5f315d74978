/** Records for checks: Session Lab's full shape, unique ids, times relative to the clock the store sees. */
import type { SessionRecord } from '../types.ts';

let counter = 0;
/** A record like the ones Session Lab writes, with a unique id, made at `Date.now()` and expiring an hour later. */
export function sampleRecord(overrides: Partial<SessionRecord> = {}): SessionRecord {
  counter += 1;
  const now = Date.now();
  return {
    sessionId: `conformance-${now.toString(36)}-${counter}-${Math.random().toString(36).slice(2, 10)}`,
    userId: `user-${counter}`,
    expires: new Date(now + 3_600_000).toISOString(),
    createdAt: new Date(now).toISOString(),
    data: { visits: counter, cart: ['apple', 'pear'] },
    version: 0,
    ...overrides,
  };
}

/** `ms` as an ISO 8601 time written with a UTC offset, e.g. `2026-03-01T22:30:00.000+14:00` (the same instant as 08:30Z). */
export function isoWithOffset(ms: number, offsetMinutes: number): string {
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, -1);
  const size = Math.abs(offsetMinutes);
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${local}${offsetMinutes < 0 ? '-' : '+'}${pad(Math.floor(size / 60))}:${pad(size % 60)}`;
}
