/**
 * A route may set cookies of its own in `res.writeHead(status, headers)`. When the same response
 * signs the user in, the session's cookie must go out beside them: Node sets writeHead's headers
 * over the response's own, so the adapter, which adds the session's Set-Cookie before replaying the
 * held writeHead, must not let the route's Set-Cookie replace it. Real Express apps on 127.0.0.1.
 */
import { describe, expect, it } from 'vitest';
import type { OutgoingHttpHeaders } from 'node:http';
import { browse, makeApp } from '../support/express-app.ts';
import { makeSession } from '../support/harness.ts';

/** The names of the cookies a response sets, in order. */
function cookieNames(response: Response): string[] {
  return response.headers.getSetCookie().map((cookie) => cookie.slice(0, cookie.indexOf('=')));
}

/** An app whose POST /switch signs 'grace' in and answers with `answer`, and whose GET /me says who is signed in. */
async function appAnswering(answer: (res: import('express').Response) => void) {
  const { session } = makeSession();
  const name = 'session'; // the default name on plain http (the app runs on http://127.0.0.1)
  const { app, errors } = makeApp(session, (app) => {
    app.post('/switch', async (req, res) => {
      await req.session.login('grace');
      answer(res);
    });
    app.get('/me', (req, res) => {
      res.json({ user: req.session.userId });
    });
  });
  const browser = await browse(app);
  return { browser, errors, name };
}

describe('sessionMiddleware, a sign-in answered by writeHead with cookies of its own', () => {
  it.each<[string, OutgoingHttpHeaders | unknown[], string[]]>([
    ['an object', { Location: '/', 'Set-Cookie': 'notice=switched; Path=/' }, ['notice']],
    ['an object with a list of cookies', { 'Set-Cookie': ['notice=switched; Path=/', 'theme=dark; Path=/'] }, ['notice', 'theme']],
    ['a flat list', ['Location', '/', 'Set-Cookie', 'notice=switched; Path=/', 'set-cookie', 'theme=dark; Path=/'], ['notice', 'theme']],
    ['an object with two spellings (Node sets the last)', { 'Set-Cookie': 'notice=first; Path=/', 'set-cookie': 'theme=dark; Path=/' }, ['theme']],
  ])('keeps the session cookie beside the route\'s, given as %s', async (_, headers, routeCookies) => {
    const { browser, errors, name } = await appAnswering((res) => {
      res.writeHead(303, headers as OutgoingHttpHeaders).end();
    });
    const response = await browser.send('/switch', { method: 'POST' });
    expect(response.status).toBe(303);
    expect(cookieNames(response)).toEqual([...routeCookies, name]);
    expect(errors).toEqual([]);
    expect(await browser.json('/me')).toEqual({ user: 'grace' });
  });

  it('keeps it for writeHead(status, message, headers) too', async () => {
    const { browser, name } = await appAnswering((res) => {
      res.writeHead(200, 'Switched', { 'Set-Cookie': 'notice=switched; Path=/' }).end('ok');
    });
    const response = await browser.send('/switch', { method: 'POST' });
    expect(response.statusText).toBe('Switched');
    expect(cookieNames(response)).toEqual(['notice', name]);
    expect(await browser.json('/me')).toEqual({ user: 'grace' });
  });

  it('lets writeHead\'s Set-Cookie replace a cookie the route set before, as Node does, and keeps the session\'s', async () => {
    const { browser, name } = await appAnswering((res) => {
      res.cookie('early', 'x');
      res.writeHead(200, { 'Set-Cookie': 'late=y; Path=/' }).end('ok');
    });
    const response = await browser.send('/switch', { method: 'POST' });
    expect(cookieNames(response)).toEqual(['late', name]);
    expect(await browser.json('/me')).toEqual({ user: 'grace' });
  });

  it('fails a writeHead whose Set-Cookie is undefined as Node fails it: the error handler answers', async () => {
    const { browser, errors } = await appAnswering((res) => {
      res.writeHead(200, { 'Set-Cookie': undefined }).end('ok');
    });
    const response = await browser.send('/switch', { method: 'POST' });
    expect(response.status).toBe(500);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'ERR_HTTP_INVALID_HEADER_VALUE' });
    expect(response.headers.getSetCookie().map((cookie) => cookie.slice(0, cookie.indexOf('=')))).not.toContain('undefined');
  });

  it('keeps the route\'s cookies set by res.cookie() when writeHead names none', async () => {
    const { browser, name } = await appAnswering((res) => {
      res.cookie('notice', 'switched');
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
    });
    const response = await browser.send('/switch', { method: 'POST' });
    expect(cookieNames(response)).toEqual(['notice', name]);
  });
});
