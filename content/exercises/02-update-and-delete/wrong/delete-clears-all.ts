/**
 * Wrong: logout empties the whole Map: the session goes, and so does everyone else's.
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
    // A request that finishes after a logout (or after clean()) must not bring the session back.
    if (this.db.has(sessionId)) this.db.set(sessionId, record);
  }

  delete(sessionId: string): void {
    // Map.delete of a missing key just returns false: nothing to guard against.
    this.db.clear();
  }

  // The next exercise fills this in.
  clean(): number {
    return 0;
  }
}
