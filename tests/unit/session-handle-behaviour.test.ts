/**
 * SessionHandle: what login(), devices(), revokeDevice() and regenerate() leave behind for the
 * request that called them: its public id, its device details, what is left to commit, and whether
 * the request is still signed in.
 */
import { describe, expect, it } from 'vitest';
import { MemoryStore, type Session, type SessionRecord } from 'sessionlab';
import { CookieClient, makeSession, ManualClock, storeCalls } from '../support/harness.ts';

const URL_ = 'https://app.example/';

/** The record behind a client's cookie, as the store keeps it. */
async function recordOf(session: Session, client: CookieClient): Promise<SessionRecord> {
  const handle = await session.load({ cookie: client.header(), url: URL_ });
  return (await session.store.get(handle.id!)) as SessionRecord;
}

/** Rewrites the client's stored record as a store may hold it: without a public id, or with `publicId`. */
async function storeWithPublicId(session: Session, client: CookieClient, publicId?: string): Promise<void> {
  const { publicId: _dropped, ...older } = await recordOf(session, client);
  await session.store.update(older.sessionId, (publicId === undefined ? older : { ...older, publicId }) as SessionRecord);
}

describe('login() over a session of this device', () => {
  it('keeps the public id when the same user signs in again, and gives another user a new one', async () => {
    const { session } = makeSession();
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada'));
    const first = await recordOf(session, client);
    await client.visit(session, (handle) => handle.login('ada'));
    const again = await recordOf(session, client);
    expect(again.sessionId).not.toBe(first.sessionId);
    expect(again.publicId).toBe(first.publicId);
    await client.visit(session, (handle) => handle.login('bob'));
    expect((await recordOf(session, client)).publicId).not.toBe(first.publicId);
  });
});

describe('login() when the store fails to create the new session', () => {
  it('leaves the request signed out: the old session is deleted and not kept in the request', async () => {
    const clock = new ManualClock();
    class FailingCreate extends MemoryStore {
      failCreate = false;
      override create(record: SessionRecord): void {
        if (this.failCreate) throw new Error('disk full');
        super.create(record);
      }
    }
    const store = new FailingCreate({ clock });
    const { session } = makeSession({ clock, store });
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada'));
    const handle = await session.load({ cookie: client.header(), url: URL_ });
    const old = handle.id!;
    store.failCreate = true;
    await expect(handle.login('ada')).rejects.toMatchObject({ method: 'create', failure: 'failed' });
    expect([handle.isAuthenticated(), handle.userId, handle.id]).toEqual([false, null, null]);
    expect(await session.store.get(old)).toBeNull();
  });
});

describe('devices()', () => {
  it('writes nothing for a session that has its public id', async () => {
    const { session, events } = makeSession();
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada'));
    const handle = await session.load({ cookie: client.header(), url: URL_ });
    const before = events.length;
    expect(await handle.devices()).toHaveLength(1);
    expect(storeCalls(events.slice(before)).map((event) => event.type === 'store-call' && event.method)).toEqual(['listByUser']);
  });

  it('marks the current one when its record\'s public id is empty', async () => {
    const { session } = makeSession();
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada'));
    await storeWithPublicId(session, client, '');
    const { result } = await client.visit(session, (handle) => handle.devices());
    expect(result.map((device) => device.current)).toEqual([true]);
    const { publicId } = await recordOf(session, client);
    expect(publicId).not.toBe('');
    expect(result[0]!.publicId).toBe(publicId);
  });

  it('leaves nothing to commit after writing a missing public id', async () => {
    const { session, events } = makeSession();
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada', { n: 0 }));
    await storeWithPublicId(session, client);
    const handle = await session.load({ cookie: client.header(), url: URL_ });
    expect(await handle.devices()).toHaveLength(1);
    expect(handle.needsCommit).toBe(false);
    const before = events.length;
    expect(await handle.commit()).toBeNull();
    expect(storeCalls(events.slice(before))).toEqual([]);
  });

  it('leaves nothing to commit when writing the public id merged onto another request\'s change', async () => {
    const { session, events } = makeSession();
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada', { n: 0, theme: 'light' }));
    await storeWithPublicId(session, client);
    const handle = await session.load({ cookie: client.header(), url: URL_ });
    await client.visit(session, (other) => {
      other.data!['theme'] = 'dark';
    });
    expect(await handle.devices()).toHaveLength(1);
    expect(ofType(events, 'session-merged')).toHaveLength(1);
    expect(handle.data).toEqual({ n: 0, theme: 'dark' });
    expect(handle.needsCommit).toBe(false);
  });

  it('answers nothing, and signs the request out, when a session without a public id was deleted meanwhile', async () => {
    const { session } = makeSession();
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada'));
    await storeWithPublicId(session, client);
    const handle = await session.load({ cookie: client.header(), url: URL_ });
    await session.store.delete(handle.id!);
    expect(await handle.devices()).toEqual([]);
    expect(handle.isAuthenticated()).toBe(false);
  });
});

