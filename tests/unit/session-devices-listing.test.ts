/**
 * The device list when records have no public id yet (records written before public ids existed),
 * on stores with and without compare-and-set, and while other requests change those records; and
 * what revoking one device tells the application.
 */
import { describe, expect, it } from 'vitest';
import { MemoryStore, type Session, type SessionEvent, type SessionRecord } from 'sessionlab';
import { FiveMethodStore } from '../support/five-method-store.ts';
import { CookieClient, makeSession, ManualClock, storeCalls } from '../support/harness.ts';

const URL_ = 'https://app.example/';

/** FluidAuth's five methods plus listByUser: no compare-and-set, so the last write wins. */
class ListingStore extends FiveMethodStore {
  override listByUser(userId: string): SessionRecord[] {
    return [...this.records.values()].filter((record) => record.userId === userId).map((record) => structuredClone(record));
  }
}

/** A MemoryStore that runs `meanwhile` once, just before the first compareAndSet: another request's write. */
class RacedStore extends MemoryStore {
  meanwhile: ((store: MemoryStore, sessionId: string) => void) | null = null;
  override compareAndSet(sessionId: string, expectedVersion: number, record: SessionRecord): boolean {
    const meanwhile = this.meanwhile;
    this.meanwhile = null;
    meanwhile?.(this, sessionId);
    return super.compareAndSet(sessionId, expectedVersion, record);
  }
}

async function signIn(session: Session, userId: string): Promise<CookieClient> {
  const client = new CookieClient();
  await client.visit(session, (handle) => handle.login(userId));
  return client;
}

async function storeKeyOf(session: Session, client: CookieClient): Promise<string> {
  return (await session.load({ cookie: client.header(), url: URL_ })).id!;
}

/** Takes the public id out of the stored record, as a record written before public ids would be. */
async function dropPublicId(session: Session, sessionId: string): Promise<void> {
  const { publicId: _dropped, ...old } = (await session.store.get(sessionId)) as SessionRecord;
  await session.store.update(sessionId, old);
}

async function isSignedIn(session: Session, client: CookieClient): Promise<boolean> {
  return (await session.load({ cookie: client.header(), url: URL_ })).isAuthenticated();
}

describe('a record without a public id, listed', () => {
  it('is given one and saved on a store without compare-and-set, so that device can be revoked', async () => {
    const { session } = makeSession({ store: new ListingStore() });
    const client = await signIn(session, 'ada');
    const sessionId = await storeKeyOf(session, client);
    await dropPublicId(session, sessionId);
    const before = (await session.store.get(sessionId)) as SessionRecord;
    const [listed] = await session.devicesOf('ada');
    const stored = (await session.store.get(sessionId)) as SessionRecord;
    expect(stored.publicId).toBe(listed!.publicId);
    expect(stored.version).toBe(before.version + 1);
    expect(await session.revokeDevice('ada', listed!.publicId)).toBe(true);
    expect(await isSignedIn(session, client)).toBe(false);
  });

  it('is given one with its version moved on, on a store with compare-and-set', async () => {
    const { session } = makeSession();
    const client = await signIn(session, 'ada');
    const sessionId = await storeKeyOf(session, client);
    await dropPublicId(session, sessionId);
    const before = (await session.store.get(sessionId)) as SessionRecord;
    const [listed] = await session.devicesOf('ada');
    const stored = (await session.store.get(sessionId)) as SessionRecord;
    expect(stored).toEqual({ ...before, publicId: listed!.publicId, version: before.version + 1 });
  });

  it('lists the public id another request gave it meanwhile, which revokes it', async () => {
    const clock = new ManualClock();
    const store = new RacedStore({ clock });
    const { session } = makeSession({ clock, store });
    const client = await signIn(session, 'ada');
    const sessionId = await storeKeyOf(session, client);
    await dropPublicId(session, sessionId);
    store.meanwhile = (raced, id) => {
      const current = raced.get(id)!;
      raced.update(id, { ...current, publicId: 'given-by-another-request', version: current.version + 1 });
    };
    expect((await session.devicesOf('ada')).map((device) => device.publicId)).toEqual(['given-by-another-request']);
    expect(((await session.store.get(sessionId)) as SessionRecord).publicId).toBe('given-by-another-request');
    expect(await session.revokeDevice('ada', 'given-by-another-request')).toBe(true);
    expect(await isSignedIn(session, client)).toBe(false);
  });

  it('is left out when it was deleted meanwhile', async () => {
    const clock = new ManualClock();
    const store = new RacedStore({ clock });
    const { session } = makeSession({ clock, store });
    const client = await signIn(session, 'ada');
    const sessionId = await storeKeyOf(session, client);
    await dropPublicId(session, sessionId);
    store.meanwhile = (raced, id) => raced.delete(id);
    expect(await session.devicesOf('ada')).toEqual([]);
  });

  it('is left out when another request rewrote it meanwhile, still without a public id', async () => {
    const clock = new ManualClock();
    const store = new RacedStore({ clock });
    const { session } = makeSession({ clock, store });
    const client = await signIn(session, 'ada');
    const sessionId = await storeKeyOf(session, client);
    await dropPublicId(session, sessionId);
    store.meanwhile = (raced, id) => {
      const current = raced.get(id)!;
      raced.update(id, { ...current, version: current.version + 1 });
    };
    expect(await session.devicesOf('ada')).toEqual([]);
  });

  it('is left out when its store key holds another user\'s session meanwhile', async () => {
    const clock = new ManualClock();
    const store = new RacedStore({ clock });
    const { session } = makeSession({ clock, store });
    const client = await signIn(session, 'ada');
    const sessionId = await storeKeyOf(session, client);
    await dropPublicId(session, sessionId);
    store.meanwhile = (raced, id) => {
      const current = raced.get(id)!;
      raced.update(id, { ...current, userId: 'mallory', publicId: 'mallorys-device', version: current.version + 1 });
    };
    expect(await session.devicesOf('ada')).toEqual([]);
  });

  it('is listed among others that have one, each once', async () => {
    const { session } = makeSession();
    const old = await signIn(session, 'ada');
    await signIn(session, 'ada');
    await dropPublicId(session, await storeKeyOf(session, old));
    const listed = await session.devicesOf('ada');
    expect(listed).toHaveLength(2);
    expect(new Set(listed.map((device) => device.publicId)).size).toBe(2);
  });
});

