/**
 * `sessionlab/express`: sessions for Express 5. The middleware loads the request's session into
 * `req.session`, adds FluidAuth's `req.login(user)`, `req.logout()`, `req.isAuthenticated()` and
 * `req.user`, and saves the session before the response's headers leave.
 */
import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import { keepFromSharedCaches } from '../cache-control.ts';
import { SessionStoreError } from '../errors.ts';
import { loadNow, type Session, type SessionRequest } from '../session.ts';
import { FORWARDING_HEADERS } from '../session-cookie.ts';
import { commitIfNeeded, headersLeft, type SessionHandle } from '../session-handle.ts';
import type { SessionData } from '../types.ts';

declare global {
  namespace Express {
    /** The signed-in user, as `deserializeUser` returns it. Add your fields by augmenting this interface. */
    interface User {}

    interface Request {
      /** This request's session (see `SessionHandle`): `data`, `login`, `logout`, `regenerate`, `touch`. */
      session: SessionHandle;
      /** The signed-in user (from `deserializeUser`), or null. */
      user?: User | null;
      /** FluidAuth's login: `serializeUser(user)` gives the id; the session gets a new id (fixation defence). */
      login(user: User): Promise<void>;
      /** FluidAuth's logout: deletes the session and clears its cookie. */
      logout(): Promise<void>;
      isAuthenticated(): boolean;
    }
  }
}

export interface ExpressAdapterOptions {
  /** The user → the id kept in the session. Default: a string is the id itself; otherwise `user.id`. */
  serializeUser?: (user: Express.User) => string | number | Promise<string | number>;
  /**
   * The id kept in the session → `req.user`. Returning null or undefined means the user is gone:
   * the session is ended. Default: `{ id }`.
   */
  deserializeUser?: (userId: string) => Express.User | null | undefined | Promise<Express.User | null | undefined>;
}

/**
 * Express middleware that gives every request its session. A store failure (while loading the
 * session, inside `req.login()` / `req.logout()`, or while saving) reaches `next(err)` as a
 * `SessionStoreError`: answer it with `storeErrorHandler()` or your own error handler.
 *
 * @example
 * app.use(sessionMiddleware(session, { serializeUser: (user) => user.id, deserializeUser: (id) => users.get(id) ?? null }));
 * app.post('/login', async (req, res) => { await req.login(user); res.redirect('/'); });
 * app.use(storeErrorHandler());
 */
export function sessionMiddleware<Data extends SessionData = SessionData>(
  session: Session<Data>,
  options: ExpressAdapterOptions = {},
): RequestHandler {
  const serializeUser = options.serializeUser ?? defaultSerializeUser;
  // Without the hook req.user is { id } and nothing more, whatever fields the app declares on Express.User.
  const deserializeUser = options.deserializeUser ?? ((id: string) => ({ id }) as Express.User);
  return async (req, res, next) => {
    let handle: SessionHandle<Data>;
    try {
      const loaded = loadNow(session, new ExpressSessionRequest(req));
      handle = loaded instanceof Promise ? await loaded : loaded;
    } catch (error) {
      next(error);
      return;
    }
    req.session = handle as unknown as SessionHandle;
    req.user = null;
    // Module functions bound to this request's state, not closures made here: see `RequestSession`.
    const state: RequestSession = { req, handle, serializeUser };
    req.login = login.bind(state);
    req.logout = logout.bind(state);
    req.isAuthenticated = isAuthenticated.bind(state);
    commitBeforeHeaders(session, res, handle, next);
    try {
      if (handle.userId !== null) {
        const user = deserializeUser(handle.userId);
        // A synchronous hook's answer is used at once: no extra turn of the event loop per request.
        req.user = (isThenable(user) ? await user : user) ?? null;
        if (req.user === null) await handle.logout(); // the user is gone (deleted, banned): so is the session
      }
    } catch (error) {
      next(error);
      return;
    }
    next();
  };
}

/**
 * What `req.login`, `req.logout` and `req.isAuthenticated` act on. They are module functions bound
 * to it, never closures made per request: a closure that holds a request or a response and is
 * stored on one of them made V8's young-generation collection keep nearly every answered request
 * alive, and promote it to the old generation, which costs several times more to collect. Over
 * loopback that was most of what the adapter cost per request. A bound function does not do it,
 * and, like the closures, works when called detached (`const { login } = req`).
 */
interface RequestSession {
  readonly req: Request;
  readonly handle: SessionHandle<any>;
  readonly serializeUser: (user: Express.User) => string | number | Promise<string | number>;
}

async function login(this: RequestSession, user: Express.User): Promise<void> {
  await this.handle.login(String(await this.serializeUser(user)));
  this.req.user = user;
}

async function logout(this: RequestSession): Promise<void> {
  await this.handle.logout();
  this.req.user = null;
}

