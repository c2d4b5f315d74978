/**
 * Freshness: when the user last really signed in. login() and reauthenticate() set it; nothing
 * else does (extension, touch, regenerate, changed data). isFresh() and requireFreshSignIn() guard
 * sensitive actions with it.
 */
import { describe, expect, it } from 'vitest';
import { requireFreshSignIn, type Session, type SessionHandle, type SessionRecord } from 'sessionlab';
import { isFreshAt } from '../../src/session/freshness.ts';
import { CookieClient, makeSession, MINUTE } from '../support/harness.ts';

const URL_ = 'https://app.example/';
const window = { sessionDuration: 30 * MINUTE, sessionExtensionThresholdInMs: 4 * MINUTE };

async function load(session: Session, client: CookieClient): Promise<SessionHandle> {
  return session.load({ cookie: client.header(), url: URL_ });
}

async function signedIn(options = {}) {
  const made = makeSession({ ...window, ...options });
  const client = new CookieClient();
  await client.visit(made.session, (handle) => handle.login('ada', { cart: ['tea'] }));
  return { ...made, client, signedInAt: new Date(made.clock.now()).toISOString() };
}

describe('authenticatedAt', () => {
  it('is the time of login()', async () => {
    const { session, client, signedInAt, clock } = await signedIn();
    clock.advance(MINUTE);
    expect((await load(session, client)).authenticatedAt).toBe(signedInAt);
  });

  it('is null without a session', async () => {
    const { session } = makeSession();
    expect((await session.load({ cookie: null, url: URL_ })).authenticatedAt).toBeNull();
  });

  it('does not move with an extension, touch(), regenerate() or changed data', async () => {
    const { session, client, signedInAt, clock } = await signedIn();
    clock.advance(27 * MINUTE);
    await client.visit(session, () => undefined); // due for extension
    clock.advance(MINUTE);
    await client.visit(session, (handle) => handle.touch());
    await client.visit(session, (handle) => handle.regenerate());
    await client.visit(session, (handle) => {
      handle.data!['cart'] = [];
    });
    const handle = await load(session, client);
    expect(Date.parse(handle.expires!)).toBeGreaterThan(Date.parse(signedInAt) + 30 * MINUTE);
    expect(handle.authenticatedAt).toBe(signedInAt);
    expect(((await session.store.get(handle.id!)) as SessionRecord).authenticatedAt).toBe(signedInAt);
  });

  it('is unknown (null) for a record written before it existed', async () => {
    const { session, client } = await signedIn();
    const handle = await load(session, client);
    const { authenticatedAt: _dropped, ...old } = (await session.store.get(handle.id!)) as SessionRecord;
    await session.store.update(old.sessionId, old);
    const reloaded = await load(session, client);
    expect(reloaded.authenticatedAt).toBeNull();
    expect(reloaded.isFresh(60 * MINUTE)).toBe(false);
  });
});

describe('reauthenticate()', () => {
  it('moves authenticatedAt to now, rotates the session id, keeps user, data and public id', async () => {
    const { session, client, clock } = await signedIn();
    clock.advance(20 * MINUTE);
    const before = await load(session, client);
    const { publicId } = (await session.store.get(before.id!)) as SessionRecord;
    const { setCookie } = await client.visit(session, (handle) => handle.reauthenticate());
    expect(setCookie).not.toBeNull();
    const after = await load(session, client);
    expect(after.id).not.toBe(before.id);
    expect(await session.store.get(before.id!)).toBeNull();
    expect([after.userId, after.data, after.authenticatedAt]).toEqual(['ada', { cart: ['tea'] }, new Date(clock.now()).toISOString()]);
    expect(((await session.store.get(after.id!)) as SessionRecord).publicId).toBe(publicId);
  });

  it('keeps the creation time: it does not lift the absolute lifetime', async () => {
    const { session, client, clock } = await signedIn();
    const createdAt = (await load(session, client)).createdAt;
    clock.advance(20 * MINUTE);
    await client.visit(session, (handle) => handle.reauthenticate());
    expect((await load(session, client)).createdAt).toBe(createdAt);
  });

  it('leaves the request signed out when its session was revoked meanwhile, and stores nothing', async () => {
    const { session, client } = await signedIn();
    const handle = await load(session, client);
    const [device] = await session.devicesOf('ada');
    // Another device signs this one out while the password form is being checked.
    expect(await session.revokeDevice('ada', device!.publicId)).toBe(true);
    await handle.reauthenticate();
    expect(handle.isAuthenticated()).toBe(false);
    expect(await session.devicesOf('ada')).toEqual([]);
  });

  it('makes a stale sign-in fresh', async () => {
    const { session, client, clock } = await signedIn();
    clock.advance(20 * MINUTE);
    const handle = await load(session, client);
    expect(handle.isFresh(10 * MINUTE)).toBe(false);
    await handle.reauthenticate();
    expect(handle.isFresh(10 * MINUTE)).toBe(true);
  });

  it('needs a session', async () => {
    const { session } = makeSession();
    const handle = await session.load({ cookie: null, url: URL_ });
    await expect(handle.reauthenticate()).rejects.toThrow(/reauthenticate\(\) needs a session/);
  });
});

