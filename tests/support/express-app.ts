/**
 * Real Express apps for the Express adapter's tests: one app shape (the session middleware, the
 * routes, storeErrorHandler, a 500 for everything else, every error recorded), served on a free
 * loopback port, and a user agent that keeps the cookies the app sets.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import { onTestFinished } from 'vitest';
import type { Session } from 'sessionlab';
import { sessionMiddleware, storeErrorHandler, type ExpressAdapterOptions } from 'sessionlab/express';
import { CookieClient } from './harness.ts';

export interface TestApp {
  app: Express;
  /** Errors that reached the app's error handlers, in order. */
  errors: unknown[];
}

/**
 * An Express app on `session`: the `before` middleware, the session middleware, `routes`, then error
 * handling that records every error and answers 503 for a store failure (through storeErrorHandler)
 * or 500 for anything else. An error after the response started goes on to Express's own handler.
 */
export function makeApp(session: Session, routes: (app: Express) => void, options: ExpressAdapterOptions = {}, before: RequestHandler[] = []): TestApp {
  const app = express();
  const errors: unknown[] = [];
  for (const middleware of before) app.use(middleware);
  app.use(sessionMiddleware(session, options));
  routes(app);
  const record: ErrorRequestHandler = (error, _req, _res, next) => {
    errors.push(error);
    next(error);
  };
  const otherwise500: ErrorRequestHandler = (error, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    res.status(500).send('error');
  };
  app.use(record, storeErrorHandler(), otherwise500);
  return { app, errors };
}

/**
 * Starts `app` on a free loopback port for the running test (closed, with its connections, when the
 * test finishes); answers a user agent that keeps its cookies. Call it inside a test.
 */
export async function browse(app: Express): Promise<Browser> {
  const server = app.listen(0, '127.0.0.1');
  onTestFinished(async () => {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  });
  await once(server, 'listening');
  return new Browser(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
}

/** Sends requests to one app, with the cookies its earlier answers set (a `cookie` header given wins). */
export class Browser {
  readonly jar = new CookieClient();
  readonly base: string;

  constructor(base: string) {
    this.base = base;
  }

  async send(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const cookie = this.jar.header();
    if (cookie !== null && !headers.has('cookie')) headers.set('cookie', cookie);
    const response = await fetch(this.base + path, { ...init, headers, redirect: 'manual' });
    for (const setCookie of response.headers.getSetCookie()) this.jar.receive(setCookie);
    return response;
  }

  async json(path: string, init: RequestInit = {}): Promise<unknown> {
    return (await this.send(path, init)).json();
  }
}
