import { parseSetCookie } from 'cookie';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { MemoryStore, Session, SessionConfigError, SessionStoreError, type SessionRecord } from 'sessionlab';
import { CookieClient, HOUR, makeSession, ManualClock, MINUTE, OLD_SECRET, SECRET, storeCalls } from '../support/harness.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('new Session(options)', () => {
  it.each([
    [{}, /secret of at least 32 characters.*openssl rand/],
    [{ secret: 'short' }, /at least 32 characters/],
    [{ secret: [SECRET, 'short'] }, /at least 32 characters/],
    [{ secret: SECRET, sessionDurration: 1000 }, /Unknown Session option "sessionDurration".*Known options: .*sessionDuration/],
    [{ secret: SECRET, sessionDuration: -5 }, /sessionDuration must be a positive number/],
    [{ secret: SECRET, sessionDuration: 2 * HOUR, absoluteDuration: HOUR }, /absoluteDuration .* is shorter than sessionDuration/],
    [{ secret: SECRET, sessionExtensionThresholdInMs: 2 * HOUR }, /longer than sessionDuration/],
    [{ secret: SECRET, store: { get() {} } }, /no create\(\), update\(\), delete\(\), clean\(\).*extends BaseSessionStore/],
    [{ secret: SECRET, cookie: { maxAge: 1000 } }, /cookie.maxAge is not an option.*sessionDuration/],
    [{ secret: SECRET, cookie: { sameSite: 'none', secure: false } }, /sameSite "none" needs a Secure cookie/],
    [{ secret: SECRET, name: 'my session' }, /not a valid cookie name/],
    [{ secret: SECRET, name: '__Host-id', cookie: { domain: 'example.com' } }, /__Host- prefix/],
    [{ secret: SECRET, cookie: { path: 'app' } }, /must start with "\/"/],
    [{ secret: SECRET, cookie: { sameSite: true } }, /cookie.sameSite true is not one of "lax", "strict" or "none"/],
    [{ secret: SECRET, cookie: { sameSite: 'auto' } }, /cookie.sameSite "auto" is not one of/],
    [{ secret: SECRET, cookie: { secure: 'yes' } }, /cookie.secure "yes" is not true, false or "auto"/],
    [{ secret: SECRET, cookie: { path: `/${'x'.repeat(5000)}` } }, /longer than 4096 bytes/],
    [{ secret: SECRET, cookie: { domain: 'not a domain' } }, /cannot make a valid Set-Cookie header.*cookie.domain/],
  ])('throws a SessionConfigError that says how to fix %#', (options, message) => {
    expect(() => new Session(options as never)).toThrow(SessionConfigError);
    expect(() => new Session(options as never)).toThrow(message);
  });

  it('defaults to a MemoryStore', () => {
    const { session } = makeSession();
    expect(session.store).toBeInstanceOf(MemoryStore);
  });

  it('accepts FluidAuth\'s option names', () => {
    const session = new Session({
      name: 'fluid-auth-session',
      secret: SECRET,
      sessionDuration: 20 * MINUTE,
      cookie: { sameSite: 'strict' },
      store: new MemoryStore(),
      extendSessionBeforeExpiry: true,
      sessionExtensionThresholdInMs: 4 * MINUTE,
      cleanInterval: false,
    });
    expect(session.sessionDuration).toBe(20 * MINUTE);
  });
});

