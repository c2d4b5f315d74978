/**
 * The IndexedDB layout of `IndexedDBStore` and the upgrades that bring older databases up to it.
 *
 * Schema version 2: one object store, `sessions`, keyed by the record's `sessionId`, holding entries
 * `{ record, expiresAt }`. `record` is kept exactly as given; `expiresAt` is `expires` as a number
 * (milliseconds), or `-Infinity` when it cannot be read, and the `expiresAt` index lets `clean()`
 * visit only expired and unreadable records, never the whole store. A `userId` index (on
 * `record.userId`) serves `listByUser()`.
 */
import type { DBSchema, IDBPDatabase, IDBPObjectStore, IDBPTransaction } from 'idb';
import type { ISessionData } from '../types.ts';

/** The database name used when none is given. */
export const DEFAULT_DATABASE_NAME = 'sessionlab';
/** The schema this code reads and writes; `UPGRADES` brings older databases up to it. */
export const SCHEMA_VERSION = 2;
export const SESSIONS = 'sessions';
export const EXPIRES_AT = 'expiresAt';
export const USER_ID = 'userId';

/** What the `sessions` object store holds: the record as given, and its expiry as an index key. */
export interface Entry<R> {
  record: R;
  /** `Date.parse(record.expires)`, or `-Infinity` when that is not a number: unreadable counts as expired. */
  expiresAt: number;
}

export interface SessionSchema<R> extends DBSchema {
  sessions: { key: string; value: Entry<R>; indexes: { expiresAt: number; userId: string } };
}

export type SessionDatabase<R> = IDBPDatabase<SessionSchema<R>>;
export type SessionObjectStore<R, Mode extends IDBTransactionMode> = IDBPObjectStore<SessionSchema<R>, ['sessions'], 'sessions', Mode>;

export type VersionChange = IDBPTransaction<unknown, string[], 'versionchange'>;
type Upgrade = (database: IDBPDatabase, transaction: VersionChange) => void | Promise<void>;

/**
 * Schema upgrades: `UPGRADES[n]` takes a database from version n to n + 1. A released step is never
 * edited; a new layout adds a step. A fresh database runs them all, so every step is exercised daily.
 */
const UPGRADES: readonly Upgrade[] = [
  // 0 → 1: the layout of the `idb` recipe: records as given, keyed by sessionId, indexed by the ISO
  // `expires` string. An unreadable `expires` sorts among the strings, so no key range finds it.
  (database) => {
    // Stryker disable next-line ObjectLiteral,StringLiteral: only a new, empty database runs this step, and step 1 → 2 deletes its store in the same versionchange transaction.
    database.createObjectStore(SESSIONS, { keyPath: 'sessionId' }).createIndex('expires', 'expires');
  },
  // 1 → 2: entries `{ record, expiresAt }` indexed by a number that is -Infinity for an unreadable
  // `expires` (one key range finds the expired and the unreadable alike), and by `userId` for
  // listByUser(). The key path cannot change in place, so records move (by cursor, never all in
  // memory) into a new store that then takes the old name.
  async (database, transaction) => {
    const next = database.createObjectStore(`${SESSIONS}-v2`, { keyPath: 'record.sessionId' });
    next.createIndex(EXPIRES_AT, EXPIRES_AT);
    next.createIndex(USER_ID, 'record.userId');
    const previous = transaction.objectStore(SESSIONS);
    for (let cursor = await previous.openCursor(); cursor; cursor = await cursor.continue()) {
      await next.add(entryOf(cursor.value as ISessionData));
    }
    database.deleteObjectStore(SESSIONS);
    next.name = SESSIONS;
  },
];

/** The entry stored for `record`: the record itself, and its expiry as a number the index can range over. */
export function entryOf<R extends ISessionData>(record: R): Entry<R> {
  const expiresAt = Date.parse(record.expires);
  // An unreadable `expires` counts as already expired: fail closed.
  return { record, expiresAt: Number.isNaN(expiresAt) ? Number.NEGATIVE_INFINITY : expiresAt };
}

/** Runs every upgrade step from `from` up to `SCHEMA_VERSION`, in the one versionchange transaction. */
export async function upgrade(database: IDBPDatabase, transaction: VersionChange, from: number): Promise<void> {
  // Stryker disable next-line OptionalChaining: version runs from the old version (0 or 1) below SCHEMA_VERSION, always a defined step.
  for (let version = from; version < SCHEMA_VERSION; version++) await UPGRADES[version]?.(database, transaction);
}
