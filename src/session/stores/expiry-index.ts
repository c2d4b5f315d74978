/**
 * Which ids expire when: what lets `MemoryStore.clean()` visit only expired sessions instead of
 * all of them.
 *
 * Ids are kept in one-second buckets, and the bucket times in a min-heap of plain numbers: popping
 * the due buckets touches a few small arrays, not a million scattered heap nodes. Entries are never
 * removed in place; when a record is updated or deleted its old entry stays behind (stale), and the
 * store checks each id it gets back against the record as it is now.
 */
const BUCKET_MS = 1000;

export class ExpiryIndex {
  readonly #buckets = new Map<number, string[]>();
  #times: number[] = [];
  #entries = 0;

  /** How many entries are held, stale ones included. */
  get size(): number {
    return this.#entries;
  }

  add(id: string, expiresAt: number): void {
    const time = Math.floor(expiresAt / BUCKET_MS);
    const bucket = this.#buckets.get(time);
    if (bucket) bucket.push(id);
    else {
      this.#buckets.set(time, [id]);
      this.#pushTime(time);
    }
    this.#entries++;
  }

  /**
   * Removes and returns every id in a bucket that begins at or before `now`. Some may be stale, and
   * some (in the current second) may not have expired yet: the caller checks and re-adds those.
   */
  takeDue(now: number): string[] {
    const due: string[] = [];
    const last = Math.floor(now / BUCKET_MS);
    while (this.#times.length > 0) {
      if (this.#times[0]! > last) break;
      const time = this.#popTime();
      const bucket = this.#buckets.get(time)!;
      this.#buckets.delete(time);
      this.#entries -= bucket.length;
      for (const id of bucket) due.push(id);
    }
    return due;
  }

  clear(): void {
    this.#buckets.clear();
    this.#times = [];
    this.#entries = 0;
  }

  #pushTime(time: number): void {
    const times = this.#times;
    let child = times.push(time) - 1;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (times[parent]! <= time) break;
      times[child] = times[parent]!;
      child = parent;
    }
    times[child] = time;
  }

  #popTime(): number {
    const times = this.#times;
    const top = times[0]!;
    const last = times.pop()!;
    if (times.length === 0) return top;
    let parent = 0;
    for (;;) {
      const left = 2 * parent + 1;
      if (left >= times.length) break;
      const right = left + 1;
      const child = right < times.length && times[right]! < times[left]! ? right : left;
      if (times[child]! >= last) break;
      times[parent] = times[child]!;
      parent = child;
    }
    times[parent] = last;
    return top;
  }
}
