/**
 * expectSameSession, the comparison clean-compares-instants makes of the live session get() answers:
 * what it accepts as the same expiry, and what it still fails, with the words a store author reads.
 */
import { describe, expect, it } from 'vitest';
import { CheckFailure } from 'sessionlab/conformance';
import { expectSameSession } from '../../src/session/conformance/assertions.ts';

/** The message `body` fails with. */
function failureOf(body: () => void): string {
  try {
    body();
  } catch (error) {
    expect(error).toBeInstanceOf(CheckFailure);
    return (error as CheckFailure).message;
  }
  throw new Error('It did not fail.');
}

const written = { sessionId: 's', userId: 'ada', expires: '2026-01-01T23:00:00.000+14:00', version: 1 };

describe('expectSameSession, for an expires that is not an ISO 8601 string', () => {
  it('fails a Date object (as a driver answers a timestamp column), even for the same instant', () => {
    const message = failureOf(() => expectSameSession({ ...written, expires: new Date('2026-01-01T09:00:00.000Z') }, written, 'get()'));
    expect(message).toMatch(/What differs: field expires: expected "2026-01-01T23:00:00\.000\+14:00", got "a Date: 2026-01-01T09:00:00\.000Z"\. .*, got "a Date: 2026-01-01T09:00:00\.000Z", not an ISO 8601 string\.$/);
  });
});

describe('expectSameSession, for an expires that is the same text but not a date', () => {
  it('names only the other field that differs, and adds nothing about expires', () => {
    const unreadable = { ...written, expires: 'not a date' };
    const message = failureOf(() => expectSameSession({ ...unreadable, version: 0 }, unreadable, 'get()'));
    expect(message).toMatch(/\. What differs: field version: expected 1, got 0\.$/);
  });
});
