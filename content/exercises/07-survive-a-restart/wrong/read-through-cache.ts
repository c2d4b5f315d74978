/**
 * Wrong: reads through a cache. After a restart it falls back to IndexedDB, so sessions survive; but
 * an instance keeps serving its cached copy after another instance (another tab, another worker) has
 * changed or logged out that session.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { BaseSessionStore, type SessionRecord } from 'sessionlab';

/** A fixed name: a new instance (after a restart, in another tab) must find the same database. */
const DATABASE = 'exercise-sessions';
const SESSIONS = 'sessions';
const BY_EXPIRY = 'expiresAt';

interface StoredSession {
  sessionId: string;
  /** Date.parse(record.expires), or -Infinity when that cannot be read. */
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
  /** Sessions read or written by this instance: served from memory the next time. */
  readonly #cache = new Map<string, SessionRecord>();

  /** Opens the database once, on first use. upgrade() runs only when the database is new (or its version rises). */
  #open(): Promise<IDBPDatabase<SessionDatabase>> {
    this.#database ??= openDB<SessionDatabase>(DATABASE, 1, {
      upgrade(database) {
        database.createObjectStore(SESSIONS, { keyPath: 'sessionId' }).createIndex(BY_EXPIRY, 'expiresAt');
      },
    });
    return this.#database;
  }

  async create(record: SessionRecord): Promise<void> {
    const database = await this.#open();
    // idb's add() resolves once its transaction has committed: after that, a crash cannot lose it.
    await database.add(SESSIONS, stored(record.sessionId, record));
    this.#cache.set(record.sessionId, structuredClone(record));
  }

  async get(sessionId: string): Promise<SessionRecord | null> {
    let record = this.#cache.get(sessionId);
    if (!record) {
      // Not in memory (after a restart, say): fall back to IndexedDB, and remember it.
      const database = await this.#open();
      record = (await database.get(SESSIONS, sessionId))?.record;
      if (!record) return null;
      this.#cache.set(sessionId, record);
    }
    if (!(Date.parse(record.expires) > Date.now())) {
      await this.delete(sessionId);
      return null;
    }
    return structuredClone(record);
  }

  async update(sessionId: string, record: SessionRecord): Promise<void> {
    const database = await this.#open();
    const transaction = database.transaction(SESSIONS, 'readwrite');
    if ((await transaction.store.getKey(sessionId)) !== undefined) {
      await transaction.store.put(stored(sessionId, record));
      this.#cache.set(sessionId, structuredClone(record));
    }
    await transaction.done;
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
