/**
 * Wrong: one Map for the whole module, so every instance in this process shares it. Another
 * process has a module of its own, and a restart loads the module again: the Map is empty.
 */
import { BaseSessionStore, type SessionRecord } from 'sessionlab';

const sessions = new Map<string, SessionRecord>();

function alive(record: SessionRecord | undefined): record is SessionRecord {
  return record !== undefined && Date.parse(record.expires) > Date.now();
}

export class DurableStore extends BaseSessionStore<SessionRecord> {
  async create(record: SessionRecord): Promise<void> {
    if (sessions.has(record.sessionId)) throw new Error(`A session with id ${record.sessionId} already exists.`);
    sessions.set(record.sessionId, structuredClone(record));
  }

  async get(sessionId: string): Promise<SessionRecord | null> {
    const record = sessions.get(sessionId);
    if (!record) return null;
    if (!alive(record)) {
      sessions.delete(sessionId);
      return null;
    }
    return structuredClone(record);
  }

  async update(sessionId: string, record: SessionRecord): Promise<void> {
    if (sessions.has(sessionId)) sessions.set(sessionId, structuredClone(record));
  }

  override async compareAndSet(sessionId: string, expectedVersion: number, record: SessionRecord): Promise<boolean> {
    const current = sessions.get(sessionId);
    if (!alive(current) || current.version !== expectedVersion) return false;
    sessions.set(sessionId, structuredClone(record));
    return true;
  }

  async delete(sessionId: string): Promise<void> {
    sessions.delete(sessionId);
  }

  async clean(): Promise<number> {
    let removed = 0;
    for (const [sessionId, record] of sessions) {
      if (!alive(record)) {
        sessions.delete(sessionId);
        removed++;
      }
    }
    return removed;
  }
}
