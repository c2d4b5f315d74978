/**
 * Exercise 3: clean().
 *
 * This clean() is the one from FluidAuth's documentation. Fix it: the boundary, an expiry that
 * cannot be read, and the count it should return.
 */
import { BaseSessionStore, type SessionRecord } from 'sessionlab';

export class MapStore extends BaseSessionStore<SessionRecord> {
  private readonly db = new Map<string, SessionRecord>();

  create(record: SessionRecord): void {
    this.db.set(record.sessionId, record);
  }

  get(sessionId: string): SessionRecord | null {
    return this.db.get(sessionId) ?? null;
  }

  update(sessionId: string, record: SessionRecord): void {
    if (this.db.has(sessionId)) this.db.set(sessionId, record);
  }

  delete(sessionId: string): void {
    this.db.delete(sessionId);
  }

  /** Removes every expired session; should return how many it removed. */
  clean(): number | void {
    const now = new Date();
    for (const [sessionId, record] of this.db) {
      if (new Date(record.expires) < now) {
        this.db.delete(sessionId);
      }
    }
  }
}
