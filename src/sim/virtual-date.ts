/**
 * Virtual time for every piece of code in the server worker, a reader's store included: `Date.now()`,
 * `new Date()` and `Date()` read the Lab's virtual clock. Only for the worker: it replaces the
 * worker's global `Date` for good.
 *
 * The replacement is a function, not a subclass, because `Date()` without `new` must keep working (it
 * returns a string). It shares `Date.prototype`, so `instanceof Date`, dates made before the patch and
 * subclasses (`class Stamp extends Date`) all keep working. `Date.parse`, `Date.UTC` and dates built
 * from arguments are untouched: only "now" moves. `performance.now()` stays real: it measures durations.
 */
import type { Clock } from '../session/index.ts';
import { virtualTime, type ClockState } from './virtual-clock.ts';

/**
 * Makes the global `Date` read virtual time from `state()`. Returns a Clock on the same time, for
 * code that takes one explicitly.
 */
export function installVirtualDate(state: () => ClockState): Clock {
  const RealDate = globalThis.Date;
  const realNow = RealDate.now.bind(RealDate);
  const now = (): number => virtualTime(state(), realNow());

  function VirtualDate(this: unknown, ...args: unknown[]): Date | string {
    if (new.target === undefined) return new RealDate(now()).toString();
    return Reflect.construct(RealDate, args.length === 0 ? [now()] : args, new.target) as Date;
  }
  // Static members (parse, UTC) come from the real Date; instances share its prototype.
  Object.setPrototypeOf(VirtualDate, RealDate);
  Object.defineProperty(VirtualDate, 'prototype', { value: RealDate.prototype, writable: false });
  Object.defineProperty(VirtualDate, 'now', { value: now, writable: true, configurable: true });
  Object.defineProperty(VirtualDate, 'name', { value: 'Date' });
  // So that `date.constructor === Date` still holds.
  Object.defineProperty(RealDate.prototype, 'constructor', { value: VirtualDate, writable: true, configurable: true });
  globalThis.Date = VirtualDate as unknown as DateConstructor;
  return { now };
}
