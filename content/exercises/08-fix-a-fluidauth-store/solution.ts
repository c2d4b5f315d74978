/**
 * Exercise 8, a solution: the same store, with each fault fixed.
 *   create: rejects a taken id, keeps a copy          get: expires on read, hands out a copy
 *   update: keeps a copy                               clean: <= now and unreadable expiries go; counts
 */
import { BaseSessionStore, type ISessionData } from '@fluidauth/express/base';

export class FluidAuthStore extends BaseSessionStore {
  db = new Map<string, ISessionData>();

  create(sessionData: ISessionData) {
    if (this.db.has(sessionData.sessionId)) {
      throw new Error(`A session with id ${sessionData.sessionId} already exists; use update() to change it.`);
    }
    this.db.set(sessionData.sessionId, structuredClone(sessionData));
  }

  async get(sessionId: string) {
    const sessionData = this.db.get(sessionId);
    if (!sessionData) return null;
    // Alive only while the expiry is later than now; NaN (unreadable) never is.
    if (!(Date.parse(sessionData.expires) > Date.now())) {
      this.db.delete(sessionId);
      return null;
    }
    return structuredClone(sessionData);
  }

  async update(sessionId: string, sessionData: ISessionData) {
    if (this.db.has(sessionId)) {
      this.db.set(sessionId, structuredClone(sessionData));
    }
  }

  async delete(sessionId: string) {
    this.db.delete(sessionId);
  }

  async clean() {
    const now = Date.now();
    let removed = 0;
    for (const [sessionId, sessionData] of this.db) {
      if (!(Date.parse(sessionData.expires) > now)) {
        this.db.delete(sessionId);
        removed++;
      }
    }
    return removed;
  }
}
