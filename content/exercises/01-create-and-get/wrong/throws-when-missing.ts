/**
 * Wrong: get() of an unknown id throws, as a lookup "should". But stale cookies name unknown ids all
 * the time: that is "no session", not an error.
 */
import { BaseSessionStore, type SessionRecord } from 'sessionlab';

export class MapStore extends BaseSessionStore<SessionRecord> {
  private readonly db = new Map<string, SessionRecord>();

  create(record: SessionRecord): void {
    this.db.set(record.sessionId, record);
  }

  get(sessionId: string): SessionRecord | null {
    const record = this.db.get(sessionId);
    if (!record) throw new Error(`No session with id ${sessionId}`);
    return record;
  }

  update(sessionId: string, record: SessionRecord): void {}

  delete(sessionId: string): void {}

  clean(): number {
    return 0;
  }
}
