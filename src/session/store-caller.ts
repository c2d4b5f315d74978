/**
 * How the Session talks to a store: every call awaited (sync or async alike), bounded by a timeout,
 * its answer checked, its failure turned into a `SessionStoreError`, and each call reported as a
 * `store-call` event.
 */
import { SessionStoreError, describeError, type StoreMethod } from './errors.ts';
import type { SessionEvents } from './session-events.ts';
import { isAnsweringWithOwnCopy, type BaseSessionStore } from './stores/base-session-store.ts';
import type { ISessionData } from './types.ts';

export class StoreCaller {
  readonly #store: BaseSessionStore;
  readonly #events: SessionEvents;
  readonly #timeoutMs: number;

  constructor(store: BaseSessionStore, events: SessionEvents, timeoutMs: number) {
    this.#store = store;
    this.#events = events;
    this.#timeoutMs = timeoutMs;
  }

  /**
   * Copies in: the store is given a copy of `record`, never the caller's object, unless its `create`
   * is a shipped store's that copies (or serializes) what it is given before it returns: then that
   * copy is the only one. (The mark `answersWithOwnCopy` sets says, on a write, that it keeps nothing
   * it is given.) The same holds for `update` and `compareAndSet`.
   */
  create(record: ISessionData): Promise<void> {
    const given = isAnsweringWithOwnCopy(this.#store.create) ? record : copyRecord(record);
    return settled(this.#call('create', record.sessionId, () => this.#store.create(given)));
  }

  /** `timeoutMs`, when given, replaces `storeTimeout` for this call (a commit passes the time it has left). */
  update(sessionId: string, record: ISessionData, timeoutMs?: number): Promise<void> {
    const given = isAnsweringWithOwnCopy(this.#store.update) ? record : copyRecord(record);
    return settled(this.#call('update', sessionId, () => this.#store.update(sessionId, given), undefined, undefined, timeoutMs));
  }

  delete(sessionId: string): Promise<void> {
    return settled(this.#call('delete', sessionId, () => this.#store.delete(sessionId)));
  }

  /**
   * The record, or null. Copied, unless the store's `get` is one of the shipped stores' (they answer
   * with a copy already): a reader's store may hand out the object it keeps. Rejects a malformed answer.
   */
  get(sessionId: string, timeoutMs?: number): Promise<ISessionData | null> {
    return settled(this.getNow(sessionId, timeoutMs));
  }

  /**
   * `get`, with a synchronous store's answer (a MemoryStore's) handed back as it is, not in a promise:
   * what lets `Session.load` answer without waiting. A store that answers later gives a promise, and
   * a failure, thrown or rejected, is a rejected promise, as from `get`.
   */
  getNow(sessionId: string, timeoutMs?: number): ISessionData | null | Promise<ISessionData | null> {
    const check = isAnsweringWithOwnCopy(this.#store.get) ? foundRecord : foundRecordCopied;
    return this.#call('get', sessionId, () => this.#store.get(sessionId), check, hitOrMiss, timeoutMs);
  }

  /** Whether the store can compare-and-set (so concurrent changes merge instead of overwriting). */
  get canCompareAndSet(): boolean {
    return typeof this.#store.compareAndSet === 'function';
  }

  /** Whether the store can list a user's sessions. */
  get canListByUser(): boolean {
    return typeof this.#store.listByUser === 'function';
  }

  compareAndSet(sessionId: string, expectedVersion: number, record: ISessionData, timeoutMs?: number): Promise<boolean> {
    const given = isAnsweringWithOwnCopy(this.#store.compareAndSet) ? record : copyRecord(record);
    return settled(
      this.#call(
        'compareAndSet',
        sessionId,
        () => this.#store.compareAndSet!(sessionId, expectedVersion, given),
        writtenOrNot,
        hitOrMiss,
        timeoutMs,
      ),
    );
  }

  listByUser(userId: string): Promise<ISessionData[]> {
    return settled(this.#call('listByUser', null, () => this.#store.listByUser!(userId), listedRecords));
  }

  /** How many records `clean()` removed, when the store says; otherwise null. */
  clean(): Promise<number | null> {
    return settled(this.#call('clean', null, () => this.#store.clean(), removedCount, removedSummary));
  }

  /**
   * Runs one store call: `run` calls the store, `check` (when given) turns its answer into the
   * result, or throws a `SessionStoreError` for a malformed one. A synchronous answer (a MemoryStore's) is used as it
   * is: no deadline to arm, and no `await` of it, whose extra turns of the microtask queue were a
   * measurable share of a request on a synchronous store; the result is returned as it is (the
   * public methods wrap it in a promise, `getNow` does not). A pending answer races the deadline.
   * A failure, thrown or rejected, is always a rejected `SessionStoreError`. `check` and `summarize` are module functions, so a call on a synchronous
   * store makes one closure (`run`), not one per step.
   */
  #call<T>(
    method: StoreMethod,
    key: string | null,
    run: () => unknown,
    check?: (answer: unknown, key: string | null) => T,
    summarize?: (result: T) => 'hit' | 'miss' | number | undefined,
    timeoutMs: number = this.#timeoutMs,
  ): T | Promise<T> {
    const report = this.#events.wants('store-call');
    const started = report ? performance.now() : 0;
    let result: T;
    try {
      const answer = run();
      if (isThenable(answer)) {
        const checked = check ? Promise.resolve(answer).then((value) => check(value, key)) : (answer as PromiseLike<T>);
        return this.#settle(method, key, checked, summarize, timeoutMs, report, started);
      }
      result = check ? check(answer, key) : (answer as T);
    } catch (cause) {
      return Promise.reject(this.#failed(method, key, cause, report, started));
    }
    if (report) this.#reportOk(method, key, result, summarize, started);
    return result;
  }

  async #settle<T>(
    method: StoreMethod,
    key: string | null,
    answer: PromiseLike<T>,
    summarize: ((result: T) => 'hit' | 'miss' | number | undefined) | undefined,
    timeoutMs: number,
    report: boolean,
    started: number,
  ): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const result = await Promise.race([answer, this.#deadline(method, timeoutMs, (handle) => (timer = handle))]);
      if (report) this.#reportOk(method, key, result, summarize, started);
      return result;
    } catch (cause) {
      throw this.#failed(method, key, cause, report, started);
    } finally {
      clearTimeout(timer);
    }
  }

  #reportOk<T>(method: StoreMethod, key: string | null, result: T, summarize: ((result: T) => 'hit' | 'miss' | number | undefined) | undefined, started: number): void {
    const summary = summarize?.(result);
    this.#events.emit({
      type: 'store-call',
      method,
      key,
      durationMs: performance.now() - started,
      outcome: 'ok',
      ...(summary === undefined ? {} : { result: summary }),
    });
  }

  /** The call's failure as a `SessionStoreError`, reported when someone listens. */
  #failed(method: StoreMethod, key: string | null, cause: unknown, report: boolean, started: number): SessionStoreError {
    const error = cause instanceof SessionStoreError ? cause : new SessionStoreError(method, 'failed', describeError(cause), { cause });
    if (report) {
      this.#events.emit({
        type: 'store-call',
        method,
        key,
        durationMs: performance.now() - started,
        outcome: error.failure,
        error: error.message,
      });
    }
    return error;
  }

  /** Rejects with a timeout after `timeoutMs`; hands its timer to `armed` so the caller can clear it. */
  #deadline(method: StoreMethod, timeoutMs: number, armed: (timer: ReturnType<typeof setTimeout>) => void): Promise<never> {
    return new Promise<never>((_, reject) => {
      armed(setTimeout(() => reject(new SessionStoreError(method, 'timeout', `no answer after ${timeoutMs} ms.`)), timeoutMs));
    });
  }
}