describe('the session cookie', () => {
  it('is HttpOnly, Secure, SameSite=Lax, Path=/ and host-only (__Host-) on https', async () => {
    const { session } = makeSession();
    const { setCookie } = await new CookieClient().visit(session, (handle) => handle.login('ada'));
    const cookie = parseSetCookie(setCookie!);
    expect(cookie).toMatchObject({ name: '__Host-session', httpOnly: true, secure: true, sameSite: 'lax', path: '/' });
    expect(cookie.domain).toBeUndefined();
    expect(cookie.maxAge).toBeUndefined(); // a browser-session cookie unless persistent: true
  });

  it('drops Secure (and so the __Host- prefix) only on plain-http localhost', async () => {
    const { session } = makeSession();
    const local = await new CookieClient().visit(session, (handle) => handle.login('ada'), 'http://localhost:4321/');
    expect(parseSetCookie(local.setCookie!).name).toBe('session');
    expect(local.setCookie).not.toMatch(/Secure/i);
    const remote = await new CookieClient().visit(session, (handle) => handle.login('ada'), 'http://app.example/');
    expect(parseSetCookie(remote.setCookie!)).toMatchObject({ name: '__Host-session', secure: true });
  });

  it('carries Max-Age up to the session expiry when persistent', async () => {
    const { session } = makeSession({ cookie: { persistent: true }, sessionDuration: 20 * MINUTE });
    const { setCookie } = await new CookieClient().visit(session, (handle) => handle.login('ada'));
    expect(parseSetCookie(setCookie!).maxAge).toBe(20 * 60);
  });

  it('holds a 256-bit token and its signature, never the store key', async () => {
    const { session, events } = makeSession();
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada'));
    const value = client.cookies.get('__Host-session')!;
    expect(value).toMatch(/^[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}$/);
    const created = events.find((event) => event.type === 'session-created');
    const [token] = value.split('.');
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token)));
    const expectedKey = Buffer.from(digest).toString('base64url');
    expect(created).toMatchObject({ sessionId: expectedKey });
    expect(value).not.toContain(expectedKey);
  });

  it('is different for every session', async () => {
    const { session } = makeSession();
    const values = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const client = new CookieClient();
      await client.visit(session, (handle) => handle.login('ada'));
      values.add(client.cookies.get('__Host-session')!);
    }
    expect(values.size).toBe(50);
  });
});

describe('loading a session', () => {
  it('finds the signed-in user on the next request', async () => {
    const { session } = makeSession();
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada', { theme: 'dark' }));
    const { result } = await client.visit(session, (handle) => ({ user: handle.userId, data: handle.data, auth: handle.isAuthenticated() }));
    expect(result).toEqual({ user: 'ada', data: { theme: 'dark' }, auth: true });
  });

  it('without a cookie, has no session, asks the store nothing and sets no cookie', async () => {
    const { session, events } = makeSession();
    const { result, setCookie } = await new CookieClient().visit(session, (handle) => handle.isAuthenticated());
    expect(result).toBe(false);
    expect(setCookie).toBeNull();
    expect(storeCalls(events)).toEqual([]);
  });

  it('ignores other cookies', async () => {
    const { session, events } = makeSession();
    const handle = await session.load({ cookie: 'theme=dark; lang=en', url: 'https://app.example/' });
    expect(handle.isAuthenticated()).toBe(false);
    expect(await handle.commit()).toBeNull();
    expect(storeCalls(events)).toEqual([]);
  });
});

describe('data', () => {
  it('is saved when changed, with the version increased', async () => {
    const { session } = makeSession();
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada', { cart: [] }));
    await client.visit(session, (handle) => {
      (handle.data!['cart'] as string[]).push('apple');
    });
    const { result } = await client.visit(session, async (handle) => (await session.store.get(handle.id!)) as SessionRecord);
    expect(result.data).toEqual({ cart: ['apple'] });
    expect(result.version).toBe(1);
  });

  it('is not written when nothing changed', async () => {
    const { session, events } = makeSession();
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada', { cart: [] }));
    events.length = 0;
    await client.visit(session, (handle) => handle.data);
    expect(storeCalls(events).map((event) => event.type === 'store-call' && event.method)).toEqual(['get']);
  });

  it('is null when there is no session', async () => {
    const { session } = makeSession();
    const handle = await session.load({ cookie: null });
    expect(handle.data).toBeNull();
  });
});

describe('login', () => {
  it('rejects an empty user id', async () => {
    const { session } = makeSession();
    const handle = await session.load({ cookie: null });
    await expect(handle.login('')).rejects.toThrow(/non-empty string user id/);
  });

  it('gives a signed-in user a new id and deletes the old session (fixation defence)', async () => {
    const { session, events } = makeSession();
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada'));
    const before = client.cookies.get('__Host-session');
    const { result: oldId } = await client.visit(session, async (handle) => {
      const id = handle.id!;
      await handle.login('ada');
      return id;
    });
    expect(client.cookies.get('__Host-session')).not.toBe(before);
    expect(await session.store.get(oldId)).toBeNull();
    expect(events.find((event) => event.type === 'session-rotated')).toMatchObject({ from: oldId, userId: 'ada' });
  });
});

