/**
 * A store with FluidAuth's five methods and nothing else: no compareAndSet (the last write wins), no
 * listByUser, no all(). Copies in and out, as a correct store does. For tests of what the Session does
 * with a store that offers none of the extras.
 */
import { BaseSessionStore, type SessionRecord } from 'sessionlab';

export class FiveMethodStore extends BaseSessionStore<SessionRecord> {
  readonly records = new Map<string, SessionRecord>();
  create(record: SessionRecord): void {
    this.records.set(record.sessionId, structuredClone(record));
  }
  get(sessionId: string): SessionRecord | null {
    const found = this.records.get(sessionId);
    return found ? structuredClone(found) : null;
  }
  update(sessionId: string, record: SessionRecord): void {
    if (this.records.has(sessionId)) this.records.set(sessionId, structuredClone(record));
  }
  delete(sessionId: string): void {
    this.records.delete(sessionId);
  }
  clean(): number {
    return 0;
  }
}
