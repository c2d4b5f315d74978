/**
 * Exercise 7, a solution: IndexedDB is the only place sessions live. Every instance — the one after a
 * restart, the one in another tab — opens the same database by the same name, never clears it, and
 * reads from it every time; every write has committed before its promise resolves.
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
  }

  async get(sessionId: string): Promise<SessionRecord | null> {
    const database = await this.#open();
    // No cache: another instance may have changed or deleted this session a moment ago.
    const entry = await database.get(SESSIONS, sessionId);
    if (!entry) return null;
    if (!(entry.expiresAt > Date.now())) {
      await database.delete(SESSIONS, sessionId);
      return null;
    }
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
    let removed = 0;
    for (let cursor = await transaction.store.index(BY_EXPIRY).openCursor(IDBKeyRange.upperBound(Date.now())); cursor; cursor = await cursor.continue()) {
      await cursor.delete();
      removed++;
    }
    await transaction.done;
    return removed;
  }
}
