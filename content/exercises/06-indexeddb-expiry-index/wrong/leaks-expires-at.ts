/**
 * Wrong: adds the numeric expiresAt to the record itself and hands the record out as stored, so every
 * session read back carries a field nobody wrote.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { BaseSessionStore, type SessionRecord } from 'sessionlab';

const DATABASE = 'exercise-sessions';
const SESSIONS = 'sessions';
const BY_EXPIRY = 'expiresAt';

/** The record, with its expiry as a number added, for the index. */
type StoredSession = SessionRecord & { expiresAt: number };

interface SessionDatabase extends DBSchema {
  sessions: { key: string; value: StoredSession; indexes: { expiresAt: number } };
}

function stored(sessionId: string, record: SessionRecord): StoredSession {
  const expiresAt = Date.parse(record.expires);
  return { ...record, sessionId, expiresAt: Number.isNaN(expiresAt) ? Number.NEGATIVE_INFINITY : expiresAt };
}

export class IndexedDBSessionStore extends BaseSessionStore<SessionRecord> {
  #database: Promise<IDBPDatabase<SessionDatabase>> | null = null;

  /** Opens the database once, on first use. */
  #open(): Promise<IDBPDatabase<SessionDatabase>> {
    this.#database ??= openDB<SessionDatabase>(DATABASE, 1, {
      upgrade(database) {
        const sessions = database.createObjectStore(SESSIONS, { keyPath: 'sessionId' });
        sessions.createIndex(BY_EXPIRY, 'expiresAt');
      },
    });
    return this.#database;
  }

  async create(record: SessionRecord): Promise<void> {
    const database = await this.#open();
    await database.add(SESSIONS, stored(record.sessionId, record));
  }

  async get(sessionId: string): Promise<SessionRecord | null> {
    const database = await this.#open();
    const entry = await database.get(SESSIONS, sessionId);
    if (!entry) return null;
    if (!(entry.expiresAt > Date.now())) {
      await database.delete(SESSIONS, sessionId);
      return null;
    }
    return entry;
  }

  async update(sessionId: string, record: SessionRecord): Promise<void> {
    const database = await this.#open();
    const transaction = database.transaction(SESSIONS, 'readwrite');
    if ((await transaction.store.getKey(sessionId)) !== undefined) await transaction.store.put(stored(sessionId, record));
    await transaction.done;
  }

  async delete(sessionId: string): Promise<void> {
    const database = await this.#open();
    await database.delete(SESSIONS, sessionId);
  }

  async clean(): Promise<number> {
    const database = await this.#open();
    const transaction = database.transaction(SESSIONS, 'readwrite');
    // upperBound includes now itself: at the very millisecond of its expiry a session has ended.
    const expired = IDBKeyRange.upperBound(Date.now());
    let removed = 0;
    for (let cursor = await transaction.store.index(BY_EXPIRY).openCursor(expired); cursor; cursor = await cursor.continue()) {
      await cursor.delete();
      removed++;
    }
    await transaction.done;
    return removed;
  }
}
