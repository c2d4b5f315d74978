import { BaseSessionStore } from 'sessionlab';

// Live only while `expires` is a readable time in the future:
// an unreadable date fails this test too.
function isLive(record, now) {
  return Date.parse(record.expires) > now;
}

export class MapStore extends BaseSessionStore {
  records = new Map();

  create(record) {
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
}
