/**
 * Exercise 1, a solution: a Map keyed by sessionId.
 */
import { BaseSessionStore, type SessionRecord } from 'sessionlab';

export class MapStore extends BaseSessionStore<SessionRecord> {
  private readonly db = new Map<string, SessionRecord>();

  create(record: SessionRecord): void {
    // The whole record: the Session keeps its data, creation time and version in it.
    this.db.set(record.sessionId, record);
  }

  get(sessionId: string): SessionRecord | null {
    // An unknown id is not an error: the cookie may name a session that is long gone.
    return this.db.get(sessionId) ?? null;
  }

  // The next exercises fill these in.
  update(sessionId: string, record: SessionRecord): void {}

  delete(sessionId: string): void {}

  clean(): number {
    return 0;
  }
}
