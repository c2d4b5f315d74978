/**
 * `sessionlab/fetch`: sessions for any `(Request) => Response` handler. `withSession` for Deno, Bun,
 * Cloudflare Workers and Node 22+ servers; `handleWithSession` where a Response cannot carry
 * Set-Cookie (browsers, service workers, the site's simulated server).
 */
import { keepFromSharedCaches } from '../cache-control.ts';
import { SessionConfigError, SessionStoreError } from '../errors.ts';
import { loadNow, type Session, type SessionRequest } from '../session.ts';
import { FORWARDING_HEADERS } from '../session-cookie.ts';
import { commitIfNeeded, type SessionHandle } from '../session-handle.ts';
import type { SessionData } from '../types.ts';

/** What a wrapped handler receives beside the request. */
export interface SessionContext<Data extends SessionData = SessionData> {
  session: SessionHandle<Data>;
}

export type SessionHandler<Data extends SessionData = SessionData, Context = unknown> = (
  request: Request,
  context: SessionContext<Data> & Context,
) => Response | Promise<Response>;

export interface FetchAdapterOptions<Context = unknown> {
  /**
   * The response when the store fails or times out. Default: `503 Service Unavailable` with
   * `Retry-After: 5`; nothing about the failure leaks to the client.
   */
  onStoreError?: (error: SessionStoreError, request: Request) => Response | Promise<Response>;
  /**
   * The client's IP address, for the Session's `devices` option: a `Request` does not carry it, each
   * runtime has its own way (Deno: the handler's second argument, `info.remoteAddr.hostname`; Bun:
   * `server.requestIP(request)`; Cloudflare: the `CF-Connecting-IP` header). Called only when the
   * Session keeps IPs. Default: none, so no IP is kept.
   */
  clientIp?: (request: Request, context: Context | undefined) => string | null | undefined;
}

/** A handler's response, and the `Set-Cookie` value it needs, kept apart. */
export interface SessionOutcome {
  response: Response;
  /** The session cookie to set (or clear), or null when the session cookie does not change. */
  setCookie: string | null;
}

export interface HandleOptions<Context> extends FetchAdapterOptions<Context> {
  /** Passed to the handler beside the session. */
  context?: Context;
  /**
   * The request's `Cookie` header, when the request itself cannot carry it: browsers drop `Cookie`
   * from a `Request` built by page code. Default: `request.headers.get('cookie')`.
   */
  cookie?: string | null;
}

/**
 * Runs `handler` for `request` with its session, and returns the response and the `Set-Cookie`
 * value separately. Use it where a `Response` cannot carry `Set-Cookie` — browsers and service
 * workers drop that header — and deliver the cookie yourself (the site's simulated browser does).
 *
 * When the handler throws, or the session cannot be saved, no cookie goes out, so the session is
 * abandoned (`SessionHandle.abandon()`): one this request created is deleted, data changes are
 * dropped, a logout stays done. A `SessionStoreError` becomes the `onStoreError` response; any other
 * error is rethrown.
 */
export async function handleWithSession<Data extends SessionData = SessionData, Context = unknown>(
  session: Session<Data>,
  request: Request,
  handler: SessionHandler<Data, Context>,
  options: HandleOptions<Context> = {},
): Promise<SessionOutcome> {
  let handle: SessionHandle<Data> | undefined;
  try {
    const cookie = options.cookie === undefined ? request.headers.get('cookie') : options.cookie;
    const loaded = loadNow(session, new FetchSessionRequest(request, cookie, options.clientIp, options.context));
    handle = loaded instanceof Promise ? await loaded : loaded;
    const response = await handler(request, contextOf(options.context, handle));
    const committing = commitIfNeeded(handle);
    return { response, setCookie: committing === null ? null : await committing };
  } catch (error) {
    return { response: await failure(session, request, handle, error, options), setCookie: null };
  }
}

/**
 * What the Session needs of a request. The user agent and the client's IP are looked up only if the
 * Session asks for them (its `devices` option): a request that keeps neither pays for neither.
 */
class FetchSessionRequest<Context> implements SessionRequest {
  readonly cookie: string | null | undefined;
  readonly url: string;
  readonly #request: Request;
  readonly #clientIp: FetchAdapterOptions<Context>['clientIp'];
  readonly #context: Context | undefined;