describe('revokeDevice() of another device', () => {
  it('keeps this request signed in, and its cookie', async () => {
    const { session } = makeSession();
    const laptop = new CookieClient();
    const phone = new CookieClient();
    await laptop.visit(session, (handle) => handle.login('ada'));
    await phone.visit(session, (handle) => handle.login('ada'));
    const { publicId } = await recordOf(session, phone);
    const { result, setCookie } = await laptop.visit(session, async (handle) => [await handle.revokeDevice(publicId!), handle.isAuthenticated()]);
    expect(result).toEqual([true, true]);
    expect(setCookie).toBeNull();
    expect((await session.load({ cookie: laptop.header(), url: URL_ })).userId).toBe('ada');
  });
});

describe('revokeDevice() of this device', () => {
  it('signs this request out even when its session was deleted meanwhile, and answers false', async () => {
    const { session } = makeSession();
    const laptop = new CookieClient();
    await laptop.visit(session, (handle) => handle.login('ada'));
    const { publicId } = await recordOf(session, laptop);
    const handle = await session.load({ cookie: laptop.header(), url: URL_ });
    // Another request (a sign-out elsewhere, an admin) deletes the session while this one runs.
    await session.store.delete(handle.id!);
    expect(await handle.revokeDevice(publicId!)).toBe(false);
    expect(handle.isAuthenticated()).toBe(false);
    expect(handle.userId).toBeNull();
    expect(await handle.commit()).toMatch(/^__Host-session=;/);
  });
});

describe('revokeDevice() of this device, when its session ended while the request ran', () => {
  it('deletes the ended record through the listing and answers true, with a store whose listByUser also lists ended sessions', async () => {
    const clock = new ManualClock();
    /** A store that leaves ending sessions to clean(): its listing has them until then. */
    class ListsEnded extends MemoryStore {
      override listByUser(userId: string): SessionRecord[] {
        return this.all().filter((record) => record.userId === userId);
      }
    }
    const store = new ListsEnded({ clock });
    const { session } = makeSession({ store, clock });
    const laptop = new CookieClient();
    await laptop.visit(session, (handle) => handle.login('ada'));
    const { publicId } = await recordOf(session, laptop);
    const handle = await session.load({ cookie: laptop.header(), url: URL_ });
    clock.advance(31 * 60_000); // past the 30-minute idle expiry, while the request runs
    expect(await handle.revokeDevice(publicId!)).toBe(true);
    expect(store.all()).toEqual([]);
    expect(handle.isAuthenticated()).toBe(false);
  });
});

describe('regenerate()', () => {
  it('stamps the new session with this request\'s device details, as any write does', async () => {
    const { session } = makeSession({ devices: { ip: 'full' } });
    const client = new CookieClient();
    const first = await session.load({ cookie: null, url: URL_, ip: '203.0.113.77' });
    await first.login('ada');
    client.receive(await first.commit());
    const moved = await session.load({ cookie: client.header(), url: URL_, ip: '198.51.100.23' });
    await moved.regenerate();
    client.receive(await moved.commit());
    expect((await recordOf(session, client)).device).toEqual({ ip: '198.51.100.23' });
  });
});

function ofType(events: readonly { type: string }[], type: string): { type: string }[] {
  return events.filter((event) => event.type === type);
}
