/**
 * The bounds of one commit: each store call's time limit, the pauses between tries (full jitter in
 * a window that doubles), and where it gives up.
 */
import { describe, expect, it } from 'vitest';
import { SessionStoreError, type RandomSource } from 'sessionlab';
import { CommitBudget, MAX_WRITE_ATTEMPTS } from '../../src/session/commit-budget.ts';
import { ManualClock } from '../support/harness.ts';

/** A clock whose sleep moves it, and remembers how long each pause was. */
class SleepingClock extends ManualClock {
  readonly pauses: number[] = [];
  sleep(ms: number): Promise<void> {
    this.pauses.push(ms);
    this.advance(ms);
    return Promise.resolve();
  }
}

/** Random bytes that read as the fraction `fraction` of 2^32 (big-endian), whatever buffer they are asked in. */
function fractionOf(fraction: number): RandomSource {
  return (bytes) => {
    new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).setUint32(0, Math.floor(fraction * 2 ** 32));
    return bytes;
  };
}

function budget(options: { clock?: ManualClock; fraction?: number; commitTimeout?: number; storeTimeout?: number } = {}) {
  const clock = options.clock ?? new SleepingClock();
  return {
    clock,
    budget: new CommitBudget({ clock, random: fractionOf(options.fraction ?? 0.5), commitTimeout: options.commitTimeout ?? 60_000, storeTimeout: options.storeTimeout ?? 5000 }),
  };
}

describe('a store call of a commit', () => {
  it('gets its own limit while the commit has more time than that', () => {
    const { budget: b } = budget({ commitTimeout: 5000, storeTimeout: 1000 });
    expect(b.callTimeout('update')).toBe(1000);
  });

  it('gets what is left of the commit\'s time when that is less', () => {
    const { clock, budget: b } = budget({ commitTimeout: 5000, storeTimeout: 1000 });
    clock.advance(4700);
    expect(b.callTimeout('update')).toBe(300);
    clock.advance(299);
    expect(b.callTimeout('update')).toBe(1);
  });

  it('fails with a timeout, naming the method, once the commit\'s time is up', () => {
    const { clock, budget: b } = budget({ commitTimeout: 5000, storeTimeout: 1000 });
    clock.advance(5000);
    expect(() => b.callTimeout('get')).toThrow(SessionStoreError);
    expect(() => b.callTimeout('get')).toThrow(expect.objectContaining({ method: 'get', failure: 'timeout' }));
  });
});

describe('the pause before a try', () => {
  it('is none before the second try', async () => {
    const clock = new SleepingClock();
    const { budget: b } = budget({ clock });
    await b.backoff(1);
    await b.backoff(2);
    expect(clock.pauses).toEqual([]);
  });

  it('is a random part of a window that starts at 16 ms and doubles, up to 1 s', async () => {
    const clock = new SleepingClock();
    const { budget: b } = budget({ clock, fraction: 0.5 });
    for (let attempt = 3; attempt <= MAX_WRITE_ATTEMPTS; attempt++) await b.backoff(attempt);
    expect(clock.pauses).toEqual([8, 16, 32, 64, 128, 256, 500, 500]);
  });

  it('takes the whole window at most, and nothing at least', async () => {
    const most = new SleepingClock();
    await budget({ clock: most, fraction: 1 - 2 ** -32 }).budget.backoff(3);
    const least = new SleepingClock();
    await budget({ clock: least, fraction: 0 }).budget.backoff(3);
    expect([...most.pauses, ...least.pauses]).toEqual([15, 0]);
  });

  it('waits with setTimeout when the clock cannot sleep', async () => {
    const { budget: b } = budget({ clock: new ManualClock(), fraction: 0 });
    await expect(b.backoff(3)).resolves.toBeUndefined();
  });
});

describe('a commit gives up with a conflict', () => {
  it(`after ${MAX_WRITE_ATTEMPTS} tries`, async () => {
    const { budget: b } = budget();
    await expect(b.backoff(MAX_WRITE_ATTEMPTS)).resolves.toBeUndefined();
    await expect(b.backoff(MAX_WRITE_ATTEMPTS + 1)).rejects.toMatchObject({ method: 'compareAndSet', failure: 'conflict', message: expect.stringMatching(/each of 10 attempts/) });
    expect(MAX_WRITE_ATTEMPTS).toBe(10);
  });

  it('when the pause would reach the end of the commit\'s time, without pausing', async () => {
    const clock = new SleepingClock();
    const { budget: b } = budget({ clock, fraction: 0.5, commitTimeout: 1000 });
    clock.advance(1000 - 9);
    await b.backoff(3); // 8 ms: ends 1 ms before the deadline
    const late = new SleepingClock();
    const { budget: c } = budget({ clock: late, fraction: 0.5, commitTimeout: 1000 });
    late.advance(1000 - 8);
    await expect(c.backoff(3)).rejects.toMatchObject({ method: 'compareAndSet', failure: 'conflict', message: expect.stringMatching(/until commitTimeout \(1000 ms\) ran out/) });
    expect([clock.pauses, late.pauses]).toEqual([[8], []]);
  });
});
