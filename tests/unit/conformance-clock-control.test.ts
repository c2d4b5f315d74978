/**
 * The clock checks move: ClockControl's moves, stops and their limits, and patchDate's Date, which
 * code under test reads. (conformance.test.ts has the first of these; these pin the rest.)
 */
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryStore } from 'sessionlab';
import { ClockControl, conformanceChecks, patchDate } from 'sessionlab/conformance';

const ORIGINAL = globalThis.Date;
afterEach(() => {
  globalThis.Date = ORIGINAL;
});

describe('ClockControl', () => {
  it('refuses a base that is not a function, saying what to pass', () => {
    expect(() => new ClockControl({ base: 5 as unknown as () => number })).toThrow(new TypeError('ClockControl: base must be a function that returns ms since the epoch, e.g. { base: () => Date.now() }.'));
  });

  it('runs, by default, on the Date that was current when it was made, and keeps to it when moved', () => {
    let simulated = 42_000;
    const restore = patchDate(() => simulated);
    try {
      const clock = new ClockControl();
      clock.travel(1_000);
      simulated = 50_000;
      expect([clock.baseNow(), clock.now(), Date.now()]).toEqual([50_000, 51_000, 51_000]);
      clock.restore();
      expect(Date.now()).toBe(50_000);
    } finally {
      restore();
    }
  });

  it('reads its base until moved, and is not installed until then', () => {
    const clock = new ClockControl({ base: () => 1_000 });
    expect([clock.now(), clock.baseNow(), clock.installed]).toEqual([1_000, 1_000, false]);
    expect(Date).toBe(ORIGINAL);
  });

  it('travels by zero or more finite milliseconds, and refuses anything else', () => {
    const clock = new ClockControl({ base: () => 1_000 });
    clock.travel(0);
    expect(clock.now()).toBe(1_000);
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY, '5' as unknown as number]) {
      expect(() => clock.travel(bad), String(bad)).toThrow(RangeError);
    }
    expect(() => clock.travel(-1)).toThrow('travel(ms) needs a finite number of milliseconds, 0 or more; got -1. Use travelTo(at) to go back.');
    clock.restore();
  });

  it('refuses a time to travel to or stop at that is not a finite number', () => {
    const clock = new ClockControl({ base: () => 1_000 });
    expect(() => clock.travelTo(Number.NaN)).toThrow('travelTo(at) needs a finite time in ms since the epoch; got NaN.');
    expect(() => clock.freeze(Number.POSITIVE_INFINITY)).toThrow('freeze(at) needs a finite time in ms since the epoch; got Infinity.');
    expect(() => clock.travelTo('0' as unknown as number)).toThrow(RangeError);
    expect(clock.installed).toBe(false);
  });

  it('moves with its base while running, and stands still while stopped', () => {
    let base = 1_000;
    const clock = new ClockControl({ base: () => base });
    clock.travel(500);
    base = 2_000;
    expect(Date.now()).toBe(2_500);
    clock.freeze();
    base = 3_000;
    expect(Date.now()).toBe(2_500);
    clock.travelTo(10_000);
    base = 4_000;
    expect(Date.now()).toBe(10_000);
    clock.resume();
    base = 5_000;
    expect(Date.now()).toBe(11_000);
    clock.resume();
    expect(Date.now()).toBe(11_000);
    clock.restore();
  });

  it('is the clock a check moves when the runner gives it one, so a store that reads it as its Clock sees the moves', async () => {
    const check = conformanceChecks.find((one) => one.id === 'clean-removes-expired')!;
    const clock = new ClockControl();
    try {
      await expect(check.run(new MemoryStore({ clock }), { clock })).resolves.toBeUndefined();
    } finally {
      clock.restore();
    }
  });

  it('installs on travelTo() as on any first move, and keeps running from the time it was set to', () => {
    let base = 1_000;
    const clock = new ClockControl({ base: () => base });
    clock.travelTo(10_000);
    expect([clock.installed, Date.now()]).toEqual([true, 10_000]);
    base = 1_500;
    expect(Date.now()).toBe(10_500);
    clock.restore();
  });

  it('installs once, however often it moves, and restore() takes it off and forgets every move', () => {
    const clock = new ClockControl({ base: () => 1_000 });
    clock.install();
    const installed = globalThis.Date;
    clock.travel(1);
    clock.install();
    expect(globalThis.Date).toBe(installed);
    clock.freeze(7);
    clock.restore();
    expect(globalThis.Date).toBe(ORIGINAL);
    expect([clock.installed, clock.now()]).toEqual([false, 1_000]);
    clock.restore();
    expect(globalThis.Date).toBe(ORIGINAL);
  });
});

