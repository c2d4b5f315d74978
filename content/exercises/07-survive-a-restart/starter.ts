/**
 * Exercise 7: survive a server restart.
 *
 * This store passes every check of exercise 6, and yet after a restart every user is signed out.
 * Find out why, and fix it.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { BaseSessionStore, type SessionRecord } from 'sessionlab';

const DATABASE = 'exercise-sessions';
const SESSIONS = 'sessions';
const BY_EXPIRY = 'expiresAt';

interface StoredSession {
  sessionId: string;
  expiresAt: number;
  record: SessionRecord;
}

interface SessionDatabase extends DBSchema {
  sessions: { key: string; value: StoredSession; indexes: { expiresAt: number } };
}

function stored(sessionId: string, record: SessionRecord): StoredSession {
  const expiresAt = Date.parse(record.expires);
  return { sessionId, expiresAt: Number.isNaN(expiresAt) ? Number.NEGATIVE_INFINITY : expiresAt, record };
}

export class DurableStore extends BaseSessionStore<SessionRecord> {
  #database: Promise<IDBPDatabase<SessionDatabase>> | null = null;
  /** Reading a Map is faster than reading IndexedDB, so sessions are served from here. */
  readonly #cache = new Map<string, SessionRecord>();

  #open(): Promise<IDBPDatabase<SessionDatabase>> {
    this.#database ??= (async () => {
      const database = await openDB<SessionDatabase>(DATABASE, 1, {
        upgrade(database) {
          database.createObjectStore(SESSIONS, { keyPath: 'sessionId' }).createIndex(BY_EXPIRY, 'expiresAt');
        },
      });
      // Start from a clean slate: sessions left from an earlier run are stale anyway.
      await database.clear(SESSIONS);
      return database;
    })();
    return this.#database;
  }

  async create(record: SessionRecord): Promise<void> {
    const database = await this.#open();
    await database.add(SESSIONS, stored(record.sessionId, record));
    this.#cache.set(record.sessionId, structuredClone(record));
  }

  async get(sessionId: string): Promise<SessionRecord | null> {
    const record = this.#cache.get(sessionId);
    if (!record) return null;
    if (!(Date.parse(record.expires) > Date.now())) {
      await this.delete(sessionId);
      return null;
    }
    return structuredClone(record);
  }

  async update(sessionId: string, record: SessionRecord): Promise<void> {
    if (!this.#cache.has(sessionId)) return;
    const database = await this.#open();
    await database.put(SESSIONS, stored(sessionId, record));
    this.#cache.set(sessionId, structuredClone(record));
  }

  async delete(sessionId: string): Promise<void> {
    const database = await this.#open();
    await database.delete(SESSIONS, sessionId);
    this.#cache.delete(sessionId);
  }

  async clean(): Promise<number> {
    const database = await this.#open();
    const transaction = database.transaction(SESSIONS, 'readwrite');
    let removed = 0;
    for (let cursor = await transaction.store.index(BY_EXPIRY).openCursor(IDBKeyRange.upperBound(Date.now())); cursor; cursor = await cursor.continue()) {
      this.#cache.delete(cursor.primaryKey);
      await cursor.delete();
      removed++;
    }
    await transaction.done;
    return removed;
  }
}
