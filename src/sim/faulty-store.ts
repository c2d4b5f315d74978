/**
 * A store that misbehaves on purpose, so the Lab can show what the Session does about it: a store
 * call that never answers is cut off after `storeTimeout` (the request gets a 503), and a store that
 * throws fails the request with a 503 as well, never a crash or a hang.
 */
import { BaseSessionStore, type SessionRecord } from '../session/index.ts';
import type { MemoryStore } from '../session/index.ts';

export type StoreFault = 'hang' | 'throw';

/**
 * - `hang`: `get()` and `create()` return promises that never settle; the other methods work, on memory.
 * - `throw`: every one of the five methods throws.
 *
 * `all()` lists what its memory holds, for the record inspector.
 */
export class FaultyStore extends BaseSessionStore<SessionRecord> {
  readonly fault: StoreFault;
  readonly #memory: MemoryStore;

  constructor(fault: StoreFault, memory: MemoryStore) {
    super();
    this.fault = fault;
    this.#memory = memory;
  }

  create(record: SessionRecord): Promise<void> | void {
    if (this.fault === 'hang') return never();
    this.#fail('create');
    this.#memory.create(record);
  }

  get(sessionId: string): Promise<SessionRecord | null> | SessionRecord | null {
    if (this.fault === 'hang') return never();
    this.#fail('get');
    return this.#memory.get(sessionId);
  }

  update(sessionId: string, record: SessionRecord): void {
    this.#fail('update');
    this.#memory.update(sessionId, record);
  }

  delete(sessionId: string): void {
    this.#fail('delete');
    this.#memory.delete(sessionId);
  }

  clean(): number {
    this.#fail('clean');
    return this.#memory.clean();
  }

  /** For the record inspector: what the store holds. */
  override all(): SessionRecord[] {
    return this.#memory.all();
  }

  #fail(method: string): void {
    if (this.fault === 'throw') {
      throw new Error(`FaultyStore.${method}() failed on purpose: this store throws on every call, to show what the Session does about it.`);
    }
  }
}

function never(): Promise<never> {
  return new Promise(() => {});
}
