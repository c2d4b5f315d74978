/**
 * What a route does with the session after its response's headers left (it streamed a first chunk,
 * flushed the headers, or already sent the answer). The cookie can no longer change, so a sign-in
 * that needs a new one refuses before changing anything, instead of signing the browser out; a
 * change to the data is still saved before the response ends; a save that fails then leaves the
 * response unfinished rather than looking complete. Real Express apps on 127.0.0.1.
 */
import type { Express } from 'express';
import { describe, expect, it } from 'vitest';
import { SessionStoreError } from 'sessionlab';
import { browse, makeApp } from '../support/express-app.ts';
import { GatedStore } from '../support/gated-store.ts';
import { makeSession, ManualClock } from '../support/harness.ts';

const TOO_LATE = /^(login|regenerate|reauthenticate)\(\) after the response's headers were sent: the new session's cookie could not reach the browser, so nothing was changed\./;

/** POST /login signs 'ada' in, with `{ visits: 1 }`. */
function signInRoute(app: Express): void {
  app.post('/login', async (req, res) => {
    await req.session.login('ada', { visits: 1 });
    res.send('ok');
  });
}

/** POST /stream writes a first chunk, then changes the data, then ends. */
function streamRoute(app: Express): void {
  app.post('/stream', (req, res) => {
    res.write('working... ');
    req.session.data!['visits'] = 2;
    res.end('done');
  });
}

/** GET /me answers the user and the data. */
function meRoute(app: Express): void {
  app.get('/me', (req, res) => {
    res.json({ user: req.session.userId, data: req.session.data });
  });
}

describe('sessionMiddleware, the session after the response\'s headers left', () => {
  it('saves data changed while the response streams, before it ends', async () => {
    const { session } = makeSession();
    const { app, errors } = makeApp(session, (app) => {
      signInRoute(app);
      streamRoute(app);
      meRoute(app);
    });
    const browser = await browse(app);
    await browser.send('/login', { method: 'POST' });
    const streamed = await browser.send('/stream', { method: 'POST' });
    expect(await streamed.text()).toBe('working... done');
    expect(streamed.headers.getSetCookie()).toEqual([]);
    expect(errors).toEqual([]);
    expect(await browser.json('/me')).toEqual({ user: 'ada', data: { visits: 2 } });
  });

  it('saves the data as it is when the response ends, after several chunks and changes', async () => {
    const { session } = makeSession();
    const { app, errors } = makeApp(session, (app) => {
      signInRoute(app);
      app.post('/chunks', (req, res) => {
        res.write('one ');
        req.session.data!['visits'] = 2;
        res.write('two ');
        req.session.data!['visits'] = 3;
        res.end('done');
      });
      meRoute(app);
    });
    const browser = await browse(app);
    await browser.send('/login', { method: 'POST' });
    expect(await (await browser.send('/chunks', { method: 'POST' })).text()).toBe('one two done');
    expect(errors).toEqual([]);
    expect(await browser.json('/me')).toEqual({ user: 'ada', data: { visits: 3 } });
  });

  it.each<[string, (res: import('express').Response) => void]>([
    ['after a first chunk', (res) => res.write('working... ')],
    ['after flushHeaders()', (res) => res.flushHeaders()],
    ['after the answer was sent', (res) => res.send('done')],
  ])('refuses login(), regenerate() and reauthenticate() %s, and the browser stays signed in as before', async (_, start) => {
    const { session } = makeSession();
    const refusals: string[] = [];
    const { app } = makeApp(session, (app) => {
      signInRoute(app);
      app.post('/late', async (req, res) => {
        start(res);
        for (const act of [() => req.session.login('grace'), () => req.session.regenerate(), () => req.session.reauthenticate()]) {
          await act().catch((error: unknown) => refusals.push((error as Error).message));
        }
        if (!res.writableEnded) res.end('done');
      });
      meRoute(app);
    });
    const browser = await browse(app);
    await browser.send('/login', { method: 'POST' });
    const late = await browser.send('/late', { method: 'POST' });
    await late.text();
    expect(late.headers.getSetCookie()).toEqual([]);
    expect(refusals).toHaveLength(3);
    for (const message of refusals) expect(message).toMatch(TOO_LATE);
    expect(await browser.json('/me')).toEqual({ user: 'ada', data: { visits: 1 } });
  });

  it('leaves the response unfinished, and tells the error handler, when the save at its end fails', async () => {
    const clock = new ManualClock();
    const store = new GatedStore(clock);
    const { session } = makeSession({ clock, store });
    const { app, errors } = makeApp(session, (app) => {
      signInRoute(app);
      streamRoute(app);
    });
    const browser = await browse(app);
    await browser.send('/login', { method: 'POST' });
    void store.saving.then(() => store.fail());
    const streamed = await browser.send('/stream', { method: 'POST' });
    expect(streamed.status).toBe(200);
    await expect(streamed.text()).rejects.toThrow();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(SessionStoreError);
  });
});
