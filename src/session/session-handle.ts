/**
 * One request's view of its session: who is signed in, the session's data, and the operations that
 * change it (login, logout, regenerate, touch). `commit()` writes what changed and says which
 * `Set-Cookie` header the response needs. Adapters call `commit()`; applications rarely do.
 */
import type { DeviceSession } from './devices.ts';
import { checkMaxAge, isFreshAt } from './freshness.ts';
import { saveRecord } from './save-record.ts';
import type { Carried, LoadedState, SessionRuntime } from './session-runtime.ts';
import type { DeviceDetails, SessionData, SessionRecord } from './types.ts';

/**
 * `handle.needsCommit ? handle.commit() : null` for the adapters, serialising the data once for both.
 * Internal: not exported from the package.
 */
export let commitIfNeeded: (handle: SessionHandle<any>) => Promise<string | null> | null;
/**
 * Tells the handle its response's headers have left without a Set-Cookie: from then on no new
 * session can get its cookie to the browser, so `login()`, `regenerate()` and `reauthenticate()`
 * refuse (before anything changes) instead of signing the browser out. Internal, as above.
 */
export let headersLeft: (handle: SessionHandle<any>) => void;

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
  /** lastSeenAt is due for a write even if nothing else is. */
  #lastSeenDue: boolean;
  /** This request's device details the Session keeps (read when a write needs them), or null. */
  readonly #device: (() => DeviceDetails) | null;
  readonly #secure: boolean;
  #committed = false;
  /** The request is over: committed successfully, or abandoned. */
  #settled = false;
  /** The data as JSON, from `commitIfNeeded` for the commit it starts at once; null otherwise. */
  #dataJson: string | null = null;
  /** The response's headers left without the cookie (see `headersLeft`). */
  #cookieClosed = false;

  static {
    headersLeft = (handle) => {
      handle.#cookieClosed = true;
    };
    commitIfNeeded = (handle) => {
      const changes = handle.#changes();
      if (typeof changes === 'string') handle.#dataJson = changes;
      return changes === null ? null : handle.commit();
    };
  }

  constructor(runtime: SessionRuntime, state: LoadedState) {
    this.#runtime = runtime;
    this.#record = state.record;
    this.#token = state.token;
    this.#snapshot = JSON.stringify(state.record?.data ?? {});
    this.#hadCookie = state.hadCookie;
    this.#reissue = state.reissue ? 're-signed' : null;
    this.#extendTo = state.extendTo;
    this.#lastSeenDue = state.lastSeenDue;
    this.#device = state.device;
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
   * When the user last really signed in (ISO 8601): `login()` or `reauthenticate()`, never an
   * extension. Null without a session, or for a session stored before sign-in times were kept.
   */
  get authenticatedAt(): string | null {
    const at = this.#record?.authenticatedAt;
    return typeof at === 'string' ? at : null;
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
    return this.#changes() !== null;
  }

  /** Why `commit()` would do something: null for nothing, the data as JSON when changed data is why, else true. */
  #changes(): string | true | null {
    if (this.#committed) return null;
    const record = this.#record;
    if (!record || !this.#token) return this.#hadCookie ? true : null;
    if (this.#reissue !== null || this.#extendTo !== null || this.#lastSeenDue) return true;
    // A session that ended while the request ran: commit() clears its cookie.
    if (this.#runtime.expiredReason(record)) return true;
    let json: string;
    try {
      json = JSON.stringify(record.data);
    } catch {
      return true; // data that is not JSON: commit() says so
    }
    return json === this.#snapshot ? null : json;
  }

  /**
   * Whether the user signed in (or re-authenticated) less than `maxAgeMs` ago. False without a
   * session, or when the sign-in time is unknown. Guard sensitive actions with it, or with
   * `requireFreshSignIn()`.
   */
  isFresh(maxAgeMs: number): boolean {
    checkMaxAge(maxAgeMs);
    return isFreshAt(this.authenticatedAt, this.#runtime.clock.now(), maxAgeMs);
  }

  /**
   * Signs `userId` in. Any session the request already had is deleted and a new one, with a new id,
   * takes its place: an id planted before login is worthless after it (OWASP: renew the session id
   * after any privilege change; prevents session fixation). The public id stays when the same user
   * signs in again on this device, and is new for another user.
   */
  async login(userId: string, data?: Data): Promise<void> {
    if (typeof userId !== 'string' || userId.length === 0) {
      throw new TypeError(`login(userId) needs a non-empty string user id, got ${JSON.stringify(userId)}.`);
    }
    this.#requireCookieOpen('login');
    const previous = this.#record;
    await this.#replace(userId, structuredClone(data ?? {}) as SessionData, previous?.userId === userId ? previous.publicId : undefined);
  }

  /**
   * Records a re-authentication (the user just confirmed their password, or a second factor):
   * `authenticatedAt` becomes now and, as at login, the session gets a new id. User, data, public
   * id and creation time stay (a password prompt does not lift the absolute lifetime). When the
   * session was revoked or ended meanwhile, the request is left without a session, as after
   * `regenerate()`: a device signed out elsewhere cannot re-authenticate its way back in.
   */
  async reauthenticate(): Promise<void> {
    this.#requireCookieOpen('reauthenticate');
    await this.#rotate(this.#requireSession('reauthenticate'), new Date(this.#runtime.clock.now()).toISOString());
  }

  /**
   * The signed-in user's sessions as devices, newest first, the current one marked. Needs a store
   * with `listByUser`. Empty, and the request signed out, when this session is no longer among them
   * (revoked or ended while the request ran): a device signed out sees nothing of the account.
   */
  async devices(): Promise<(DeviceSession & { current: boolean })[]> {
    const record = this.#requireSession('devices');
    // A session from before public ids gets its own now, so that the listing can mark it.
    if (typeof record.publicId !== 'string' || record.publicId === '') await this.#write(record);
    const current = this.#record?.publicId;
    const listed = await this.#runtime.devicesOf(record.userId);
    if (current === undefined || !listed.some((device) => device.publicId === current)) {
      this.#forget();
      return [];
    }
    return listed.map((device) => ({ ...device, current: device.publicId === current }));
  }

  /**
   * Signs one of the user's devices out by its public id: true when it did, false when no session
   * of this user has that public id, or when this request's own session is gone by now (a device
   * revoked meanwhile cannot sign the others out). Revoking this request's own device signs it out,
   * as `logout()`, also when its session was gone already (the answer is then false).
   */
  async revokeDevice(publicId: string): Promise<boolean> {
    const record = this.#requireSession('revokeDevice');
    // One store read, on a rare operation: the session's right to act is checked now, not at load.
    if (publicId !== record.publicId && !(await this.#stillLive(record))) return false;
    const revoked = await this.#runtime.revokeDevice(record.userId, publicId);
    if (publicId === record.publicId) this.#forget();
    return revoked;
  }

  /** Signs out: deletes the session from the store and clears the cookie (same path and domain). */
  async logout(): Promise<void> {
    const record = this.#record;
    if (record) {
      await this.#runtime.store.delete(record.sessionId);
      this.#runtime.events.emit({ type: 'session-destroyed', sessionId: record.sessionId, userId: record.userId });
    }
    this.#forget();
  }

  /**
   * Signs the user out of every other session (other browsers, devices), keeping this one. Resolves
   * to how many: 0 when this session was signed out meanwhile (it cannot sign the others out).
   */
  async logoutOthers(): Promise<number> {
    const record = this.#requireSession('logoutOthers');
    if (!(await this.#stillLive(record))) return 0;
    return this.#runtime.revokeAll(record.userId, record.sessionId);
  }

  /**
   * Signs the user out everywhere, this session included. Resolves to how many sessions ended: 0,
   * with only this request signed out, when this session was signed out meanwhile.
   */
  async logoutEverywhere(): Promise<number> {
    const record = this.#requireSession('logoutEverywhere');
    if (!(await this.#stillLive(record))) {
      this.#forget();
      return 0;
    }
    const count = await this.#runtime.revokeAll(record.userId);
    this.#forget();
    return count;
  }

  /**
   * Gives the session a new id, keeping its user, data, creation and sign-in times and public id. Use after a privilege
   * change. When the session ended meanwhile (signed out here or everywhere, or expired), the
   * request is left without a session, as if it had come without one.
   */
  async regenerate(): Promise<void> {
    const source = this.#requireSession('regenerate');
    this.#requireCookieOpen('regenerate');
    await this.#rotate(source, source.authenticatedAt ?? null);
  }

  /** A new id for the session, with `authenticatedAt` as given: regenerate() and reauthenticate(). */
  async #rotate(source: SessionRecord, authenticatedAt: string | null): Promise<void> {
    const store = this.#runtime.store;
    // The successor first, then proof that the source still exists, then the source goes. A
    // "sign out everywhere" (revokeAll) that deleted the source in between would otherwise miss the
    // successor, created after its listing: so the successor is given up instead. revokeAll catches
    // a successor that passed this check by listing again (it carries the source's createdAt and
    // publicId). Until this returns, the successor's token has left no trace outside this request.
    const { createdAt, publicId, lastSeenAt, device } = source;
    const json = dataJson(source.data);
    const { token, record } = await this.#runtime.mint(source.userId, source.data, { createdAt, publicId, lastSeenAt, device, authenticatedAt });
    this.#runtime.stamp(record, this.#device?.() ?? null);
    await store.create(record);
    if (!(await this.#stillLive(source))) {
      await store.delete(record.sessionId);
      this.#forget();
      return;
    }
    await store.delete(source.sessionId);
    this.#adopt(token, record, json);
    this.#runtime.events.emit({ type: 'session-rotated', from: source.sessionId, to: record.sessionId, userId: record.userId });
  }

  /** Whether `record`'s session is still in the store, of the same user, and not ended. */
  async #stillLive(record: SessionRecord): Promise<boolean> {
    const stored = await this.#runtime.store.get(record.sessionId);
    return stored !== null && stored.userId === record.userId && this.#runtime.expiredReason(this.#runtime.normalize(stored)) === null;
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
    this.#forget();
    if (record && created) {
      await this.#runtime.store.delete(record.sessionId);
      this.#runtime.events.emit({ type: 'session-destroyed', sessionId: record.sessionId, userId: record.userId });
    }
  }

  async #commit(): Promise<string | null> {
    const json = this.#dataJson;
    this.#dataJson = null;
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
      this.#forget();
      this.#runtime.events.emit({ type: 'cookie-cleared', name: this.cookieName });
      return this.#runtime.clearCookie(this.#secure);
    }
    const extended = this.#extendTo !== null;
    if (this.#extendTo !== null) {
      record.expires = new Date(this.#extendTo).toISOString();
      this.#extendTo = null;
    }
    const current = json ?? dataJson(record.data);
    // lastSeenAt rides on a write that happens anyway, and forces one only once per lastSeenEvery.
    if (extended || this.#lastSeenDue || current !== this.#snapshot) {
      const saved = await this.#write(record, current);
      if (!saved) return null; // the session was deleted meanwhile (logout elsewhere): write nothing
      if (extended) this.#runtime.events.emit({ type: 'session-extended', sessionId: record.sessionId, userId: record.userId, expires: record.expires });
    }
    if (!this.#reissue && !extended) return null;
    this.#runtime.events.emit({ type: 'cookie-set', name: this.cookieName, reason: this.#reissue === 'new' ? 'new' : extended ? 'extended' : 're-signed' });
    return this.#runtime.setCookie(this.#token, record, this.#secure);
  }

  /**
   * Writes the record (with a public id, and lastSeenAt and device details when the Session keeps
   * them), `json` its data as JSON. Resolves to false, leaving the request without a session, when it
   * no longer exists.
   */
  async #write(record: SessionRecord, json = dataJson(record.data)): Promise<boolean> {
    this.#runtime.stamp(record, this.#device?.() ?? null);
    this.#lastSeenDue = false;
    const data = record.data;
    if (!(await saveRecord(this.#runtime, record, this.#snapshot))) {
      this.#record = null;
      return false;
    }
    // The base for further changes: the data written (a change made while the write was under way is
    // not saved yet), or the merged data when a merge wrote that.
    this.#snapshot = record.data === data ? json : JSON.stringify(record.data);
    return true;
  }

  /** A new session for `userId` in place of the request's: at login and re-authentication. */
  async #replace(userId: string, data: SessionData, publicId: string | undefined): Promise<void> {
    const previous = this.#record;
    const json = dataJson(data); // before anything changes
    const carried: Carried = { publicId, authenticatedAt: new Date(this.#runtime.clock.now()).toISOString() };
    // Minted first: it refuses when no key can sign the cookie, before anything changes.
    const { token, record } = await this.#runtime.mint(userId, data, carried);
    this.#runtime.stamp(record, this.#device?.() ?? null);
    // Delete before create: if creating fails, the old id is gone anyway (fail closed, no fixation).
    if (previous) await this.#runtime.store.delete(previous.sessionId);
    this.#forget();
    await this.#runtime.store.create(record);
    this.#adopt(token, record, json);
    if (previous) this.#runtime.events.emit({ type: 'session-rotated', from: previous.sessionId, to: record.sessionId, userId });
  }

  /** The request no longer has a session (signed out, revoked, ended). */
  #forget(): void {
    this.#record = null;
    this.#token = null;
    this.#extendTo = null;
  }

  /** Makes a just-created record (its data as JSON: `json`) this request's session; its cookie goes out on commit. */
  #adopt(token: string, record: SessionRecord, json: string): void {
    this.#record = record;
    this.#token = token;
    this.#snapshot = json;
    this.#reissue = 'new';
    this.#extendTo = null;
    this.#lastSeenDue = false;
    this.#runtime.events.emit({ type: 'session-created', sessionId: record.sessionId, userId: record.userId, expires: record.expires });
  }

  #requireCookieOpen(operation: string): void {
    if (this.#cookieClosed) {
      throw new Error(
        `${operation}() after the response's headers were sent: the new session's cookie could not reach the browser, so nothing was changed. Call it before the response starts (before res.write(), res.flushHeaders() or res.send()).`,
      );
    }
  }

  #requireSession(operation: string): SessionRecord {
    if (!this.#record) throw new Error(`${operation}() needs a session; check isAuthenticated() first or call login().`);
    return this.#record;
  }
}

/**
 * The session's data as JSON. Data that is not JSON (a BigInt, a cycle, a `toJSON` that throws) is a
 * mistake in the app, not a store failure: a TypeError that says so, before anything is written.
 */
function dataJson(data: unknown): string {
  try {
    return JSON.stringify(data);
  } catch (cause) {
    throw new TypeError(
      `The session data cannot be saved: it is not JSON (${(cause instanceof Error ? cause.message : String(cause)).split('\n')[0]}). Keep only strings, numbers, booleans, null, arrays and plain objects in it.`,
      { cause },
    );
  }
}
