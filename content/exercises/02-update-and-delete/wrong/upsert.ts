/**
 * Wrong: update() writes whether or not the session exists ("set is set"), so a request that saves
 * after a logout brings the session back.
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
    this.db.set(sessionId, record);
  }

  delete(sessionId: string): void {
    this.db.delete(sessionId);
  }

  clean(): number {
    return 0;
  }
}
