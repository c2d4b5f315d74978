/**
 * Sessions a user can see and control: each session's public id, the device list, revoking one
 * device, and the device details an application chooses to keep (user agent, IP, last seen).
 */
import { describe, expect, it } from 'vitest';
import { MemoryStore, SessionConfigError, type Session, type SessionHandle, type SessionRecord, type SessionRequest } from 'sessionlab';
import { FiveMethodStore } from '../support/five-method-store.ts';
import { CookieClient, makeSession, ManualClock, MINUTE, storeCalls } from '../support/harness.ts';

const URL_ = 'https://app.example/';
const LAPTOP = { userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0', ip: '203.0.113.77' };
const PHONE = { userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0) Safari/604.1', ip: '2001:db8:abcd:12:3456::1' };

type Device = Partial<Pick<SessionRequest, 'userAgent' | 'ip'>>;

/** One request from `client`: load (with the device's headers), act, commit, keep the cookie. */
async function visit<T>(session: Session, client: CookieClient, act: (handle: SessionHandle) => T | Promise<T>, device: Device = {}): Promise<{ result: T; setCookie: string | null }> {
  const handle = await session.load({ cookie: client.header(), url: URL_, ...device });
  const result = await act(handle);
  const setCookie = await handle.commit();
  client.receive(setCookie);
  return { result, setCookie };
}

async function signIn(session: Session, userId: string, device: Device = {}, data = {}): Promise<CookieClient> {
  const client = new CookieClient();
  await visit(session, client, (handle) => handle.login(userId, data), device);
  return client;
}

/** The record behind a client's cookie, as the store keeps it. */
async function recordOf(session: Session, client: CookieClient): Promise<SessionRecord> {
  const handle = await session.load({ cookie: client.header(), url: URL_ });
  return (await session.store.get(handle.id!)) as SessionRecord;
}


describe('a session\'s public id', () => {
  it('is made at login: at least 128 bits in base64url, not the store key, not in the cookie', async () => {
    const { session } = makeSession();
    const client = await signIn(session, 'ada');
    const record = await recordOf(session, client);
    expect(record.publicId).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    expect(record.publicId).not.toBe(record.sessionId);
    expect(client.header()).not.toContain(record.publicId);
  });

  it('differs between two sessions of one user', async () => {
    const { session } = makeSession();
    const laptop = await recordOf(session, await signIn(session, 'ada'));
    const phone = await recordOf(session, await signIn(session, 'ada'));
    expect(laptop.publicId).not.toBe(phone.publicId);
  });

  it('stays across regenerate(), whose session has a new store key', async () => {
    const { session } = makeSession();
    const client = await signIn(session, 'ada');
    const before = await recordOf(session, client);
    await visit(session, client, (handle) => handle.regenerate());
    const after = await recordOf(session, client);
    expect(after.sessionId).not.toBe(before.sessionId);
    expect(before.publicId).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    expect(after.publicId).toBe(before.publicId);
  });

  it('is new when another user signs in over the session', async () => {
    const { session } = makeSession();
    const client = await signIn(session, 'mallory');
    const before = await recordOf(session, client);
    await visit(session, client, (handle) => handle.login('ada'));
    const after = await recordOf(session, client);
    expect(after.userId).toBe('ada');
    expect(after.publicId).not.toBe(before.publicId);
  });

  it('is given to a record that has none on its next write, and a request that writes nothing writes none', async () => {
    const { session, events } = makeSession();
    const client = await signIn(session, 'ada', {}, { n: 0 });
    const { publicId: _dropped, ...old } = await recordOf(session, client);
    await session.store.update(old.sessionId, old);
    const writesBefore = storeCalls(events, 'compareAndSet').length + storeCalls(events, 'update').length;
    await visit(session, client, () => undefined);
    expect(storeCalls(events, 'compareAndSet').length + storeCalls(events, 'update').length).toBe(writesBefore);
    expect((await recordOf(session, client)).publicId).toBeUndefined();
    await visit(session, client, (handle) => {
      handle.data!['n'] = 1;
    });
    expect((await recordOf(session, client)).publicId).toMatch(/^[A-Za-z0-9_-]{22,}$/);
  });
});

describe('Session.devicesOf()', () => {
  it('lists the user\'s live sessions, newest first, without store key, token or data', async () => {
    const { session, clock } = makeSession({ devices: { userAgent: true, ip: 'coarse' } });
    const laptop = await signIn(session, 'ada', LAPTOP, { secret: 'laptop-data' });
    clock.advance(MINUTE);
    const phone = await signIn(session, 'ada', PHONE, { secret: 'phone-data' });
    await signIn(session, 'bob', LAPTOP);
    const listing = await session.devicesOf('ada');
    const [laptopRecord, phoneRecord] = [await recordOf(session, laptop), await recordOf(session, phone)];
    expect(listing).toEqual([
      {
        publicId: phoneRecord.publicId,
        createdAt: phoneRecord.createdAt,
        authenticatedAt: phoneRecord.createdAt,
        lastSeenAt: phoneRecord.createdAt,
        expires: phoneRecord.expires,
        userAgent: PHONE.userAgent,
        ip: '2001:db8:abcd::',
      },
      {
        publicId: laptopRecord.publicId,
        createdAt: laptopRecord.createdAt,
        authenticatedAt: laptopRecord.createdAt,
        lastSeenAt: laptopRecord.createdAt,
        expires: laptopRecord.expires,
        userAgent: LAPTOP.userAgent,
        ip: '203.0.113.0',
      },
    ]);
    const json = JSON.stringify(listing);
    for (const client of [laptop, phone]) {
      const token = client.cookies.get('__Host-session')!.split('.')[0]!;
      expect(json).not.toContain(token);
      expect(json).not.toContain((await recordOf(session, client)).sessionId);
    }
    expect(json).not.toContain('-data');
  });

  it('says null for details the application did not ask to keep', async () => {
    const { session } = makeSession();
    await signIn(session, 'ada', LAPTOP);
    const [device] = await session.devicesOf('ada');
    expect(device).toMatchObject({ lastSeenAt: null, userAgent: null, ip: null });
  });

  it('leaves out expired sessions', async () => {
    const { session, clock } = makeSession({ sessionDuration: 30 * MINUTE });
    await signIn(session, 'ada');
    clock.advance(31 * MINUTE);
    expect(await session.devicesOf('ada')).toEqual([]);
  });

  it('gives a record without a public id one, and keeps it, so it can be revoked', async () => {
    const { session } = makeSession();
    const client = await signIn(session, 'ada');
    const { publicId: _dropped, ...old } = await recordOf(session, client);
    await session.store.update(old.sessionId, old);
    const [listed] = await session.devicesOf('ada');
    expect(listed!.publicId).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    expect((await session.devicesOf('ada'))[0]!.publicId).toBe(listed!.publicId);
    expect(await session.revokeDevice('ada', listed!.publicId)).toBe(true);
    expect((await session.load({ cookie: client.header(), url: URL_ })).isAuthenticated()).toBe(false);
  });

  it('needs a store with listByUser, and says so', async () => {
    const { session } = makeSession({ store: new FiveMethodStore() });
    await expect(session.devicesOf('ada')).rejects.toThrow(SessionConfigError);
    await expect(session.devicesOf('ada')).rejects.toThrow(/devicesOf\(\) needs a store that can list/);
    await expect(session.revokeDevice('ada', 'x')).rejects.toThrow(/revokeDevice\(\) needs a store that can list/);
  });
});

describe('Session.revokeDevice()', () => {
  it('signs that device out: true, and its next request has no session', async () => {
    const { session } = makeSession();
    const laptop = await signIn(session, 'ada');
    const phone = await signIn(session, 'ada');
    const { publicId } = await recordOf(session, phone);
    expect(await session.revokeDevice('ada', publicId!)).toBe(true);
    expect((await session.load({ cookie: phone.header(), url: URL_ })).isAuthenticated()).toBe(false);
    expect((await session.load({ cookie: laptop.header(), url: URL_ })).isAuthenticated()).toBe(true);
  });

  it('refuses a session of another user: false, and that session lives on', async () => {
    const { session } = makeSession();
    await signIn(session, 'mallory');
    const victim = await signIn(session, 'ada');
    const { publicId } = await recordOf(session, victim);
    expect(await session.revokeDevice('mallory', publicId!)).toBe(false);
    expect((await session.load({ cookie: victim.header(), url: URL_ })).isAuthenticated()).toBe(true);
  });

  it('refuses a session of another user even when the store lists every user\'s sessions', async () => {
    /** A sloppy listByUser: everyone's sessions, whoever is asked for. */
    class ListsEveryone extends MemoryStore {
      override listByUser(): SessionRecord[] {
        return this.all();
      }
    }
    const clock = new ManualClock();
    const { session } = makeSession({ clock, store: new ListsEveryone({ clock }) });
    await signIn(session, 'mallory');
    const victim = await signIn(session, 'ada');
    const { publicId } = await recordOf(session, victim);
    expect(await session.revokeDevice('mallory', publicId!)).toBe(false);
    expect((await session.load({ cookie: victim.header(), url: URL_ })).isAuthenticated()).toBe(true);
    expect((await session.devicesOf('mallory')).map((device) => device.publicId)).not.toContain(publicId);
  });

  it('answers false for a public id nobody has', async () => {
    const { session } = makeSession();
    await signIn(session, 'ada');
    expect(await session.revokeDevice('ada', 'no-such-device-AAAAAAAAAA')).toBe(false);
  });

  it('also revokes the successor of a session regenerated while it ran', async () => {
    const { session } = makeSession();
    const phone = await signIn(session, 'ada');
    const { publicId } = await recordOf(session, phone);
    // The phone's request regenerates between the revocation's listing and its delete.
    const store = session.store as MemoryStore;
    const listByUser = store.listByUser.bind(store);
    let raced = false;
    Object.assign(store, {
      listByUser: async (userId: string) => {
        const listing = listByUser(userId);
        if (!raced) {
          raced = true;
          await visit(session, phone, (handle) => handle.regenerate());
        }
        return listing;
      },
    });
    expect(await session.revokeDevice('ada', publicId!)).toBe(true);
    expect((await session.load({ cookie: phone.header(), url: URL_ })).isAuthenticated()).toBe(false);
    expect(await session.devicesOf('ada')).toEqual([]);
  });
});

describe('SessionHandle.devices() and revokeDevice()', () => {
  it('lists the signed-in user\'s devices and marks the current one', async () => {
    const { session, clock } = makeSession();
    const laptop = await signIn(session, 'ada');
    clock.advance(MINUTE);
    await signIn(session, 'ada');
    await signIn(session, 'bob');
    const { result } = await visit(session, laptop, (handle) => handle.devices());
    const { publicId } = await recordOf(session, laptop);
    expect(result.map((device) => device.current)).toEqual([false, true]);
    expect(result.find((device) => device.current)!.publicId).toBe(publicId);
  });

  it('marks the current one when its record had no public id yet', async () => {
    const { session } = makeSession();
    const laptop = await signIn(session, 'ada');
    const { publicId: _dropped, ...old } = await recordOf(session, laptop);
    await session.store.update(old.sessionId, old);
    const { result } = await visit(session, laptop, (handle) => handle.devices());
    expect(result.filter((device) => device.current)).toHaveLength(1);
    expect(result[0]!.publicId).toBe((await recordOf(session, laptop)).publicId);
  });

  it('signs another device out', async () => {
    const { session } = makeSession();
    const laptop = await signIn(session, 'ada');
    const phone = await signIn(session, 'ada');
    const { publicId } = await recordOf(session, phone);
    const { result } = await visit(session, laptop, (handle) => handle.revokeDevice(publicId!));
    expect(result).toBe(true);
    expect((await session.load({ cookie: phone.header(), url: URL_ })).isAuthenticated()).toBe(false);
  });

  it('revoking its own device signs this request out and clears the cookie', async () => {
    const { session } = makeSession();
    const laptop = await signIn(session, 'ada');
    const { publicId } = await recordOf(session, laptop);
    const { result, setCookie } = await visit(session, laptop, async (handle) => {
      const revoked = await handle.revokeDevice(publicId!);
      return { revoked, signedIn: handle.isAuthenticated() };
    });
    expect(result).toEqual({ revoked: true, signedIn: false });
    expect(setCookie).toMatch(/Max-Age=0/);
  });

  it('refuses a device of another user', async () => {
    const { session } = makeSession();
    const victim = await signIn(session, 'ada');
    const { publicId } = await recordOf(session, victim);
    const mallory = await signIn(session, 'mallory');
    const { result } = await visit(session, mallory, (handle) => handle.revokeDevice(publicId!));
    expect(result).toBe(false);
    expect((await session.load({ cookie: victim.header(), url: URL_ })).isAuthenticated()).toBe(true);
  });

  it('need a session', async () => {
    const { session } = makeSession();
    const handle = await session.load({ cookie: null, url: URL_ });
    await expect(handle.devices()).rejects.toThrow(/devices\(\) needs a session/);
    await expect(handle.revokeDevice('x')).rejects.toThrow(/revokeDevice\(\) needs a session/);
  });
});

describe('device details', () => {
  it('are not kept unless the application asks', async () => {
    const { session } = makeSession();
    const record = await recordOf(session, await signIn(session, 'ada', LAPTOP));
    expect(Object.keys(record)).not.toContain('device');
    expect(Object.keys(record)).not.toContain('lastSeenAt');
  });

  it('keep only what was asked: the user agent alone', async () => {
    const { session } = makeSession({ devices: { userAgent: true } });
    const record = await recordOf(session, await signIn(session, 'ada', LAPTOP));
    expect(record.device).toEqual({ userAgent: LAPTOP.userAgent });
  });

  it.each([
    ['203.0.113.77', '203.0.113.0'],
    ['2001:db8:abcd:12:3456::1', '2001:db8:abcd::'],
    ['2001:0db8:0000:0012::1', '2001:db8::'],
    ['::ffff:198.51.100.23', '198.51.100.0'],
    ['fe80::1%eth0', 'fe80::'],
  ])('keep a coarse IP by default truncation: %s as %s', async (ip, coarse) => {
    const { session } = makeSession({ devices: { ip: 'coarse' } });
    const record = await recordOf(session, await signIn(session, 'ada', { ip }));
    expect(record.device).toEqual({ ip: coarse });
  });

  it('keep the IP as given under ip: full', async () => {
    const { session } = makeSession({ devices: { ip: 'full' } });
    const record = await recordOf(session, await signIn(session, 'ada', { ip: PHONE.ip }));
    expect(record.device).toEqual({ ip: PHONE.ip });
  });

  it.each(['not an ip', '999.1.1.1', '', 'example.com'])('keep no IP for the unreadable %j', async (ip) => {
    const { session } = makeSession({ devices: { ip: 'coarse', userAgent: true } });
    const record = await recordOf(session, await signIn(session, 'ada', { ip, userAgent: 'UA' }));
    expect(record.device).toEqual({ userAgent: 'UA' });
  });

  it('are read from the request only when kept, once, and only by a request that writes its session', async () => {
    const reads: string[] = [];
    const request = (): SessionRequest => ({
      cookie: null,
      url: URL_,
      get userAgent() {
        reads.push('userAgent');
        return LAPTOP.userAgent;
      },
      get ip() {
        reads.push('ip');
        return LAPTOP.ip;
      },
    });
    await (await makeSession().session.load(request())).login('ada');
    expect(reads).toEqual([]);
    const handle = await makeSession({ devices: { ip: 'coarse' } }).session.load(request());
    expect(reads).toEqual([]); // a request that writes no session reads nothing
    await handle.login('ada');
    await handle.commit();
    expect(reads).toEqual(['ip']);
  });

  it('refuse an unknown devices option at construction', () => {
    expect(() => makeSession({ devices: { ip: 'exact' as never } })).toThrow(SessionConfigError);
    expect(() => makeSession({ devices: { lastSeenEvery: -1 } })).toThrow(SessionConfigError);
    expect(() => makeSession({ devices: { userAgent: true, tracking: true } as never })).toThrow(SessionConfigError);
  });
});

describe('lastSeenAt', () => {
  const window = { sessionDuration: 30 * MINUTE, sessionExtensionThresholdInMs: 4 * MINUTE };
  const writes = (events: Parameters<typeof storeCalls>[0]) => storeCalls(events, 'compareAndSet').length + storeCalls(events, 'update').length;

  it('is written at most once a minute: a request every 10 s for 5 minutes makes 5 writes', async () => {
    const { session, clock, events } = makeSession({ ...window, devices: {} });
    const client = await signIn(session, 'ada');
    const before = writes(events);
    for (let i = 0; i < 30; i++) {
      clock.advance(10_000);
      await visit(session, client, () => undefined);
    }
    expect(writes(events) - before).toBe(5);
    expect((await recordOf(session, client)).lastSeenAt).toBe(new Date(clock.now()).toISOString());
  });

  it('honours lastSeenEvery', async () => {
    const { session, clock, events } = makeSession({ ...window, devices: { lastSeenEvery: 2 * MINUTE } });
    const client = await signIn(session, 'ada');
    const before = writes(events);
    for (let i = 0; i < 30; i++) {
      clock.advance(10_000);
      await visit(session, client, () => undefined);
    }
    expect(writes(events) - before).toBe(2);
  });

  it('rides on a write that happens anyway, without a second one', async () => {
    const { session, clock, events } = makeSession({ ...window, devices: {} });
    const client = await signIn(session, 'ada', {}, { n: 0 });
    clock.advance(2 * MINUTE);
    const before = writes(events);
    await visit(session, client, (handle) => {
      handle.data!['n'] = 1;
    });
    expect(writes(events) - before).toBe(1);
    expect((await recordOf(session, client)).lastSeenAt).toBe(new Date(clock.now()).toISOString());
  });

  it('is never written without the devices option', async () => {
    const { session, clock, events } = makeSession(window);
    const client = await signIn(session, 'ada');
    const before = writes(events);
    for (let i = 0; i < 12; i++) {
      clock.advance(10_000);
      await visit(session, client, () => undefined);
    }
    expect(writes(events) - before).toBe(0);
    expect(Object.keys(await recordOf(session, client))).not.toContain('lastSeenAt');
  });

  it('updates the device details it keeps when it is written', async () => {
    const { session, clock } = makeSession({ ...window, devices: { ip: 'coarse' } });
    const client = await signIn(session, 'ada', LAPTOP);
    clock.advance(2 * MINUTE);
    await visit(session, client, () => undefined, { ip: '198.51.100.9' });
    expect((await recordOf(session, client)).device).toEqual({ ip: '198.51.100.0' });
  });

  it('makes needsCommit true when due', async () => {
    const { session, clock } = makeSession({ ...window, devices: {} });
    const client = await signIn(session, 'ada');
    clock.advance(30_000);
    expect((await session.load({ cookie: client.header(), url: URL_ })).needsCommit).toBe(false);
    clock.advance(30_000);
    expect((await session.load({ cookie: client.header(), url: URL_ })).needsCommit).toBe(true);
  });

  it('is not written on a store shared with a Session that keeps no device details', async () => {
    const clock = new ManualClock();
    const store = new MemoryStore({ clock });
    const withDevices = makeSession({ ...window, clock, store, devices: { userAgent: true } });
    const without = makeSession({ ...window, clock, store });
    const client = await signIn(withDevices.session, 'ada', LAPTOP, { n: 0 });
    clock.advance(2 * MINUTE);
    await visit(without.session, client, (handle) => {
      handle.data!['n'] = 1;
    });
    const record = await recordOf(without.session, client);
    expect(record.lastSeenAt).toBe(new Date(clock.now() - 2 * MINUTE).toISOString());
  });
});
