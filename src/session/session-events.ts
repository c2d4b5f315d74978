/**
 * Typed events: every store call and every step of a session's life. The site's timeline is built
 * on them. Nothing is measured or allocated for an event type nobody listens to.
 */
import { describeError, type StoreFailure, type StoreMethod } from './errors.ts';
import { systemClock, type Clock } from './types.ts';

interface At {
  /** The Session clock's time, in milliseconds since the epoch. */
  at: number;
}

/** Why a request's cookie did not lead to a session. */
export type CookieRejection =
  /** Not the shape of a Session Lab cookie (garbage, truncated, too long). No store lookup. */
  | 'malformed'
  /** Well-formed but not signed by any configured secret. No store lookup. */
  | 'bad-signature'
  /** Correctly signed, but the store has no such session (logged out, cleaned, store reset). */
  | 'unknown-session'
  /** Signed by a key of the ring whose `retiresAt` has passed. No store lookup. */
  | 'key-retired'
  /** Signed by a key of the ring whose `activeFrom` has not come yet. No store lookup. */
  | 'key-not-yet-active';

/** A field Session Lab adds to FluidAuth's three, which a store may fail to keep. */
export type RecordField = 'createdAt' | 'data' | 'version';

/** Why a response sets the session cookie. */
export type CookieIssue = 'new' | 'extended' | 're-signed';

export type SessionEvent =
  | (At & {
      type: 'store-call';
      method: StoreMethod;
      /** The session id the call was about; null for `clean`. */
      key: string | null;
      durationMs: number;
      outcome: 'ok' | StoreFailure;
      /** For `get`: whether a record came back. For `clean`: the count, when the store reports one. */
      result?: 'hit' | 'miss' | number;
      error?: string;
    })
  | (At & { type: 'session-created'; sessionId: string; userId: string; expires: string })
  | (At & { type: 'session-loaded'; sessionId: string; userId: string; expires: string })
  | (At & { type: 'session-extended'; sessionId: string; userId: string; expires: string })
  | (At & { type: 'session-rotated'; from: string; to: string; userId: string })
  | (At & { type: 'session-expired'; sessionId: string; userId: string; reason: 'idle' | 'absolute' | 'unreadable' })
  | (At & { type: 'session-destroyed'; sessionId: string; userId: string })
  /**
   * The store handed back a record without fields the Session writes (a store that keeps only
   * FluidAuth's three): its data and safe updates are lost, and a session without `createdAt` is
   * never extended (its absolute lifetime cannot be proven). Told once per Session, to the first listener.
   */
  | (At & { type: 'record-incomplete'; sessionId: string; userId: string; missing: RecordField[] })
  /** Another request changed the session first; this request's changes were merged onto its record. */
  | (At & { type: 'session-merged'; sessionId: string; userId: string; attempt: number })
  /** Sign out everywhere, everywhere else, or one device: these sessions of the user were deleted. */
  | (At & { type: 'sessions-revoked'; userId: string; sessionIds: string[] })
  /**
   * The response sets the session cookie: for a new session (sign-in, rotation), for an extended
   * one (a persistent cookie's Max-Age moves with it), or to re-sign a cookie that an older secret
   * signed with the current one.
   */
  | (At & { type: 'cookie-set'; name: string; reason: CookieIssue })
  | (At & { type: 'cookie-cleared'; name: string })
  | (At & { type: 'cookie-rejected'; name: string; reason: CookieRejection })
  | (At & { type: 'clean'; removed: number | null; durationMs: number; outcome: 'ok' | StoreFailure })
  /** A failure in work no request waits for (the clean interval, removing an expired record). */
  | (At & { type: 'background-error'; error: Error });

export type SessionEventType = SessionEvent['type'];
/** An event as its emitter builds it: `SessionEvents.emit` stamps `at` itself. */
export type UnstampedSessionEvent = SessionEvent extends infer E ? (E extends unknown ? Omit<E, 'at'> : never) : never;
export type SessionEventOf<T extends SessionEventType> = Extract<SessionEvent, { type: T }>;
type Listener<E> = (event: E) => void;

/**
 * A small typed emitter. It stamps each event's `at` from its clock, so every event of one Session
 * tells time the same way. Listener errors are contained: a broken listener never breaks a request.
 */
export class SessionEvents {
  readonly #listeners = new Map<SessionEventType | '*', Set<Listener<never>>>();
  readonly #clock: Clock;

  constructor(clock: Clock = systemClock) {
    this.#clock = clock;
  }

  /** Calls `listener` for every event of `type` (or every event, with `'*'`). Returns an unsubscribe function. */
  on<T extends SessionEventType | '*'>(
    type: T,
    listener: Listener<T extends SessionEventType ? SessionEventOf<T> : SessionEvent>,
  ): () => void {
    let set = this.#listeners.get(type);
    if (!set) this.#listeners.set(type, (set = new Set()));
    set.add(listener as Listener<never>);
    return () => {
      set.delete(listener as Listener<never>);
      // Only this set: once emptied and dropped, a later on() makes a new one, which a second call
      // of this function must leave alone.
      if (set.size === 0 && this.#listeners.get(type) === set) this.#listeners.delete(type);
    };
  }

  /** Whether anyone listens to `type`: callers skip building an event nobody will see. */
  wants(type: SessionEventType): boolean {
    return this.#listeners.has(type) || this.#listeners.has('*');
  }

  /**
   * A failure of work no caller waits for (an automatic `clean()`, undoing a failed request's
   * session): a `background-error` event, or, when nobody listens for one, a line on the console,
   * so that a store failing in the background is never silent.
   */
  background(failure: unknown): void {
    const error = failure instanceof Error ? failure : new Error(describeError(failure), { cause: failure });
    if (this.wants('background-error')) this.emit({ type: 'background-error', error });
    else console.error("sessionlab: work in the background failed (listen with session.on('background-error', ...) to report it your own way):", error);
  }

  /** Stamps `event` with the clock's time and hands it to its listeners; does nothing when nobody listens. */
  emit(event: UnstampedSessionEvent): void {
    if (!this.wants(event.type)) return;
    const stamped = { ...event, at: this.#clock.now() } as SessionEvent;
    for (const key of [stamped.type, '*'] as const) {
      for (const listener of this.#listeners.get(key) ?? []) {
        try {
          (listener as Listener<SessionEvent>)(stamped);
        } catch {
          // A listener is an observer; its failure must not change what the session does.
        }
      }
    }
  }
}
