/**
 * One request's view of its session: who is signed in, the session's data, and the operations that
 * change it (login, logout, regenerate, touch). `commit()` writes what changed and says which
 * `Set-Cookie` header the response needs. Adapters call `commit()`; applications rarely do.
 */
import { mergeChanges } from './merge-changes.ts';
import type { SessionEvents } from './session-events.ts';
import type { StoreCaller } from './store-caller.ts';
import type { CommitBudget } from './commit-budget.ts';
import type { Clock, ISessionData, SessionData, SessionRecord } from './types.ts';

/** What a handle needs from its Session. Internal: built by `Session`. */
export interface SessionRuntime {
  readonly store: StoreCaller;
  readonly events: SessionEvents;
  readonly clock: Clock;
  /** A fresh token and the record stored under its hash. */
  mint(userId: string, data: SessionData, createdAt?: string): Promise<{ token: string; record: SessionRecord }>;
  /** The expiry a session would get if extended now (capped by its absolute lifetime). */
  extendedExpiry(record: SessionRecord): number;
  /** Why `record` has ended by now, or null while it lives. */
  expiredReason(record: SessionRecord): 'idle' | 'absolute' | 'unreadable' | null;
  /** A stored record with every field the Session needs filled in. */
  normalize(stored: ISessionData): SessionRecord;
  /** The bounds of one commit, starting now. */
  commitBudget(): CommitBudget;
  /** `Set-Cookie` values for this request's cookie name and Secure flag. */
  setCookie(token: string, record: SessionRecord, secure: boolean): Promise<string>;
  clearCookie(secure: boolean): string;
  cookieName(secure: boolean): string;
  revokeAll(userId: string, except?: string): Promise<number>;
}

/** How a request arrived, as far as its session goes. Internal: built by `Session.load`. */
export interface LoadedState {
  record: SessionRecord | null;
  token: string | null;
  /** The request carried a session cookie (valid or not): a logout or a stale cookie must clear it. */
  hadCookie: boolean;
  /** The cookie was signed with an older secret: write it again, signed with the current one. */
  reissue: boolean;
  /** The new expiry when the session is due for extension. */
  extendTo: number | null;
  secure: boolean;
}

export class SessionHandle<Data extends SessionData = SessionData> {
  readonly #runtime: SessionRuntime;
  #record: SessionRecord | null;
  #token: string | null;
  /** The data as loaded (or as last saved), as JSON: what this request's changes are measured against. */
  #snapshot: string;
  #hadCookie: boolean;
  /** Why the cookie must be written whatever else happens, or null when it need not be. */
  #reissue: 'new' | 're-signed' | null;
  #extendTo: number | null;
  readonly #secure: boolean;
  #committed = false;
  /** The request is over: committed successfully, or abandoned. */
  #settled = false;

  constructor(runtime: SessionRuntime, state: LoadedState) {
    this.#runtime = runtime;
    this.#record = state.record;
    this.#token = state.token;
    this.#snapshot = JSON.stringify(state.record?.data ?? {});
    this.#hadCookie = state.hadCookie;
    this.#reissue = state.reissue ? 're-signed' : null;
    this.#extendTo = state.extendTo;
    this.#secure = state.secure;
  }

  /** The signed-in user's id, or null when the request has no session. */
  get userId(): string | null {
    return this.#record?.userId ?? null;
  }

  /** The session's store key (a hash of the cookie token, safe to log), or null. */
  get id(): string | null {
    return this.#record?.sessionId ?? null;
  }