/** Returned by `copyPlain` for a value it leaves to `structuredClone`. */
const NOT_PLAIN: unique symbol = Symbol('not plain');
/** Deeper than this, a value may hold a cycle: `structuredClone` copies it. */
const MAX_PLAIN_DEPTH = 64;

/**
 * A deep copy of a record (or any value), equal to what `structuredClone` makes of it. Records are
 * plain JSON-like objects, and for those a walk that copies objects and arrays is many times faster
 * than `structuredClone` (which serializes and deserializes): the copies in and out of a store were
 * the largest cost of a request. Anything else (a Date, a Map, a class instance, an array with holes,
 * a structure nested deep enough to hold a cycle, a function that must fail to copy) is handed to
 * `structuredClone` whole, so the copy always has its semantics. One difference remains: an object
 * reachable twice is copied twice (as JSON, and every store that serializes, would do).
 */
export function copyRecord<T>(value: T): T {
  const copy = copyPlain(value, 0);
  return copy === NOT_PLAIN ? structuredClone(value) : (copy as T);
}

function copyPlain(value: unknown, depth: number): unknown {
  if (typeof value !== 'object' || value === null) {
    return typeof value === 'function' || typeof value === 'symbol' ? NOT_PLAIN : value;
  }
  if (depth > MAX_PLAIN_DEPTH) return NOT_PLAIN;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype === Array.prototype) {
    const source = value as unknown[];
    const copy: unknown[] = new Array(source.length);
    for (let index = 0; index < source.length; index++) {
      if (!(index in source)) return NOT_PLAIN;
      const item = copyPlain(source[index], depth + 1);
      if (item === NOT_PLAIN) return NOT_PLAIN;
      copy[index] = item;
    }
    return copy;
  }
  if (prototype !== Object.prototype && prototype !== null) return NOT_PLAIN;
  const source = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    const item = copyPlain(source[key], depth + 1);
    if (item === NOT_PLAIN) return NOT_PLAIN;
    // A data key named "__proto__" is an own property, as structuredClone makes it, never the prototype.
    if (key === '__proto__') Object.defineProperty(copy, key, { value: item, writable: true, enumerable: true, configurable: true });
    else copy[key] = item;
  }
  return copy;
}

