/**
 * Virtual time for every piece of code in the server worker, a reader's store included: `Date.now()`,
 * `new Date()` and `Date()` read the Lab's virtual clock. Only for the worker: it patches the
 * worker's global `Date` for good.
 *
 * The patching is sessionlab/conformance's `patchDate`, the same primitive the checks' clocks stand
 * on: `Date()` without `new` still returns a string, `instanceof Date`, dates made before the patch and
 * subclasses (`class Stamp extends Date`) keep working, `Date.parse`, `Date.UTC` and dates built from
 * arguments are untouched (only "now" moves), and `performance.now()` stays real.
 */
import { patchDate } from '../session/conformance/index.ts';
import type { Clock } from '../session/index.ts';
import { virtualTime, type ClockState } from './virtual-clock.ts';

/**
 * Makes the global `Date` read virtual time from `state()`. Returns a Clock on the same time, for
 * code that takes one explicitly.
 */
export function installVirtualDate(state: () => ClockState): Clock {
  const realNow = globalThis.Date.now.bind(globalThis.Date);
  const now = (): number => virtualTime(state(), realNow());
  // Never taken off: the worker is the server process, and its time is the Lab's for as long as it runs.
  patchDate(now);
  return { now };
}
