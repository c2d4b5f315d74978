/**
 * Control of the time code reads through the global `Date` (`Date.now()`, `new Date()`, `Date()`):
 * what lets a check look at a store at a moment of its choosing, and what lets a simulated server
 * run on a virtual clock. One primitive, `patchDate`, does the patching; `ClockControl` is a clock
 * a check moves and stops on top of it.
 *
 * Only "now" moves. `Date.parse`, `Date.UTC` and dates built from arguments are untouched;
 * `performance.now()` and timers stay real, so deadlines and durations are measured in real time.
 */
import type { Clock } from '../types.ts';

/** One installed patch, newest last. */
interface Layer {
  readonly date: DateConstructor;
  readonly previous: DateConstructor;
  readonly active: boolean;
}

const layers: Layer[] = [];

/**
 * Replaces the global `Date` with one whose "now" is `now()`, on top of whatever `Date` is current.
 * Returns the function that takes it off again; calling that twice is harmless.
 *
 * The replacement is a function, not a subclass, because `Date()` without `new` must keep returning
 * a string. It shares `Date.prototype`, so `instanceof Date`, dates made before the patch and
 * subclasses (`class Stamp extends Date`) all keep working.
 *
 * Patches may be taken off in any order: one taken off while another sits on top of it reads
 * through to the `Date` below it until the one on top is taken off too. (A check that timed out
 * may still be running when the next one patches `Date`.)
 *
 * @example
 * const restore = patchDate(() => Date.UTC(2030, 0, 1));
 * new Date().toISOString(); // '2030-01-01T00:00:00.000Z'
 * restore();
 */
export function patchDate(now: () => number): () => void {
  const Previous = globalThis.Date;
  let active = true;
  const current = (): number => (active ? now() : Previous.now());

  function PatchedDate(this: unknown, ...args: unknown[]): Date | string {
    if (new.target === undefined) return new Previous(current()).toString();
    return Reflect.construct(Previous, args.length === 0 ? [current()] : args, new.target) as Date;
  }
  // Static members (parse, UTC) come from the Date it replaces; instances share its prototype.
  Object.setPrototypeOf(PatchedDate, Previous);
  Object.defineProperty(PatchedDate, 'prototype', { value: Previous.prototype, writable: false });
  Object.defineProperty(PatchedDate, 'now', { value: current, writable: true, configurable: true });
  Object.defineProperty(PatchedDate, 'name', { value: 'Date' });
  const patched = PatchedDate as unknown as DateConstructor;
  const layer: Layer = {
    date: patched,
    previous: Previous,
    get active() {
      return active;
    },
  };
  layers.push(layer);
  globalThis.Date = patched;
  pointConstructorAtGlobalDate();

  return () => {
    if (!active) return;
    active = false;
    // Take off every patch at the top that has been released, this one and any below it.
    for (let top = layers.at(-1); top && !top.active && globalThis.Date === top.date; top = layers.at(-1)) {
      layers.pop();
      globalThis.Date = top.previous;
    }
    pointConstructorAtGlobalDate();
  };
}

/**
 * So that `new Date().constructor === Date` holds for whichever `Date` is global now. Skipped where
 * `Date.prototype` is frozen (a locked-down realm): there `constructor` keeps naming the `Date` it
 * was made with, and the patch works all the same, rather than every clock move throwing.
 */
function pointConstructorAtGlobalDate(): void {
  const prototype: object = globalThis.Date.prototype;
  const own = Object.getOwnPropertyDescriptor(prototype, 'constructor');
  if (own ? own.configurable !== true : !Object.isExtensible(prototype)) return;
  Object.defineProperty(prototype, 'constructor', { value: globalThis.Date, writable: true, configurable: true, enumerable: false });
}

/** Options of `new ClockControl()`. */
export interface ClockControlOptions {
  /**
   * The time the clock starts from and runs with, in ms since the epoch. Default: the `Date.now()`
   * that was current when the clock was made (so a clock made under another patch runs on its time).
   */
  base?: () => number;
}

/**
 * A clock a check (or a simulation) moves forward, back or stops, which the code under test sees
 * through the global `Date` while it is installed. It installs itself on the first move, or on
 * `install()`; `restore()` takes it off. Until moved it reads the base time.
 *
 * Also a `Clock`, so it can be injected where a store or a Session takes one.
 *
 * @example
 * const clock = new ClockControl();
 * try {
 *   clock.travel(2 * 3_600_000); // two hours later, at once
 *   await store.clean();
 *   clock.travelTo(clock.baseNow()); // back to now: a lazily expiring get() cannot hide what clean() left
 *   console.log(await store.get(id));
 * } finally {
 *   clock.restore();
 * }
 */
export class ClockControl implements Clock {
  readonly #base: () => number;
  #offset = 0;
  #frozenAt: number | null = null;
  #restore: (() => void) | null = null;

  constructor(options: ClockControlOptions = {}) {
    if (options.base !== undefined && typeof options.base !== 'function') {
      throw new TypeError('ClockControl: base must be a function that returns ms since the epoch, e.g. { base: () => Date.now() }.');
    }
    const CurrentDate = globalThis.Date;
    this.#base = options.base ?? (() => CurrentDate.now());
  }

  /** Now, as the code under test sees it (ms since the epoch). */
  now(): number {
    return this.#frozenAt ?? this.#base() + this.#offset;
  }

  /** The base time the clock runs with, unaffected by moves (for a check: real time). */
  baseNow(): number {
    return this.#base();
  }

  /** Whether the global `Date` reads this clock now. */
  get installed(): boolean {
    return this.#restore !== null;
  }

  /** Moves time forward by `ms` at once: what a wait of `ms` would do. */
  travel(ms: number): void {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`travel(ms) needs a finite number of milliseconds, 0 or more; got ${String(ms)}. Use travelTo(at) to go back.`);
    }
    this.install();
    if (this.#frozenAt === null) this.#offset += ms;
    else this.#frozenAt += ms;
  }

  /** Sets the time to `at` (ms since the epoch), earlier or later; a stopped clock stays stopped. */
  travelTo(at: number): void {
    checkTime(at, 'travelTo(at)');
    this.install();
    if (this.#frozenAt === null) this.#offset = at - this.#base();
    else this.#frozenAt = at;
  }

  /** Stops time at `at` (default: now), so a boundary can be hit exactly. */
  freeze(at: number = this.now()): void {
    checkTime(at, 'freeze(at)');
    this.install();
    this.#frozenAt = at;
  }

  /** Lets a stopped clock run again, from where it stopped. */
  resume(): void {
    if (this.#frozenAt === null) return;
    this.#offset = this.#frozenAt - this.#base();
    this.#frozenAt = null;
  }

  /** Makes the global `Date` read this clock. Moves install it by themselves. */
  install(): void {
    this.#restore ??= patchDate(() => this.now());
  }

  /** Takes this clock off the global `Date` and forgets every move. Safe to call at any time, and twice. */
  restore(): void {
    this.#restore?.();
    this.#restore = null;
    this.#offset = 0;
    this.#frozenAt = null;
  }
}

function checkTime(at: number, what: string): void {
  if (typeof at !== 'number' || !Number.isFinite(at)) throw new RangeError(`${what} needs a finite time in ms since the epoch; got ${String(at)}.`);
}
