/**
 * Wrong: update() only copies the new expiry onto the stored record, as if updates were only ever
 * extensions. The cart and the version never change.
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
    const stored = this.db.get(sessionId);
    if (stored) stored.expires = record.expires;
  }

  delete(sessionId: string): void {
    this.db.delete(sessionId);
  }

  clean(): number {
    return 0;
  }
}
