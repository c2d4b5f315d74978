/**
 * What the Session makes of a record a store hands back: a complete one is used as it is; a store
 * that keeps only FluidAuth's three fields (or damages one) gets the missing ones filled in, fail
 * closed, and is reported once.
 */
import type { ParsedTimes } from './parsed-times.ts';
import type { RecordField, SessionEvents } from './session-events.ts';
import type { ISessionData, SessionRecord } from './types.ts';

export class RecordNormalizer {
  readonly #events: SessionEvents;
  readonly #time: ParsedTimes;
  readonly #absoluteDuration: number;
  #incompleteReported = false;

  constructor(events: SessionEvents, time: ParsedTimes, absoluteDuration: number) {
    this.#events = events;
    this.#time = time;
    this.#absoluteDuration = absoluteDuration;
  }

  /** Fills in what a store that keeps only FluidAuth's three fields drops. */
  normalize(stored: ISessionData): SessionRecord {
    const raw = stored as Partial<SessionRecord>;
    const hasCreatedAt = typeof raw.createdAt === 'string' && !Number.isNaN(this.#time.of(raw.createdAt));
    const hasData = typeof raw.data === 'object' && raw.data !== null && !Array.isArray(raw.data);
    const hasVersion = typeof raw.version === 'number' && Number.isFinite(raw.version);
    // Complete: used as it is. It is the Session's own copy (the store caller copies what a store hands out).
    if (hasCreatedAt && hasData && hasVersion) return stored as SessionRecord;
    this.#reportIncomplete(stored, { createdAt: hasCreatedAt, data: hasData, version: hasVersion });
    return {
      ...stored,
      // Without a creation time, the absolute lifetime cannot be counted, and any guess that moves
      // with the expiry (such as `expires - sessionDuration`) lets each extension lift it: a session
      // active every few minutes would live for ever. Fail closed instead: take the start that makes
      // the current expiry the absolute end. Nothing can then extend the session (every extension,
      // touch() and regenerate() is capped at createdAt + absoluteDuration = expires), so it ends no
      // later than the expiry it was granted at login, itself at most sessionDuration after sign-in.
      createdAt: hasCreatedAt ? raw.createdAt! : new Date((Date.parse(stored.expires) || 0) - this.#absoluteDuration).toISOString(),
      data: hasData ? raw.data! : {},
      version: hasVersion ? raw.version! : 0,
    };
  }

  /**
   * Says once per Session that the store drops fields. Only once someone listens: a listener added
   * after the first incomplete record still hears of it.
   */
  #reportIncomplete(stored: ISessionData, present: Record<RecordField, boolean>): void {
    if (this.#incompleteReported || !this.#events.wants('record-incomplete')) return;
    this.#incompleteReported = true;
    const missing = (['createdAt', 'data', 'version'] as const).filter((field) => !present[field]);
    this.#events.emit({ type: 'record-incomplete', sessionId: stored.sessionId, userId: stored.userId, missing });
  }
}
