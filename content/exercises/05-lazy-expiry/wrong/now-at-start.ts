/**
 * Wrong: works out "now" once, when the store is made. The store lives for days; its "now" does not
 * move.
 */
import { BaseSessionStore, type SessionRecord } from 'sessionlab';

export class MapStore extends BaseSessionStore<SessionRecord> {
  private readonly db = new Map<string, SessionRecord>();

  create(record: SessionRecord): void {
    this.db.set(record.sessionId, structuredClone(record));
  }

  private readonly now = Date.now();

  get(sessionId: string): SessionRecord | null {
    const record = this.db.get(sessionId);
    if (!record) return null;
    if (!(Date.parse(record.expires) > this.now)) {
      this.db.delete(sessionId);
      return null;
    }
    return structuredClone(record);
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
