/**
 * Exercise 5: expire on read.
 *
 * get() hands out expired sessions until clean() removes them. Make it return null for an expired
 * session, and delete it.
 */
import { BaseSessionStore, type SessionRecord } from 'sessionlab';

export class MapStore extends BaseSessionStore<SessionRecord> {
  private readonly db = new Map<string, SessionRecord>();

  create(record: SessionRecord): void {
    this.db.set(record.sessionId, structuredClone(record));
  }

  get(sessionId: string): SessionRecord | null {
    const record = this.db.get(sessionId);
    // TODO: an expired record is gone: delete it and return null.
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
