/**
 * A store (a MemoryStore inside) whose `update`, the save at the end of a request, waits until the
 * test releases or fails it: for tests of what an adapter does while a response waits for its save.
 */
import { BaseSessionStore, MemoryStore, type Clock, type SessionRecord } from 'sessionlab';

export class GatedStore extends BaseSessionStore<SessionRecord> {
  readonly #inner: MemoryStore;
  readonly #gate = deferred<void>();
  readonly #saving = deferred<void>();
  /** Resolves when a save has started (and waits for `release()` or `fail()`). */
  readonly saving = this.#saving.promise;

  constructor(clock: Clock) {
    super();
    this.#inner = new MemoryStore({ clock });
  }
  release(): void {
    this.#gate.resolve();
  }
  fail(): void {
    this.#gate.reject(new Error('update is down'));
  }
  create(record: SessionRecord): void {
    this.#inner.create(record);
  }
  get(sessionId: string): SessionRecord | null {
    return this.#inner.get(sessionId);
  }
  async update(sessionId: string, record: SessionRecord): Promise<void> {
    this.#saving.resolve();
    await this.#gate.promise;
    this.#inner.update(sessionId, record);
  }
  delete(sessionId: string): void {
    this.#inner.delete(sessionId);
  }
  clean(): number {
    return this.#inner.clean();
  }
}

/** A promise and the functions that settle it. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: Error) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((done, fail) => {
    resolve = done;
    reject = fail;
  });
  return { promise, resolve, reject };
}
