/**
 * Exercise 6: an IndexedDB store whose clean() goes through an index.
 *
 * This store works, but clean() reads every session to find the few that expired. Add an index on
 * the expiry and let clean() ask it for the expired ones only. Mind an expiry that cannot be read.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { BaseSessionStore, type SessionRecord } from 'sessionlab';

const DATABASE = 'exercise-sessions';
const SESSIONS = 'sessions';

interface SessionDatabase extends DBSchema {
  sessions: { key: string; value: SessionRecord };
}

export class IndexedDBSessionStore extends BaseSessionStore<SessionRecord> {
  #database: Promise<IDBPDatabase<SessionDatabase>> | null = null;

  /** Opens the database once, on first use. */
  #open(): Promise<IDBPDatabase<SessionDatabase>> {
    this.#database ??= openDB<SessionDatabase>(DATABASE, 1, {
      upgrade(database) {
        database.createObjectStore(SESSIONS, { keyPath: 'sessionId' });
      },
    });
    return this.#database;
  }

  async create(record: SessionRecord): Promise<void> {
    const database = await this.#open();
    // add(), not put(): it rejects an id that is taken.
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
    // Check and write in one transaction: a delete() cannot slip in between.
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
    const now = Date.now();
    let removed = 0;
    // TODO: this reads every session there is, every few minutes, to find the expired few.
    for (const record of await transaction.store.getAll()) {
      if (!(Date.parse(record.expires) > now)) {
        await transaction.store.delete(record.sessionId);
        removed++;
      }
    }
    await transaction.done;
    return removed;
  }
}
