/**
 * SessionHandle: one request's view of its session, and what commit() and abandon() leave behind.
 */
import { describe, expect, it } from 'vitest';
import { MemoryStore, type SessionEvent, type SessionRecord } from 'sessionlab';
import { CookieClient, makeSession, ManualClock, MINUTE, OLD_SECRET, SECRET, storeCalls } from '../support/harness.ts';

const URL_ = 'https://app.example/';

function ofType<T extends SessionEvent['type']>(events: readonly SessionEvent[], type: T): Extract<SessionEvent, { type: T }>[] {
  return events.filter((event): event is Extract<SessionEvent, { type: T }> => event.type === type);
}

describe('a handle without a session', () => {
  it('has no user, id, expiry, creation time or data', async () => {
    const { session } = makeSession();
    const handle = await session.load({ cookie: null, url: URL_ });
    expect([handle.userId, handle.id, handle.expires, handle.createdAt, handle.data, handle.isAuthenticated()]).toEqual([null, null, null, null, null, false]);
  });

  it.each(['logoutOthers', 'logoutEverywhere', 'regenerate'] as const)('refuses %s()', async (operation) => {
    const { session } = makeSession();
    const handle = await session.load({ cookie: null, url: URL_ });
    await expect(handle[operation]()).rejects.toThrow(new RegExp(`${operation}\\(\\) needs a session`));
  });

  it('refuses touch()', async () => {
    const { session } = makeSession();
    const handle = await session.load({ cookie: null, url: URL_ });
    expect(() => handle.touch()).toThrow(/touch\(\) needs a session/);
  });

  it('logout() asks the store nothing and, without a cookie, sets none', async () => {
    const { session, events } = makeSession();
    const handle = await session.load({ cookie: null, url: URL_ });
    await handle.logout();
    expect(await handle.commit()).toBeNull();
    expect(storeCalls(events)).toEqual([]);
  });
});