describe('regenerate', () => {
  it('keeps user, data and creation time under a new id', async () => {
    const { session, clock } = makeSession();
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada', { role: 'user' }));
    clock.advance(MINUTE);
    const { result } = await client.visit(session, async (handle) => {
      const before = { id: handle.id, createdAt: handle.createdAt };
      handle.data!['role'] = 'admin';
      await handle.regenerate();
      return { before, after: { id: handle.id, createdAt: handle.createdAt, user: handle.userId, data: handle.data } };
    });
    expect(result.after.id).not.toBe(result.before.id);
    expect(result.after).toMatchObject({ createdAt: result.before.createdAt, user: 'ada', data: { role: 'admin' } });
    expect(await session.store.get(result.before.id!)).toBeNull();
    const { result: next } = await client.visit(session, (handle) => handle.data);
    expect(next).toEqual({ role: 'admin' });
  });

  it('without a session, says what to do', async () => {
    const { session } = makeSession();
    const handle = await session.load({ cookie: null });
    await expect(handle.regenerate()).rejects.toThrow(/needs a session; check isAuthenticated\(\) first/);
  });
});

describe('logout', () => {
  it('deletes the record and clears the cookie with its path and domain', async () => {
    const { session } = makeSession({ cookie: { path: '/app', domain: 'app.example' } });
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada'), 'https://app.example/app');
    const { result: id, setCookie } = await client.visit(session, async (handle) => {
      const id = handle.id!;
      await handle.logout();
      return id;
    }, 'https://app.example/app');
    expect(parseSetCookie(setCookie!)).toMatchObject({ name: 'session', value: '', path: '/app', domain: 'app.example', maxAge: 0 });
    expect(setCookie).toMatch(/Expires=Thu, 01 Jan 1970/);
    expect(await session.store.get(id)).toBeNull();
    expect(client.cookies.size).toBe(0);
  });
});

describe('idle expiry', () => {
  it('ends a session left alone for sessionDuration, removes its record and clears the cookie', async () => {
    const { session, clock, events } = makeSession({ sessionDuration: 30 * MINUTE });
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada'));
    clock.advance(30 * MINUTE);
    const { result, setCookie } = await client.visit(session, (handle) => handle.isAuthenticated());
    expect(result).toBe(false);
    expect(parseSetCookie(setCookie!).maxAge).toBe(0);
    // MemoryStore expires lazily itself, so the Session learns of it as an unknown session.
    expect(events.filter((event) => event.type === 'cookie-rejected')).toEqual([expect.objectContaining({ reason: 'unknown-session' })]);
    expect((session.store as MemoryStore).count()).toBe(0);
  });

  it('keeps an active session alive, writing at most about once a minute', async () => {
    const { session, clock, events } = makeSession({ sessionDuration: 30 * MINUTE });
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada'));
    events.length = 0;
    for (let i = 0; i < 240; i++) {
      clock.advance(15_000); // a request every 15 s for an hour
      const { result } = await client.visit(session, (handle) => handle.isAuthenticated());
      expect(result).toBe(true);
    }
    // Extended once the remaining time drops below 29 minutes: every 75 s at this request rate.
    expect(storeCalls(events, 'compareAndSet')).toHaveLength(48);
    clock.advance(29 * MINUTE);
    const { result } = await client.visit(session, (handle) => handle.isAuthenticated());
    expect(result).toBe(true);
  });

  it('with FluidAuth\'s 4-minute threshold, extends only in the last 4 minutes', async () => {
    const { session, clock, events } = makeSession({ sessionDuration: 30 * MINUTE, sessionExtensionThresholdInMs: 4 * MINUTE });
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada'));
    clock.advance(25 * MINUTE);
    await client.visit(session, () => undefined);
    expect(events.filter((event) => event.type === 'session-extended')).toHaveLength(0);
    clock.advance(2 * MINUTE);
    await client.visit(session, () => undefined);
    expect(events.filter((event) => event.type === 'session-extended')).toHaveLength(1);
  });

  it('never extends when extendSessionBeforeExpiry is false', async () => {
    const { session, clock } = makeSession({ sessionDuration: 10 * MINUTE, extendSessionBeforeExpiry: false });
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada'));
    clock.advance(9 * MINUTE);
    await client.visit(session, () => undefined);
    clock.advance(MINUTE);
    const { result } = await client.visit(session, (handle) => handle.isAuthenticated());
    expect(result).toBe(false);
  });

  it('touch() extends now, to the full duration', async () => {
    const { session, clock } = makeSession({ sessionDuration: 10 * MINUTE, extendSessionBeforeExpiry: false });
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada'));
    clock.advance(5 * MINUTE);
    const { result } = await client.visit(session, (handle) => {
      handle.touch();
      return handle.expires;
    });
    expect(Date.parse(result!)).toBe(clock.now() + 10 * MINUTE);
  });
});

