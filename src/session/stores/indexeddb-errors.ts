/**
 * How `IndexedDBStore` fails: an `IndexedDBStoreError`, a `StoreError` whose `reason` comes from the
 * list every Session Lab store shares, and whose `code` keeps the browser-specific case (a newer
 * release upgraded the database, so reload; the database was deleted, so retry).
 */
import { StoreError, type StoreErrorReason } from '../errors.ts';
import { SCHEMA_VERSION } from './indexeddb-schema.ts';

/** What exactly went wrong in an `IndexedDBStore` call; `reason` is the shared class it belongs to. */
export type IndexedDBStoreFailure =
  /** There is no IndexedDB here, or the browser refused to open it (private modes, sandboxed frames). Reason `'unavailable'`. */
  | 'unavailable'
  /** Another tab or worker keeps an older version of the database open, so it cannot be upgraded. Reason `'locked'`. */
  | 'blocked'
  /** The database was upgraded by newer code (another tab) than this code understands: reload. Reason `'unavailable'`. */
  | 'newer-version'
  /** The browser refused to store more data for this site. Reason `'quota-exceeded'`. */
  | 'quota-exceeded'
  /** The browser closed the database during the call (site data cleared, database deleted in DevTools): retry. Reason `'unavailable'`. */
  | 'database-deleted'
  /** `create()` of a `sessionId` that is already stored. Reason `'duplicate-id'`. */
  | 'duplicate-id'
  /** Anything else; `cause` holds the browser's error. Reason `'failed'`. */
  | 'failed';

const REASONS: Readonly<Record<IndexedDBStoreFailure, StoreErrorReason>> = {
  unavailable: 'unavailable',
  blocked: 'locked',
  'newer-version': 'unavailable',
  'quota-exceeded': 'quota-exceeded',
  'database-deleted': 'unavailable',
  'duplicate-id': 'duplicate-id',
  failed: 'failed',
};

/**
 * A failed `IndexedDBStore` call. `reason` classifies it in the vocabulary every store shares; `code`
 * says exactly what happened here; the message says what happened and what to do (the second part
 * also on its own, as `hint`); `cause` holds the browser's error when there is one.
 */
export class IndexedDBStoreError extends StoreError {
  override readonly name = 'IndexedDBStoreError';
  /** What exactly went wrong: `'newer-version'` (reload the page) and `'database-deleted'` (retry) are both reason `'unavailable'`. */
  readonly code: IndexedDBStoreFailure;

  constructor(code: IndexedDBStoreFailure, problem: string, hint: string, options?: { cause?: unknown }) {
    super(REASONS[code], problem, hint, options);
    this.code = code;
  }
}

/** There is no IndexedDB in this environment at all. */
export function noIndexedDB(name: string): IndexedDBStoreError {
  return new IndexedDBStoreError(
    'unavailable',
    `IndexedDBStore: IndexedDB is not available here (there is no global indexedDB), so database "${name}" cannot be opened.`,
    'Use MemoryStore (or a server-side store) in this environment, or pass an IDBFactory as the indexedDB option.',
  );
}

/** Another connection keeps an older version open, so the upgrade waits. */
export function blocked(name: string, oldVersion: number): IndexedDBStoreError {
  return new IndexedDBStoreError(
    'blocked',
    `IndexedDBStore: database "${name}" cannot be upgraded from version ${oldVersion} to ${SCHEMA_VERSION}: another tab or worker keeps it open and does not close it.`,
    'Close or reload the other tabs of this site; the store opens the database as soon as they let go, so retry then.',
  );
}

/** A failed operation on the open database, classified by the browser's error name. */
export function operationFailure(name: string, operation: string, cause: unknown): IndexedDBStoreError {
  const what = `IndexedDBStore.${operation}() on database "${name}"`;
  switch (errorName(cause)) {
    case 'QuotaExceededError':
      return new IndexedDBStoreError(
        'quota-exceeded',
        `${what} failed: the browser refused to store more data for this site (quota exceeded). Nothing was written.`,
        'Free space: call clean() to remove expired sessions, keep session data small, or ask for persistent storage with navigator.storage.persist().',
        { cause },
      );
    case 'ConstraintError':
      return new IndexedDBStoreError('duplicate-id', `${what} failed: a session with that id already exists.`, 'Use update() to change it.', { cause });
    case 'AbortError':
      // A transaction aborted with AbortError (not by a failed request) was aborted by the browser:
      // it closes a database's connections when the site's data is cleared or the database deleted.
      return new IndexedDBStoreError(
        'database-deleted',
        `${what} did not complete: the browser closed the database while it ran (site data cleared, the database deleted in DevTools, or storage evicted).`,
        'Retry: the next call opens the database again; if it was deleted it is empty, so the sessions stored before are gone.',
        { cause },
      );
    case 'DataCloneError':
      return new IndexedDBStoreError('failed', `${what} failed: the record cannot be stored (${describe(cause)}).`, 'Records must be plain, JSON-safe objects.', { cause });
    default:
      return new IndexedDBStoreError(
        'failed',
        `${what} failed: ${describe(cause)}.`,
        'Retry; if it keeps failing, the browser storage for this site may be damaged: clearing the site data resets it.',
        { cause },
      );
  }
}

/** The browser refused to open the database. */
export function unavailable(name: string, cause: unknown): IndexedDBStoreError {
  return new IndexedDBStoreError(
    'unavailable',
    `IndexedDBStore: the browser refused to open database "${name}" (${describe(cause)}), as private browsing modes and sandboxed frames may.`,
    'Fall back to MemoryStore here (sessions then end with the page), or serve the page from a regular origin outside private mode.',
    { cause },
  );
}

/** Opening failed: an upgrade step threw, the database is newer than this code, or the browser refused. */
export function openFailure(name: string, cause: unknown, upgradeError: unknown): IndexedDBStoreError {
  if (upgradeError !== undefined) {
    return new IndexedDBStoreError(
      'failed',
      `IndexedDBStore: upgrading database "${name}" to schema version ${SCHEMA_VERSION} failed (${describe(upgradeError)}); it was left as it was.`,
      'This is a bug in sessionlab: please report it. Until it is fixed the store cannot open this database.',
      { cause: upgradeError },
    );
  }
  if (errorName(cause) === 'VersionError') {
    return new IndexedDBStoreError(
      'newer-version',
      `IndexedDBStore: database "${name}" has a newer schema than version ${SCHEMA_VERSION}, the newest this code knows: a newer release of the app upgraded it (in another tab).`,
      'Reload the page to run the newer release.',
      { cause },
    );
  }
  return unavailable(name, cause);
}

/** The error's name. Read by shape, not `instanceof`: a DOMException may come from another realm. */
function errorName(error: unknown): string | undefined {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : undefined;
}

/** `Name: message`, read by shape like `errorName`, since `instanceof Error` misses another realm's DOMException. */
function describe(error: unknown): string {
  const name = errorName(error);
  const message = (error as { message?: unknown } | null)?.message;
  if (name === undefined) return String(error);
  return typeof message === 'string' && message !== '' ? `${name}: ${message}` : name;
}
