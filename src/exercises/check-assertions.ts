/**
 * The few assertions exercise checks make, each failing with a `CheckFailure` whose message shows
 * what the store returned next to what it should have, in the reader's terms.
 */
import { canonicalJson } from '../session/conformance/index.ts';
import { CheckFailure } from './exercise-check.ts';

/** A value as a message shows it: canonical JSON, cut at 200 characters. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return `a function (${(value as { name?: string }).name || 'anonymous'})`;
  let text: string;
  try {
    text = canonicalJson(value);
  } catch {
    text = String(value);
  }
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** Fails unless `actual` is `expected`, field for field (order of fields aside). */
export function expectRecord(actual: unknown, expected: unknown, what: string): void {
  if (actual === null || actual === undefined) {
    throw new CheckFailure(`${what} returned ${describeValue(actual)}, expected the record ${describeValue(expected)}.`);
  }
  if (canonicalJson(actual) !== canonicalJson(expected)) {
    throw new CheckFailure(`${what} returned ${describeValue(actual)}, expected ${describeValue(expected)}.`);
  }
}

/** Fails unless `actual` is null or undefined: no record. */
export function expectNoRecord(actual: unknown, what: string, why = ''): void {
  if (actual !== null && actual !== undefined) {
    throw new CheckFailure(`${what} returned ${describeValue(actual)}, expected null${why ? `: ${why}` : '.'}`);
  }
}

/** Awaits a store call and names it when it throws, so the message says which call failed and how. */
export async function call<T>(what: string, body: () => T | Promise<T>): Promise<Awaited<T>> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof CheckFailure) throw error;
    throw new CheckFailure(`${what} threw ${error instanceof Error ? `${error.name}: ${error.message}` : describeValue(error)}.`);
  }
}