  /** When the session ends (ISO 8601), or null. */
  get expires(): string | null {
    if (!this.#record) return null;
    return this.#extendTo === null ? this.#record.expires : new Date(this.#extendTo).toISOString();
  }

  /** When the session began (ISO 8601), or null. */
  get createdAt(): string | null {
    return this.#record?.createdAt ?? null;
  }

  /**
   * The session's data, or null when there is no session. Change it in place; the change is saved
   * when the response is sent.
   */
  get data(): Data | null {
    return (this.#record?.data as Data | undefined) ?? null;
  }

  /** The name of the cookie this request's session uses. */
  get cookieName(): string {
    return this.#runtime.cookieName(this.#secure);
  }

  isAuthenticated(): boolean {
    return this.#record !== null;
  }

  /**
   * Whether `commit()` would do anything: write to the store or return a `Set-Cookie` (after a
   * login, logout, regenerate, changed data, a touch or a due extension, a cookie to clear or to
   * re-sign). When false, `commit()` would resolve to null without a store call, so an adapter may
   * skip it. False once `commit()` or `abandon()` has run. Synchronous and cheap: it compares the
   * data with its loaded copy, as `commit()` does.
   */
  get needsCommit(): boolean {
    if (this.#committed) return false;
    const record = this.#record;
    if (!record || !this.#token) return this.#hadCookie;
    if (this.#reissue !== null || this.#extendTo !== null) return true;
    // A session that ended while the request ran: commit() clears its cookie.
    if (this.#runtime.expiredReason(record)) return true;
    return JSON.stringify(record.data) !== this.#snapshot;
  }

  /**
   * Signs `userId` in. Any session the request already had is deleted and a new one, with a new id,
   * takes its place: an id planted before login is worthless after it (OWASP: renew the session id
   * after any privilege change; prevents session fixation).
   */
  async login(userId: string, data?: Data): Promise<void> {
    if (typeof userId !== 'string' || userId.length === 0) {
      throw new TypeError(`login(userId) needs a non-empty string user id, got ${JSON.stringify(userId)}.`);
    }
    await this.#replace(userId, structuredClone(data ?? {}) as SessionData);
  }

  /** Signs out: deletes the session from the store and clears the cookie (same path and domain). */
  async logout(): Promise<void> {
    const record = this.#record;
    if (record) {
      await this.#runtime.store.delete(record.sessionId);
      this.#runtime.events.emit({ type: 'session-destroyed', sessionId: record.sessionId, userId: record.userId });
    }
    this.#record = null;
    this.#token = null;
    this.#extendTo = null;
  }

  /** Signs the user out of every other session (other browsers, devices), keeping this one. Resolves to how many. */
  async logoutOthers(): Promise<number> {
    const record = this.#requireSession('logoutOthers');
    return this.#runtime.revokeAll(record.userId, record.sessionId);
  }

  /** Signs the user out everywhere, this session included. Resolves to how many sessions ended. */
  async logoutEverywhere(): Promise<number> {
    const record = this.#requireSession('logoutEverywhere');
    const count = await this.#runtime.revokeAll(record.userId);
    this.#record = null;
    this.#token = null;
    this.#extendTo = null;
    return count;
  }

  /**
   * Gives the session a new id, keeping its user, data and creation time. Use after a privilege
   * change. When the session ended meanwhile (signed out here or everywhere, or expired), the
   * request is left without a session, as if it had come without one.
   */
  async regenerate(): Promise<void> {
    const source = this.#requireSession('regenerate');
    const store = this.#runtime.store;
    // The successor first, then proof that the source still exists, then the source goes. A
    // "sign out everywhere" (revokeAll) that deleted the source in between would otherwise miss the
    // successor, created after its listing: so the successor is given up instead. revokeAll catches
    // a successor that passed this check by listing again (it carries the source's createdAt).
    // Until this returns, the successor's token has left no trace outside this request.
    const { token, record } = await this.#runtime.mint(source.userId, source.data, source.createdAt);
    await store.create(record);
    const still = await store.get(source.sessionId);
    if (!still || still.userId !== source.userId || this.#runtime.expiredReason(this.#runtime.normalize(still))) {
      await store.delete(record.sessionId);
      this.#record = null;
      this.#token = null;
      this.#extendTo = null;
      return;
    }
    await store.delete(source.sessionId);
    this.#adopt(token, record);
    this.#runtime.events.emit({ type: 'session-rotated', from: source.sessionId, to: record.sessionId, userId: record.userId });
  }

  /** Extends the session now, to the full `sessionDuration` (never past its absolute lifetime). */
  touch(): void {
    const record = this.#requireSession('touch');
    const next = this.#runtime.extendedExpiry(record);
    if (next > Date.parse(record.expires)) this.#extendTo = next;
  }

  /**
   * Saves what changed (data, extension) and returns the `Set-Cookie` header value the response
   * needs, or null. Call once, before the response is sent.
   */
  async commit(): Promise<string | null> {
    if (this.#committed) throw new Error('SessionHandle.commit() was already called for this request.');
    this.#committed = true;
    const setCookie = await this.#commit();
    this.#settled = true;
    return setCookie;
  }

  /**
   * Ends the request without saving, for an adapter whose handler threw (or whose `commit()` failed).
   * A session this request created (`login()`, `regenerate()`) is deleted: its cookie will never
   * reach the browser. Changes to `data` are dropped. What is already gone stays gone: a `logout()`,
   * and the session a `login()` replaced. So a failed request leaves the user signed out, never
   * signed in to a session no browser holds. Does nothing after a successful `commit()`.
   */
  async abandon(): Promise<void> {
    if (this.#settled) return;
    this.#settled = true;
    this.#committed = true;
    const record = this.#record;
    const created = this.#reissue === 'new';
    this.#record = null;
    this.#token = null;
    this.#extendTo = null;
    if (record && created) {
      await this.#runtime.store.delete(record.sessionId);
      this.#runtime.events.emit({ type: 'session-destroyed', sessionId: record.sessionId, userId: record.userId });
    }
  }

  async #commit(): Promise<string | null> {
    const record = this.#record;
    if (!record || !this.#token) {
      if (!this.#hadCookie) return null;
      this.#runtime.events.emit({ type: 'cookie-cleared', name: this.cookieName });
      return this.#runtime.clearCookie(this.#secure);
    }
    const ended = this.#runtime.expiredReason(record);
    if (ended) {
      // It expired while this request ran: writing now would extend (or revive) an ended session.
      this.#runtime.events.emit({ type: 'session-expired', sessionId: record.sessionId, userId: record.userId, reason: ended });
      this.#record = null;
      this.#token = null;
      this.#extendTo = null;
      this.#runtime.events.emit({ type: 'cookie-cleared', name: this.cookieName });
      return this.#runtime.clearCookie(this.#secure);
    }
    const extended = this.#extendTo !== null;
    if (this.#extendTo !== null) {
      record.expires = new Date(this.#extendTo).toISOString();
      this.#extendTo = null;
    }
    if (extended || JSON.stringify(record.data) !== this.#snapshot) {
      const saved = await this.#save(record);
      if (!saved) return null; // the session was deleted meanwhile (logout elsewhere): write nothing
      if (extended) this.#runtime.events.emit({ type: 'session-extended', sessionId: record.sessionId, userId: record.userId, expires: record.expires });
    }
    if (!this.#reissue && !extended) return null;
    this.#runtime.events.emit({ type: 'cookie-set', name: this.cookieName, reason: this.#reissue === 'new' ? 'new' : extended ? 'extended' : 're-signed' });
    return this.#runtime.setCookie(this.#token, record, this.#secure);
  }

  /**
   * Writes the record. With a compare-and-set store, a write that lost a race re-reads the newest
   * record, merges this request's own changes onto it and tries again; without one, last write wins.
   * Resolves to false when the session no longer exists.
   */
  async #save(record: SessionRecord): Promise<boolean> {
    const store = this.#runtime.store;
    const budget = this.#runtime.commitBudget();
    if (!store.canCompareAndSet) {
      record.version += 1;
      await store.update(record.sessionId, record, budget.callTimeout('update'));
      this.#rebase(record);
      return true;
    }
    const ours = record.data;
    let current = record.version;
    for (let attempt = 1; ; attempt++) {
      const next = { ...record, version: current + 1 };
      if (await store.compareAndSet(record.sessionId, current, next, budget.callTimeout('compareAndSet'))) {
        Object.assign(record, next);
        this.#rebase(record);
        return true;
      }
      // Lost a race: wait (more, the more often it lost), read the newest record and merge onto it.
      await budget.backoff(attempt + 1);
      const newest = await store.get(record.sessionId, budget.callTimeout('get'));
      if (!newest || this.#runtime.expiredReason(this.#runtime.normalize(newest))) {
        this.#record = null;
        return false;
      }
      const theirs = newest as Partial<SessionRecord>;
      const base = JSON.parse(this.#snapshot) as SessionData; // parsed only when a merge is needed
      record.data = (mergeChanges(base, ours, theirs.data ?? {}) ?? {}) as SessionData;
      // Keep the later expiry: either request may have extended the session.
      if (Date.parse(newest.expires) > Date.parse(record.expires)) record.expires = newest.expires;
      current = typeof theirs.version === 'number' ? theirs.version : 0;
      this.#runtime.events.emit({ type: 'session-merged', sessionId: record.sessionId, userId: record.userId, attempt });
    }
  }

  /** After a save, the saved data is the new base for further changes in this request. */
  #rebase(record: SessionRecord): void {
    this.#snapshot = JSON.stringify(record.data);
  }

  async #replace(userId: string, data: SessionData): Promise<void> {
    const previous = this.#record;
    // Delete before create: if creating fails, the old id is gone anyway (fail closed, no fixation).
    if (previous) await this.#runtime.store.delete(previous.sessionId);
    this.#record = null;
    this.#token = null;
    const { token, record } = await this.#runtime.mint(userId, data);
    await this.#runtime.store.create(record);
    this.#adopt(token, record);
    if (previous) this.#runtime.events.emit({ type: 'session-rotated', from: previous.sessionId, to: record.sessionId, userId });
  }

  /** Makes a just-created record this request's session; its cookie goes out on commit. */
  #adopt(token: string, record: SessionRecord): void {
    this.#record = record;
    this.#token = token;
    this.#rebase(record);
    this.#reissue = 'new';
    this.#extendTo = null;
    this.#runtime.events.emit({ type: 'session-created', sessionId: record.sessionId, userId: record.userId, expires: record.expires });
  }

  #requireSession(operation: string): SessionRecord {
    if (!this.#record) throw new Error(`${operation}() needs a session; check isAuthenticated() first or call login().`);
    return this.#record;
  }
}
