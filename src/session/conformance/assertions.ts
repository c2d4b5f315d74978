/**
 * How a check fails: a `CheckFailure` whose message shows what the store answered next to what it
 * should have, in the store author's terms. The assertions below throw it; a check may too.
 */
import { describeError } from '../errors.ts';

/**
 * Thrown by a check to fail with a message for the store's author. Anything else a check throws is
 * reported as the store having thrown it.
 *
 * @example
 * if ((await store.clean()) !== 3) throw new CheckFailure('clean() should have removed three sessions.');
 */
export class CheckFailure extends Error {
  override readonly name = 'CheckFailure';
}

/**
 * Thrown by a check that needs an optional method (`all`, `listByUser`, `compareAndSet`…) the store
 * does not offer: the result is "not offered" (`skipped: 'not-offered'`, the method in `notOffered`),
 * neither a pass nor a failure. A required check that throws it fails: what a check requires, a
 * store must have. `expectOffered` throws it.
 */
export class NotOffered extends Error {
  override readonly name = 'NotOffered';
  /** The method the store does not offer, e.g. `'compareAndSet'`. */
  readonly method: string;

  constructor(method: string, message: string) {
    super(message);
    this.method = method;
  }
}

/**
 * Throws `NotOffered` unless `store` has a method `method`. `without` says what the store's users
 * miss without it; it ends the message.
 *
 * @example
 * expectOffered(store, 'listByUser', '"sign out everywhere" cannot find a user\'s sessions');
 */
export function expectOffered<S extends object, M extends string>(store: S, method: M, without: string): asserts store is S & Record<M, (...args: never[]) => unknown> {
  if (typeof (store as Record<string, unknown>)[method] !== 'function') throw new NotOffered(method, `The store has no ${method}(): ${without}.`);
}

/**
 * JSON with sorted keys: equality of what a store keeps, whatever order it keeps fields in. A Date
 * is written `a Date: <its ISO text>`, never as the ISO string it would turn into: a store that
 * answers `expires` as a Date (a driver's timestamp column) gives the Session something it refuses.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, inner: unknown) {
    if (this[key] instanceof Date) return `a Date: ${String(inner)}`;
    return inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner;
  });
}

/** A value as a failure message shows it: canonical JSON, cut at 200 characters. Never throws. */
export function describeValue(value: unknown): string {
  return describeCut(value, 200);
}

function describeCut(value: unknown, max: number): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return `a function (${(value as { name?: string }).name || 'anonymous'})`;
  let text: string | undefined;
  try {
    text = canonicalJson(value);
  } catch {
    // A cycle or a BigInt: say what it is rather than fail the message.
  }
  text ??= describeError(value);
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/**
 * Fails unless `actual` is `expected`, field for field (order of fields aside). `what` names the
 * call that answered, e.g. `'get() after update()'`. When both are records, the message also names
 * the fields that differ (`field device.userAgent: expected "…", got "…"`): a record of a few hundred
 * characters shows only its start, and the difference may lie past it.
 */
export function expectSame(actual: unknown, expected: unknown, what: string): void {
  compareWith(actual, actual, expected, what, '');
}

/**
 * `expectSame` for a session record whose `expires` may come back written another way: one instant
 * can be written with any UTC offset, and a store that keeps the expiry as an instant (a timestamptz
 * column, a number) answers `…Z` for an expiry it was given as `…-12:00`. So `expires` passes when
 * `Date.parse` reads the same instant from both; every other field must be exactly as expected. An
 * `expires` that is another instant, or not a date at all, fails, and the message says which.
 *
 * @example
 * expectSameSession(await store.get(live.sessionId), live, 'get() after clean()');
 */
export function expectSameSession(actual: unknown, expected: unknown, what: string): void {
  if (!isRecord(actual) || !isRecord(expected)) return expectSame(actual, expected, what);
  const want = expected['expires'];
  const got = actual['expires'];
  if (instantOf(got) !== null && instantOf(got) === instantOf(want)) return compareWith(actual, { ...actual, expires: want }, expected, what, '');
  compareWith(actual, actual, expected, what, canonicalJson(got) === canonicalJson(want) ? '' : expiryNote(got, want));
}

/**
 * Fails unless `compared` is `expected`; the message shows `actual`, what the store answered, and
 * names the fields in which `compared` differs, then adds `note`.
 */
function compareWith(actual: unknown, compared: unknown, expected: unknown, what: string, note: string): void {
  if (actual === null || actual === undefined) throw new CheckFailure(`${what} returned ${describeValue(actual)}, expected the record ${describeValue(expected)}.`);
  if (canonicalJson(compared) !== canonicalJson(expected)) {
    const differences = isRecord(compared) && isRecord(expected) ? ` What differs: ${describeDifferences(compared, expected)}.` : '';
    throw new CheckFailure(`${what} returned ${describeValue(actual)}, expected ${describeValue(expected)}.${differences}${note}`);
  }
}

