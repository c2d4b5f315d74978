/**
 * Wrong: handles an unreadable expiry explicitly, but keeps the strict < for the rest: a session is
 * still kept at the very millisecond it expires.
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
    const now = Date.now();
    let removed = 0;
    for (const [sessionId, record] of this.db) {
      const expiresAt = Date.parse(record.expires);
      if (Number.isNaN(expiresAt) || expiresAt < now) {
        this.db.delete(sessionId);
        removed++;
      }
    }
    return removed;
  }
}
