/**
 * A clock for contention tests whose `sleep` moves simulated time: `run(work)` lets everything that
 * is ready run, then jumps to the next wake-up, so pauses of seconds take no real time and every run
 * with the same random source is the same run.
 */
import type { Clock, RandomSource } from 'sessionlab';

/**
 * How long, in real time, `run` waits with nothing to wake before it says the work is stuck: far
 * longer than any crypto answer takes, even on a loaded machine, and shorter than a test's timeout.
 * A count of idle turns would depend on the machine's speed, and once failed under load.
 */
const STUCK_AFTER_MS = 4_000;

interface Wake {
  at: number;
  order: number;
  resolve: () => void;
}

export class VirtualTime implements Clock {
  #now: number;
  #order = 0;
  readonly #wakes: Wake[] = [];

  constructor(start = Date.parse('2026-03-01T09:00:00.000Z')) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  advance(ms: number): void {
    this.#now += ms;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.#wakes.push({ at: this.#now + Math.max(0, ms), order: this.#order++, resolve });
      this.#wakes.sort((a, b) => a.at - b.at || a.order - b.order);
    });
  }

  /**
   * Runs `work` to its end, moving time to the next wake-up whenever nothing else is ready. Work
   * outside this clock (crypto.subtle answers from Node's thread pool) is waited for by yielding;
   * the real time is read only to tell stuck work (see STUCK_AFTER_MS).
   */
  async run<T>(work: Promise<T>): Promise<T> {
    let done = false;
    void work.then(
      () => (done = true),
      () => (done = true),
    );
    let idleSince: number | null = null;
    while (!done) {
      await new Promise((resolve) => setImmediate(resolve)); // every ready promise callback runs first
      if (done) break;
      const wake = this.#wakes.shift();
      if (wake) {
        idleSince = null;
        this.#now = Math.max(this.#now, wake.at);
        wake.resolve();
      } else {
        idleSince ??= performance.now();
        if (performance.now() - idleSince > STUCK_AFTER_MS) throw new Error('VirtualTime.run: the work waits for something that never comes.');
      }
    }
    return work;
  }
}

/** A repeatable RandomSource (xorshift32 from `seed`): the same bytes on every run. */
export function seededRandom(seed = 0x9e3779b9): RandomSource & { draws: number } {
  let state = seed >>> 0 || 1;
  const source = ((bytes: Uint8Array<ArrayBuffer>) => {
    source.draws++;
    for (let i = 0; i < bytes.length; i++) {
      state ^= state << 13;
      state >>>= 0;
      state ^= state >>> 17;
      state ^= state << 5;
      state >>>= 0;
      bytes[i] = state & 0xff;
    }
    return bytes;
  }) as RandomSource & { draws: number };
  source.draws = 0;
  return source;
}