describe('absolute expiry', () => {
  it('ends even an always-active session absoluteDuration after login', async () => {
    const { session, clock, events } = makeSession({ sessionDuration: 30 * MINUTE, absoluteDuration: 8 * HOUR });
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada'));
    let signedIn = true;
    let elapsed = 0;
    while (signedIn && elapsed < 10 * HOUR) {
      clock.advance(10 * MINUTE);
      elapsed += 10 * MINUTE;
      signedIn = (await client.visit(session, (handle) => handle.isAuthenticated())).result;
    }
    expect(elapsed).toBe(8 * HOUR);
    const lastExtension = events.filter((event) => event.type === 'session-extended').at(-1);
    expect(lastExtension).toMatchObject({ expires: new Date(clock.now()).toISOString() }); // capped at login + 8 h
  });

  it('caps the expiry of a new session at the absolute limit', async () => {
    const { session } = makeSession({ sessionDuration: 30 * MINUTE, absoluteDuration: 30 * MINUTE });
    const handle = await session.load({ cookie: null });
    await handle.login('ada');
    expect(Date.parse(handle.expires!) - Date.parse(handle.createdAt!)).toBe(30 * MINUTE);
  });

  it('ends a record whose creation is older than the limit, even with a later expiry', async () => {
    const { session, clock, events } = makeSession({ absoluteDuration: HOUR });
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada'));
    const created = events.find((event) => event.type === 'session-created');
    const record = (await session.store.get(created?.type === 'session-created' ? created.sessionId : '')) as SessionRecord;
    await session.store.update(record.sessionId, { ...record, expires: new Date(clock.now() + 10 * HOUR).toISOString() });
    clock.advance(HOUR);
    const { result } = await client.visit(session, (handle) => handle.isAuthenticated());
    expect(result).toBe(false);
    expect(events.find((event) => event.type === 'session-expired')).toMatchObject({ reason: 'absolute' });
  });
});

describe('secret rotation', () => {
  it('accepts cookies signed with an older secret and re-signs them with the first', async () => {
    const clock = new ManualClock();
    const before = new Session({ secret: OLD_SECRET, clock, cleanInterval: false });
    const client = new CookieClient();
    await client.visit(before, (handle) => handle.login('ada'));
    const oldValue = client.cookies.get('__Host-session');
    const after = new Session({ secret: [SECRET, OLD_SECRET], clock, cleanInterval: false, store: before.store });
    const issued: string[] = [];
    after.on('cookie-set', (event) => issued.push(event.reason));
    const { result, setCookie } = await client.visit(after, (handle) => handle.userId);
    expect(result).toBe('ada');
    expect(setCookie).not.toBeNull();
    expect(issued).toEqual(['re-signed']);
    const newValue = client.cookies.get('__Host-session');
    expect(newValue).not.toBe(oldValue);
    // The same token, signed again: the session (and its id in the store) stays.
    expect(newValue?.split('.')[0]).toBe(oldValue?.split('.')[0]);
    // Once re-signed, the cookie is not written again.
    expect((await client.visit(after, (handle) => handle.userId)).setCookie).toBeNull();
    expect(issued).toEqual(['re-signed']);
    const only = new Session({ secret: SECRET, clock, cleanInterval: false, store: before.store });
    expect((await client.visit(only, (handle) => handle.userId)).result).toBe('ada');
  });

  it('rejects cookies signed with a secret no longer listed', async () => {
    const clock = new ManualClock();
    const before = new Session({ secret: OLD_SECRET, clock, cleanInterval: false });
    const client = new CookieClient();
    await client.visit(before, (handle) => handle.login('ada'));
    const after = new Session({ secret: SECRET, clock, cleanInterval: false, store: before.store });
    const rejected: string[] = [];
    after.on('cookie-rejected', (event) => rejected.push(event.reason));
    expect((await client.visit(after, (handle) => handle.userId)).result).toBeNull();
    expect(rejected).toEqual(['bad-signature']);
  });
});

