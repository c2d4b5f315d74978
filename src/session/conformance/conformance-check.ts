/** What a conformance check is, and the store it runs on. */
import type { BaseSessionStore } from '../stores/base-session-store.ts';
import type { CheckLevel } from './run-checks.ts';
import type { ClockControl } from './clock-control.ts';

/** The store under test, loosely typed: a reader's store may be wrong in any way. */
export type AnyStore = BaseSessionStore<any>;

/** What the runner gives a conformance check besides the store. */
export interface ConformanceCheckContext {
  /**
   * The time the store sees through `Date`. The runner restores it after the check; a check run
   * without one makes its own and restores it before it returns.
   */
  clock: ClockControl;
}

/** One check of the conformance suite. */
export interface ConformanceCheck {
  id: string;
  title: string;
  level: CheckLevel;
  /** Why it matters and how to fix it; shown when the check fails. */
  hint: string;
  /** Resolves when `store` keeps the promise; throws a `CheckFailure` saying what went wrong when it does not. */
  run(store: AnyStore, context?: ConformanceCheckContext): Promise<void>;
}
