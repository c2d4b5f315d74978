import { BaseSessionStore } from './base-session-store.ts';
import { ExpiryHeap } from './expiry-heap.ts';
import { systemClock, type Clock, type ISessionData, type SessionRecord } from '../types.ts';

export interface MemoryStoreOptions {
  /** Where "now" comes from for lazy expiry and `clean()`. Defaults to the system clock. */
  clock?: Clock;
}

interface Entry<R> {
  record: R;
  expiresAt: number;
  seq: number;
}

/**
 * The default store: records in a `Map`, gone when the process restarts. For development and tests;
 * use a durable store (IndexedDB in the browser, SQLite or Redis on a server) in production.
 *
 * Copies in and copies out: the caller can never change a stored record by mutating an object it
 * passed in or got back. `clean()` visits only expired records (a min-heap on `expires`), so its cost
 * does not grow with the number of live sessions.
 */
export class MemoryStore<R extends ISessionData = SessionRecord> extends BaseSessionStore<R> {
  readonly #records = new Map<string, Entry<R>>();
  readonly #expiries = new ExpiryHeap();
  readonly #clock: Clock;
  #seq = 0;

  constructor(options: MemoryStoreOptions = {}) {
    super();
    this.#clock = options.clock ?? systemClock;
  }

  create(record: R): void {
    if (this.#records.has(record.sessionId)) {
      throw new Error(`MemoryStore.create: a session with id "${record.sessionId}" already exists; use update() to change it.`);
    }
    this.#put(record);
  }

  get(sessionId: string): R | null {
    const entry = this.#records.get(sessionId);
    if (!entry) return null;
    if (entry.expiresAt <= this.#clock.now()) {
      this.#records.delete(sessionId);
      return null;
    }
    return structuredClone(entry.record);
  }

  update(sessionId: string, record: R): void {
    if (!this.#records.has(sessionId)) return;
    this.#put({ ...record, sessionId });
  }

  delete(sessionId: string): void {
    this.#records.delete(sessionId);
  }

  /** Removes expired records; returns how many. Cost: O(expired · log n). */
  clean(): number {
    const now = this.#clock.now();
    let removed = 0;
    for (let top = this.#expiries.peek(); top && top.at <= now; top = this.#expiries.peek()) {
      this.#expiries.pop();
      const entry = this.#records.get(top.id);
      if (entry?.seq === top.seq) {
        this.#records.delete(top.id);
        removed++;
      }
    }
    return removed;
  }

  /** How many records are stored (expired ones included until they are cleaned or read). */
  count(): number {
    return this.#records.size;
  }

  /** Removes every record. */
  clear(): void {
    this.#records.clear();
    this.#expiries.rebuild([]);
  }

  #put(record: R): void {
    const expiresAt = Date.parse(record.expires);
    const entry: Entry<R> = {
      record: structuredClone(record),
      // An unreadable `expires` counts as already expired: fail closed.
      expiresAt: Number.isNaN(expiresAt) ? Number.NEGATIVE_INFINITY : expiresAt,
      seq: ++this.#seq,
    };
    this.#records.set(record.sessionId, entry);
    this.#expiries.push({ at: entry.expiresAt, id: record.sessionId, seq: entry.seq });
    // Every update leaves a stale heap entry behind; rebuild once they outnumber the live ones.
    if (this.#expiries.size > 2 * this.#records.size + 1024) {
      this.#expiries.rebuild([...this.#records].map(([id, { expiresAt: at, seq }]) => ({ at, id, seq })));
    }
  }
}
