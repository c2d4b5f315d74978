/**
 * Wrong: compares the expiry strings with the current time as a string. That works while every
 * expiry is UTC in exactly toISOString()'s format, and misreads any other.
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
    const now = new Date().toISOString();
    let removed = 0;
    for (const [sessionId, record] of this.db) {
      if (record.expires <= now) {
        this.db.delete(sessionId);
        removed++;
      }
    }
    return removed;
  }
}
