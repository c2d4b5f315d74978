/**
 * The two errors Session Lab throws on purpose. Hostile input (a forged or garbled cookie) is never
 * an error: it simply means "no session".
 */

/** Thrown at construction when options are wrong. The message says what is wrong and how to fix it. */
export class SessionConfigError extends Error {
  override readonly name = 'SessionConfigError';
  /** How to fix it, on its own, for tools that show it apart. */
  readonly hint: string;

  constructor(problem: string, hint: string) {
    super(`${problem} ${hint}`);
    this.hint = hint;
  }
}

/** The store methods the Session calls. */
export type StoreMethod = 'create' | 'get' | 'update' | 'delete' | 'clean' | 'compareAndSet' | 'listByUser';

/** Why a store call failed. */
export type StoreFailure =
  /** The store threw or its promise rejected. */
  | 'failed'
  /** The store did not answer within `storeTimeout`. */
  | 'timeout'
  /** The store answered with something its method may not answer (not a record, not a boolean...). */
  | 'invalid-result'
  /** Concurrent writers kept winning: the record changed under every retry of a compare-and-set. */
  | 'conflict';

/** What each method may not answer, in words: what it answered instead of. */
const INVALID_RESULT: Record<StoreMethod, string> = {
  create: 'returned something it may not',
  get: 'returned something that is not a session record',
  update: 'returned something it may not',
  delete: 'returned something it may not',
  clean: 'returned something other than a count of removed sessions',
  compareAndSet: 'returned something other than true or false',
  listByUser: 'returned something that is not a list of session records',
};

/**
 * A store call that failed, timed out or answered nonsense. Adapters turn it into a defined response
 * (the Fetch adapter answers 503 by default) instead of crashing or hanging the request.
 */
export class SessionStoreError extends Error {
  override readonly name = 'SessionStoreError';
  readonly method: StoreMethod;
  readonly failure: StoreFailure;

  constructor(method: StoreMethod, failure: StoreFailure, detail: string, options?: { cause?: unknown }) {
    super(`Session store ${method}() ${describe(method, failure)}: ${detail}`, options);
    this.method = method;
    this.failure = failure;
  }
}

function describe(method: StoreMethod, failure: StoreFailure): string {
  switch (failure) {
    case 'failed':
      return 'failed';
    case 'timeout':
      return 'did not answer in time';
    case 'invalid-result':
      return INVALID_RESULT[method];
    case 'conflict':
      return 'kept conflicting with concurrent writes';
  }
}

/**
 * Why a store operation failed, in one vocabulary shared by every store Session Lab ships (and
 * offered to stores written by others), so an application handles "the store is full" the same way
 * whichever store is behind it.
 */
export const STORE_ERROR_REASONS = [
  /** `create()` of a `sessionId` that is already stored. */
  'duplicate-id',
  /** The backend cannot be reached or opened (server down, file missing, no IndexedDB here). */
  'unavailable',
  /** The backend accepts reads but refuses writes (a read-only file or replica). */
  'read-only',
  /** Another connection holds a lock (or an old schema open) for longer than the store waits. */
  'locked',
  /** The backend refused to store more data (disk full, browser quota, Redis maxmemory). */
  'quota-exceeded',
  /** The backend did not answer within the store's own time limit. */
  'timeout',
  /** Anything else; `cause` holds the backend's own error. */
  'failed',
] as const;

/** One of {@link STORE_ERROR_REASONS}. */
export type StoreErrorReason = (typeof STORE_ERROR_REASONS)[number];

/**
 * The one shape of a store's own failure: `reason` classifies it, `hint` says how to fix it (also the
 * end of the message), `cause` holds the backend's error. Stores throw a subclass named for them
 * (`IndexedDBStoreError`, `SqliteStoreError`...); the Session wraps it in a `SessionStoreError`
 * whose `cause` it is.
 */
export class StoreError extends Error {
  override readonly name: string = 'StoreError';
  readonly reason: StoreErrorReason;
  /** What to do about it, on its own, for tools that show it apart. */
  readonly hint: string;

  constructor(reason: StoreErrorReason, problem: string, hint: string, options?: { cause?: unknown }) {
    super(hint ? `${problem} ${hint}` : problem, options);
    this.reason = reason;
    this.hint = hint;
  }
}

/**
 * A thrown value in words: `Name: message` for errors, the value as a string for anything else
 * (code may throw strings, numbers or `null`).
 */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  try {
    return String(error);
  } catch {
    return Object.prototype.toString.call(error);
  }
}
