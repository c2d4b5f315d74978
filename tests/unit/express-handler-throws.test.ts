/**
 * What the docs promise when an Express route throws after changing the session: the error response (whatever the
 * error handlers send, Express's default 500 included) carries the session's cookie changes, because the middleware
 * saves the session before any response's headers leave. The Fetch adapter differs (it has no response to carry a
 * cookie, so it abandons the session): tests/unit/fetch-adapter.test.ts.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { parseSetCookie } from 'cookie';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from 'sessionlab';
import { sessionMiddleware } from 'sessionlab/express';
import { makeSession } from '../support/harness.ts';

async function post(app: express.Express, path: string, cookie?: string): Promise<Response> {
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const { port } = server.address() as AddressInfo;
    return await fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', headers: cookie ? { cookie } : {} });
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

describe('sessionMiddleware, when a route throws after changing the session', () => {
  it("sends the new session's cookie with Express's own 500: the login stands", async () => {
    const store = new MemoryStore();
    const { session } = makeSession({ store });
    const app = express();
    app.use(sessionMiddleware(session));
    app.post('/login', async (req) => {
      await req.session.login('ada');
      throw new Error('bug after login');
    });
    const response = await post(app, '/login');
    expect(response.status).toBe(500);
    const cookie = parseSetCookie(response.headers.get('set-cookie')!);
    expect(cookie).toMatchObject({ name: 'session', httpOnly: true });
    expect(store.all().map((record) => record.userId)).toEqual(['ada']);
  });

  it("clears the cookie with the error response of a route that logged out, then threw", async () => {
    const store = new MemoryStore();
    const { session } = makeSession({ store });
    const app = express();
    app.use(sessionMiddleware(session));
    app.post('/login', async (req, res) => {
      await req.session.login('ada');
      res.end();
    });
    app.post('/logout', async (req) => {
      await req.logout();
      throw new Error('bug after logout');
    });
    const login = parseSetCookie((await post(app, '/login')).headers.get('set-cookie')!);
    const response = await post(app, '/logout', `${login.name}=${login.value}`);
    expect(response.status).toBe(500);
    expect(parseSetCookie(response.headers.get('set-cookie')!).maxAge).toBe(0);
    expect(store.all()).toEqual([]);
  });
});