describe('patchDate', () => {
  it('keeps subclasses of Date working, with their own prototype', () => {
    const restore = patchDate(() => Date.UTC(2030, 0, 1));
    try {
      class Stamp extends Date {
        label(): string {
          return `at ${this.toISOString()}`;
        }
      }
      const stamp = new Stamp();
      expect(stamp.label()).toBe('at 2030-01-01T00:00:00.000Z');
      expect(stamp).toBeInstanceOf(Stamp);
      expect(new Stamp(0).getTime()).toBe(0);
    } finally {
      restore();
    }
  });

  it('is named Date, shares its prototype, and lets code replace Date.now as it could before', () => {
    const restore = patchDate(() => 5);
    try {
      expect(Date.name).toBe('Date');
      expect(Date.prototype).toBe(ORIGINAL.prototype);
      expect(new ORIGINAL(1) instanceof Date).toBe(true);
      expect(Date.UTC(2030, 0, 1)).toBe(ORIGINAL.UTC(2030, 0, 1));
      const patchedNow = Date.now;
      Date.now = () => 6;
      expect(Date.now()).toBe(6);
      Date.now = patchedNow;
      expect(Date.now()).toBe(5);
    } finally {
      restore();
    }
  });

  it('reads through a released patch to the one below it, with three patches on', () => {
    const restoreLowest = patchDate(() => 1);
    const restoreMiddle = patchDate(() => 2);
    const restoreTop = patchDate(() => 3);
    restoreMiddle();
    expect(Date.now()).toBe(3);
    restoreTop();
    expect(Date.now()).toBe(1);
    expect(new Date().constructor).toBe(Date);
    restoreLowest();
    expect(globalThis.Date).toBe(ORIGINAL);
    expect(new Date().constructor).toBe(ORIGINAL);
  });

  it('keeps Date.prototype fixed, as the built-in Date does', () => {
    const restore = patchDate(() => 5);
    try {
      expect(() => {
        (Date as { prototype: unknown }).prototype = {};
      }).toThrow(TypeError);
      expect(Date.prototype).toBe(ORIGINAL.prototype);
    } finally {
      restore();
    }
  });

  it('lets code spy on Date.now, or redefine or delete it, as test libraries do: the same attributes as the built-in', () => {
    const restore = patchDate(() => 5);
    try {
      const { value: _now, ...attributes } = Object.getOwnPropertyDescriptor(Date, 'now')!;
      const { value: _builtIn, ...builtIn } = Object.getOwnPropertyDescriptor(ORIGINAL, 'now')!;
      expect(attributes).toEqual(builtIn);
      const spy = vi.spyOn(Date, 'now').mockReturnValue(6);
      expect(Date.now()).toBe(6);
      spy.mockRestore();
      expect(Date.now()).toBe(5);
    } finally {
      restore();
    }
  });

  it('points constructor at the patched Date with the built-in attributes: writable, configurable, not listed by for...in', () => {
    const restore = patchDate(() => 5);
    try {
      expect(Object.getOwnPropertyDescriptor(Date.prototype, 'constructor')).toEqual({ value: Date, writable: true, configurable: true, enumerable: false });
      const keys: string[] = [];
      for (const key in new Date()) keys.push(key);
      expect(keys).toEqual([]);
    } finally {
      restore();
    }
    expect(Object.getOwnPropertyDescriptor(Date.prototype, 'constructor')).toEqual({ value: ORIGINAL, writable: true, configurable: true, enumerable: false });
  });

  it('leaves a Date someone else installed after it in place when it is taken off', () => {
    const restore = patchDate(() => 5);
    const patched = globalThis.Date;
    const Other = function OtherDate() {} as unknown as DateConstructor;
    globalThis.Date = Other;
    restore();
    expect(globalThis.Date).toBe(Other);
    globalThis.Date = patched;
  });

  describe('in a realm whose Date.prototype was changed', () => {
    // Each realm is its own (node:vm), so this process's Date.prototype stays as it was.
    function constructorSeenUnder(script: string): { patched: unknown; constructor: unknown } {
      const OtherDate = runInNewContext(script) as DateConstructor;
      const own = globalThis.Date;
      globalThis.Date = OtherDate;
      try {
        const restore = patchDate(() => 5);
        const seen = { patched: globalThis.Date, constructor: new Date().constructor };
        restore();
        return seen;
      } finally {
        globalThis.Date = own;
      }
    }

    it('still points constructor at the patch when the prototype only refuses new properties', () => {
      const seen = constructorSeenUnder('Object.preventExtensions(Date.prototype); Date');
      expect(seen.constructor).toBe(seen.patched);
    });

    it('gives the prototype a constructor when it had lost its own', () => {
      const seen = constructorSeenUnder('delete Date.prototype.constructor; Date');
      expect(seen.constructor).toBe(seen.patched);
    });
  });
});
