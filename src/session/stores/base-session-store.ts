import type { Awaitable, ISessionData } from '../types.ts';

/** Set on a store method whose every answer is the caller's own (a copy, or freshly read). */
const OWN_COPY = Symbol('sessionlab.ownCopy');

/**
 * Internal to the shipped stores: marks `method` as answering with records nobody else holds, so
 * the Session need not copy them again. On a write method (create, update, compareAndSet) the mark
 * means the store copies or serialises what it is given before returning, so it is handed the
 * record itself. A subclass that overrides the method loses the mark.
 */
export function answersWithOwnCopy(method: (...args: never[]) => unknown): void {
  Object.defineProperty(method, OWN_COPY, { value: true });
}

/** Whether `method` carries the mark `answersWithOwnCopy` sets. */
export function isAnsweringWithOwnCopy(method: unknown): boolean {
  return typeof method === 'function' && (method as unknown as Record<symbol, unknown>)[OWN_COPY] === true;
}

/**
 * The store contract: FluidAuth's five methods, unchanged. Each may be synchronous or return a
 * promise; the Session awaits whatever comes back.
 *
 * A store keeps records whole (every field, not only the three of `ISessionData`), keyed by
 * `sessionId`. The conformance suite (`sessionlab/conformance`) checks a store against this contract.
 *
 * @example
 * class MapStore extends BaseSessionStore {
 *   db = new Map();
 *   create(record) { this.db.set(record.sessionId, structuredClone(record)); }
 *   get(id) { const r = this.db.get(id); return r ? structuredClone(r) : null; }
 *   update(id, record) { if (this.db.has(id)) this.db.set(id, structuredClone(record)); }
 *   delete(id) { this.db.delete(id); }
 *   clean() { const now = Date.now(); for (const [id, r] of this.db) if (!(Date.parse(r.expires) > now)) this.db.delete(id); }
 * }
 */
export abstract class BaseSessionStore<R extends ISessionData = ISessionData> {
  /**
   * Optional. `true` when the backend itself removes each record at its `expires` (Redis `PXAT`, a
   * database TTL), on its own clock, so `clean()` need not. May be set on the instance or as a static
   * on the class. The conformance suite then checks the claim: a record must be gone from the backend
   * once its expiry has passed, even while the application's clock says it is live.
   */
  declare readonly expiresRecordsItself?: boolean;

  /** Stores a new record under `record.sessionId`. */
  abstract create(record: R): Awaitable<void>;

  /** The record stored under `sessionId`, or `null` when there is none (or it has expired). */
  abstract get(sessionId: string): Awaitable<R | null | undefined>;

  /** Replaces the record stored under `sessionId`. Writes nothing when the id is unknown. */
  abstract update(sessionId: string, record: R): Awaitable<void>;

  /** Removes the record stored under `sessionId`. Deleting an unknown id is not an error. */
  abstract delete(sessionId: string): Awaitable<void>;

  /**
   * Removes every record whose `expires` is in the past (or unreadable). May return how many it
   * removed; the Session reports the count in its `clean` event.
   */
  abstract clean(): Awaitable<void | number>;

  /**
   * Optional. Writes `record` only if the stored record's `version` is `expectedVersion`, atomically;
   * resolves to whether it wrote. With it, concurrent requests that change one session both keep
   * their changes (the Session merges and retries); without it, the last write wins.
   */
  compareAndSet?(sessionId: string, expectedVersion: number, record: R): Awaitable<boolean>;

  /** Optional. Every live session of one user, for "sign out everywhere". Back it with an index. */
  listByUser?(userId: string): Awaitable<R[]>;

  /**
   * Optional. Every stored record, expired ones included, in no promised order, without removing
   * any: for inspectors and admin tools, never for requests.
   */
  all?(): Awaitable<R[]>;
}
