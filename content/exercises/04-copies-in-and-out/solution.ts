/**
 * Exercise 4, a solution: a deep copy on the way in and on the way out.
 */
import { BaseSessionStore, type SessionRecord } from 'sessionlab';

export class MapStore extends BaseSessionStore<SessionRecord> {
  private readonly db = new Map<string, SessionRecord>();

  create(record: SessionRecord): void {
    // The caller keeps its object and may change it later: keep a copy of our own.
    this.db.set(record.sessionId, structuredClone(record));
  }

  get(sessionId: string): SessionRecord | null {
    const record = this.db.get(sessionId);
    // Hand out a copy, so no caller can change a stored session without update().
    return record ? structuredClone(record) : null;
  }

  update(sessionId: string, record: SessionRecord): void {
    if (this.db.has(sessionId)) this.db.set(sessionId, structuredClone(record));
  }

  delete(sessionId: string): void {
    this.db.delete(sessionId);
  }

  clean(): number {
    const now = Date.now();
    let removed = 0;
    for (const [sessionId, record] of this.db) {
      if (!(Date.parse(record.expires) > now)) {
        this.db.delete(sessionId);
        removed++;
      }
    }
    return removed;
  }
}
