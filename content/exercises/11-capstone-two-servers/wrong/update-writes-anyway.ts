/**
 * Wrong: update() writes with put() whether or not the session is still there. A request that
 * finishes after its user logged out (on this server or the other) brings the session back.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { BaseSessionStore, type SessionRecord } from 'sessionlab';

/** A fixed name: a new instance (after a restart, in another tab) must find the same database. */
const DATABASE = 'shared-sessions';
const SESSIONS = 'sessions';
const BY_EXPIRY = 'expiresAt';

interface StoredSession {
  sessionId: string;
  /** Date.parse(record.expires), or -Infinity when that cannot be read: every range up to now includes it. */
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

function alive(entry: StoredSession | undefined): entry is StoredSession {
  return entry !== undefined && entry.expiresAt > Date.now();
}

export class DurableStore extends BaseSessionStore<SessionRecord> {
  #database: Promise<IDBPDatabase<SessionDatabase>> | null = null;

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
    // add() rejects an id that is taken, and resolves once its transaction has committed.
    await database.add(SESSIONS, stored(record.sessionId, record));
  }

  async get(sessionId: string): Promise<SessionRecord | null> {
    const database = await this.#open();
    const entry = await database.get(SESSIONS, sessionId);
    if (!entry) return null;
    if (!alive(entry)) {
      await database.delete(SESSIONS, sessionId);
      return null;
    }
    return entry.record;
  }

  async update(sessionId: string, record: SessionRecord): Promise<void> {
    const database = await this.#open();
    await database.put(SESSIONS, stored(sessionId, record));
  }

  override async compareAndSet(sessionId: string, expectedVersion: number, record: SessionRecord): Promise<boolean> {
    const database = await this.#open();
    // One readwrite transaction: no other write to the store can run between the read and the put.
    const transaction = database.transaction(SESSIONS, 'readwrite');
    const entry = await transaction.store.get(sessionId);
    const wrote = alive(entry) && entry.record.version === expectedVersion;
    if (wrote) await transaction.store.put(stored(sessionId, record));
    await transaction.done;
    return wrote;
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
