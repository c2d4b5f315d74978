/**
 * What an exercise check is: a check of the library's engine (`Check` from sessionlab/conformance:
 * an id, a title, a level when it has one, a hint and a `run`), with a richer argument. Instead of
 * one store, a `CheckContext` that can make more instances on the same data, restart the server,
 * move the clock and look into IndexedDB. That is what scenario checks need (time travel, a restart,
 * several tabs, requests through a real Session).
 */
import type { AnyStore, Check, ClockControl } from '../session/conformance/index.ts';

export { CheckFailure } from '../session/conformance/index.ts';
export type { AnyStore, CheckLevel, CheckResult } from '../session/conformance/index.ts';

/** A check of an exercise: a conformance check keeps its conformance id and level. */
export type ExerciseCheck = Check<CheckContext>;

/** A check as a page lists it, before and without running it. */
export type CheckInfo = Pick<ExerciseCheck, 'id' | 'title' | 'hint' | 'level'>;

/** What a check can do with the reader's store. Everything is undone after the check. */
export interface CheckContext {
  /**
   * An instance of the reader's store. The first call of a check starts on empty data; each later
   * call is one more instance on the same data, alive at the same time (another tab, another worker).
   */
  createStore(): Promise<AnyStore>;
  /**
   * The server restarts: every IndexedDB connection opened so far is closed (the old process is gone)
   * and a new instance is made, as the restarted server makes it. A durable store sees the same data.
   */
  restart(): Promise<AnyStore>;
  /**
   * The time the store sees, through `Date.now()` and `new Date()`: the check's own clock, the one
   * the conformance suite runs on. The real time comes back when the check ends.
   */
  readonly clock: CheckClock;
  /** IndexedDB as this check's stores used it, or null where there is no IndexedDB (Node). */
  readonly indexedDB: CheckIndexedDB | null;
}

/** The check's clock: sessionlab/conformance's `ClockControl`, which the runner installs and restores. */
export type CheckClock = ClockControl;

export interface CheckIndexedDB {
  /** Every database the check's stores asked to open, read now: object stores, indexes and values (none while still opening). */
  databases(): Promise<DatabaseSnapshot[]>;
  /** Runs `body` and counts the records it read from IndexedDB (values and keys a request or cursor returned). */
  countReads<T>(body: () => Promise<T>): Promise<{ result: T; reads: number }>;
}

export interface DatabaseSnapshot {
  /** The name the reader's code gave it. */
  name: string;
  version: number;
  stores: ObjectStoreSnapshot[];
}

export interface ObjectStoreSnapshot {
  name: string;
  keyPath: string | string[] | null;
  indexes: { name: string; keyPath: string | string[] }[];
  /** The stored values (at most the first 1000). */
  values: unknown[];
  /** The primary keys, in the same order. */
  keys: IDBValidKey[];
}