function isAuthenticated(this: RequestSession): boolean {
  return this.handle.isAuthenticated();
}

/**
 * What the Session needs of an Express request. The user agent and the client's IP are read only
 * if the Session asks for them (its `devices` option), so a request pays for `req.ip` (which walks
 * `X-Forwarded-For` under `trust proxy`) only where it is kept.
 */
class ExpressSessionRequest implements SessionRequest {
  readonly cookie: string | undefined;
  readonly url: string;
  readonly #req: Request;

  constructor(req: Request) {
    this.#req = req;
    this.cookie = req.headers.cookie;
    // req.protocol and req.host follow Express's `trust proxy`: behind a proxy that ends TLS the
    // cookie stays Secure, and X-Forwarded-* headers count only from proxies the app trusts. The
    // path is left out: only the scheme and host decide the cookie's Secure flag.
    this.url = `${req.protocol}://${req.host}/`;
  }

  /** Asked only when the URL alone would drop Secure (plain http to this machine). */
  get forwarded(): boolean {
    return FORWARDING_HEADERS.some((name) => this.#req.headers[name] !== undefined);
  }

  get userAgent(): string | null {
    return this.#req.get('user-agent') ?? null;
  }

  /** The client's address as Express sees it: under `trust proxy`, from the proxies the app trusts. */
  get ip(): string | null {
    return this.#req.ip ?? null;
  }
}

/**
 * An error handler that answers a store failure with `503 Service Unavailable` and `Retry-After: 5`,
 * saying nothing about the failure; any other error goes on to the next error handler.
 */
export function storeErrorHandler(): ErrorRequestHandler {
  return (error, _req, res, next) => {
    if (!(error instanceof SessionStoreError) || res.headersSent) {
      next(error);
      return;
    }
    res.status(503).set({ 'Retry-After': '5', 'Cache-Control': 'no-store' }).type('text/plain').send('Service temporarily unavailable.\n');
  };
}

function defaultSerializeUser(user: Express.User): string | number {
  if (typeof user === 'string') return user;
  const id: unknown = (user as { id?: unknown } | null)?.id;
  if (typeof id === 'string' || typeof id === 'number') return id;
  throw new TypeError('req.login(user) needs a user with an id (string or number), or a serializeUser option that returns one.');
}

/** A header's value as sent, values of a repeated header joined; `undefined` for none. */
function headerText(value: number | string | readonly string[] | null | undefined): string | undefined {
  if (value === undefined) return undefined;
  // Node sends a null given to writeHead as the text "null".
  return typeof value === 'object' && value !== null ? value.join(', ') : String(value);
}

/**
 * The header `name` (lower case) in `writeHead`'s headers, as sent: an object (Node sets its keys in
 * turn, so of two spellings the last counts), or a flat `[name, value, name, value]` list (Node
 * appends them all).
 */
function headerIn(headers: unknown, name: string): string | undefined {
  let values: string[] = [];
  if (Array.isArray(headers)) {
    for (let index = 0; index < headers.length; index += 2) {
      if (String(headers[index]).toLowerCase() === name) values.push(String(headers[index + 1]));
    }
  } else if (typeof headers === 'object' && headers !== null) {
    for (const [key, value] of Object.entries(headers)) {
      // undefined is left to Node, which refuses it when the call is replayed.
      const text = key.toLowerCase() === name ? headerText(value as string | null | undefined) : undefined;
      if (text !== undefined) values = [text];
    }
  }
  return values.length === 0 ? undefined : values.join(', ');
}

/** The header names in `writeHead`'s headers (an object, or a flat list). */
function headerNamesIn(headers: unknown): string[] {
  if (Array.isArray(headers)) return headers.filter((_, index) => index % 2 === 0).map(String);
  return typeof headers === 'object' && headers !== null ? Object.keys(headers) : [];
}

/**
 * The Set-Cookie values in `writeHead`'s headers, or undefined for none: an object's (of two
 * spellings, the last, as Node sets its keys in turn), or every one of a flat list's.
 */
function setCookiesIn(headers: unknown): string[] | undefined {
  let values: string[] | undefined;
  if (Array.isArray(headers)) {
    for (let index = 0; index < headers.length; index += 2) {
      if (String(headers[index]).toLowerCase() === 'set-cookie') (values ??= []).push(...cookieTexts(headers[index + 1]));
    }
  } else if (typeof headers === 'object' && headers !== null) {
    for (const [name, value] of Object.entries(headers)) {
      if (name.toLowerCase() === 'set-cookie' && value !== undefined) values = cookieTexts(value);
    }
  }
  return values;
}

function cookieTexts(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [String(value)];
}

/** A copy of `writeHead`'s headers without the header `name` (lower case), in the same form. */
function withoutHeader(headers: unknown, name: string): unknown {
  if (Array.isArray(headers)) {
    const kept: unknown[] = [];
    for (let index = 0; index < headers.length; index += 2) {
      if (String(headers[index]).toLowerCase() !== name) kept.push(headers[index], headers[index + 1]);
    }
    return kept;
  }
  return Object.fromEntries(Object.entries(headers as object).filter(([key]) => key.toLowerCase() !== name));
}

/**
 * Where a held `writeHead` call has its headers: writeHead(status, headers), or writeHead(status,
 * message, headers). Node takes the third argument when it is given (also after an undefined
 * message), else the second (a status message is text, with no header in it).
 */
function headersAt(head: unknown[]): 1 | 2 {
  return head[2] !== undefined && head[2] !== null ? 2 : 1;
}

function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as PromiseLike<T> | null)?.then === 'function';
}

