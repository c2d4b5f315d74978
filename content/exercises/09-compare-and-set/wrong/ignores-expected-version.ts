/**
 * Wrong: compares the new record's version with the stored one plus one, instead of using the
 * expectedVersion it was given. A writer that read an old version and numbers its write from it is
 * refused only by luck.
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

  override compareAndSet(sessionId: string, expectedVersion: number, record: SessionRecord): boolean {
    const current = this.db.get(sessionId);
    if (!current || record.version !== current.version + 1) return false;
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
