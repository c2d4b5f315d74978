/**
 * A store without `compareAndSet`: a store like one written from FluidAuth's docs, where two
 * requests that change one session at once overwrite each other. The Lab offers it, over MemoryStore
 * and over the shared IndexedDB store, to show what compare-and-set buys: in two tabs on one server,
 * and in two servers on one database alike. Everything else is the wrapped store's.
 */
import { BaseSessionStore, type SessionRecord } from '../session/index.ts';

/** The five methods, and the listings the Lab's Inspector and devices page use, of the wrapped store. */
type ListingStore = BaseSessionStore<SessionRecord> & Required<Pick<BaseSessionStore<SessionRecord>, 'listByUser' | 'all'>>;

export class LastWriteWinsStore extends BaseSessionStore<SessionRecord> {
  readonly #store: ListingStore;

  constructor(store: ListingStore) {
    super();
    this.#store = store;
  }

  async create(record: SessionRecord): Promise<void> {
    await this.#store.create(record);
  }

  async get(sessionId: string): Promise<SessionRecord | null> {
    return (await this.#store.get(sessionId)) ?? null;
  }

  async update(sessionId: string, record: SessionRecord): Promise<void> {
    await this.#store.update(sessionId, record);
  }

  async delete(sessionId: string): Promise<void> {
    await this.#store.delete(sessionId);
  }

  async clean(): Promise<void | number> {
    return this.#store.clean();
  }

  override async listByUser(userId: string): Promise<SessionRecord[]> {
    return this.#store.listByUser(userId);
  }

  override async all(): Promise<SessionRecord[]> {
    return this.#store.all();
  }
}
