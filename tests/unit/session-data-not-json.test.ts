/**
 * Session data must be JSON. Data that is not (a BigInt, a cycle) is a mistake in the app: the
 * request that made it fails with a TypeError that says so, nothing is written, the session keeps
 * what it had, and no adapter crashes the process or leaves the request hanging.
 */
import { describe, expect, it } from 'vitest';
import { MemoryStore, type SessionData } from 'sessionlab';
import { withSession } from 'sessionlab/fetch';
import { browse, makeApp } from '../support/express-app.ts';
import { CookieClient, makeSession, ManualClock } from '../support/harness.ts';

const NOT_JSON = /^The session data cannot be saved: it is not JSON \(.+\)\. Keep only strings, numbers, booleans, null, arrays and plain objects in it\.$/;

/** A cyclic object: JSON.stringify throws on it. */
function cycle(): SessionData {
  const node: Record<string, unknown> = { name: 'node' };
  node['self'] = node;
  return node as SessionData;
}

/** A request of a signed-in session (data `{ cart: ['tea'] }`) on a MemoryStore, and the store's records before it. */
async function signedIn() {
  const clock = new ManualClock();
  const store = new MemoryStore({ clock });
  const { session } = makeSession({ clock, store });
  const client = new CookieClient();
  await client.visit(session, (handle) => handle.login('ada', { cart: ['tea'] }));
  const before = await store.all();
  const handle = await session.load({ cookie: client.header(), url: 'https://app.example/' });
  return { store, handle, before };
}

const notJson: Array<[string, () => unknown]> = [
  ['a BigInt', () => ({ id: 10n })],
  ['a cycle', cycle],
];

describe('session data that is not JSON', () => {
  it.each(notJson)('(%s) in a signed-in session: needsCommit says so without throwing; commit() rejects with a TypeError and writes nothing', async (_, value) => {
    const { store, handle, before } = await signedIn();
    handle.data!['row'] = value() as never;
    expect(handle.needsCommit).toBe(true);
    const failure = await handle.commit().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TypeError);
    expect((failure as Error).message).toMatch(NOT_JSON);
    expect((failure as Error).cause).toBeInstanceOf(TypeError);
    expect(await store.all()).toEqual(before);
  });

  it.each(notJson)('(%s) given to login(): it rejects before anything changes, and the earlier session stays', async (_, value) => {
    const { store, handle, before } = await signedIn();
    await expect(handle.login('grace', { row: value() } as SessionData)).rejects.toThrow(NOT_JSON);
    expect(handle.userId).toBe('ada');
    expect(await store.all()).toEqual(before);
  });

  it.each(notJson)('(%s) before regenerate(): it rejects before anything changes', async (_, value) => {
    const { store, handle, before } = await signedIn();
    handle.data!['row'] = value() as never;
    await expect(handle.regenerate()).rejects.toThrow(NOT_JSON);
    expect(await store.all()).toEqual(before);
  });

  it.each(notJson)('(%s) set by an Express route: the app\'s error handler answers, with the TypeError, and the process goes on', async (_, value) => {
    const { session } = makeSession();
    const { app, errors } = makeApp(session, (app) => {
      app.post('/login', async (req, res) => {
        await req.session.login('ada', { cart: ['tea'] });
        res.send('signed in');
      });
      app.post('/save', (req, res) => {
        req.session.data!['row'] = value() as never;
        res.send('saved');
      });
      app.get('/cart', (req, res) => {
        res.json(req.session.data);
      });
    });
    const browser = await browse(app);
    expect((await browser.send('/login', { method: 'POST' })).status).toBe(200);
    const failed = await browser.send('/save', { method: 'POST' });
    expect(failed.status).toBe(500);
    expect(await failed.text()).toBe('error');
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toMatch(NOT_JSON);
    // The server still answers, and the session has what it had.
    expect(await browser.json('/cart')).toEqual({ cart: ['tea'] });
  });

  it.each(notJson)('(%s) set by a Fetch handler: the handler\'s promise rejects with the TypeError', async (_, value) => {
    const { session } = makeSession();
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada', { cart: ['tea'] }));
    const handler = withSession(session, (_request, { session: handle }) => {
      handle.data!['row'] = value() as never;
      return new Response('saved');
    });
    const request = new Request('https://app.example/save', { method: 'POST', headers: { cookie: client.header()! } });
    await expect(handler(request)).rejects.toThrow(NOT_JSON);
  });
});
