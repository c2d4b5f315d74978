import { BaseSessionStore, answersWithOwnCopy } from './base-session-store.ts';
import { ExpiryIndex } from './expiry-index.ts';
import { systemClock, type Clock, type ISessionData, type SessionRecord } from '../types.ts';
import { StoreError } from '../errors.ts';
import { copyRecord } from '../store-caller.ts';

export interface MemoryStoreOptions {
  /** Where "now" comes from for lazy expiry and `clean()`. Defaults to the system clock. */
  clock?: Clock;
}

/** A `MemoryStore` failure. There is one: `create()` of a taken id, reason `'duplicate-id'`. */
export class MemoryStoreError extends StoreError {
  override readonly name = 'MemoryStoreError';
}

interface Entry<R> {
  /** The store's own copy: plain data, made by `copyRecord`. */
  record: R;
  expiresAt: number;
  /** The record's fields that hold objects (usually `data` alone): what a copy of it must copy deeply. */
  nested: string[];
}

/**
 * The default store: records in a `Map`, gone when the process restarts. For development and tests;
 * use a durable store (IndexedDB in the browser, SQLite or Redis on a server) in production.
 *
 * Copies in and copies out: the caller can never change a stored record by mutating an object it
 * passed in or got back. `clean()` visits only expired records (an index on `expires`), so its cost
 * does not grow with the number of live sessions.
 */
export class MemoryStore<R extends ISessionData = SessionRecord> extends BaseSessionStore<R> {
  readonly #records = new Map<string, Entry<R>>();
  readonly #expiries = new ExpiryIndex();
  /** userId → its session ids, for listByUser ("sign out everywhere"). */
  readonly #byUser = new Map<string, Set<string>>();
  readonly #clock: Clock;

  constructor(options: MemoryStoreOptions = {}) {
    super();
    this.#clock = options.clock ?? systemClock;
  }

  create(record: R): void {
    if (this.#records.has(record.sessionId)) {
      throw new MemoryStoreError('duplicate-id', `MemoryStore.create: a session with id "${record.sessionId}" already exists.`, 'Use update() to change it.');
    }
    this.#put(record);
  }

  static {
    // Each answer is a new object (a copy, or parsed from storage): the Session need not copy it.
    // And each write copies what it is given before it returns (#put): the Session need not copy that either.
    answersWithOwnCopy(this.prototype.get);
    answersWithOwnCopy(this.prototype.create);
    answersWithOwnCopy(this.prototype.update);
    answersWithOwnCopy(this.prototype.compareAndSet);
  }

  get(sessionId: string): R | null {
    const entry = this.#records.get(sessionId);
    if (!entry) return null;
    if (entry.expiresAt <= this.#clock.now()) {
      this.#remove(sessionId, entry);
      return null;
    }
    return copyOut(entry);
  }

  update(sessionId: string, record: R): void {
    if (!this.#records.has(sessionId)) return;
    this.#put({ ...record, sessionId });
  }

  delete(sessionId: string): void {
    this.#remove(sessionId);
  }

  /** Writes `record` only if the stored version is `expectedVersion`. Atomic: JavaScript runs this method to the end. */
  override compareAndSet(sessionId: string, expectedVersion: number, record: R): boolean {
    const entry = this.#records.get(sessionId);
    if (!entry || entry.expiresAt <= this.#clock.now()) return false;
    const version = (entry.record as Partial<SessionRecord>).version ?? 0;
    if (version !== expectedVersion) return false;
    this.#put({ ...record, sessionId });
    return true;
  }

  /** Every live session of `userId`, as copies. */
  override listByUser(userId: string): R[] {
    const now = this.#clock.now();
    const found: R[] = [];
    for (const id of this.#byUser.get(userId) ?? []) {
      const entry = this.#records.get(id);
      if (entry && entry.expiresAt > now) found.push(copyOut(entry));
    }
    return found;
  }

  /** Removes expired records; returns how many. Visits only records due by now, not all of them. */
  clean(): number {
    const now = this.#clock.now();
    let removed = 0;
    for (const id of this.#expiries.takeDue(now)) {
      const entry = this.#records.get(id);
      if (!entry) continue; // deleted since it was indexed
      if (entry.expiresAt <= now) {
        this.#remove(id, entry);
        removed++;
      } else if (Math.floor(entry.expiresAt / 1000) <= Math.floor(now / 1000)) {
        this.#expiries.add(id, entry.expiresAt); // later in the current second: keep it indexed
      }
      // Otherwise the record was extended and is indexed again under its new expiry.
    }
    return removed;
  }

  /** How many records are stored (expired ones included until they are cleaned or read). */
  count(): number {
    return this.#records.size;
  }

  /** Every stored record, expired ones included, as copies, without removing any: for inspection. */
  override all(): R[] {
    return [...this.#records.values()].map(copyOut);
  }

  /** Removes every record. */
  clear(): void {
    this.#records.clear();
    this.#expiries.clear();
    this.#byUser.clear();
  }

  #put(record: R): void {
    const expiresAt = Date.parse(record.expires);
    const previous = this.#records.get(record.sessionId);
    const copy = copyRecord(record);
    const entry: Entry<R> = {
      record: copy,
      // An unreadable `expires` counts as already expired: fail closed.
      expiresAt: Number.isNaN(expiresAt) ? Number.NEGATIVE_INFINITY : expiresAt,
      nested: Object.keys(copy).filter((key) => typeof copy[key as keyof R] === 'object' && copy[key as keyof R] !== null),
    };
    this.#records.set(record.sessionId, entry);
    if (previous && previous.record.userId !== record.userId) this.#unindexUser(previous.record.userId, record.sessionId);
    let ids = this.#byUser.get(record.userId);
    if (!ids) this.#byUser.set(record.userId, (ids = new Set()));
    ids.add(record.sessionId);
    if (previous?.expiresAt !== entry.expiresAt) this.#expiries.add(record.sessionId, entry.expiresAt);
    // Every change of expiry leaves a stale entry behind; rebuild once they outnumber the live ones.
    if (this.#expiries.size > 2 * this.#records.size + 1024) {
      this.#expiries.clear();
      for (const [id, { expiresAt: at }] of this.#records) this.#expiries.add(id, at);
    }
  }

  #remove(sessionId: string, entry = this.#records.get(sessionId)): void {
    if (!entry) return;
    this.#records.delete(sessionId);
    this.#unindexUser(entry.record.userId, sessionId);
  }

  #unindexUser(userId: string, sessionId: string): void {
    const ids = this.#byUser.get(userId);
    ids?.delete(sessionId);
    if (ids?.size === 0) this.#byUser.delete(userId);
  }
}

/**
 * A copy of a stored record for a caller. The store's own copy holds only plain data fields (it was
 * made by `copyRecord`), so spreading it copies its top level exactly, several times faster than
 * walking it; the fields that hold objects are then copied deeply.
 */
function copyOut<R>(entry: Entry<R>): R {
  const copy = { ...entry.record } as Record<string, unknown>;
  // A field named "__proto__" is an own property of the copy (spread keeps it so): assigning it sets that property.
  for (const key of entry.nested) copy[key] = copyRecord(copy[key]);
  return copy as R;
}