describe('isFresh(maxAgeMs)', () => {
  it('is true until maxAgeMs after the sign-in, false from then on', async () => {
    const { session, client, clock } = await signedIn();
    clock.advance(5 * MINUTE - 1);
    expect((await load(session, client)).isFresh(5 * MINUTE)).toBe(true);
    clock.advance(1);
    expect((await load(session, client)).isFresh(5 * MINUTE)).toBe(false);
  });

  it('is false without a session', async () => {
    const { session } = makeSession();
    expect((await session.load({ cookie: null, url: URL_ })).isFresh(5 * MINUTE)).toBe(false);
  });

  it('is false for a sign-in time further in the future than maxAgeMs (a damaged record)', async () => {
    const { session, client, clock } = await signedIn();
    const handle = await load(session, client);
    const record = (await session.store.get(handle.id!)) as SessionRecord;
    await session.store.update(record.sessionId, { ...record, authenticatedAt: new Date(clock.now() + 365 * 24 * 60 * MINUTE).toISOString() });
    expect((await load(session, client)).isFresh(5 * MINUTE)).toBe(false);
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY, '5' as never])('refuses the maximum age %j', async (maxAge) => {
    const { session, client } = await signedIn();
    const handle = await load(session, client);
    expect(() => handle.isFresh(maxAge)).toThrow(TypeError);
    expect(() => requireFreshSignIn(handle, maxAge)).toThrow(TypeError);
  });
});

describe('requireFreshSignIn(handle, maxAgeMs)', () => {
  it('answers 401 signed-out without a session', async () => {
    const { session } = makeSession();
    const verdict = requireFreshSignIn(await session.load({ cookie: null, url: URL_ }), 5 * MINUTE);
    expect(verdict).toMatchObject({ ok: false, status: 401, reason: 'signed-out' });
    expect(verdict.ok || verdict.message).toMatch(/sign in/i);
  });

  it('answers 403 stale-sign-in when the sign-in is older than maxAgeMs', async () => {
    const { session, client, clock } = await signedIn();
    clock.advance(6 * MINUTE);
    const verdict = requireFreshSignIn(await load(session, client), 5 * MINUTE);
    expect(verdict).toMatchObject({ ok: false, status: 403, reason: 'stale-sign-in' });
    expect(verdict.ok || verdict.message).toMatch(/confirm/i);
  });

  it('refuses a bad maximum age even for a request without a session, so the mistake shows at once', async () => {
    const { session } = makeSession();
    const signedOut = await session.load({ cookie: null, url: URL_ });
    expect(() => requireFreshSignIn(signedOut, 0)).toThrow(TypeError);
  });

  it('answers ok for a fresh sign-in', async () => {
    const { session, client, clock } = await signedIn();
    clock.advance(4 * MINUTE);
    expect(requireFreshSignIn(await load(session, client), 5 * MINUTE)).toEqual({ ok: true });
  });
});

describe('isFreshAt(authenticatedAt, now, maxAgeMs)', () => {
  it('refuses a bad maximum age whatever the sign-in time', () => {
    expect(() => isFreshAt(null, 0, 0)).toThrow(TypeError);
    expect(() => isFreshAt(new Date(0).toISOString(), 0, Number.NaN)).toThrow(TypeError);
  });
});
