/**
 * The assertions checks fail with: what a failure message shows of a value, how two records are
 * compared and their differences named, and how a store call that throws is reported.
 */
import { describe, expect, it } from 'vitest';
import { CheckFailure, callStore, canonicalJson, describeValue, expectAbsent, expectSame } from 'sessionlab/conformance';
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

describe('CheckFailure', () => {
  it('is an Error named CheckFailure', () => {
    expect(new CheckFailure('x')).toMatchObject({ name: 'CheckFailure', message: 'x' });
    expect(new CheckFailure('x')).toBeInstanceOf(Error);
  });
});

describe('canonicalJson', () => {
  it('sorts the keys of every object, nested ones too, and leaves lists in their order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1], c: null } })).toBe('{"a":{"c":null,"d":[3,1]},"b":1}');
  });

  it('writes a Date apart from the ISO string it would turn into, at any depth', () => {
    const at = new Date('2026-01-01T09:00:00.000Z');
    expect(canonicalJson({ expires: at })).toBe('{"expires":"a Date: 2026-01-01T09:00:00.000Z"}');
    expect(canonicalJson(at)).toBe('"a Date: 2026-01-01T09:00:00.000Z"');
    expect(canonicalJson({ data: { list: [at] } })).not.toBe(canonicalJson({ data: { list: [at.toISOString()] } }));
  });
});

describe('describeValue', () => {
  it('shows a value as canonical JSON', () => {
    expect(describeValue({ z: 1, a: 'x' })).toBe('{"a":"x","z":1}');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue(null)).toBe('null');
  });

  it('shows 200 characters whole, and cuts longer values there', () => {
    const exactly = 'x'.repeat(198); // 200 characters with its quotes
    expect(describeValue(exactly)).toBe(`"${exactly}"`);
    expect(describeValue(`${exactly}y`)).toBe(`"${exactly}y…`);
  });

  it('names a function rather than showing nothing', () => {
    expect(describeValue(function answer() {})).toBe('a function (answer)');
    expect(describeValue(Object.defineProperty(() => {}, 'name', { value: '' }))).toBe('a function (anonymous)');
  });

  it('describes what JSON cannot hold instead of throwing', () => {
    const loop: Record<string, unknown> = { name: 'loop' };
    loop['self'] = loop;
    expect(describeValue(loop)).toBe('[object Object]');
    expect(describeValue(10n)).toBe('10');
  });
});

describe('expectSame', () => {
  it('passes equal records, and lists, whatever order their fields are in', () => {
    expect(() => expectSame({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 }, 'get()')).not.toThrow();
    expect(() => expectSame([{ a: 1 }], [{ a: 1 }], 'all()')).not.toThrow();
  });

  it('fails a record whose expires came back a Date, though the same instant: the Session refuses such a record', () => {
    const stored = { sessionId: 's1', userId: 'ada', expires: '2026-01-01T09:00:00.000Z' };
    const message = failureOf(() => expectSame({ ...stored, expires: new Date(stored.expires) }, stored, 'get()'));
    expect(message).toContain('field expires: expected "2026-01-01T09:00:00.000Z", got "a Date: 2026-01-01T09:00:00.000Z"');
  });

  it('fails a missing answer, showing the record it expected', () => {
    expect(failureOf(() => expectSame(undefined, { a: 1 }, 'get()'))).toBe('get() returned undefined, expected the record {"a":1}.');
    expect(failureOf(() => expectSame(null, { a: 1 }, 'get()'))).toBe('get() returned null, expected the record {"a":1}.');
  });

  it('fails lists that differ without naming fields: they are not records', () => {
    expect(failureOf(() => expectSame([1], [2], 'all()'))).toBe('all() returned [1], expected [2].');
  });

  it('names one more field that differs in the singular, and unexpected fields in the plural', () => {
    const message = failureOf(() => expectSame({ a: 0, b: 0, c: 0, d: 0, x: 1, y: 2 }, { a: 1, b: 1, c: 1, d: 1 }, 'get()'));
    expect(message).toMatch(/; and 1 more field that differs: d; unexpected fields x \(1\), y \(2\)\.$/);
  });

  it('names fields as deep as eight levels, and below that the object that differs', () => {
    const nest = (depth: number, leaf: unknown): unknown => (depth === 0 ? leaf : { n: nest(depth - 1, leaf) });
    expect(failureOf(() => expectSame(nest(3, 1), nest(3, 2), 'get()'))).toMatch(/What differs: field n\.n\.n: expected 2, got 1\.$/);
    expect(failureOf(() => expectSame(nest(10, 1), nest(10, 2), 'get()'))).toMatch(/What differs: field n\.n\.n\.n\.n\.n\.n\.n: expected \{"n":\{"n":2\}\}, got \{"n":\{"n":1\}\}\.$/);
  });

  it('names a field that is null on one side and an object or list on the other', () => {
    expect(failureOf(() => expectSame({ data: null }, { data: { a: 1 } }, 'get()'))).toMatch(/What differs: field data: expected \{"a":1\}, got null\.$/);
    expect(failureOf(() => expectSame({ a: 1 }, null, 'get()'))).toBe('get() returned {"a":1}, expected null.');
  });

  it('names a list that came back as text of the same length as a whole', () => {
    expect(failureOf(() => expectSame({ cart: 'ap' }, { cart: ['a', 'p'] }, 'get()'))).toMatch(/What differs: field cart: expected \["a","p"\], got "ap"\.$/);
  });

  it('names text that came back as a list of its characters as a whole', () => {
    expect(failureOf(() => expectSame({ note: ['h', 'i'] }, { note: 'hi' }, 'get()'))).toMatch(/What differs: field note: expected "hi", got \["h","i"\]\.$/);
  });

  it('names items of nested lists as deep as eight levels, and below that the list that differs', () => {
    const nest = (depth: number, leaf: unknown): unknown => (depth === 0 ? leaf : [nest(depth - 1, leaf)]);
    expect(failureOf(() => expectSame({ l: nest(10, 1) }, { l: nest(10, 2) }, 'get()'))).toMatch(/What differs: field l\[0\]\[0\]\[0\]\[0\]\[0\]\[0\]\[0\]: expected \[\[\[2\]\]\], got \[\[\[1\]\]\]\.$/);
  });

  it('writes a key that is not a plain word in brackets, and one with $ or _ plainly', () => {
    const message = failureOf(() => expectSame({ '1st': 1, $id: 1, _v: 1 }, { '1st': 2, $id: 2, _v: 2 }, 'get()'));
    expect(message).toMatch(/What differs: field \$id: expected 2, got 1; field \["1st"\]: expected 2, got 1; field _v: expected 2, got 1\.$/);
  });
});

