import { BaseSessionStore } from 'sessionlab';

export class MapStore extends BaseSessionStore {
  records = new Map();

  create(record) {
    this.records.set(record.sessionId, structuredClone(record));
  }

  get(sessionId) {
    const record = this.records.get(sessionId);
    return record ? structuredClone(record) : null;
  }

  update(sessionId, record) {
    if (!this.records.has(sessionId)) return;
    this.records.set(sessionId, structuredClone(record));
  }

  delete(sessionId) {
    this.records.delete(sessionId);
  }

  clean() {
    const now = new Date();
    for (const [sessionId, record] of this.records) {
      if (new Date(record.expires) < now) {
        this.records.delete(sessionId);
      }
    }
  }
}
