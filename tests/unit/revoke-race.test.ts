/**
 * "Sign out everywhere" racing an attacker who holds stolen cookies and calls a route that
 * regenerates the session id, back to back. Every stolen cookie must be dead once revokeAll()
 * resolves, and stay dead.
 */
import { describe, expect, it } from 'vitest';
import { BaseSessionStore, MemoryStore, type Clock, type SessionRecord } from 'sessionlab';
import { CookieClient, makeSession, ManualClock } from '../support/harness.ts';
import { raceRevokeAgainstRegenerate, turn } from './revoke-race-scenario.ts';

/** A MemoryStore whose every answer comes a turn of the event loop later, like a networked store's. */
class AsyncMemoryStore extends BaseSessionStore<SessionRecord> {
  readonly inner: MemoryStore;
  constructor(clock: Clock) {
    super();
    this.inner = new MemoryStore({ clock });
  }
  async create(record: SessionRecord): Promise<void> {
    await turn();
    this.inner.create(record);
  }
  async get(sessionId: string): Promise<SessionRecord | null> {
    await turn();
    return this.inner.get(sessionId);
  }
  async update(sessionId: string, record: SessionRecord): Promise<void> {
    await turn();
    this.inner.update(sessionId, record);
  }
  async delete(sessionId: string): Promise<void> {
    await turn();
    this.inner.delete(sessionId);
  }
  async clean(): Promise<number> {
    await turn();
    return this.inner.clean();
  }
  override async compareAndSet(sessionId: string, expectedVersion: number, record: SessionRecord): Promise<boolean> {
    await turn();
    return this.inner.compareAndSet(sessionId, expectedVersion, record);
  }
  override async listByUser(userId: string): Promise<SessionRecord[]> {
    await turn();
    return this.inner.listByUser(userId);
  }
}

describe('revokeAll racing regenerate()', () => {
  it.each([0, 1, 2, 3, 5, 8, 13, 20, 30, 40, 60])('leaves none of 20 stolen cookies working on an async MemoryStore (revocation starts after %i turns)', async (startAfter) => {
    const clock = new ManualClock();
    const { session } = makeSession({ store: new AsyncMemoryStore(clock), clock });
    expect(await raceRevokeAgainstRegenerate(session, { cookies: 20, rounds: 20, startAfter })).toBe(0);
  });

  it('leaves none working on a synchronous MemoryStore', async () => {
    const clock = new ManualClock();
    const { session } = makeSession({ store: new MemoryStore({ clock }), clock });
    expect(await raceRevokeAgainstRegenerate(session, { cookies: 20, rounds: 20, startAfter: 3 })).toBe(0);
  });
});

describe('revokeAll and sessions that begin while it runs', () => {
  it('spares a sign-in that happens after it began', async () => {
    const clock = new ManualClock();
    const store = new AsyncMemoryStore(clock);
    const { session } = makeSession({ store, clock });
    const old = new CookieClient();
    await old.visit(session, (handle) => handle.login('ada'));
    const revoking = session.revokeAll('ada');
    await turn();
    clock.advance(1);
    const fresh = new CookieClient();
    await fresh.visit(session, (handle) => handle.login('ada'));
    await revoking;
    expect((await old.visit(session, (handle) => handle.userId)).result).toBeNull();
    expect((await fresh.visit(session, (handle) => handle.userId)).result).toBe('ada');
  });
});

describe('regenerate() of a session ended meanwhile', () => {
  it('leaves the request without a session, its successor deleted and its cookie cleared', async () => {
    const clock = new ManualClock();
    const store = new MemoryStore({ clock });
    const { session } = makeSession({ store, clock });
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada'));
    const handle = await session.load({ cookie: client.header(), url: 'https://app.example/' });
    await session.revokeAll('ada');
    await handle.regenerate();
    expect(handle.isAuthenticated()).toBe(false);
    expect(await handle.commit()).toMatch(/Max-Age=0/);
    expect(store.count()).toBe(0);
  });
});

describe('regenerate() of a session that expired while the request ran', () => {
  it('does not carry it over to a new id', async () => {
    const clock = new ManualClock();
    const start = clock.now();
    // A store that never expires anything by itself: only the Session's own check stands in the way.
    const store = new MemoryStore({ clock: { now: () => start } });
    const { session } = makeSession({ store, clock, sessionDuration: 30 * 60_000 });
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada'));
    clock.advance(29 * 60_000);
    const handle = await session.load({ cookie: client.header(), url: 'https://app.example/' });
    clock.advance(2 * 60_000);
    await handle.regenerate();
    expect(handle.isAuthenticated()).toBe(false);
    expect(store.all()).toHaveLength(1); // the source, left for cleaning; no successor
  });
});
