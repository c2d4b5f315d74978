/** Records for checks: Session Lab's full shape, unique ids, times relative to the clock the store sees. */
import { toBase64Url } from '../encoding.ts';
import type { SessionRecord } from '../types.ts';

let counter = 0;

/**
 * A record like the ones Session Lab writes, with a unique id, made at `Date.now()` and expiring an
 * hour later: every field the Session may write, the device features' included (a public id, the
 * sign-in and last-seen times, the device's user agent and network), so a store that keeps only the
 * fields it knows of fails the checks that read a record back.
 */
export function sampleRecord(overrides: Partial<SessionRecord> = {}): SessionRecord {
  counter += 1;
  const now = Date.now();
  const at = new Date(now).toISOString();
  return {
    sessionId: `conformance-${now.toString(36)}-${counter}-${Math.random().toString(36).slice(2, 10)}`,
    userId: `user-${counter}`,
    expires: new Date(now + 3_600_000).toISOString(),
    createdAt: at,
    data: { visits: counter, cart: ['apple', 'pear'] },
    version: 0,
    publicId: toBase64Url(crypto.getRandomValues(new Uint8Array(16))),
    authenticatedAt: at,
    lastSeenAt: at,
    // A user agent as long as a real one: the record no longer fits the 200 characters a message shows of it.
    device: { userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', ip: '203.0.113.0' },
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
