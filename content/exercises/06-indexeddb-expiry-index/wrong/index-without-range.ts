/**
 * Wrong: the index is there, but clean() walks all of it and tests each session: without a key range,
 * an index cursor visits every record, exactly like a scan of the store.
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
    const now = Date.now();
    let removed = 0;
    for (let cursor = await transaction.store.index(BY_EXPIRY).openCursor(); cursor; cursor = await cursor.continue()) {
      if (!(cursor.value.expiresAt > now)) {
        await cursor.delete();
        removed++;
      }
    }
    await transaction.done;
    return removed;
  }
}
