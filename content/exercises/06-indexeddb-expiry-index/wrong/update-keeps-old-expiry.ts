/**
 * Wrong: update() replaces the record but keeps the expiry number the entry was created with, so
 * the index goes by the first expiry: an extended session is cleaned away, a shortened one is kept.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { BaseSessionStore, type SessionRecord } from 'sessionlab';

const DATABASE = 'exercise-sessions';
const SESSIONS = 'sessions';
const BY_EXPIRY = 'expiresAt';

/** What the object store holds: the record as given, and its expiry as a number the index can range over. */
interface StoredSession {
  sessionId: string;
  /** Date.parse(record.expires), or -Infinity when that cannot be read: it sorts first, so it counts as expired. */
  expiresAt: number;
  record: SessionRecord;
}

interface SessionDatabase extends DBSchema {
  sessions: { key: string; value: StoredSession; indexes: { expiresAt: number } };
}

function stored(sessionId: string, record: SessionRecord): StoredSession {
  const expiresAt = Date.parse(record.expires);
  // NaN is not a valid IndexedDB key; -Infinity is, and every key range up to now includes it.
  return { sessionId, expiresAt: Number.isNaN(expiresAt) ? Number.NEGATIVE_INFINITY : expiresAt, record };
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
    // IndexedDB hands out a copy (a structured clone) on every read: nothing to copy here.
    return entry.record;
  }

  async update(sessionId: string, record: SessionRecord): Promise<void> {
    const database = await this.#open();
    const transaction = database.transaction(SESSIONS, 'readwrite');
    const entry = await transaction.store.get(sessionId);
    if (entry) await transaction.store.put({ ...entry, record });
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
