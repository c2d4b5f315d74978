/**
 * No lost updates: many requests change one session at the same instant. With a store that can
 * compare-and-set, every change survives; with a last-write-wins store, changes are lost — which
 * shows that the test can fail.
 */
import { describe, expect, it } from 'vitest';
import { MemoryStore, SessionConfigError, type BaseSessionStore, type Clock } from 'sessionlab';
import { FluidAuthDocsStore } from '../fixtures/fluidauth-docs-store.js';
import { CookieClient, makeSession, ManualClock } from '../support/harness.ts';

/** `count` requests load one session, each adds its own item to the cart, then all commit at once. */
async function concurrentAdds(makeStore: (clock: Clock) => BaseSessionStore<any>, count: number): Promise<{ kept: number; merges: number }> {
  const clock = new ManualClock(Date.now());
  const { session, events } = makeSession({ store: makeStore(clock), clock });
  const client = new CookieClient();
  await client.visit(session, (handle) => handle.login('ada', { cart: [] }));
  const cookie = client.header();
  const handles = await Promise.all(Array.from({ length: count }, () => session.load({ cookie, url: 'https://app.example/' })));
  handles.forEach((handle, index) => (handle.data!['cart'] as string[]).push(`item-${index}`));
  await Promise.all(handles.map((handle) => handle.commit()));
  const { result } = await client.visit(session, (handle) => handle.data!['cart'] as string[]);
  expect(new Set(result).size).toBe(result.length); // nothing doubled
  return { kept: result.length, merges: events.filter((event) => event.type === 'session-merged').length };
}

describe('many overlapping updates of one session', () => {
  it('lose nothing with a compare-and-set store (MemoryStore)', async () => {
    const { kept, merges } = await concurrentAdds((clock) => new MemoryStore({ clock }), 50);
    expect(kept).toBe(50);
    expect(merges).toBeGreaterThan(0);
  });

  it('lose changes with a last-write-wins store (written from FluidAuth\'s docs)', async () => {
    const { kept } = await concurrentAdds(() => new FluidAuthDocsStore(), 50);
    expect(kept).toBeLessThan(50);
  });

  it('a change racing a logout does not bring the session back', async () => {
    const clock = new ManualClock();
    const store = new MemoryStore({ clock });
    const { session } = makeSession({ store, clock });
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada', { cart: [] }));
    const [a, b] = await Promise.all([0, 1].map(() => session.load({ cookie: client.header(), url: 'https://app.example/' })));
    (a!.data!['cart'] as string[]).push('apple');
    await b!.logout();
    await b!.commit();
    expect(await a!.commit()).toBeNull();
    expect(store.count()).toBe(0);
  });
});

describe('merging data keys that Object.prototype also has', () => {
  it.each(['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__'])(
    'deleting a key named %s while another request changes the data keeps both, with no store error',
    async (name) => {
      const { session } = makeSession();
      const client = new CookieClient();
      await client.visit(session, (handle) => handle.login('ada', JSON.parse(`{"${name}": "x", "cart": []}`)));
      const [a, b] = await Promise.all([0, 1].map(() => session.load({ cookie: client.header(), url: 'https://app.example/' })));
      delete (a!.data as Record<string, unknown>)[name];
      (b!.data!['cart'] as string[]).push('apple');
      await b!.commit();
      await expect(a!.commit()).resolves.toBeNull();
      const { result } = await client.visit(session, (handle) => JSON.stringify(handle.data));
      expect(result).toBe('{"cart":["apple"]}');
    },
  );
});

describe('sign out everywhere', () => {
  async function signedIn(users: string[]) {
    const harness = makeSession();
    const clients = [];
    for (const user of users) {
      const client = new CookieClient();
      await client.visit(harness.session, (handle) => handle.login(user));
      clients.push(client);
    }
    const userOf = async (client: CookieClient) => (await client.visit(harness.session, (handle) => handle.userId)).result;
    return { ...harness, clients, userOf };
  }

  it('lists a user\'s live sessions, newest first', async () => {
    const { session, clock } = await signedIn([]);
    for (const user of ['ada', 'bob', 'ada']) {
      clock.advance(1000);
      await new CookieClient().visit(session, (handle) => handle.login(user));
    }
    const sessions = await session.sessionsOf('ada');
    expect(sessions.map((record) => record.userId)).toEqual(['ada', 'ada']);
    expect(Date.parse(sessions[0]!.createdAt)).toBeGreaterThan(Date.parse(sessions[1]!.createdAt));
  });

  it('logoutOthers ends the user\'s other sessions and keeps this one and other users\'', async () => {
    const { session, clients, userOf, events } = await signedIn(['ada', 'ada', 'ada', 'bob']);
    const { result } = await clients[0]!.visit(session, (handle) => handle.logoutOthers());
    expect(result).toBe(2);
    expect(await Promise.all(clients.map(userOf))).toEqual(['ada', null, null, 'bob']);
    expect(events.find((event) => event.type === 'sessions-revoked')).toMatchObject({ userId: 'ada', sessionIds: [expect.any(String), expect.any(String)] });
  });

  it('logoutEverywhere ends every session of the user, this one included, and clears its cookie', async () => {
    const { session, clients, userOf } = await signedIn(['ada', 'ada', 'bob']);
    const { result, setCookie } = await clients[0]!.visit(session, (handle) => handle.logoutEverywhere());
    expect(result).toBe(2);
    expect(setCookie).toMatch(/Max-Age=0/);
    expect(await Promise.all(clients.map(userOf))).toEqual([null, null, 'bob']);
  });

  it('with a store that cannot list sessions, says so clearly', async () => {
    const { session } = makeSession({ store: new FluidAuthDocsStore() });
    await expect(session.revokeAll('ada')).rejects.toThrow(SessionConfigError);
    await expect(session.revokeAll('ada')).rejects.toThrow(/no listByUser\(\).*index on userId/);
  });
});
