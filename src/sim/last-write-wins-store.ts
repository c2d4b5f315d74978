/**
 * MemoryStore without `compareAndSet`: a store like one written from FluidAuth's docs, where two
 * requests that change one session at once overwrite each other. The Lab offers it to show what
 * compare-and-set buys; everything else behaves as MemoryStore does.
 */
import { BaseSessionStore, MemoryStore, type Clock, type SessionRecord } from '../session/index.ts';

export class LastWriteWinsStore extends BaseSessionStore<SessionRecord> {
  readonly #memory: MemoryStore;

  constructor(clock: Clock) {
    super();
    this.#memory = new MemoryStore({ clock });
  }

  create(record: SessionRecord): void {
    this.#memory.create(record);
  }

  get(sessionId: string): SessionRecord | null {
    return this.#memory.get(sessionId);
  }

  update(sessionId: string, record: SessionRecord): void {
    this.#memory.update(sessionId, record);
  }

  delete(sessionId: string): void {
    this.#memory.delete(sessionId);
  }

  clean(): number {
    return this.#memory.clean();
  }

  override listByUser(userId: string): SessionRecord[] {
    return this.#memory.listByUser(userId);
  }

  override all(): SessionRecord[] {
    return this.#memory.all();
  }
}
