/**
 * The code each of the playground's two languages starts with: a store in the style of FluidAuth's
 * documentation (a Map in the server's memory, the five methods), written so that its comments teach
 * the contract, method by method.
 */
import type { PlaygroundLanguage } from '../editor/editor-language.ts';

const TYPESCRIPT_STARTER = `/**
 * Your session store. Press Run (Ctrl+Enter) and the Lab beside this editor
 * runs on it: sign in there and watch create(), get() and update() arrive in
 * its timeline. "Run checks" tests it against the store contract.
 *
 * A store keeps session records by their sessionId. It has FluidAuth's five
 * methods; each may return a value or a promise (the Session awaits either).
 */
import { BaseSessionStore, type SessionRecord } from '@fluidauth/express/base';

export class MyStore extends BaseSessionStore<SessionRecord> {
  // A Map lives in the server's memory: restarting the server forgets
  // every session. (IndexedDB keeps them: import { openDB } from 'idb'.)
  private db = new Map<string, SessionRecord>();

  /** Sign-in: keep this brand-new record under its sessionId. */
  create(record: SessionRecord): void {
    // Keep a copy: the caller may go on changing its object afterwards.
    this.db.set(record.sessionId, structuredClone(record));
  }

  /** Each request with a session cookie: its record, or null if none. */
  get(sessionId: string): SessionRecord | null {
    const record = this.db.get(sessionId);
    // Hand out a copy too: no caller may change a stored session.
    return record ? structuredClone(record) : null;
  }

  /** The session changed (new expiry, new data): store the record whole. */
  update(sessionId: string, record: SessionRecord): void {
    // Only if it still exists: a request that finishes after a logout must not
    // bring the session back to life.
    if (this.db.has(sessionId)) this.db.set(sessionId, structuredClone(record));
  }

  /** Logout. Deleting an id that is not there is not an error. */
  delete(sessionId: string): void {
    this.db.delete(sessionId);
  }

  /** Every few (virtual) minutes: remove expired sessions, count them. */
  clean(): number {
    const now = Date.now();
    let removed = 0;
    for (const [sessionId, record] of this.db) {
      // "Not later than now" also removes an expiry that is no date at all:
      // new Date('oops').getTime() is NaN, and NaN > now is false.
      if (!(new Date(record.expires).getTime() > now)) {
        this.db.delete(sessionId);
        removed++;
      }
    }
    return removed;
  }

  /** Optional: every record, for the Lab's Inspector to show. */
  all(): SessionRecord[] {
    return [...this.db.values()].map((record) => structuredClone(record));
  }
}
`;

const JAVASCRIPT_STARTER = `/**
 * Your session store, in plain JavaScript. Press Run (Ctrl+Enter) and the Lab
 * beside this editor runs on it: sign in there and watch create(), get() and
 * update() arrive in its timeline. "Run checks" tests it against the contract.
 *
 * A store keeps session records by their sessionId. It has FluidAuth's five
 * methods; each may return a value or a promise (the Session awaits either).
 */
import { BaseSessionStore } from '@fluidauth/express/base';

export class MyStore extends BaseSessionStore {
  constructor() {
    super();
    // A Map lives in the server's memory: restarting the server forgets
    // every session. (IndexedDB keeps them: import { openDB } from 'idb'.)
    this.db = new Map();
  }

  /** Sign-in: keep this brand-new record under its sessionId. */
  create(record) {
    // Keep a copy: the caller may go on changing its object afterwards.
    this.db.set(record.sessionId, structuredClone(record));
  }

  /** Each request with a session cookie: its record, or null if none. */
  get(sessionId) {
    const record = this.db.get(sessionId);
    // Hand out a copy too: no caller may change a stored session.
    return record ? structuredClone(record) : null;
  }

  /** The session changed (new expiry, new data): store the record whole. */
  update(sessionId, record) {
    // Only if it still exists: a request that finishes after a logout must not
    // bring the session back to life.
    if (this.db.has(sessionId)) this.db.set(sessionId, structuredClone(record));
  }

  /** Logout. Deleting an id that is not there is not an error. */
  delete(sessionId) {
    this.db.delete(sessionId);
  }

  /** Every few (virtual) minutes: remove expired sessions, count them. */
  clean() {
    const now = Date.now();
    let removed = 0;
    for (const [sessionId, record] of this.db) {
      // "Not later than now" also removes an expiry that is no date at all:
      // new Date('oops').getTime() is NaN, and NaN > now is false.
      if (!(new Date(record.expires).getTime() > now)) {
        this.db.delete(sessionId);
        removed++;
      }
    }
    return removed;
  }

  /** Optional: every record, for the Lab's Inspector to show. */
  all() {
    return [...this.db.values()].map((record) => structuredClone(record));
  }
}
`;

export const STARTERS: Readonly<Record<PlaygroundLanguage, string>> = {
  typescript: TYPESCRIPT_STARTER,
  javascript: JAVASCRIPT_STARTER,
};
