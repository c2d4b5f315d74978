/**
 * Wrong: reads with get() and writes with update(), awaiting each, as if they were database calls.
 * Every await lets another request run between the check and the write: two writers both see the
 * same version, and both "win".
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

  override async compareAndSet(sessionId: string, expectedVersion: number, record: SessionRecord): Promise<boolean> {
    const current = await this.get(sessionId);
    if (!current || current.version !== expectedVersion) return false;
    await this.update(sessionId, record);
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