describe('a handle with a session', () => {
  it('tells its user, id, expiry, creation time and data', async () => {
    const { session, clock } = makeSession({ sessionDuration: 30 * MINUTE });
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada', { theme: 'dark' }));
    const handle = await session.load({ cookie: client.header(), url: URL_ });
    expect(handle.userId).toBe('ada');
    expect(handle.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(handle.createdAt).toBe(new Date(clock.now()).toISOString());
    expect(handle.expires).toBe(new Date(clock.now() + 30 * MINUTE).toISOString());
    expect(handle.data).toEqual({ theme: 'dark' });
  });
});

describe('the cookie commit() sets', () => {
  it('says why: new at login, extended on extension, re-signed under a new secret', async () => {
    const clock = new ManualClock();
    const store = new MemoryStore({ clock });
    const old = makeSession({ clock, store, secret: OLD_SECRET, sessionDuration: 30 * MINUTE, sessionExtensionThresholdInMs: 4 * MINUTE });
    const client = new CookieClient();
    await client.visit(old.session, (handle) => handle.login('ada'));
    const rotated = makeSession({ clock, store, secret: [SECRET, OLD_SECRET], sessionDuration: 30 * MINUTE, sessionExtensionThresholdInMs: 4 * MINUTE });
    await client.visit(rotated.session, () => undefined);
    clock.advance(27 * MINUTE);
    await client.visit(rotated.session, () => undefined);
    expect(ofType(old.events, 'cookie-set').map((event) => event.reason)).toEqual(['new']);
    expect(ofType(rotated.events, 'cookie-set').map((event) => event.reason)).toEqual(['re-signed', 'extended']);
  });

  it('is a clearing cookie when the session ended while the request ran, and nothing is written', async () => {
    const { session, clock, events } = makeSession({ sessionDuration: 30 * MINUTE });
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada', { n: 0 }));
    const handle = await session.load({ cookie: client.header(), url: URL_ });
    handle.data!['n'] = 1;
    clock.advance(30 * MINUTE);
    const before = events.length;
    const setCookie = await handle.commit();
    expect(setCookie).toMatch(/Max-Age=0/);
    expect(handle.isAuthenticated()).toBe(false);
    expect(ofType(events.slice(before), 'session-expired')).toMatchObject([{ reason: 'idle', userId: 'ada' }]);
    expect(storeCalls(events.slice(before))).toEqual([]);
  });

  it('is null when the session was deleted elsewhere before a compare-and-set write', async () => {
    const { session, events } = makeSession();
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada', { n: 0 }));
    const handle = await session.load({ cookie: client.header(), url: URL_ });
    handle.data!['n'] = 1;
    await session.store.delete(handle.id!);
    expect(await handle.commit()).toBeNull();
    expect(await session.store.get(handle.id!)).toBeNull();
    expect(ofType(events, 'session-merged')).toEqual([]);
  });
});

describe('a commit that lost a race', () => {
  it('merges onto the newer record and keeps the later of the two expiries', async () => {
    const { session, clock } = makeSession({ sessionDuration: 30 * MINUTE, sessionExtensionThresholdInMs: 4 * MINUTE });
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada', { cart: [] }));
    const slow = await session.load({ cookie: client.header(), url: URL_ });
    (slow.data!['cart'] as string[]).push('tea');
    clock.advance(27 * MINUTE);
    // Another request extends the session and adds to the cart first.
    const fast = await client.visit(session, (handle) => {
      (handle.data!['cart'] as string[]).push('jam');
      return handle.expires;
    });
    await slow.commit();
    const stored = (await session.store.get(slow.id!)) as SessionRecord;
    expect(stored.data).toEqual({ cart: ['jam', 'tea'] });
    expect(stored.expires).toBe(fast.result);
    expect(stored.version).toBe(2);
  });
});

describe('abandon()', () => {
  it('deletes a session this request created, whose cookie will never be sent', async () => {
    const { session, events } = makeSession();
    const handle = await session.load({ cookie: null, url: URL_ });
    await handle.login('ada');
    const id = handle.id!;
    await handle.abandon();
    expect(await session.store.get(id)).toBeNull();
    expect(handle.isAuthenticated()).toBe(false);
    expect(ofType(events, 'session-destroyed')).toMatchObject([{ sessionId: id, userId: 'ada' }]);
  });

  it('keeps a session the request only loaded, without its changes', async () => {
    const { session } = makeSession();
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada', { n: 0 }));
    const handle = await session.load({ cookie: client.header(), url: URL_ });
    const id = handle.id!;
    handle.data!['n'] = 1;
    await handle.abandon();
    expect((await session.store.get(id))?.data).toEqual({ n: 0 });
  });

  it('does nothing after a successful commit, or a second time', async () => {
    const { session } = makeSession();
    const handle = await session.load({ cookie: null, url: URL_ });
    await handle.login('ada');
    await handle.commit();
    await handle.abandon();
    await handle.abandon();
    expect(await session.store.get(handle.id!)).not.toBeNull();
    expect(handle.userId).toBe('ada');
  });

  it('makes a later commit() throw', async () => {
    const { session } = makeSession();
    const handle = await session.load({ cookie: null, url: URL_ });
    await handle.abandon();
    await expect(handle.commit()).rejects.toThrow(/already called/);
  });
});

describe('regenerate()', () => {
  it('gives up the successor when the session now belongs to another user', async () => {
    const { session, events } = makeSession();
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada'));
    const handle = await session.load({ cookie: client.header(), url: URL_ });
    const record = (await session.store.get(handle.id!)) as SessionRecord;
    await session.store.update(handle.id!, { ...record, userId: 'mallory' });
    await handle.regenerate();
    expect(handle.isAuthenticated()).toBe(false);
    const successor = storeCalls(events, 'create').at(-1) as Extract<SessionEvent, { type: 'store-call' }>;
    expect(successor.key).not.toBe(record.sessionId);
    expect(await session.store.get(successor.key!)).toBeNull();
    expect(ofType(events, 'session-rotated')).toEqual([]);
  });

  it('rotates and reports both ids when the session still stands', async () => {
    const { session, events } = makeSession();
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada'));
    const handle = await session.load({ cookie: client.header(), url: URL_ });
    const from = handle.id!;
    await handle.regenerate();
    expect(handle.id).not.toBe(from);
    expect(await session.store.get(from)).toBeNull();
    expect(ofType(events, 'session-rotated')).toMatchObject([{ from, to: handle.id, userId: 'ada' }]);
  });
});

describe('logout()', () => {
  it('forgets the session in this request too: a later commit clears the cookie and writes nothing', async () => {
    const { session, events } = makeSession();
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada'));
    const handle = await session.load({ cookie: client.header(), url: URL_ });
    handle.touch();
    await handle.logout();
    expect([handle.userId, handle.expires]).toEqual([null, null]);
    const before = events.length;
    expect(await handle.commit()).toMatch(/Max-Age=0/);
    expect(storeCalls(events.slice(before))).toEqual([]);
  });
});

describe('login()', () => {
  it.each([42, null, undefined, ''])('refuses the user id %j', async (userId) => {
    const { session } = makeSession();
    const handle = await session.load({ cookie: null, url: URL_ });
    await expect(handle.login(userId as never)).rejects.toThrow(TypeError);
    expect(handle.isAuthenticated()).toBe(false);
  });

  it('starts with empty data, or a copy of the data given', async () => {
    const { session } = makeSession();
    const bare = await session.load({ cookie: null, url: URL_ });
    await bare.login('ada');
    expect(bare.data).toEqual({});
    const given = { cart: ['tea'] };
    const handle = await session.load({ cookie: null, url: URL_ });
    await handle.login('bob', given);
    given.cart.push('jam');
    expect(handle.data).toEqual({ cart: ['tea'] });
  });

  it('over an existing session reports the rotation from the old id to the new', async () => {
    const { session, events } = makeSession();
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada'));
    const handle = await session.load({ cookie: client.header(), url: URL_ });
    const from = handle.id!;
    await handle.login('ada');
    expect(ofType(events, 'session-rotated')).toMatchObject([{ from, to: handle.id, userId: 'ada' }]);
  });
});

describe('a commit whose time runs out between tries', () => {
  it('fails with a timeout naming the call it could not start', async () => {
    const clock = new ManualClock();
    class SlowConflict extends MemoryStore {
      override compareAndSet(): boolean {
        clock.advance(6000); // longer than the whole commitTimeout
        return false;
      }
    }
    const { session } = makeSession({ clock, store: new SlowConflict({ clock }), commitTimeout: 5000 });
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada', { n: 0 }));
    const handle = await session.load({ cookie: client.header(), url: URL_ });
    handle.data!['n'] = 1;
    await expect(handle.commit()).rejects.toMatchObject({ failure: 'timeout', method: 'get' });
  });
});

describe('events of ending a session', () => {
  it('logout() reports the session destroyed and the cookie cleared', async () => {
    const { session, events } = makeSession();
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada'));
    const id = (await session.load({ cookie: client.header(), url: URL_ })).id;
    await client.visit(session, (handle) => handle.logout());
    expect(ofType(events, 'session-destroyed')).toMatchObject([{ sessionId: id, userId: 'ada' }]);
    expect(ofType(events, 'cookie-cleared')).toMatchObject([{ name: '__Host-session' }]);
  });

  it('a session that ended during the request reports the cookie cleared', async () => {
    const { session, clock, events } = makeSession({ sessionDuration: 30 * MINUTE });
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada'));
    const handle = await session.load({ cookie: client.header(), url: URL_ });
    clock.advance(30 * MINUTE);
    await handle.commit();
    expect(ofType(events, 'cookie-cleared')).toMatchObject([{ name: '__Host-session' }]);
  });
});

describe('a commit with an extension due', () => {
  const window = { sessionDuration: 30 * MINUTE, sessionExtensionThresholdInMs: 4 * MINUTE };

  it('writes nothing and sets no cookie when the session was deleted elsewhere meanwhile', async () => {
    const { session, clock, events } = makeSession(window);
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada'));
    clock.advance(27 * MINUTE);
    const handle = await session.load({ cookie: client.header(), url: URL_ });
    await session.store.delete(handle.id!);
    expect(await handle.commit()).toBeNull();
    expect(ofType(events, 'session-extended')).toEqual([]);
    expect(await session.store.get(handle.id!)).toBeNull();
  });

  it('reports no extension when only the data changed', async () => {
    const { session, events } = makeSession(window);
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada', { n: 0 }));
    await client.visit(session, (handle) => {
      handle.data!['n'] = 1;
    });
    expect(ofType(events, 'session-extended')).toEqual([]);
  });

  it('keeps its own later expiry when the newer record it merges onto expires sooner', async () => {
    const { session, clock } = makeSession(window);
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada', { cart: [] }));
    clock.advance(10 * MINUTE);
    const slow = await session.load({ cookie: client.header(), url: URL_ });
    slow.touch();
    (slow.data!['cart'] as string[]).push('tea');
    await client.visit(session, (handle) => {
      (handle.data!['cart'] as string[]).push('jam');
    });
    await slow.commit();
    const stored = (await session.store.get(slow.id!)) as SessionRecord;
    expect(stored.expires).toBe(new Date(clock.now() + 30 * MINUTE).toISOString());
    expect(stored.data).toEqual({ cart: ['jam', 'tea'] });
  });
});
