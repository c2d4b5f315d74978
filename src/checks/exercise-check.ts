/**
 * What an exercise check is. The shape of the conformance suite's checks (an id, a title, a hint and
 * a `run`), with a richer argument: instead of one store, a `CheckContext` that can make more
 * instances on the same data, restart the server, move the clock and look into IndexedDB. That is
 * what scenario checks need (time travel, a restart, several tabs, requests through a real Session).
 */
import type { AnyStore } from '../session/conformance/index.ts';

export { CheckFailure } from '../session/conformance/index.ts';
export type { AnyStore } from '../session/conformance/index.ts';

export interface ExerciseCheck {
  /** Stable and unique within an exercise; a conformance check keeps its conformance id. */
  id: string;
  title: string;
  /** Why it matters and how to fix it; shown when the check fails. */
  hint: string;
  /** Resolves when the store keeps the promise; throws a `CheckFailure` saying what went wrong when it does not. */
  run(context: CheckContext): Promise<void>;
}

/** A check as a page lists it, before and without running it. */
export type CheckInfo = Pick<ExerciseCheck, 'id' | 'title' | 'hint'>;

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
  /** The time the store sees, through `Date.now()` and `new Date()`. */
  readonly clock: CheckClock;
  /** IndexedDB as this check's stores used it, or null where there is no IndexedDB (Node). */
  readonly indexedDB: CheckIndexedDB | null;
}

/** Virtual time for one check. The real time comes back when the check ends. */
export interface CheckClock {
  /** Now, as the store sees it (ms since the epoch). */
  now(): number;
  /** Moves the store's time forward by `ms`, at once: what a wait of `ms` would do. */
  travel(ms: number): void;
  /** Stops the store's time at `at` (default: now), so a boundary can be hit exactly. */
  freeze(at?: number): void;
}

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

/** The result of one check, as `runConformance` gives them. */
export interface CheckResult {
  id: string;
  title: string;
  passed: boolean;
  /** Why it was not run (a check not run did not pass). */
  skipped?: string;
  /** What went wrong, when it failed. */
  message?: string;
  /** Why it matters and how to fix it. */
  hint: string;
  durationMs: number;
}
