/**
 * Time travel for one check: while installed, the global `Date` (so `Date.now()`, `new Date()` and
 * `Date()` in the reader's store) reads a time that a check moves forward or stops. `restore()` puts
 * the previous `Date` back; nothing else is touched.
 *
 * The sandbox's server worker already runs on the Lab's virtual clock (src/sim/virtual-date.ts); this
 * layers on top of whatever `Date` is current, and takes itself off again, so a check never leaves
 * its clock behind. `performance.now()` stays real: deadlines and durations are measured with it.
 */
import type { CheckClock } from './exercise-check.ts';

export class TimeTravel implements CheckClock {
  /** The `Date` this replaced, while installed. */
  #previous: DateConstructor | null = null;
  #previousConstructor: PropertyDescriptor | undefined;
  #offset = 0;
  #frozenAt: number | null = null;

  now(): number {
    return this.#frozenAt ?? (this.#previous ?? Date).now() + this.#offset;
  }

  travel(ms: number): void {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`travel(ms) needs a finite number of milliseconds, 0 or more; got ${String(ms)}.`);
    }
    this.#install();
    if (this.#frozenAt === null) this.#offset += ms;
    else this.#frozenAt += ms;
  }

  freeze(at: number = this.now()): void {
    this.#install();
    this.#frozenAt = at;
  }

  /** Puts the `Date` that was there before back. Safe to call when nothing was installed. */
  restore(): void {
    const previous = this.#previous;
    if (!previous) return;
    globalThis.Date = previous;
    if (this.#previousConstructor) Object.defineProperty(previous.prototype, 'constructor', this.#previousConstructor);
    this.#previousConstructor = undefined;
    this.#previous = null;
    this.#offset = 0;
    this.#frozenAt = null;
  }

  #install(): void {
    if (this.#previous) return;
    const Previous = globalThis.Date;
    const now = (): number => this.#frozenAt ?? Previous.now() + this.#offset;

    // A function, not a subclass: `Date()` without `new` must keep returning a string.
    function TravelDate(this: unknown, ...args: unknown[]): Date | string {
      if (new.target === undefined) return new Previous(now()).toString();
      return Reflect.construct(Previous, args.length === 0 ? [now()] : args, new.target) as Date;
    }
    // parse() and UTC() come from the Date it replaces; instances share its prototype (instanceof holds).
    Object.setPrototypeOf(TravelDate, Previous);
    Object.defineProperty(TravelDate, 'prototype', { value: Previous.prototype, writable: false });
    Object.defineProperty(TravelDate, 'now', { value: now, writable: true, configurable: true });
    Object.defineProperty(TravelDate, 'name', { value: 'Date' });
    // `date.constructor === Date` holds while travelling, except in a locked-down realm (the checks
    // worker, src/sim/lockdown.ts), where `Date.prototype` is frozen and stays as it is.
    if (!Object.isFrozen(Previous.prototype)) {
      this.#previousConstructor = Object.getOwnPropertyDescriptor(Previous.prototype, 'constructor');
      Object.defineProperty(Previous.prototype, 'constructor', { value: TravelDate, writable: true, configurable: true });
    }
    this.#previous = Previous;
    globalThis.Date = TravelDate as unknown as DateConstructor;
  }
}
