/**
 * Wrong: refuses a missing session and a stale version, but not an expired one: a compare-and-set
 * writes the later expiry the request carries, and the session is back.
 */
import { BaseSessionStore, type SessionRecord } from 'sessionlab';

export class MapStore extends BaseSessionStore<SessionRecord> {
  private readonly db = new Map<string, SessionRecord>();

  create(record: SessionRecord): void {
    this.db.set(record.sessionId, structuredClone(record));
  }

  get(sessionId: string): SessionRecord | null {
    const record = this.db.get(sessionId);
    if (!record) return null;
    if (!(Date.parse(record.expires) > Date.now())) {
      this.db.delete(sessionId);
      return null;
    }
    return structuredClone(record);
  }

  update(sessionId: string, record: SessionRecord): void {
    if (this.db.has(sessionId)) this.db.set(sessionId, structuredClone(record));
  }

  /** Writes only over the expected version. No await inside: nothing can run between the check and the write. */
  override compareAndSet(sessionId: string, expectedVersion: number, record: SessionRecord): boolean {
    const current = this.db.get(sessionId);
    // Never a create: a session that is gone stays gone.
    if (!current) return false;
    if (current.version !== expectedVersion) return false;
    this.db.set(sessionId, structuredClone(record));
    return true;
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
