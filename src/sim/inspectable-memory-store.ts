/**
 * MemoryStore, plus `all()` for the Lab's record inspector.
 *
 * INTERIM: MemoryStore keeps its records private and has no way to list them, expired ones included
 * (its `listByUser` skips expired records, and its `get` removes them). Until MemoryStore has an
 * `all()` of its own, this subclass keeps a copy of what it holds, following MemoryStore's rules: a
 * record stays until it is deleted, read after expiry, or cleaned. When MemoryStore.all() exists,
 * the Lab uses plain MemoryStore and this file goes.
 */
import { MemoryStore, systemClock, type Clock, type MemoryStoreOptions, type SessionRecord } from '../session/index.ts';

export class InspectableMemoryStore extends MemoryStore {
  readonly #copies = new Map<string, SessionRecord>();
  readonly #clock: Clock;

  constructor(options: MemoryStoreOptions = {}) {
    super(options);
    this.#clock = options.clock ?? systemClock;
  }

  override create(record: SessionRecord): void {
    super.create(record);
    this.#copies.set(record.sessionId, structuredClone(record));
  }

  override get(sessionId: string): SessionRecord | null {
    const found = super.get(sessionId);
    if (found === null) this.#copies.delete(sessionId); // unknown, or expired and just removed
    return found;
  }

  override update(sessionId: string, record: SessionRecord): void {
    super.update(sessionId, record);
    if (this.#copies.has(sessionId)) this.#copies.set(sessionId, structuredClone({ ...record, sessionId }));
  }

  override delete(sessionId: string): void {
    super.delete(sessionId);
    this.#copies.delete(sessionId);
  }

  override compareAndSet(sessionId: string, expectedVersion: number, record: SessionRecord): boolean {
    const written = super.compareAndSet(sessionId, expectedVersion, record);
    if (written) this.#copies.set(sessionId, structuredClone({ ...record, sessionId }));
    return written;
  }

  override clean(): number {
    const removed = super.clean();
    // MemoryStore.clean() removes every record whose expiry has passed, and unreadable ones.
    const now = this.#clock.now();
    for (const [id, record] of this.#copies) {
      const expires = Date.parse(record.expires);
      if (Number.isNaN(expires) || expires <= now) this.#copies.delete(id);
    }
    return removed;
  }

  override clear(): void {
    super.clear();
    this.#copies.clear();
  }

  /** Every stored record, expired ones included, as copies. */
  all(): SessionRecord[] {
    return [...this.#copies.values()].map((record) => structuredClone(record));
  }
}
