/**
 * `sessionlab/hono`: sessions for Hono apps, as a middleware that puts the request's session in
 * `c.get('session')`. Built on the Fetch adapter's `handleWithSession`, so it behaves as `withSession`
 * does: the session is saved before the response leaves, and a failing store becomes a 503.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { keepFromSharedCaches } from '../cache-control.ts';
import { SessionConfigError, SessionStoreError } from '../errors.ts';
import type { Session } from '../session.ts';
import type { SessionHandle } from '../session-handle.ts';
import type { SessionData } from '../types.ts';
import { handleWithSession, storeUnavailable } from './fetch.ts';

/** What the middleware adds to Hono's context variables. */
export interface SessionVariables<Data extends SessionData = SessionData> {
  /** The request's session. */
  session: SessionHandle<Data>;
}

/**
 * The Hono environment of an app (or a route) behind the middleware, so `c.get('session')` is typed.
 *
 * @example
 * const app = new Hono<SessionEnv<{ cart: string[] }>>();
 */
export type SessionEnv<Data extends SessionData = SessionData> = { Variables: SessionVariables<Data> };

export interface HonoAdapterOptions {
  /**
   * The response when the store fails or times out, while the session is loaded or saved, or in a
   * handler (`revokeAll()`). Default: `503 Service Unavailable` with `Retry-After: 5`; nothing about
   * the failure leaks to the client.
   */
  onStoreError?: (error: SessionStoreError, c: Context) => Response | Promise<Response>;
  /**
   * The client's IP address, for the Session's `devices` option: how to learn it depends on the
   * runtime (`getConnInfo(c).remote.address` from Hono's conninfo helper for yours, or a header your
   * proxy sets). Called only when the Session keeps IPs. Default: none, so no IP is kept.
   */
  clientIp?: (c: Context) => string | null | undefined;
}

/** A downstream handler failed and Hono's error handler has answered: keep its response, send no cookie. */
class HandlerFailed extends Error {}

/**
 * A Hono middleware that loads the request's session into `c.get('session')`, runs the rest of the
 * chain, saves the session and adds its `Set-Cookie` to the response (with `Cache-Control: no-store`
 * unless the response has its own).
 *
 * When a later handler throws, Hono's error handler answers as usual, no cookie goes out and the
 * session is abandoned (`SessionHandle.abandon()`): a session the request created is deleted again,
 * data changes are dropped, a logout stays done. A `SessionStoreError` — thrown by a handler, or met
 * while loading or saving the session — becomes the `onStoreError` response instead.
 *
 * `session` may also be a function of the context that returns the Session, for runtimes where its
 * secret arrives with the request (Cloudflare Workers' `c.env`); make the Session once and reuse it.
 *
 * @example
 * const app = new Hono<SessionEnv>();
 * app.use(sessionMiddleware(sessions));
 * app.post('/login', async (c) => {
 *   await c.get('session').login('user-42');
 *   return c.json({ user: c.get('session').userId });
 * });
 */
export function sessionMiddleware<Data extends SessionData = SessionData>(
  session: Session<Data> | ((c: Context) => Session<Data>),
  options: HonoAdapterOptions = {},
): MiddlewareHandler<SessionEnv<Data>> {
  if (typeof session !== 'function' && typeof (session as Partial<Session<Data>> | null)?.load !== 'function') {
    throw new SessionConfigError(
      'sessionMiddleware needs a Session, or a function of the context that returns one.',
      'Create it once with new Session({ secret, store }) and pass it in: app.use(sessionMiddleware(sessions)).',
    );
  }
  const onStoreError = options.onStoreError ?? storeUnavailable;
  const clientIp = options.clientIp;
  const sessionFor = typeof session === 'function' ? session : () => session;
  return async (c, next) => {
    let outcome;
    const sessionOfRequest = sessionFor(c);
    try {
      outcome = await handleWithSession(
        sessionOfRequest,
        c.req.raw,
        async (_request, { session: handle }) => {
          c.set('session', handle);
          await next();
          // Hono has already caught what a later handler threw (c.error) and answered with its error handler.
          if (c.error instanceof SessionStoreError) throw c.error;
          if (c.error) throw new HandlerFailed();
          return c.res;
        },
        clientIp === undefined
          ? { onStoreError: (error) => onStoreError(error, c) }
          : { onStoreError: (error) => onStoreError(error, c), clientIp: () => clientIp(c) },
      );
    } catch (error) {
      if (error instanceof HandlerFailed) return;
      throw error;
    }
    const { response, setCookie } = outcome;
    if (response !== c.res) {
      // The store failed: its response replaces the handler's whole, headers included (setting c.res
      // over another would copy the old one's headers, cookies and all, into it).
      c.res = undefined;
      c.res = response;
    }
    if (setCookie !== null) {
      c.header('set-cookie', setCookie, { append: true });
      keepFromSharedCaches(sessionOfRequest, {
        names: () => c.res.headers.keys(),
        get: (name) => c.res.headers.get(name) ?? undefined,
        set: (name, value) => c.header(name, value),
      });
    }
  };
}
