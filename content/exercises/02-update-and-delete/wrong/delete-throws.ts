/**
 * Wrong: delete() of an unknown id throws, to "catch mistakes". A double-clicked logout, or one that
 * races clean(), then fails.
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
    if (!this.db.has(sessionId)) throw new Error(`Cannot delete session ${sessionId}: it does not exist`);
    this.db.delete(sessionId);
  }

  clean(): number {
    return 0;
  }
}
