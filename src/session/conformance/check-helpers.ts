/**
 * What several checks share: their clock, a look at the store through `all()` (which no lazily
 * expiring `get()` can filter), and the store's claim that its backend expires records by itself.
 */
import type { ISessionData } from '../types.ts';
import { CheckFailure, describeValue, expectSame } from './assertions.ts';
import { ClockControl } from './clock-control.ts';
import type { AnyStore, ConformanceCheckContext } from './conformance-check.ts';

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Runs `body` with the runner's clock, or with a clock of its own that it restores afterwards. */
export async function withClock(context: ConformanceCheckContext | undefined, body: (clock: ClockControl) => Promise<void>): Promise<void> {
  if (context) return body(context.clock);
  const clock = new ClockControl();
  try {
    await body(clock);
  } finally {
    clock.restore();
  }
}

/**
 * Whether the store says its backend removes a record by itself at its `expires` (Redis's `PXAT`):
 * `expiresRecordsItself === true` on the instance or on its class. The suite verifies the claim.
 */
export function claimsToExpireRecordsItself(store: AnyStore): boolean {
  const own = (store as { expiresRecordsItself?: unknown }).expiresRecordsItself;
  const ofClass = (store?.constructor as { expiresRecordsItself?: unknown } | undefined)?.expiresRecordsItself;
  return own === true || ofClass === true;
}

/**
 * When the store has `all()`: fails if it lists any of `records`. `what` says why none should be
 * there (e.g. "after clean()"). A store without `all()` passes.
 */
export async function expectNotListed(store: AnyStore, records: readonly ISessionData[], what: string): Promise<void> {
  if (typeof store.all !== 'function') return;
  const listed: unknown = await store.all();
  if (!Array.isArray(listed)) throw new CheckFailure(`all() returned ${describeValue(listed)}, expected an array of records.`);
  const ids = new Set(records.map((record) => record.sessionId));
  const found = listed.filter((entry: ISessionData | null) => ids.has(entry?.sessionId as string));
  if (found.length > 0) {
    throw new CheckFailure(`all() ${what} still lists ${describeValue(found)}: the store still holds ${found.length === 1 ? 'it' : 'them'}.`);
  }
}

/**
 * When the store has `all()`: fails unless it lists `record` exactly once, as it is now (an update
 * that adds a record instead of replacing one keeps the old one forever). A store without `all()` passes.
 */
export async function expectListedOnce(store: AnyStore, record: ISessionData, what: string): Promise<void> {
  if (typeof store.all !== 'function') return;
  const listed: unknown = await store.all();
  if (!Array.isArray(listed)) throw new CheckFailure(`all() returned ${describeValue(listed)}, expected an array of records.`);
  const found = listed.filter((entry: ISessionData | null) => entry?.sessionId === record.sessionId);
  if (found.length !== 1) throw new CheckFailure(`all() ${what} lists the session ${found.length} times, expected once: ${describeValue(found)}.`);
  expectSame(found[0], record, `all() ${what}`);
}

/** A promise that resolves after `ms` of real time (timers are never patched). */
export function realDelay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