describe('expectSameSession', () => {
  const written = { sessionId: 's', userId: 'ada', expires: '2026-01-01T23:00:00.000+14:00', version: 1 };

  it('passes an expires written with another UTC offset, or another ISO 8601 form, for the same instant', () => {
    expect(() => expectSameSession({ ...written, expires: '2026-01-01T09:00:00.000Z' }, written, 'get()')).not.toThrow();
    expect(() => expectSameSession({ ...written, expires: '2026-01-01T09:00:00Z' }, written, 'get()')).not.toThrow();
    expect(() => expectSameSession({ ...written, expires: '2025-12-31T21:00:00.000-12:00' }, written, 'get()')).not.toThrow();
  });

  it('compares every other field exactly, and names only the ones that differ', () => {
    const message = failureOf(() => expectSameSession({ ...written, expires: '2026-01-01T09:00:00.000Z', version: 0 }, written, 'get()'));
    expect(message).toMatch(/^get\(\) returned \{"expires":"2026-01-01T09:00:00\.000Z",.*\. What differs: field version: expected 1, got 0\.$/);
  });

  it('fails another instant, naming expires and both instants in UTC', () => {
    const message = failureOf(() => expectSameSession({ ...written, expires: '2026-01-01T23:00:00.000Z' }, written, 'get()'));
    expect(message).toMatch(
      /What differs: field expires: expected "2026-01-01T23:00:00\.000\+14:00", got "2026-01-01T23:00:00\.000Z"\. expires may come back written with another UTC offset, but it must be the same instant: expected 2026-01-01T09:00:00\.000Z, got 2026-01-01T23:00:00\.000Z, another instant\.$/,
    );
  });

  it('fails an expires that is not a date, or not a string', () => {
    expect(failureOf(() => expectSameSession({ ...written, expires: 'soon' }, written, 'get()'))).toMatch(/, got "soon", which is not a date\.$/);
    expect(failureOf(() => expectSameSession({ ...written, expires: Date.UTC(2026, 0, 1, 9) }, written, 'get()'))).toMatch(/, got 1767258000000, not an ISO 8601 string\.$/);
    expect(failureOf(() => expectSameSession({ sessionId: 's', userId: 'ada', version: 1 }, written, 'get()'))).toMatch(/What differs: missing field expires\. .*, got undefined, not an ISO 8601 string\.$/);
  });

  it('compares an expires that is not a date exactly, and fails a missing answer as expectSame does', () => {
    const unreadable = { ...written, expires: 'not a date' };
    expect(() => expectSameSession({ ...unreadable }, unreadable, 'get()')).not.toThrow();
    expect(failureOf(() => expectSameSession({ ...unreadable, expires: 'Not a date' }, unreadable, 'get()'))).toMatch(/What differs: field expires: expected "not a date", got "Not a date"\.$/);
    expect(failureOf(() => expectSameSession(null, written, 'get()'))).toBe(`get() returned null, expected the record ${describeValue(written)}.`);
  });
});

describe('expectAbsent', () => {
  it('passes null and undefined, and fails anything else with the reason at the end', () => {
    expect(() => expectAbsent(null, 'get()')).not.toThrow();
    expect(() => expectAbsent(undefined, 'get()')).not.toThrow();
    expect(failureOf(() => expectAbsent(0, 'get()'))).toBe('get() returned 0, expected null.');
    expect(failureOf(() => expectAbsent({ a: 1 }, 'get()', 'it expired'))).toBe('get() returned {"a":1}, expected null: it expired');
  });
});

describe('callStore', () => {
  it('resolves to what the store answered, sync or async', async () => {
    await expect(callStore('get()', () => 1)).resolves.toBe(1);
    await expect(callStore('get()', async () => 2)).resolves.toBe(2);
  });

  it('names the call when the store throws or rejects', async () => {
    await expect(callStore('get()', () => Promise.reject(new TypeError('no table')))).rejects.toThrow(new CheckFailure('get() threw TypeError: no table.'));
    await expect(
      callStore('get()', () => {
        throw new RangeError('too big');
      }),
    ).rejects.toBeInstanceOf(CheckFailure);
  });

  it('passes a CheckFailure through as it is', async () => {
    const failure = new CheckFailure('get() returned nonsense.');
    await expect(callStore('get()', () => Promise.reject(failure))).rejects.toBe(failure);
  });
});

/** A record written with a UTC offset, as clean-compares-instants writes the live one. */
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
