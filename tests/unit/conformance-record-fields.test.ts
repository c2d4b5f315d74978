/**
 * The suite's records carry every field the Session writes (publicId, authenticatedAt, lastSeenAt,
 * device), so a store that keeps only the fields it knows of fails, and the message names the
 * fields it lost or changed, however long the record is.
 */
import { describe, expect, it } from 'vitest';
import { MemoryStore } from 'sessionlab';
import { CheckFailure, expectSame, isoWithOffset, patchDate, runConformance, sampleRecord, type AnyStore } from 'sessionlab/conformance';
import { WRONG_STORES } from '../fixtures/wrong-stores.ts';

async function verdict(id: string, createStore: () => AnyStore) {
  const [result] = await runConformance({ createStore, only: [id] });
  return result!;
}

function wrongStore(name: string): () => AnyStore {
  const found = WRONG_STORES.find((store) => store.name === name);
  if (!found) throw new Error(`No wrong store named "${name}".`);
  return found.create;
}

/** The message `expectSame` fails with, or null when it passes. */
function messageOf(actual: unknown, expected: unknown, what = 'get()'): string | null {
  try {
    expectSame(actual, expected, what);
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(CheckFailure);
    return (error as CheckFailure).message;
  }
}

describe('sampleRecord', () => {
  it('carries every field the Session writes: a public id, sign-in and last-seen times, device details', () => {
    const record = sampleRecord();
    expect(Object.keys(record).sort()).toEqual(['authenticatedAt', 'createdAt', 'data', 'device', 'expires', 'lastSeenAt', 'publicId', 'sessionId', 'userId', 'version']);
    expect(record.publicId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(record.publicId).not.toBe(sampleRecord().publicId);
    for (const time of [record.authenticatedAt, record.lastSeenAt]) expect(time).toBe(new Date(Date.parse(time!)).toISOString());
    expect(record.device).toEqual({ userAgent: expect.stringMatching(/^Mozilla\/5\.0 .{60,}/), ip: '203.0.113.0' });
  });

  it('is made at the time the store sees, and expires an hour later', () => {
    const restore = patchDate(() => Date.UTC(2030, 0, 1));
    try {
      const record = sampleRecord();
      expect([record.createdAt, record.authenticatedAt, record.lastSeenAt, record.expires]).toEqual([
        '2030-01-01T00:00:00.000Z',
        '2030-01-01T00:00:00.000Z',
        '2030-01-01T00:00:00.000Z',
        '2030-01-01T01:00:00.000Z',
      ]);
    } finally {
      restore();
    }
  });

  it('gives every record its own session id, of lowercase letters, digits and dashes only (safe as a key anywhere), its own user and data, and takes the fields it is given', () => {
    const [first, second] = [sampleRecord(), sampleRecord({ userId: 'alice', data: {} })];
    expect(first.sessionId).not.toBe(second.sessionId);
    expect(first.sessionId).toMatch(/^conformance-[0-9a-z]+-\d+-[0-9a-z]{1,8}$/);
    expect(first.data).toEqual({ visits: expect.any(Number), cart: ['apple', 'pear'] });
    expect(second).toMatchObject({ userId: 'alice', data: {}, version: 0 });
    expect(sampleRecord().userId).not.toBe(sampleRecord().userId);
  });
});

describe('isoWithOffset', () => {
  const at = Date.UTC(2026, 2, 1, 8, 30);

  it('writes the instant in the local time of the offset, with the offset after it', () => {
    expect(isoWithOffset(at, 14 * 60)).toBe('2026-03-01T22:30:00.000+14:00');
    expect(isoWithOffset(at, -12 * 60)).toBe('2026-02-28T20:30:00.000-12:00');
    expect(isoWithOffset(at, 0)).toBe('2026-03-01T08:30:00.000+00:00');
  });

  it('writes offsets of hours and minutes with two digits each', () => {
    expect(isoWithOffset(at, 5 * 60 + 45)).toBe('2026-03-01T14:15:00.000+05:45');
    expect(isoWithOffset(at, -(9 * 60 + 30))).toBe('2026-02-28T23:00:00.000-09:30');
    expect(isoWithOffset(at, 5)).toBe('2026-03-01T08:35:00.000+00:05');
  });

  it('names the same instant it was given, whatever the offset', () => {
    for (const offset of [-720, -570, -1, 0, 1, 345, 840]) expect(Date.parse(isoWithOffset(at, offset)), String(offset)).toBe(at);
  });
});

describe('a store that keeps only the fields it knows of', () => {
  it('fails create-get, naming the fields it dropped', async () => {
    const result = await verdict('create-get', wrongStore('a store that keeps only the fields it knows'));
    expect(result).toMatchObject({ level: 'required', passed: false });
    expect(result.message).toMatch(/^get\(\) after create\(\) returned \{.*, expected \{.*\. What differs: missing fields authenticatedAt, device, lastSeenAt, publicId\.$/);
  });

  it('fails every required check that reads a record back whole', async () => {
    const results = await runConformance({ createStore: wrongStore('a store that keeps only the fields it knows') });
    const failed = results.filter((result) => result.level === 'required' && !result.passed).map((result) => result.id);
    expect(failed).toEqual(['create-get', 'update', 'delete-missing', 'clean-keeps-live', 'clean-compares-instants', 'update-moves-expiry', 'large-unicode']);
  });

  it('fails create-get when it keeps a nested object as text, naming the field and both values', async () => {
    const result = await verdict('create-get', wrongStore('a store that keeps nested objects as text'));
    expect(result).toMatchObject({ passed: false });
    expect(result.message).toMatch(/\. What differs: field device: expected \{"ip":"203\.0\.113\.0","userAgent":"Mozilla\/5\.0 [^,]*…, got "\[object Object\]"\.$/);
  });

  it('fails update when update() writes only the fields it expects a request to change', async () => {
    const result = await verdict('update', wrongStore('an update() that writes only the fields it expects to change'));
    expect(result).toMatchObject({ passed: false });
    expect(result.message).toMatch(/field authenticatedAt: expected "[^"]+", got "[^"]+"; field device\.ip: expected "198\.51\.100\.0", got "203\.0\.113\.0"; field lastSeenAt: expected "[^"]+", got "[^"]+"\.$/);
  });

  it('leaves MemoryStore passing every check', async () => {
    const results = await runConformance({ createStore: () => new MemoryStore() });
    expect(results.filter((result) => !result.passed)).toEqual([]);
  });
});

describe('expectSame, when two records differ', () => {
  const record = sampleRecord();

  it('names a nested field that differs, whatever comes before it', () => {
    const changed = { ...record, device: { ...record.device, userAgent: 'curl/8.5.0' } };
    expect(messageOf(changed, record)).toMatch(/\. What differs: field device\.userAgent: expected "Mozilla\/5\.0 [^"]*…, got "curl\/8\.5\.0"\.$/);
  });

  it('names missing fields, fields that differ and fields nobody wrote, each kind apart', () => {
    const { lastSeenAt: _lost, ...rest } = record;
    const actual = { ...rest, version: 7, data: { ...record.data, cart: ['apple'] }, expiresAt: 1_767_225_600_000 };
    expect(messageOf(actual, record)).toMatch(/\. What differs: missing field lastSeenAt; field data\.cart: expected \["apple","pear"\], got \["apple"\]; field version: expected 0, got 7; unexpected field expiresAt \(1767225600000\)\.$/);
  });

  it('names items of a list by their index when only some differ', () => {
    const actual = { ...record, data: { ...record.data, cart: ['apple', 'plum'] } };
    expect(messageOf(actual, record)).toMatch(/What differs: field data\.cart\[1\]: expected "pear", got "plum"\.$/);
  });

  it('quotes a field name that is not a plain word', () => {
    const expected = { ...record, data: { 'my cart': ['apple'] } };
    const actual = { ...record, data: { 'my cart': ['pear'] } };
    expect(messageOf(actual, expected)).toMatch(/What differs: field data\["my cart"\]\[0\]: expected "apple", got "pear"\.$/);
  });

  it('gives the values of at most three fields that differ, and the names of the rest', () => {
    const expected = { a: 1, b: 2, c: 3, d: 4, e: 5 };
    const actual = { a: 0, b: 0, c: 0, d: 0, e: 0 };
    expect(messageOf(actual, expected)).toBe(
      'get() returned {"a":0,"b":0,"c":0,"d":0,"e":0}, expected {"a":1,"b":2,"c":3,"d":4,"e":5}. What differs: field a: expected 1, got 0; field b: expected 2, got 0; field c: expected 3, got 0; and 2 more fields that differ: d, e.',
    );
  });

  it('cuts a long value in a field to 80 characters', () => {
    const actual = { ...record, data: { note: 'x'.repeat(10_000) } };
    const message = messageOf(actual, record)!;
    expect(message).toMatch(/What differs: missing fields data\.cart, data\.visits; unexpected field data\.note \("x{79}…\)\.$/);
    expect(message.length).toBeLessThan(1_000);
  });

  it('passes records whose fields are in another order', () => {
    const reordered = Object.fromEntries(Object.entries(record).reverse());
    expect(messageOf(reordered, record)).toBeNull();
  });

  it('keeps the message short of field names when the answer is not a record at all', () => {
    expect(messageOf('a string', record)).toMatch(/^get\(\) returned "a string", expected \{[^]*\.$/);
    expect(messageOf('a string', record)).not.toContain('What differs');
    expect(messageOf(null, record)).toMatch(/^get\(\) returned null, expected the record \{/);
  });
});
