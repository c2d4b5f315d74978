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
  /** The store answered with something that is not a session record. */
  | 'invalid-result'
  /** Concurrent writers kept winning: the record changed under every retry of a compare-and-set. */
  | 'conflict';

/**
 * A store call that failed, timed out or answered nonsense. Adapters turn it into a defined response
 * (the Fetch adapter answers 503 by default) instead of crashing or hanging the request.
 */
export class SessionStoreError extends Error {
  override readonly name = 'SessionStoreError';
  readonly method: StoreMethod;
  readonly failure: StoreFailure;

  constructor(method: StoreMethod, failure: StoreFailure, detail: string, options?: { cause?: unknown }) {
    super(`Session store ${method}() ${describe(failure)}: ${detail}`, options);
    this.method = method;
    this.failure = failure;
  }
}

function describe(failure: StoreFailure): string {
  switch (failure) {
    case 'failed':
      return 'failed';
    case 'timeout':
      return 'did not answer in time';
    case 'invalid-result':
      return 'returned something that is not a session record';
    case 'conflict':
      return 'kept conflicting with concurrent writes';
  }
}
