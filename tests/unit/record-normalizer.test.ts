/**
 * What the Session makes of each kind of record a store hands back: a complete one as it is, a
 * damaged or three-field one filled in, fail closed, and which fields the event says are missing.
 */
import { describe, expect, it } from 'vitest';
import type { SessionEventOf, SessionRecord } from 'sessionlab';
import { ParsedTimes } from '../../src/session/parsed-times.ts';
import { RecordNormalizer } from '../../src/session/record-normalizer.ts';
import { SessionEvents } from '../../src/session/session-events.ts';
import { ManualClock } from '../support/harness.ts';

const HOUR = 3_600_000;
const ABSOLUTE = 8 * HOUR;
const EXPIRES = '2026-03-01T09:30:00.000Z';
const complete: SessionRecord = { sessionId: 'key', userId: 'ada', expires: EXPIRES, createdAt: '2026-03-01T09:00:00.000Z', data: { cart: [] }, version: 4 };

function normalizer() {
  const events = new SessionEvents(new ManualClock());
  const told: SessionEventOf<'record-incomplete'>[] = [];
  events.on('record-incomplete', (event) => told.push(event));
  return { normalizer: new RecordNormalizer(events, new ParsedTimes(16), ABSOLUTE), told };
}

describe('a record from the store', () => {
  it('is used as it is when complete, and nothing is said', () => {
    const { normalizer: n, told } = normalizer();
    expect(n.normalize(complete)).toBe(complete);
    expect(told).toEqual([]);
  });

  it('with only FluidAuth\'s three fields gets empty data, version 0 and the creation time that makes its expiry its absolute end', () => {
    const { normalizer: n } = normalizer();
    expect(n.normalize({ sessionId: 'key', userId: 'ada', expires: EXPIRES })).toEqual({
      sessionId: 'key',
      userId: 'ada',
      expires: EXPIRES,
      createdAt: new Date(Date.parse(EXPIRES) - ABSOLUTE).toISOString(),
      data: {},
      version: 0,
    });
  });

  it('keeps the fields it has when another is missing', () => {
    const { normalizer: n } = normalizer();
    const { version: _version, ...withoutVersion } = complete;
    expect(n.normalize(withoutVersion)).toEqual({ ...complete, version: 0 });
    const { data: _data, ...withoutData } = complete;
    expect(n.normalize(withoutData)).toEqual({ ...complete, data: {} });
  });

  it.each([
    ['data that is null', { data: null }, { data: {} }],
    ['data that is a list', { data: ['a'] }, { data: {} }],
    ['data that is a string', { data: 'cart' }, { data: {} }],
    ['a version that is not a number', { version: '4' }, { version: 0 }],
    ['a version that is not finite', { version: Number.NaN }, { version: 0 }],
    ['a creation time that is not a time', { createdAt: 'yesterday' }, { createdAt: new Date(Date.parse(EXPIRES) - ABSOLUTE).toISOString() }],
    ['a creation time that is not a string', { createdAt: Date.parse(complete.createdAt) }, { createdAt: new Date(Date.parse(EXPIRES) - ABSOLUTE).toISOString() }],
  ])('with %s has it replaced', (_, damage, repaired) => {
    const { normalizer: n } = normalizer();
    expect(n.normalize({ ...complete, ...damage } as never)).toEqual({ ...complete, ...repaired });
  });

  it('without a creation time nor a readable expiry counts its absolute end from the epoch: it has ended', () => {
    const { normalizer: n } = normalizer();
    const { createdAt } = n.normalize({ sessionId: 'key', userId: 'ada', expires: 'never' });
    expect(createdAt).toBe(new Date(-ABSOLUTE).toISOString());
  });
});

describe('the record-incomplete event', () => {
  it('names exactly the missing fields, once per Session', () => {
    const { normalizer: n, told } = normalizer();
    n.normalize({ ...complete, version: 'x' } as never);
    n.normalize({ sessionId: 'other', userId: 'bob', expires: EXPIRES });
    expect(told.map(({ sessionId, userId, missing }) => ({ sessionId, userId, missing }))).toEqual([
      { sessionId: 'key', userId: 'ada', missing: ['version'] },
    ]);
  });

  it('names all three for a three-field record', () => {
    const { normalizer: n, told } = normalizer();
    n.normalize({ sessionId: 'key', userId: 'ada', expires: EXPIRES });
    expect(told.map((event) => event.missing)).toEqual([['createdAt', 'data', 'version']]);
  });
});
