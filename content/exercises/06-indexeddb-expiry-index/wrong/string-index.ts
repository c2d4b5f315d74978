/**
 * Wrong: the index is on the expires string itself, as in the usual idb recipe. A string that is no
 * date at all ("not a date") sorts after every ISO time, so no key range up to now ever finds it.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { BaseSessionStore, type SessionRecord } from 'sessionlab';

const DATABASE = 'exercise-sessions';
const SESSIONS = 'sessions';

interface SessionDatabase extends DBSchema {
  sessions: { key: string; value: SessionRecord; indexes: { expires: string } };
}

export class IndexedDBSessionStore extends BaseSessionStore<SessionRecord> {
  #database: Promise<IDBPDatabase<SessionDatabase>> | null = null;

  /** Opens the database once, on first use. */
  #open(): Promise<IDBPDatabase<SessionDatabase>> {
    this.#database ??= openDB<SessionDatabase>(DATABASE, 1, {
      upgrade(database) {
        database.createObjectStore(SESSIONS, { keyPath: 'sessionId' }).createIndex('expires', 'expires');
      },
    });
    return this.#database;
  }

  async create(record: SessionRecord): Promise<void> {
    const database = await this.#open();
    await database.add(SESSIONS, record);
  }

  async get(sessionId: string): Promise<SessionRecord | null> {
    const database = await this.#open();
    const record = await database.get(SESSIONS, sessionId);
    if (!record) return null;
    if (!(Date.parse(record.expires) > Date.now())) {
      await database.delete(SESSIONS, sessionId);
      return null;
    }
    return record;
  }

  async update(sessionId: string, record: SessionRecord): Promise<void> {
    const database = await this.#open();
    const transaction = database.transaction(SESSIONS, 'readwrite');
    if ((await transaction.store.getKey(sessionId)) !== undefined) await transaction.store.put(record);
    await transaction.done;
  }

  async delete(sessionId: string): Promise<void> {
    const database = await this.#open();
    await database.delete(SESSIONS, sessionId);
  }

  async clean(): Promise<number> {
    const database = await this.#open();
    const transaction = database.transaction(SESSIONS, 'readwrite');
    // ISO 8601 UTC strings sort like the times they name, so a string key range finds the expired ones.
    const expired = IDBKeyRange.upperBound(new Date().toISOString());
    let removed = 0;
    for (let cursor = await transaction.store.index('expires').openCursor(expired); cursor; cursor = await cursor.continue()) {
      await cursor.delete();
      removed++;
    }
    await transaction.done;
    return removed;
  }
}
