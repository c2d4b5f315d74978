/**
 * `sessionlab/fetch`: sessions for any `(Request) => Response` handler — service workers, Deno, Bun,
 * Cloudflare-style workers, Node 22+ servers, and the site's simulated server.
 */
import { SessionStoreError } from '../errors.ts';
import type { Session } from '../session.ts';
import type { SessionHandle } from '../session-handle.ts';
import type { SessionData } from '../types.ts';

/** What a wrapped handler receives beside the request. */
export interface SessionContext<Data extends SessionData = SessionData> {
  session: SessionHandle<Data>;
}

export type SessionHandler<Data extends SessionData = SessionData, Context = unknown> = (
  request: Request,
  context: SessionContext<Data> & Context,
) => Response | Promise<Response>;

export interface FetchAdapterOptions {
  /**
   * The response when the store fails or times out. Default: `503 Service Unavailable` with
   * `Retry-After: 5`; nothing about the failure leaks to the client.
   */
  onStoreError?: (error: SessionStoreError, request: Request) => Response | Promise<Response>;
}

/**
 * Wraps a handler so it receives the request's session, and its response carries the right
 * `Set-Cookie`. Changes to the session are saved before the response leaves.
 *
 * @example
 * const handle = withSession(session, async (request, { session }) => {
 *   if (new URL(request.url).pathname === '/login') await session.login('user-42');
 *   return Response.json({ user: session.userId });
 * });
 */
export function withSession<Data extends SessionData = SessionData, Context = unknown>(
  session: Session<Data>,
  handler: SessionHandler<Data, Context>,
  options: FetchAdapterOptions = {},
): (request: Request, context?: Context) => Promise<Response> {
  const onStoreError = options.onStoreError ?? storeUnavailable;
  return async (request, context) => {
    try {
      const handle = await session.load({ cookie: request.headers.get('cookie'), url: request.url });
      const response = await handler(request, { ...(context as Context), session: handle });
      const setCookie = await handle.commit();
      return setCookie === null ? response : withSetCookie(response, setCookie);
    } catch (error) {
      if (error instanceof SessionStoreError) return onStoreError(error, request);
      throw error;
    }
  };
}

/** The default answer to a failing store. */
export function storeUnavailable(): Response {
  return new Response('Service temporarily unavailable.\n', {
    status: 503,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '5', 'cache-control': 'no-store' },
  });
}

function withSetCookie(response: Response, setCookie: string): Response {
  // Headers of a Response from fetch() or Response.redirect() are immutable: copy into a new Response.
  const copy = new Response(response.body, response);
  copy.headers.append('set-cookie', setCookie);
  // A response that sets a session cookie must never be stored by a shared cache (OWASP).
  if (!copy.headers.has('cache-control')) copy.headers.set('cache-control', 'no-store');
  return copy;
}
