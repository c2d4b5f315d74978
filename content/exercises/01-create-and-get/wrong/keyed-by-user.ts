/**
 * Wrong: keys the Map by userId ("one session per user"), so get(sessionId) never finds anything —
 * and a second sign-in of the same user would replace the first.
 */
import { BaseSessionStore, type SessionRecord } from 'sessionlab';

export class MapStore extends BaseSessionStore<SessionRecord> {
  private readonly db = new Map<string, SessionRecord>();

  create(record: SessionRecord): void {
    this.db.set(record.userId, record);
  }

  get(sessionId: string): SessionRecord | null {
    return this.db.get(sessionId) ?? null;
  }

  update(sessionId: string, record: SessionRecord): void {}

  delete(sessionId: string): void {}

  clean(): number {
    return 0;
  }
}