/** The response methods that send the status line and headers (the first of them does). */
const HEADER_SENDERS = ['writeHead', 'flushHeaders', 'write', 'end'] as const;
type HeaderSender = (typeof HEADER_SENDERS)[number];
type Method = (...args: unknown[]) => unknown;

/**
 * Commits the session before the response's headers leave. At the first header-sending call (usually
 * the `end` inside `res.send`), a session with nothing to save or sign (`handle.needsCommit`, most
 * requests) lets the call through at once. Otherwise that call and every call after it are held
 * while `handle.commit()` saves the session, then replayed in order with the `Set-Cookie` header
 * added. So the store write is done before the client has its answer, the cookie is never set after
 * the headers went out (`ERR_HTTP_HEADERS_SENT`), and a failed save can still turn into a 503:
 * nothing was sent yet. (express-session instead sends the head and holds the body's last byte; its
 * cookie is known without waiting, ours is signed asynchronously.) The wrappers stay in place and
 * pass calls straight through once committed, so middleware that wrapped them later keeps working.
 *
 * Backpressure: a held `write` answers `false`, as a full socket would, and the response emits
 * `drain` once the held calls are replayed (unless the replay filled the socket: then Node emits
 * the real `drain` when it empties). A pipe (`res.sendFile`, `stream.pipe(res)`, `pipeline`) or a
 * loop that honours the answer therefore stops after one chunk while the save is pending, instead
 * of reading a whole file into memory. This beats the other way out, holding only the head and
 * passing the body on: the head cannot leave before the save (it needs the cookie, and a failed
 * save must still become a 503), so a body passed on would have to wait in a buffer anyway.
 * Answering `false` is the Writable contract that pipe, pipeline and `Writable.toWeb` already
 * honour, and it bounds what is held to what a writer sends after being told to wait.
 */
function commitBeforeHeaders(session: Session<any>, res: Response, handle: SessionHandle<any>, next: NextFunction): void {
  const gate = new HeaderGate(session, res, handle, next);
  for (const method of HEADER_SENDERS) {
    // Bound, not a closure per request (see `RequestSession`): it calls the gate whatever `this` it gets, as a closure would.
    (res as unknown as Record<string, unknown>)[method] = throughGate.bind(gate, method, res[method] as Method);
  }
}

function throughGate(this: HeaderGate, method: HeaderSender, original: Method, ...args: unknown[]): unknown {
  return this.call(method, original, args);
}

/** One response's way through `commitBeforeHeaders`: one object per request, its parts made only when a commit needs them. */
class HeaderGate {
  readonly #session: Session<any>;
  readonly #res: Response;
  readonly #handle: SessionHandle<any>;
  readonly #next: NextFunction;
  /** 'streaming': the headers left with nothing to commit; each `end` commits what changed since. */
  #state: 'open' | 'streaming' | 'committing' | 'sent' = 'open';
  /** Held calls, flat: the method, then its arguments, for each (made when a commit begins). */
  #held: Array<Method | unknown[]> = NOTHING_HELD;
  #toldToWait = false;
  /** The arguments of a held `writeHead`, whose headers are set over the response's own when replayed. */
  #heldHead: unknown[] | null = null;
  /**
   * What earlier middleware set (security headers, CORS): a failed save answers with these, and
   * without what the route added for the answer that is dropped. Most apps set none before.
   */
  readonly #earlierHeaders: ReadonlyArray<[string, string | number | string[]]>;

  constructor(session: Session<any>, res: Response, handle: SessionHandle<any>, next: NextFunction) {
    this.#session = session;
    this.#res = res;
    this.#handle = handle;
    this.#next = next;
    const names = res.getHeaderNames();
    this.#earlierHeaders = names.length === 0 ? NO_HEADERS : copyHeaders(res, names);
  }