describe('store failures', () => {
  class BrokenStore extends MemoryStore {
    failing = false;
    override get(id: string): SessionRecord | null {
      if (this.failing) throw new Error('connection refused');
      return super.get(id);
    }
  }

  it('a throwing store rejects load() with a SessionStoreError naming the method', async () => {
    const store = new BrokenStore();
    const { session, events } = makeSession({ store });
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada'));
    store.failing = true;
    const failure = session.load({ cookie: client.header(), url: 'https://app.example/' });
    await expect(failure).rejects.toThrow(SessionStoreError);
    await expect(failure).rejects.toMatchObject({ method: 'get', failure: 'failed', message: expect.stringMatching(/connection refused/) });
    expect(storeCalls(events).at(-1)).toMatchObject({ method: 'get', outcome: 'failed' });
  });

  it('a hanging store times out after storeTimeout', async () => {
    vi.useFakeTimers();
    let asked!: () => void;
    const getCalled = new Promise<void>((resolve) => (asked = resolve));
    class HangingStore extends MemoryStore {
      override get(): never {
        asked();
        return new Promise(() => {}) as never;
      }
    }
    const session = new Session({ secret: SECRET, store: new HangingStore(), cleanInterval: false, storeTimeout: 2000 });
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada'));
    const pending = session.load({ cookie: client.header(), url: 'https://app.example/' });
    const assertion = expect(pending).rejects.toMatchObject({ failure: 'timeout', message: expect.stringMatching(/2000 ms/) });
    await getCalled;
    await vi.advanceTimersByTimeAsync(1999);
    expect(vi.getTimerCount()).toBe(1); // still waiting
    await vi.advanceTimersByTimeAsync(1);
    await assertion;
  });

  it('a store answering nonsense is an invalid-result error, not a session', async () => {
    const { session } = makeSession();
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada'));
    const store = session.store as MemoryStore;
    const get = vi.spyOn(store, 'get');
    for (const [answer, message] of [
      ['ada', /expected an object or null, got string/],
      [[1, 2], /got an array/],
      [{ sessionId: 'other', userId: 'ada', expires: 'x' }, /sessionId is "other"/],
      [{ userId: 'ada' }, /sessionId is undefined/],
    ] as const) {
      get.mockReturnValueOnce(answer as never);
      await expect(session.load({ cookie: client.header(), url: 'https://app.example/' })).rejects.toMatchObject({
        failure: 'invalid-result',
        message: expect.stringMatching(message),
      });
    }
  });
});

