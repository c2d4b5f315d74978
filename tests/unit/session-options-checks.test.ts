/**
 * The options of `new Session()` as checked at construction: the defaults each one gets, how they
 * depend on each other, and the mistakes refused with a SessionConfigError.
 */
import { describe, expect, it } from 'vitest';
import { MemoryStore, SessionConfigError } from 'sessionlab';
import { checkOptions } from '../../src/session/session-options.ts';
import { SECRET } from '../support/harness.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('the defaults', () => {
  it('are the documented ones', () => {
    expect(checkOptions({ secret: SECRET })).toEqual({
      keys: [{ secret: SECRET, activeFrom: Number.NEGATIVE_INFINITY, retiresAt: Number.POSITIVE_INFINITY }],
      devices: null,
      sessionDuration: 30 * MINUTE,
      absoluteDuration: 8 * HOUR,
      threshold: 29 * MINUTE,
      cleanInterval: 15 * MINUTE,
      storeTimeout: 5000,
      commitTimeout: 5000,
    });
  });

  it('keep the values given', () => {
    const checked = checkOptions({
      secret: SECRET,
      sessionDuration: 10 * MINUTE,
      absoluteDuration: HOUR,
      sessionExtensionThresholdInMs: 10 * MINUTE,
      cleanInterval: false,
      storeTimeout: 100,
      commitTimeout: 200,
      devices: { userAgent: true },
    });
    expect(checked).toMatchObject({
      sessionDuration: 10 * MINUTE,
      absoluteDuration: HOUR,
      threshold: 10 * MINUTE,
      cleanInterval: false,
      storeTimeout: 100,
      commitTimeout: 200,
      devices: { userAgent: true, ip: false, lastSeenEvery: 60_000 },
    });
    expect(checkOptions({ secret: SECRET, cleanInterval: 1 }).cleanInterval).toBe(1);
  });

  it('give an idle lifetime longer than 8 hours an absolute lifetime as long as it', () => {
    expect(checkOptions({ secret: SECRET, sessionDuration: 10 * HOUR }).absoluteDuration).toBe(10 * HOUR);
  });

  it('extend a session in its last minute, or in the last half of a lifetime under two minutes', () => {
    expect(checkOptions({ secret: SECRET, sessionDuration: 2 * MINUTE }).threshold).toBe(MINUTE);
    expect(checkOptions({ secret: SECRET, sessionDuration: 2 * MINUTE - 2 }).threshold).toBe(MINUTE - 1);
    expect(checkOptions({ secret: SECRET, sessionDuration: 10_000 }).threshold).toBe(5_000);
  });
});

describe('options that depend on each other', () => {
  it('accept an absolute lifetime equal to the idle one, and refuse a shorter one', () => {
    expect(checkOptions({ secret: SECRET, sessionDuration: HOUR, absoluteDuration: HOUR }).absoluteDuration).toBe(HOUR);
    expect(() => checkOptions({ secret: SECRET, sessionDuration: HOUR, absoluteDuration: HOUR - 1 })).toThrow(/absoluteDuration .* is shorter than sessionDuration/);
  });

  it('accept an extension threshold equal to the idle lifetime, and refuse a longer one', () => {
    expect(checkOptions({ secret: SECRET, sessionDuration: HOUR, sessionExtensionThresholdInMs: HOUR }).threshold).toBe(HOUR);
    expect(() => checkOptions({ secret: SECRET, sessionDuration: HOUR, sessionExtensionThresholdInMs: HOUR + 1 })).toThrow(
      /sessionExtensionThresholdInMs .* is longer than sessionDuration/,
    );
  });
});

describe('mistakes refused at construction', () => {
  it.each([null, undefined, 'secret'])('options that are not an object: %j', (options) => {
    expect(() => checkOptions(options as never)).toThrow(SessionConfigError);
    expect(() => checkOptions(options as never)).toThrow(/needs an options object/);
  });

  it('an unknown option, named', () => {
    expect(() => checkOptions({ secret: SECRET, sesionDuration: 1 } as never)).toThrow(/Unknown Session option "sesionDuration"/);
  });

  it('accepts every documented option', () => {
    const options = {
      secret: SECRET, name: 'sid', sessionDuration: HOUR, absoluteDuration: 2 * HOUR, cookie: {}, store: new MemoryStore(),
      extendSessionBeforeExpiry: true, sessionExtensionThresholdInMs: MINUTE, cleanInterval: false as const, storeTimeout: 1,
      commitTimeout: 1, clock: { now: () => 0 }, random: (bytes: Uint8Array<ArrayBuffer>) => bytes, devices: {},
    };
    expect(() => checkOptions(options)).not.toThrow();
  });

  it.each(['sessionDuration', 'absoluteDuration', 'sessionExtensionThresholdInMs', 'cleanInterval', 'storeTimeout', 'commitTimeout'])(
    '%s that is not a positive, finite number of milliseconds',
    (name) => {
      for (const value of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, '1000', true]) {
        expect(() => checkOptions({ secret: SECRET, [name]: value })).toThrow(new RegExp(`${name} must be a positive number of milliseconds`));
      }
    },
  );

  it('a store without the five methods, naming those it lacks', () => {
    const { clean: _clean, delete: _delete, ...partial } = {
      create() {}, get() { return null; }, update() {}, delete() {}, clean() {},
    };
    expect(() => checkOptions({ secret: SECRET, store: partial as never })).toThrow(/The store has no delete\(\), clean\(\)\./);
    expect(() => checkOptions({ secret: SECRET, store: { ...partial, clean: 'clean' } as never })).toThrow(/The store has no delete\(\), clean\(\)\./);
    expect(() => checkOptions({ secret: SECRET, store: null as never })).toThrow(/The store has no create\(\), get\(\), update\(\), delete\(\), clean\(\)\./);
  });

  it('accepts a store of FluidAuth\'s five methods alone', () => {
    const store = { create() {}, get() { return null; }, update() {}, delete() {}, clean() {} };
    expect(() => checkOptions({ secret: SECRET, store: store as never })).not.toThrow();
  });
});