describe('revoking one device', () => {
  it('tells the application which sessions of the user were revoked', async () => {
    const { session, events } = makeSession();
    const phone = await signIn(session, 'ada');
    const sessionId = await storeKeyOf(session, phone);
    const { publicId } = (await session.store.get(sessionId)) as SessionRecord;
    expect(await session.revokeDevice('ada', publicId!)).toBe(true);
    const revoked = events.filter((event): event is Extract<SessionEvent, { type: 'sessions-revoked' }> => event.type === 'sessions-revoked');
    expect(revoked.map(({ userId, sessionIds }) => ({ userId, sessionIds }))).toEqual([{ userId: 'ada', sessionIds: [sessionId] }]);
  });

  it('tells nothing, and deletes nothing, when no session has that public id', async () => {
    const { session, events } = makeSession();
    await signIn(session, 'ada');
    expect(await session.revokeDevice('ada', 'nobody-has-this-id')).toBe(false);
    expect(events.filter((event) => event.type === 'sessions-revoked')).toEqual([]);
    expect(storeCalls(events, 'delete')).toEqual([]);
  });

  it('gives up with a conflict that names revokeDevice() when that device keeps coming back', async () => {
    /** A store in which the device signs in again (a new session, the same public id) before every listing. */
    class ComesBack extends ListingStore {
      #n = 0;
      #device: SessionRecord | undefined;
      override listByUser(userId: string): SessionRecord[] {
        this.#device ??= [...this.records.values()][0]!;
        this.create({ ...this.#device, sessionId: `again-${++this.#n}` });
        return super.listByUser(userId);
      }
    }
    const { session } = makeSession({ store: new ComesBack() });
    const client = await signIn(session, 'ada');
    const { publicId } = (await session.store.get(await storeKeyOf(session, client))) as SessionRecord;
    await expect(session.revokeDevice('ada', publicId!)).rejects.toMatchObject({ failure: 'conflict', message: expect.stringMatching(/call revokeDevice\(\) again/) });
  });

  it('answers false for an empty or missing public id without asking the store, even for a record that has none', async () => {
    const { session, events } = makeSession();
    const client = await signIn(session, 'ada');
    await dropPublicId(session, await storeKeyOf(session, client));
    const listings = storeCalls(events, 'listByUser').length;
    expect(await session.revokeDevice('ada', '')).toBe(false);
    expect(await session.revokeDevice('ada', undefined as never)).toBe(false);
    expect(storeCalls(events, 'listByUser')).toHaveLength(listings);
    expect(await isSignedIn(session, client)).toBe(true);
  });
});
