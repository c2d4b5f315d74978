/**
 * The bounds of one `commit()`: how long it may take in all, how many times it may try to write,
 * and how long it waits between tries. A session many requests write at once then degrades
 * gracefully (writers spread out and get through) and a store that always conflicts, or is slow,
 * costs a bounded number of calls and a bounded time.
 */
import { SessionStoreError, type StoreMethod } from './errors.ts';
import type { RandomSource } from './session-token.ts';
import type { Clock } from './types.ts';

/** How many times a commit tries to write before it gives up with a `conflict`. */
export const MAX_WRITE_ATTEMPTS = 10;
/** The first pause's window (ms); each later one doubles, up to `MAX_BACKOFF_MS`. */
const BASE_BACKOFF_MS = 8;
const MAX_BACKOFF_MS = 1000;

export interface CommitBudgetOptions {
  clock: Clock;
  random: RandomSource;
  /** The whole commit's time, retries included (ms). */
  commitTimeout: number;
  /** One store call's own limit (ms). */
  storeTimeout: number;
}

export class CommitBudget {
  readonly #clock: Clock;
  readonly #random: RandomSource;
  readonly #storeTimeout: number;
  readonly #deadline: number;
  readonly #commitTimeout: number;

  constructor(options: CommitBudgetOptions) {
    this.#clock = options.clock;
    this.#random = options.random;
    this.#storeTimeout = options.storeTimeout;
    this.#commitTimeout = options.commitTimeout;
    this.#deadline = options.clock.now() + options.commitTimeout;
  }

  /** How long the next store call may take: its own limit, or less when the commit's time runs out. Throws when none is left. */
  callTimeout(method: StoreMethod): number {
    const left = this.#deadline - this.#clock.now();
    if (left <= 0) throw new SessionStoreError(method, 'timeout', `the commit did not finish within commitTimeout (${this.#commitTimeout} ms).`);
    return Math.min(this.#storeTimeout, left);
  }

  /**
   * Waits before try number `attempt` (from 2). The second try goes at once (two writers at the same
   * instant is the common case); later ones wait a random time in a window that doubles each time
   * ("full jitter": writers that collided spread out instead of colliding again in step).
   * Throws a `conflict` when the tries or the commit's time are used up: waiting could not help.
   */
  async backoff(attempt: number): Promise<void> {
    if (attempt > MAX_WRITE_ATTEMPTS) throw this.#conflict(`the session changed under each of ${MAX_WRITE_ATTEMPTS} attempts.`);
    if (attempt <= 2) return;
    const window = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** (attempt - 2));
    const wait = Math.floor(this.#fraction() * window);
    if (this.#clock.now() + wait >= this.#deadline) {
      throw this.#conflict(`the session kept changing until commitTimeout (${this.#commitTimeout} ms) ran out.`);
    }
    await (this.#clock.sleep ? this.#clock.sleep(wait) : new Promise<void>((resolve) => setTimeout(resolve, wait)));
  }

  /** A number in [0, 1) from the injected random source. */
  #fraction(): number {
    const bytes = this.#random(new Uint8Array(4));
    return new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0) / 2 ** 32;
  }

  #conflict(detail: string): SessionStoreError {
    return new SessionStoreError('compareAndSet', 'conflict', detail);
  }
}
