/**
 * Exercise 8: the custom store from FluidAuth's documentation, as it is taught there.
 * It runs. Make it correct.
 */
import { BaseSessionStore, type ISessionData } from '@fluidauth/express/base';

export class FluidAuthStore extends BaseSessionStore {
  db = new Map<string, ISessionData>();

  create(sessionData: ISessionData) {
    this.db.set(sessionData.sessionId, sessionData);
  }

  async get(sessionId: string) {
    return this.db.get(sessionId) || null;
  }

  async update(sessionId: string, sessionData: ISessionData) {
    if (this.db.has(sessionId)) {
      this.db.set(sessionId, sessionData);
    }
  }

  async delete(sessionId: string) {
    this.db.delete(sessionId);
  }

  async clean() {
    const now = new Date();
    for (const [sessionId, sessionData] of this.db) {
      if (new Date(sessionData.expires) < now) {
        this.db.delete(sessionId);
      }
    }
  }
}
