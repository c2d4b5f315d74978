/**
 * Exercise 1: create and get.
 *
 * A store keeps session records by their sessionId. Fill in create() and get();
 * update(), delete() and clean() come in the next exercises.
 */
import { BaseSessionStore, type SessionRecord } from 'sessionlab';

export class MapStore extends BaseSessionStore<SessionRecord> {
  private readonly db = new Map<string, SessionRecord>();

  /** Sign-in: keep this new record under its sessionId. */
  create(record: SessionRecord): void {
    // TODO: store the record in this.db, under record.sessionId.
  }

  /** Every request with a session cookie: the record, or null when there is none. */
  get(sessionId: string): SessionRecord | null {
    // TODO: look the record up in this.db.
    return null;
  }

  // The next exercises fill these in.
  update(sessionId: string, record: SessionRecord): void {}

  delete(sessionId: string): void {}

  clean(): number {
    return 0;
  }
}