/** A store call's result as a promise (a synchronous store's result is not one yet). */
function settled<T>(result: T | Promise<T>): Promise<T> {
  return result instanceof Promise ? result : Promise.resolve(result);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

/** `get`'s answer from a store that copies what it hands out: null, or the record it is. */
function foundRecord(found: unknown, sessionId: string | null): ISessionData | null {
  if (found === null || found === undefined) return null;
  const problem = recordProblem(found, sessionId ?? undefined);
  if (problem) throw new SessionStoreError('get', 'invalid-result', problem);
  return found as ISessionData;
}

/** `get`'s answer from any other store: a copy, so the Session never shares an object with the store. */
function foundRecordCopied(found: unknown, sessionId: string | null): ISessionData | null {
  const record = foundRecord(found, sessionId);
  return record === null ? null : copyRecord(record);
}

function hitOrMiss(result: unknown): 'hit' | 'miss' {
  return result ? 'hit' : 'miss';
}

function writtenOrNot(written: unknown): boolean {
  // Only a boolean is an answer. A truthy `1` (an SQL driver's `changes`) taken as "written"
  // would make every retry merge onto its own earlier write; taken as "not written", it loops.
  if (typeof written !== 'boolean') {
    throw new SessionStoreError('compareAndSet', 'invalid-result', `expected true or false, got ${describeValue(written)}.`);
  }
  return written;
}

function listedRecords(found: unknown): ISessionData[] {
  if (!Array.isArray(found)) throw new SessionStoreError('listByUser', 'invalid-result', `expected an array, got ${typeof found}.`);
  for (const record of found) {
    const problem = recordProblem(record, undefined);
    if (problem) throw new SessionStoreError('listByUser', 'invalid-result', problem);
  }
  return copyRecord(found as ISessionData[]);
}

function removedCount(removed: unknown): number | null {
  return typeof removed === 'number' && Number.isFinite(removed) ? removed : null;
}

function removedSummary(removed: number | null): number | undefined {
  return removed ?? undefined;
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object';
  return `${typeof value === 'string' ? JSON.stringify(value) : String(value)} (${typeof value})`;
}

/** What is wrong with a store's answer to `get(sessionId)`, or null when it is a record. */
function recordProblem(found: unknown, sessionId: string | undefined): string | null {
  if (typeof found !== 'object' || found === null || Array.isArray(found)) {
    return `expected an object or null, got ${Array.isArray(found) ? 'an array' : typeof found}.`;
  }
  const record = found as Record<string, unknown>;
  const idProblem = sessionId === undefined ? typeof record['sessionId'] !== 'string' : record['sessionId'] !== sessionId;
  if (idProblem) return `the record's sessionId is ${JSON.stringify(record['sessionId'])}, not the id asked for.`;
  if (typeof record['userId'] !== 'string') return 'the record has no string userId.';
  if (typeof record['expires'] !== 'string') {
    return `the record's expires is ${record['expires'] instanceof Date ? 'a Date' : typeof record['expires']}, not an ISO 8601 string.`;
  }
  return null;
}
