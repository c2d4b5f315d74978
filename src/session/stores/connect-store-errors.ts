/**
 * How `ConnectStoreBridge` words a failure of the store it wraps. A connect store passes on whatever
 * its backend threw (a socket error, a Redis reply, a PostgreSQL error, a file-system error), so the
 * bridge classifies what those errors share: Node's error codes, Redis's reply prefixes and
 * PostgreSQL's SQLSTATE codes.
 */
import { StoreError, describeError, type StoreErrorReason } from '../errors.ts';

/**
 * A failure of the store behind a `ConnectStoreBridge`, in the error shape every Session Lab store
 * shares: `reason` from the shared list — `'duplicate-id'` (create() of a taken id), `'unavailable'`,
 * `'timeout'`, `'read-only'`, `'quota-exceeded'`, `'locked'`, `'failed'` — a hint that ends the
 * message, and the connect store's own error as `cause`.
 */
export class ConnectStoreError extends StoreError {
  override readonly name = 'ConnectStoreError';
}

/** Node's (and libuv's) error codes, by what they mean for a store. */
const NODE_CODES: Readonly<Record<string, StoreErrorReason>> = {
  ECONNREFUSED: 'unavailable',
  ECONNRESET: 'unavailable',
  ENOTFOUND: 'unavailable',
  EHOSTUNREACH: 'unavailable',
  ENETUNREACH: 'unavailable',
  EAI_AGAIN: 'unavailable',
  EPIPE: 'unavailable',
  ETIMEDOUT: 'timeout',
  EROFS: 'read-only',
  EACCES: 'read-only',
  EPERM: 'read-only',
  ENOSPC: 'quota-exceeded',
  EDQUOT: 'quota-exceeded',
  EBUSY: 'locked',
  EMFILE: 'unavailable',
};

/**
 * PostgreSQL's SQLSTATE codes (https://www.postgresql.org/docs/current/errcodes-appendix.html) that
 * say something about the store rather than about one query.
 */
function postgresReason(code: string): StoreErrorReason | null {
  if (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300') return 'unavailable';
  if (code === '25006') return 'read-only';
  if (code === '53100' || code === '53200') return 'quota-exceeded';
  if (code === '55P03' || code === '40P01') return 'locked';
  if (code === '57014') return 'timeout';
  return null;
}

/** Messages of clients that lost their server, by what they mean; the first that matches wins. */
const MESSAGES: readonly [RegExp, StoreErrorReason][] = [
  [/^OOM\b/, 'quota-exceeded'],
  [/^READONLY\b/, 'read-only'],
  [/^(BUSY|LOADING)\b/, 'locked'],
  // pg's pool ("timeout exceeded when trying to connect"), node-redis ("Connection timeout").
  [/timeout|timed out/i, 'timeout'],
  [/The client is (closed|offline)|Socket closed unexpectedly|Connection terminated|connection error|Connection closed/i, 'unavailable'],
];

const HINTS: Readonly<Record<StoreErrorReason, string>> = {
  'duplicate-id': 'Use update() to change it.',
  unavailable: "The store's backend cannot be reached: check that it runs and that the store's client can connect to it.",
  timeout: "The store's backend did not answer in time: check its load and the network, then retry.",
  'read-only': "The store's backend refuses writes: point the store at a writable primary, or give the process write access to its folder.",
  'quota-exceeded': "The store's backend is out of space or memory: free some, or remove expired sessions more often.",
  locked: "The store's backend is busy or locked: retry in a moment.",
  failed: "Retry; if it keeps failing, read the cause: it is the store's own error.",
};

/** What a connect store's failure means, from its code or message; `'failed'` when nothing says. */
export function connectFailureReason(error: unknown): StoreErrorReason {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    const reason = NODE_CODES[code] ?? (/^[0-9A-Z]{5}$/.test(code) ? postgresReason(code) : null);
    if (reason) return reason;
  }
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  for (const [pattern, reason] of MESSAGES) if (pattern.test(message)) return reason;
  // Some stores hand over several errors at once (session-file-store's clear() and reap).
  if (Array.isArray(error) && error.length > 0) return connectFailureReason(error[0]);
  return 'failed';
}

/**
 * A connect store's failure of `method` (its own name: `get`, `set`, `destroy`, `all`) while the
 * bridge ran `operation` (`create`, `get`...), as a `ConnectStoreError`.
 */
export function connectStoreFailure(operation: string, method: string, error: unknown): ConnectStoreError {
  if (error instanceof ConnectStoreError) return error;
  const reason = connectFailureReason(error);
  return new ConnectStoreError(reason, `ConnectStoreBridge.${operation}(): the store's ${method}() failed: ${describeError(error)}.`, HINTS[reason], { cause: error });
}

/** create() of an id the store already holds a live session under. */
export function duplicateSession(sessionId: string): ConnectStoreError {
  return new ConnectStoreError('duplicate-id', `ConnectStoreBridge.create(): a session with id "${sessionId}" already exists.`, HINTS['duplicate-id']);
}