  call(method: HeaderSender, original: Method, args: unknown[]): unknown {
    if (this.#state === 'sent') return original.apply(this.#res, args);
    if (this.#state === 'open' || (this.#state === 'streaming' && method === 'end')) {
      const committing = commitIfNeeded(this.#handle);
      // Nothing to save or sign (most requests): no reason to hold the response. The cookie can no
      // longer change; a change made after this (data changed while streaming) is saved at `end`.
      if (committing === null) {
        headersLeft(this.#handle);
        this.#state = 'streaming';
        return original.apply(this.#res, args);
      }
      this.#state = 'committing';
      this.#held = [];
      committing.then(
        (setCookie) => this.#committed(setCookie),
        (error: unknown) => this.#failed(error),
      );
    } else if (this.#state === 'streaming') {
      return original.apply(this.#res, args);
    }
    this.#held.push(original, args);
    if (method === 'writeHead' && this.#heldHead === null) this.#heldHead = args;
    if (method === 'write') {
      this.#toldToWait = true;
      return false; // wait for 'drain' (see above)
    }
    // What the real methods answer: `flushHeaders` nothing, the others the response itself.
    return method === 'flushHeaders' ? undefined : this.#res;
  }

  #committed(setCookie: string | null): void {
    const res = this.#res;
    // Sent from here on, whatever throws below: the error handler's own answer must go straight out.
    this.#state = 'sent';
    try {
      // After headers that already left (a change while streaming), the data is saved and the cookie stays as it was.
      if (setCookie !== null && !res.headersSent) {
        this.#keepRouteCookies();
        res.append('Set-Cookie', setCookie);
        this.#keepFromSharedCaches();
      }
      const held = this.#held;
      for (let index = 0; index < held.length; index += 2) (held[index] as Method).apply(res, held[index + 1] as unknown[]);
      held.length = 0;
      if (this.#toldToWait && !res.writableEnded && !res.destroyed && !res.writableNeedDrain) res.emit('drain');
    } catch (error) {
      // A held call that throws (a header with a bad value) reaches the error handler, as it would have from the route.
      this.#next(error);
    }
  }

  /**
   * A held `writeHead` whose headers name Set-Cookie would, when replayed, replace the response's
   * Set-Cookie, the session's included: its cookies are set now, as Node would set them (in place of
   * the response's own), and taken out of the head, so the session's is added beside them.
   */
  #keepRouteCookies(): void {
    const head = this.#heldHead;
    if (head === null) return;
    const at = headersAt(head);
    const cookies = setCookiesIn(head[at]);
    if (cookies === undefined) return;
    this.#res.setHeader('Set-Cookie', cookies);
    head[at] = withoutHeader(head[at], 'set-cookie');
  }

  /**
   * No shared cache may store a response that sets the session cookie (see `keepFromSharedCaches`).
   * A held `writeHead` with headers sets them over the response's own when replayed: a caching
   * header in it is the one sent, so the one judged, and it is taken out of the head when replaced.
   */
  #keepFromSharedCaches(): void {
    const res = this.#res;
    const head = this.#heldHead;
    const at = head === null ? -1 : headersAt(head);
    const inHead = (name: string): string | undefined => (head === null ? undefined : headerIn(head[at], name.toLowerCase()));
    keepFromSharedCaches(this.#session, {
      names: () => (head === null ? res.getHeaderNames() : [...new Set([...res.getHeaderNames(), ...headerNamesIn(head[at]).map((name) => name.toLowerCase())])]),
      get: (name) => inHead(name) ?? headerText(res.getHeader(name)),
      set: (name, value) => {
        if (inHead(name) !== undefined) head![at] = withoutHeader(head![at], name.toLowerCase());
        res.setHeader(name, value);
      },
    });
  }

  #failed(error: unknown): void {
    // Nothing has been sent: drop the held response and the route's headers, let the error
    // handler answer. A writer waiting for `drain` gets none: its response was dropped.
    const res = this.#res;
    this.#held.length = 0;
    this.#state = 'sent';
    // A save at the end of a response whose headers left: the response cannot end well, so it does
    // not end; the error handler (Express's own, once headers are sent) closes the connection.
    if (res.headersSent) {
      this.#next(error);
      return;
    }
    try {
      for (const name of res.getHeaderNames()) res.removeHeader(name);
      for (const [name, value] of this.#earlierHeaders) res.setHeader(name, value);
    } catch (failure) {
      this.#next(failure);
      return;
    }
    this.#next(error);
  }
}

const NOTHING_HELD: Array<Method | unknown[]> = [];
const NO_HEADERS: ReadonlyArray<[string, string | number | string[]]> = [];

/** The response's headers `names` as they are now, arrays copied. */
function copyHeaders(res: Response, names: readonly string[]): Array<[string, string | number | string[]]> {
  const copies: Array<[string, string | number | string[]]> = [];
  for (const name of names) {
    const value = res.getHeader(name);
    if (value !== undefined) copies.push([name, Array.isArray(value) ? [...value] : value]);
  }
  return copies;
}