describe('cleaning', () => {
  it('runs at start and then on the interval, until close()', async () => {
    vi.useFakeTimers();
    const store = new MemoryStore();
    const clean = vi.spyOn(store, 'clean');
    const session = new Session({ secret: SECRET, store, cleanInterval: 10 * MINUTE });
    await vi.advanceTimersByTimeAsync(0);
    expect(clean).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(10 * MINUTE);
    expect(clean).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(20 * MINUTE);
    expect(clean).toHaveBeenCalledTimes(4);
    session.close();
    await vi.advanceTimersByTimeAsync(60 * MINUTE);
    expect(clean).toHaveBeenCalledTimes(4);
  });

  it('reports the removed count in a clean event', async () => {
    const { session, clock, events } = makeSession({ sessionDuration: MINUTE });
    for (const user of ['a', 'b', 'c']) await new CookieClient().visit(session, (handle) => handle.login(user));
    clock.advance(MINUTE);
    expect(await session.clean()).toBe(3);
    expect(events.find((event) => event.type === 'clean')).toMatchObject({ removed: 3, outcome: 'ok' });
  });

  it('a failing automatic clean becomes a background-error event, never an unhandled rejection', async () => {
    vi.useFakeTimers();
    class FailingClean extends MemoryStore {
      override clean(): number {
        throw new Error('disk on fire');
      }
    }
    const session = new Session({ secret: SECRET, store: new FailingClean(), cleanInterval: MINUTE });
    const errors: string[] = [];
    session.on('background-error', (event) => errors.push(event.error.message));
    await vi.advanceTimersByTimeAsync(MINUTE);
    session.close();
    expect(errors).toEqual([expect.stringMatching(/clean\(\) failed: Error: disk on fire/), expect.stringMatching(/disk on fire/)]);
  });

  it('a failing automatic clean nobody listens for is said on the console, never silent', async () => {
    vi.useFakeTimers();
    const said = vi.spyOn(console, 'error').mockImplementation(() => {});
    onTestFinished(() => said.mockRestore());
    class FailingClean extends MemoryStore {
      override clean(): number {
        throw new Error('disk on fire');
      }
    }
    const session = new Session({ secret: SECRET, store: new FailingClean(), cleanInterval: MINUTE });
    await vi.advanceTimersByTimeAsync(MINUTE);
    session.close();
    expect(said).toHaveBeenCalledTimes(2);
    expect(said.mock.calls[0]![0]).toMatch(/^sessionlab: work in the background failed \(listen with session.on\('background-error'/);
    expect(String(said.mock.calls[0]![1])).toMatch(/clean\(\) failed: Error: disk on fire/);
  });

  it('a background-error listener takes the failure off the console', async () => {
    vi.useFakeTimers();
    const said = vi.spyOn(console, 'error').mockImplementation(() => {});
    onTestFinished(() => said.mockRestore());
    class FailingClean extends MemoryStore {
      override clean(): number {
        throw 'not an Error';
      }
    }
    const session = new Session({ secret: SECRET, store: new FailingClean(), cleanInterval: MINUTE });
    const errors: Error[] = [];
    session.on('background-error', (event) => errors.push(event.error));
    await vi.advanceTimersByTimeAsync(0);
    session.close();
    expect(said).not.toHaveBeenCalled();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(Error);
  });

  it('a manual clean() call shares a clean already in flight', async () => {
    const { session, events } = makeSession();
    const [a, b] = await Promise.all([session.clean(), session.clean()]);
    expect(a).toBe(b);
    expect(storeCalls(events, 'clean')).toHaveLength(1);
  });
});

describe('events', () => {
  it('report each store call with method, key, duration and outcome', async () => {
    const { session, events } = makeSession();
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada'));
    await client.visit(session, () => undefined);
    const calls = storeCalls(events);
    expect(calls).toEqual([
      expect.objectContaining({ method: 'create', key: expect.any(String), outcome: 'ok', durationMs: expect.any(Number) }),
      expect.objectContaining({ method: 'get', result: 'hit', outcome: 'ok' }),
    ]);
  });

  it('a throwing listener changes nothing', async () => {
    const { session } = makeSession();
    session.on('*', () => {
      throw new Error('listener bug');
    });
    const { result } = await new CookieClient().visit(session, async (handle) => {
      await handle.login('ada');
      return handle.userId;
    });
    expect(result).toBe('ada');
  });

  it('unsubscribe stops delivery', async () => {
    const { session } = makeSession();
    const seen: string[] = [];
    const off = session.on('session-created', (event) => seen.push(event.userId));
    await new CookieClient().visit(session, (handle) => handle.login('ada'));
    off();
    await new CookieClient().visit(session, (handle) => handle.login('bob'));
    expect(seen).toEqual(['ada']);
  });
});

describe('verified cookie memo', () => {
  it('still finds no session for a remembered cookie whose session was logged out elsewhere', async () => {
    const { session } = makeSession();
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada'));
    const cookie = client.header();
    await client.visit(session, () => undefined); // the value is remembered now
    const other = await session.load({ cookie, url: 'https://app.example/' });
    await other.logout();
    const after = await session.load({ cookie, url: 'https://app.example/' });
    expect(after.isAuthenticated()).toBe(false);
  });

  it('is per Session: a Session without the old secret rejects a value another Session verified', async () => {
    const clock = new ManualClock();
    const old = new Session({ secret: OLD_SECRET, clock, cleanInterval: false });
    const client = new CookieClient();
    await client.visit(old, (handle) => handle.login('ada'));
    await client.visit(old, () => undefined);
    const rotated = new Session({ secret: SECRET, clock, cleanInterval: false, store: old.store });
    expect((await client.visit(rotated, (handle) => handle.userId)).result).toBeNull();
  });
});