/** The instant a string expiry is (`Date.parse`), or null when it is not a string or not a date. */
function instantOf(value: unknown): number | null {
  const at = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isNaN(at) ? null : at;
}

/** Why an `expires` that is not the expected one fails although any UTC offset would do. */
function expiryNote(got: unknown, want: unknown): string {
  const wanted = instantOf(want);
  if (wanted === null) return '';
  const answered = instantOf(got);
  const gotText =
    answered !== null
      ? `${new Date(answered).toISOString()}, another instant`
      : `${describeCut(got, FIELD_VALUE_LENGTH)}, ${typeof got === 'string' ? 'which is not a date' : 'not an ISO 8601 string'}`;
  return ` expires may come back written with another UTC offset, but it must be the same instant: expected ${new Date(wanted).toISOString()}, got ${gotText}.`;
}

/** How many differing fields a message gives the values of; the rest it names. */
const SHOWN = 3;
/** How long a field's value may be in a message. */
const FIELD_VALUE_LENGTH = 80;
/** How deep into nested objects and lists fields are named; below, a nested value differs as a whole. */
const DEPTH = 8;

interface Differences {
  missing: string[];
  changed: Array<{ path: string; expected: unknown; actual: unknown }>;
  unexpected: Array<{ path: string; actual: unknown }>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `missing fields a, b; field c: expected 1, got 0; unexpected field d (2)`, fields in key order. */
function describeDifferences(actual: Record<string, unknown>, expected: Record<string, unknown>): string {
  const found: Differences = { missing: [], changed: [], unexpected: [] };
  collectDifferences(actual, expected, '', 0, found);
  const plural = (count: number): string => (count === 1 ? 'field' : 'fields');
  const parts: string[] = [];
  if (found.missing.length > 0) parts.push(`missing ${plural(found.missing.length)} ${found.missing.join(', ')}`);
  for (const { path, expected: want, actual: got } of found.changed.slice(0, SHOWN)) {
    parts.push(`field ${path}: expected ${describeCut(want, FIELD_VALUE_LENGTH)}, got ${describeCut(got, FIELD_VALUE_LENGTH)}`);
  }
  const rest = found.changed.slice(SHOWN);
  if (rest.length > 0) parts.push(`and ${rest.length} more ${plural(rest.length)} that ${rest.length === 1 ? 'differs' : 'differ'}: ${rest.map(({ path }) => path).join(', ')}`);
  if (found.unexpected.length > 0) {
    const listed = found.unexpected.map(({ path, actual: got }) => `${path} (${describeCut(got, FIELD_VALUE_LENGTH)})`).join(', ');
    parts.push(`unexpected ${plural(found.unexpected.length)} ${listed}`);
  }
  return parts.join('; ');
}

function collectDifferences(actual: unknown, expected: unknown, path: string, depth: number, found: Differences): void {
  if (canonicalJson(actual) === canonicalJson(expected)) return;
  if (expected === undefined) {
    found.unexpected.push({ path, actual });
  } else if (actual === undefined) {
    found.missing.push(path);
  } else if (depth < DEPTH && isRecord(actual) && isRecord(expected)) {
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
    for (const key of keys) collectDifferences(actual[key], expected[key], fieldPath(path, key), depth + 1, found);
  } else if (depth < DEPTH && Array.isArray(actual) && Array.isArray(expected) && actual.length === expected.length) {
    actual.forEach((item, index) => collectDifferences(item, expected[index], `${path}[${index}]`, depth + 1, found));
  } else {
    found.changed.push({ path, expected, actual });
  }
}

/** `device.userAgent`, or `data["my cart"]` for a key that is not a plain word. */
function fieldPath(parent: string, key: string): string {
  if (!/^[A-Za-z_$][\w$]*$/.test(key)) return `${parent}[${JSON.stringify(key)}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

/** Fails unless `actual` is null or undefined: no record. `why`, when given, ends the message. */
export function expectAbsent(actual: unknown, what: string, why = ''): void {
  if (actual !== null && actual !== undefined) {
    throw new CheckFailure(`${what} returned ${describeValue(actual)}, expected null${why ? `: ${why}` : '.'}`);
  }
}

/**
 * Awaits a store call and names it when it throws, so the message says which call failed and how.
 *
 * @example
 * const found = await callStore('get() after create()', () => store.get(id));
 */
export async function callStore<T>(what: string, body: () => T | Promise<T>): Promise<Awaited<T>> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof CheckFailure) throw error;
    throw new CheckFailure(`${what} threw ${describeError(error)}.`);
  }
}
