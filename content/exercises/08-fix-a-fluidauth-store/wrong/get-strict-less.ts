/**
 * Wrong: get() asks "has it expired?" with a strict <. The session lives a millisecond past its
 * expiry, and an expiry that cannot be read (NaN < now is false) never ends.
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
    // Expired when the expiry is earlier than now.
    if (Date.parse(sessionData.expires) < Date.now()) {
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