  constructor(request: Request, cookie: string | null | undefined, clientIp: FetchAdapterOptions<Context>['clientIp'], context: Context | undefined) {
    this.#request = request;
    this.cookie = cookie;
    this.url = request.url;
    this.#clientIp = clientIp;
    this.#context = context;
  }

  /** Asked only when the URL alone would drop Secure (plain http to this machine). */
  get forwarded(): boolean {
    return FORWARDING_HEADERS.some((name) => this.#request.headers.has(name));
  }

  get userAgent(): string | null {
    return this.#request.headers.get('user-agent');
  }

  get ip(): string | null {
    return this.#clientIp?.(this.#request, this.#context) ?? null;
  }
}

/** What the handler gets beside the request: the caller's context, if any, and the session. */
function contextOf<Data extends SessionData, Context>(context: Context | undefined, session: SessionHandle<Data>): SessionContext<Data> & Context {
  return (context === undefined ? { session } : { ...context, session }) as SessionContext<Data> & Context;
}

/**
 * The answer to a request whose handler threw or whose session could not be saved. No cookie goes
 * out with it, so what would need one (a session created here) is undone first.
 */
async function failure<Data extends SessionData>(
  session: Session<Data>,
  request: Request,
  handle: SessionHandle<Data> | undefined,
  error: unknown,
  options: FetchAdapterOptions<any>,
): Promise<Response> {
  if (handle) await handle.abandon().catch((failure: unknown) => session.events.background(failure));
  if (!(error instanceof SessionStoreError)) throw error;
  return (options.onStoreError ?? storeUnavailable)(error, request);
}

/**
 * Wraps a handler so it receives the request's session, and its response carries the right
 * `Set-Cookie`. Changes to the session are saved before the response leaves.
 *
 * @example
 * const handle = withSession(session, async (request, { session }) => {
 *   const { pathname } = new URL(request.url);
 *   if (pathname === '/login' && request.method === 'POST') await session.login('user-42');
 *   return Response.json({ user: session.userId });
 * });
 */
export function withSession<Data extends SessionData = SessionData, Context = unknown>(
  session: Session<Data>,
  handler: SessionHandler<Data, Context>,
  options: FetchAdapterOptions<Context> = {},
): (request: Request, context?: Context) => Promise<Response> {
  if (!canSetCookie()) {
    throw new SessionConfigError(
      'This runtime drops Set-Cookie from Response headers (browsers and service workers do), so withSession() cannot deliver the session cookie here.',
      'Use handleWithSession() and hand its setCookie value to your cookie store yourself.',
    );
  }
  // handleWithSession's steps, without building its outcome object: this runs on every request.
  return async (request, context) => {
    let handle: SessionHandle<Data> | undefined;
    try {
      const loaded = loadNow(session, new FetchSessionRequest(request, request.headers.get('cookie'), options.clientIp, context));
      // A session loaded at once (a remembered cookie, a synchronous store) costs no turn of the event loop.
      handle = loaded instanceof Promise ? await loaded : loaded;
      const answer = handler(request, contextOf(context, handle));
      // A handler that answers at once (most do) costs no turn of the event loop.
      const response = answer instanceof Response ? answer : await answer;
      // Most requests only read their session: answered at once, with no commit to await.
      const committing = commitIfNeeded(handle);
      if (committing === null) return response;
      const setCookie = await committing;
      return setCookie === null ? response : withSetCookie(session, response, setCookie);
    } catch (error) {
      return failure(session, request, handle, error, options);
    }
  };
}

/** Whether a Response built here keeps a Set-Cookie header (it is a forbidden response header in browsers). */
function canSetCookie(): boolean {
  const probe = new Response(null);
  probe.headers.append('set-cookie', 'probe=1');
  return probe.headers.has('set-cookie');
}

/** The default answer to a failing store. */
export function storeUnavailable(): Response {
  return new Response('Service temporarily unavailable.\n', {
    status: 503,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '5', 'cache-control': 'no-store' },
  });
}

function withSetCookie(session: Session<any>, response: Response, setCookie: string): Response {
  // Headers of a Response from fetch() or Response.redirect() are immutable: copy into a new Response.
  const copy = new Response(response.body, response);
  copy.headers.append('set-cookie', setCookie);
  const headers = copy.headers;
  keepFromSharedCaches(session, { names: () => headers.keys(), get: (name) => headers.get(name) ?? undefined, set: (name, value) => headers.set(name, value) });
  return copy;
}

