/**
 * The Lab's virtual clock: real time plus an offset, which the reader moves forward ("jump") or
 * stops ("pause") to watch sessions and cookies expire without waiting. The page keeps the clock;
 * the server worker and the cookie jar read the same time from its `ClockState`.
 */
import type { Clock } from '../session/index.ts';

/**
 * Everything needed to tell virtual time from real time, small enough to post to a worker. Page and
 * worker share the wall clock (`Date.now()`), so the same state gives the same time on both sides.
 */
export interface ClockState {
  /** Virtual minus real time, in ms, while the clock runs. */
  offset: number;
  /** The virtual time the clock stopped at, or null while it runs. */
  pausedAt: number | null;
}

/** A change the reader made to the clock. */
export type ClockChange = { step: 'jump'; byMs: number } | { step: 'pause' } | { step: 'resume' };

export interface VirtualClockOptions {
  /** Where real time comes from. Default `Date.now`. */
  realNow?: () => number;
}

/** Virtual time for `state` when the real time is `realNow`. */
export function virtualTime(state: ClockState, realNow: number): number {
  return state.pausedAt ?? realNow + state.offset;
}

/**
 * A clock that runs with real time until told otherwise. Paused, virtual time stands still (a jump
 * still moves it).
 *
 * @example
 * const clock = new VirtualClock();
 * clock.jump(31 * 60_000); // half an hour later, at once
 */
export class VirtualClock implements Clock {
  readonly #realNow: () => number;
  readonly #listeners = new Set<(change: ClockChange) => void>();
  #state: ClockState = { offset: 0, pausedAt: null };

  constructor(options: VirtualClockOptions = {}) {
    this.#realNow = options.realNow ?? Date.now;
  }

  /** Virtual now, ms since the epoch. */
  now(): number {
    return virtualTime(this.#state, this.#realNow());
  }

  get paused(): boolean {
    return this.#state.pausedAt !== null;
  }

  /** A copy of the state, for the server worker. */
  state(): ClockState {
    return { ...this.#state };
  }

  /** Moves virtual time forward by `ms` at once. Time only moves forward: what expired stays expired. */
  jump(ms: number): void {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`jump(ms) needs a finite number of milliseconds, 0 or more; got ${String(ms)}. For half an hour: jump(30 * 60_000).`);
    }
    const { offset, pausedAt } = this.#state;
    this.#state = pausedAt === null ? { offset: offset + ms, pausedAt } : { offset, pausedAt: pausedAt + ms };
    this.#emit({ step: 'jump', byMs: ms });
  }

  /** Stops virtual time. Does nothing when already paused. */
  pause(): void {
    if (this.paused) return;
    this.#state = { offset: this.#state.offset, pausedAt: this.now() };
    this.#emit({ step: 'pause' });
  }

  /** Lets virtual time run again from where it stopped. Does nothing when running. */
  resume(): void {
    const { pausedAt } = this.#state;
    if (pausedAt === null) return;
    this.#state = { offset: pausedAt - this.#realNow(), pausedAt: null };
    this.#emit({ step: 'resume' });
  }

  /** Calls `listener` after each jump, pause and resume. Returns an unsubscribe function. */
  on(listener: (change: ClockChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit(change: ClockChange): void {
    for (const listener of this.#listeners) listener(change);
  }
}
