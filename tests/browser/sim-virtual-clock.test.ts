/** The Lab's virtual clock: real time plus jumps, standing still while paused. Real time is injected. */
import { describe, expect, it } from 'vitest';
import { VirtualClock, virtualTime, type ClockChange } from '../../src/sim/virtual-clock.ts';

const MINUTE = 60_000;

/** A clock whose real time the test moves by hand. */
function clockAt(start: number): { clock: VirtualClock; advance(ms: number): void; changes: ClockChange[] } {
  let real = start;
  const clock = new VirtualClock({ realNow: () => real });
  const changes: ClockChange[] = [];
  clock.on((change) => changes.push(change));
  return { clock, advance: (ms) => (real += ms), changes };
}

describe('VirtualClock', () => {
  it('runs with real time until told otherwise', () => {
    const { clock, advance } = clockAt(1_000_000);
    expect(clock.now()).toBe(1_000_000);
    advance(500);
    expect(clock.now()).toBe(1_000_500);
    expect(clock.paused).toBe(false);
  });

  it('moves forward at once by a jump, and keeps running from there', () => {
    const { clock, advance, changes } = clockAt(1_000_000);
    clock.jump(31 * MINUTE);
    expect(clock.now()).toBe(1_000_000 + 31 * MINUTE);
    advance(1000);
    expect(clock.now()).toBe(1_000_000 + 31 * MINUTE + 1000);
    expect(changes).toEqual([{ step: 'jump', byMs: 31 * MINUTE }]);
  });

  describe('when paused', () => {
    it('stands still while real time passes', () => {
      const { clock, advance, changes } = clockAt(1_000_000);
      advance(200);
      clock.pause();
      advance(10 * MINUTE);
      expect(clock.now()).toBe(1_000_200);
      expect(clock.paused).toBe(true);
      expect(changes).toEqual([{ step: 'pause' }]);
    });

    it('still moves by a jump', () => {
      const { clock, advance } = clockAt(1_000_000);
      clock.pause();
      clock.jump(MINUTE);
      advance(MINUTE);
      expect(clock.now()).toBe(1_000_000 + MINUTE);
    });

    it('resumes from where it stood, not from real time', () => {
      const { clock, advance, changes } = clockAt(1_000_000);
      clock.pause();
      advance(10 * MINUTE);
      clock.resume();
      expect(clock.now()).toBe(1_000_000);
      advance(1000);
      expect(clock.now()).toBe(1_001_000);
      expect(changes).toEqual([{ step: 'pause' }, { step: 'resume' }]);
    });

    it('ignores a second pause, and a resume while running', () => {
      const { clock, changes } = clockAt(1_000_000);
      clock.resume();
      clock.pause();
      clock.pause();
      expect(changes).toEqual([{ step: 'pause' }]);
    });
  });

  it('refuses to go back in time, or to jump by something that is not a number of ms', () => {
    const { clock, changes } = clockAt(1_000_000);
    expect(() => clock.jump(-1)).toThrow(RangeError);
    expect(() => clock.jump(Number.NaN)).toThrow(/finite number of milliseconds/);
    expect(() => clock.jump(Infinity)).toThrow(RangeError);
    expect(clock.now()).toBe(1_000_000);
    expect(changes).toEqual([]);
  });

  it('hands out a state from which the worker computes the same time', () => {
    const { clock, advance } = clockAt(1_000_000);
    clock.jump(5 * MINUTE);
    advance(700);
    const running = clock.state();
    expect(virtualTime(running, 1_000_700)).toBe(clock.now());
    clock.pause();
    const paused = clock.state();
    expect(virtualTime(paused, 9_999_999_999)).toBe(clock.now());
  });
});
