/**
 * Wrong: counts now, but still compares Dates with <, as FluidAuth does. An unreadable expiry is an
 * Invalid Date, NaN < now is false: that record is kept for ever. And a session is kept at the very
 * millisecond it expires.
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

  clean(): number {
    const now = new Date();
    let removed = 0;
    for (const [sessionId, record] of this.db) {
      if (new Date(record.expires) < now) {
        this.db.delete(sessionId);
        removed++;
      }
    }
    return removed;
  }
}
