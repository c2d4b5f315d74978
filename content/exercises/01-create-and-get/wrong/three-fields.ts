/**
 * Wrong: keeps only the three fields of FluidAuth's ISessionData. The Session's data (the cart),
 * creation time and version are dropped on the way in.
 */
import { BaseSessionStore, type ISessionData, type SessionRecord } from 'sessionlab';

export class MapStore extends BaseSessionStore<SessionRecord> {
  private readonly db = new Map<string, ISessionData>();

  create(record: SessionRecord): void {
    const { sessionId, userId, expires } = record;
    this.db.set(sessionId, { sessionId, userId, expires });
  }

  get(sessionId: string): SessionRecord | null {
    return (this.db.get(sessionId) as SessionRecord | undefined) ?? null;
  }

  update(sessionId: string, record: SessionRecord): void {}

  delete(sessionId: string): void {}

  clean(): number {
    return 0;
  }
}
