import { BaseSessionStore } from 'sessionlab';

// Live only while `expires` is a readable time in the future:
// an unreadable date fails this test too.
function isLive(record, now) {
  return Date.parse(record.expires) > now;
}

export class MapStore extends BaseSessionStore {
  records = new Map();

  create(record) {
    if (this.records.has(record.sessionId)) {
      throw new Error(`Session id ${record.sessionId} is taken.`);
    }
    this.records.set(record.sessionId, structuredClone(record));
  }

  get(sessionId) {
    const record = this.records.get(sessionId);
    if (!record) return null;
    if (!isLive(record, Date.now())) {
      this.records.delete(sessionId);
      return null;
    }
    return structuredClone(record);
  }

  update(sessionId, record) {
    if (!this.records.has(sessionId)) return;
    this.records.set(sessionId, structuredClone(record));
  }

  delete(sessionId) {
    this.records.delete(sessionId);
  }

  clean() {
    const now = Date.now();
    let removed = 0;
    for (const [sessionId, record] of this.records) {
      if (!isLive(record, now)) {
        this.records.delete(sessionId);
        removed++;
      }
    }
    return removed;
  }

  // Check and write with no `await` in between: nothing else can
  // run in the middle, so the check and the write are one step.
  compareAndSet(sessionId, expectedVersion, record) {
    const stored = this.records.get(sessionId);
    if (!stored || !isLive(stored, Date.now())) return false;
    if ((stored.version ?? 0) !== expectedVersion) return false;
    this.records.set(sessionId, structuredClone(record));
    return true;
  }

  // A database answers this from an index on userId;
  // a Map has to look at every record.
  listByUser(userId) {
    const now = Date.now();
    return [...this.records.values()]
      .filter((record) => record.userId === userId)
      .filter((record) => isLive(record, now))
      .map((record) => structuredClone(record));
  }
}
