/**
 * The device operations as a hostile client or a careless application would use them: what a
 * coarse IP still gives away, a key ring that cannot work, a request whose session is revoked
 * while it runs, and a revocation the store fails part of the way through.
 */
import { describe, expect, it } from 'vitest';
import { MemoryStore, SessionConfigError, SessionStoreError, type Session, type SessionHandle } from 'sessionlab';
import { CookieClient, makeSession, ManualClock, MINUTE, storeCalls } from '../support/harness.ts';

const URL_ = 'https://app.example/';
const A = 'key-a-that-is-long-enough-to-sign-cookies';
const B = 'key-b-that-is-long-enough-to-sign-cookies';

type Device = { userAgent?: string; ip?: string };

async function signIn(session: Session, userId: string, device: Device = {}): Promise<CookieClient> {
  const client = new CookieClient();
  const handle = await session.load({ cookie: null, url: URL_, ...device });
  await handle.login(userId);
  client.receive(await handle.commit());
  return client;
}

function load(session: Session, client: CookieClient): Promise<SessionHandle> {
  return session.load({ cookie: client.header(), url: URL_ });
}

/** Ada on a laptop and a phone, with the public id of each. */
async function laptopAndPhone(session: Session) {
  const laptop = await signIn(session, 'ada');
  const laptopId = (await (await load(session, laptop)).devices()).find((device) => device.current)!.publicId;
  const phone = await signIn(session, 'ada');
  const phoneId = (await session.devicesOf('ada')).find((device) => device.publicId !== laptopId)!.publicId;
  return { laptop, laptopId, phone, phoneId };
}

describe("devices: { ip: 'coarse' }", () => {
  it('keeps no more of a 6to4 address (2002::/16) than of the IPv4 address its /48 carries', async () => {
    // 2002:c000:0204::/48 is the 6to4 network of 192.0.2.4: its /48 names that address in full.
    const { session } = makeSession({ devices: { ip: 'coarse' } });
    await signIn(session, 'ada', { ip: '2002:c000:0204::1' });
    expect((await session.devicesOf('ada'))[0]!.ip).toBe('192.0.2.0');
  });
});

describe('a key ring that lists one secret twice', () => {
  it('is refused at construction: a cookie it signs would be checked against the window of the other copy', () => {
    // As accepted today, the second copy signs, the first (not active for an hour) verifies, and
    // every cookie is refused with key-not-yet-active: nobody can stay signed in.
    const clock = new ManualClock();
    const secret = [{ secret: A, activeFrom: new Date(clock.now() + 60 * MINUTE) }, A];
    expect(() => makeSession({ clock, secret })).toThrow(SessionConfigError);
    expect(() => makeSession({ clock, secret })).toThrow(/more than once/);
  });
});

describe('a key ring date without a time zone', () => {
  it('is refused at construction: each server would read it in its own zone, and rotate hours apart', () => {
    // Date.parse reads '2027-01-01T00:00:00' as local time: a server in UTC+9 would sign with the new
    // key nine hours before one in UTC, which refuses it as not yet active meanwhile.
    const clock = new ManualClock();
    const secret = [A, { secret: B, activeFrom: '2027-01-01T00:00:00' }];
    expect(() => makeSession({ clock, secret })).toThrow(SessionConfigError);
    expect(() => makeSession({ clock, secret })).toThrow(/time zone/);
    expect(() => makeSession({ clock, secret: [A, { secret: B, activeFrom: 'January 1, 2027 00:00' }] })).toThrow(/time zone/);
  });

  it('is accepted with Z, with an offset, or as a date alone (which ISO 8601 reads as UTC)', () => {
    const clock = new ManualClock();
    for (const activeFrom of ['2027-01-01T00:00:00Z', '2027-01-01T09:00:00.000+09:00', '2027-01-01']) {
      expect(() => makeSession({ clock, secret: [A, { secret: B, activeFrom }] })).not.toThrow();
    }
  });
});

describe('a request whose session is revoked while it runs', () => {
  it('devices() lists nothing of the account, and the response signs the device out', async () => {
    const { session } = makeSession();
    const { phone, phoneId } = await laptopAndPhone(session);
    const handle = await load(session, phone);
    expect(await session.revokeDevice('ada', phoneId)).toBe(true); // from the laptop, meanwhile
    expect(await handle.devices()).toEqual([]);
    expect(handle.isAuthenticated()).toBe(false);
    expect(await handle.commit()).toMatch(/Max-Age=0/);
  });

  it('revokeDevice() signs no other device out: a revoked device cannot take revenge', async () => {
    const { session } = makeSession();
    const { laptop, laptopId, phone, phoneId } = await laptopAndPhone(session);
    const handle = await load(session, phone);
    expect(await session.revokeDevice('ada', phoneId)).toBe(true);
    expect(await handle.revokeDevice(laptopId)).toBe(false);
    expect((await load(session, laptop)).isAuthenticated()).toBe(true);
  });

  it('logoutOthers() signs no other device out', async () => {
    const { session } = makeSession();
    const { laptop, phone, phoneId } = await laptopAndPhone(session);
    const handle = await load(session, phone);
    expect(await session.revokeDevice('ada', phoneId)).toBe(true);
    expect(await handle.logoutOthers()).toBe(0);
    expect((await load(session, laptop)).isAuthenticated()).toBe(true);
  });

  it('logoutEverywhere() signs no other device out, and the response signs this one out', async () => {
    const { session } = makeSession();
    const { laptop, phone, phoneId } = await laptopAndPhone(session);
    const handle = await load(session, phone);
    expect(await session.revokeDevice('ada', phoneId)).toBe(true);
    expect(await handle.logoutEverywhere()).toBe(0);
    expect((await load(session, laptop)).isAuthenticated()).toBe(true);
    expect(await handle.commit()).toMatch(/Max-Age=0/);
  });
});

describe('a revocation the store fails part of the way through', () => {
  it('rejects with a SessionStoreError and still reports the sessions it deleted', async () => {
    const { session, events } = makeSession();
    for (let i = 0; i < 3; i++) await signIn(session, 'ada');
    const store = session.store as MemoryStore;
    const remove = store.delete.bind(store);
    let calls = 0;
    store.delete = (sessionId: string): void => {
      if (++calls === 2) throw new Error('connection lost');
      remove(sessionId);
    };
    await expect(session.revokeAll('ada')).rejects.toThrow(SessionStoreError);
    const reported = events.flatMap((event) => (event.type === 'sessions-revoked' ? event.sessionIds : []));
    expect(reported).toHaveLength(1);
    expect(await session.sessionsOf('ada')).toHaveLength(2);
    expect(reported).not.toContain((await session.sessionsOf('ada'))[0]!.sessionId);
  });
});

describe('lastSeenAt under the default options', () => {
  it('adds no write of its own: a request every 10 s for 5 minutes writes 5 times', async () => {
    // Apart, the extension (due a minute after the last one) and lastSeenAt (due a minute after the
    // last stamp) drift a request apart and make two writes a minute.
    const { session, clock, events } = makeSession({ devices: { userAgent: true } });
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada'));
    events.length = 0;
    for (let i = 0; i < 30; i++) {
      clock.advance(10_000);
      await client.visit(session, () => undefined);
    }
    expect(storeCalls(events, 'compareAndSet').length + storeCalls(events, 'update').length).toBe(5);
  });
});
