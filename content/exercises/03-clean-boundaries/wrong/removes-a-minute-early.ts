/**
 * Wrong: removes sessions a minute before they expire, "to be safe". A session that still has
 * seconds left is in use: its user is signed out early.
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
    // A minute of margin: what expires in the next minute is as good as gone.
    const now = Date.now() + 60_000;
    let removed = 0;
    for (const [sessionId, record] of this.db) {
      if (!(Date.parse(record.expires) > now)) {
        // Deleting the entry being visited is safe: a Map's iterator carries on with the next one.
        this.db.delete(sessionId);
        removed++;
      }
    }
    return removed;
  }
}
