/**
 * Exercise 2: update and delete.
 *
 * create() and get() are done. Fill in update() and delete().
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

  /** The session changed: store the new record whole. Only if the session still exists! */
  update(sessionId: string, record: SessionRecord): void {
    // TODO
  }

  /** Logout. Deleting an id that is not there is not an error. */
  delete(sessionId: string): void {
    // TODO
  }

  // The next exercise fills this in.
  clean(): number {
    return 0;
  }
}
