/**
 * A binary min-heap of (time, id) pairs: what lets `MemoryStore.clean()` visit only the expired
 * sessions instead of all of them. Entries are never removed from the middle; the store marks
 * them stale with a sequence number and skips them when they surface (lazy deletion).
 */
export interface ExpiryEntry {
  at: number;
  id: string;
  seq: number;
}

export class ExpiryHeap {
  #items: ExpiryEntry[] = [];

  get size(): number {
    return this.#items.length;
  }

  push(entry: ExpiryEntry): void {
    const items = this.#items;
    items.push(entry);
    let child = items.length - 1;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (items[parent]!.at <= entry.at) break;
      items[child] = items[parent]!;
      child = parent;
    }
    items[child] = entry;
  }

  peek(): ExpiryEntry | undefined {
    return this.#items[0];
  }

  pop(): ExpiryEntry | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    let parent = 0;
    for (;;) {
      const left = 2 * parent + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const child = right < items.length && items[right]!.at < items[left]!.at ? right : left;
      if (items[child]!.at >= last.at) break;
      items[parent] = items[child]!;
      parent = child;
    }
    items[parent] = last;
    return top;
  }

  /** Replaces the contents with `entries`; a sorted array is already a valid min-heap. */
  rebuild(entries: ExpiryEntry[]): void {
    entries.sort((a, b) => a.at - b.at); // a sorted array is already a valid min-heap
    this.#items = entries;
  }
}
