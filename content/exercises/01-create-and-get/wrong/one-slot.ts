/**
 * Wrong: one field for "the" session, as if the server had one user. get() returns whatever was
 * created last, whichever id it is asked for.
 */
import { BaseSessionStore, type SessionRecord } from 'sessionlab';

export class MapStore extends BaseSessionStore<SessionRecord> {
  private current: SessionRecord | null = null;

  create(record: SessionRecord): void {
    this.current = record;
  }

  get(sessionId: string): SessionRecord | null {
    return this.current;
  }

  update(sessionId: string, record: SessionRecord): void {}

  delete(sessionId: string): void {}

  clean(): number {
    return 0;
  }
}
