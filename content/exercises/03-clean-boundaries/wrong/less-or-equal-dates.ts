/**
 * Wrong: mends the boundary (<= instead of <) but keeps comparing Dates: Invalid Date <= now is
 * false, so a record whose expiry cannot be read is kept for ever.
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
      if (new Date(record.expires) <= now) {
        // Deleting the entry being visited is safe: a Map's iterator carries on with the next one.
        this.db.delete(sessionId);
        removed++;
      }
    }
    return removed;
  }
}
