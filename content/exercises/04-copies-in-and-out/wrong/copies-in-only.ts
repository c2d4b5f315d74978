/**
 * Wrong: keeps copies of what it is given, but get() hands out the stored object itself — FluidAuth's
 * MemoryStore exactly.
 */
import { BaseSessionStore, type SessionRecord } from 'sessionlab';

export class MapStore extends BaseSessionStore<SessionRecord> {
  private readonly db = new Map<string, SessionRecord>();

  create(record: SessionRecord): void {
    this.db.set(record.sessionId, structuredClone(record));
  }

  get(sessionId: string): SessionRecord | null {
    return this.db.get(sessionId) ?? null;
  }

  update(sessionId: string, record: SessionRecord): void {
    if (this.db.has(sessionId)) this.db.set(sessionId, structuredClone(record));
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
