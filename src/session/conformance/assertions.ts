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

/** JSON with sorted keys: equality of what a store keeps, whatever order it keeps fields in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

/** A value as a failure message shows it: canonical JSON, cut at 200 characters. Never throws. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return `a function (${(value as { name?: string }).name || 'anonymous'})`;
  let text: string | undefined;
  try {
    text = canonicalJson(value);
  } catch {
    // A cycle or a BigInt: say what it is rather than fail the message.
  }
  text ??= describeError(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/**
 * Fails unless `actual` is `expected`, field for field (order of fields aside). `what` names the
 * call that answered, e.g. `'get() after update()'`.
 */
export function expectSame(actual: unknown, expected: unknown, what: string): void {
  if (actual === null || actual === undefined) throw new CheckFailure(`${what} returned ${describeValue(actual)}, expected the record ${describeValue(expected)}.`);
  if (canonicalJson(actual) !== canonicalJson(expected)) {
    throw new CheckFailure(`${what} returned ${describeValue(actual)}, expected ${describeValue(expected)}.`);
  }
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
