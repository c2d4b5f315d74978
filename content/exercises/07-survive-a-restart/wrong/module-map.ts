/**
 * Wrong: keeps the sessions in a Map at the top of the module, shared by every instance, so a new
 * instance "after a restart" sees them — in this process. A restarted server loads the module
 * again, and the Map starts empty. Nothing ever reached IndexedDB.
 */
import { BaseSessionStore, type SessionRecord } from 'sessionlab';

/** Outlives any one instance of the store — but not the process. */
const sessions = new Map<string, SessionRecord>();

export class DurableStore extends BaseSessionStore<SessionRecord> {
  create(record: SessionRecord): void {
    if (sessions.has(record.sessionId)) throw new Error(`Session ${record.sessionId} already exists`);
    sessions.set(record.sessionId, structuredClone(record));
  }

  get(sessionId: string): SessionRecord | null {
    const record = sessions.get(sessionId);
    if (!record) return null;
    if (!(Date.parse(record.expires) > Date.now())) {
      sessions.delete(sessionId);
      return null;
    }
    return structuredClone(record);
  }

  update(sessionId: string, record: SessionRecord): void {
    if (sessions.has(sessionId)) sessions.set(sessionId, structuredClone(record));
  }

  delete(sessionId: string): void {
    sessions.delete(sessionId);
  }

  clean(): number {
    const now = Date.now();
    let removed = 0;
    for (const [sessionId, record] of sessions) {
      if (!(Date.parse(record.expires) > now)) {
        sessions.delete(sessionId);
        removed++;
      }
    }
    return removed;
  }
}
