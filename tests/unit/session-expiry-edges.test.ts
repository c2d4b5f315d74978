/**
 * Expiry at its edges: the exact instant a session ends, a session that has reached its absolute
 * cap, and what sessionsOf() lets through from a store that lists too much.
 */
import { describe, expect, it } from 'vitest';
import { MemoryStore, type SessionRecord } from 'sessionlab';
import { CookieClient, makeSession, ManualClock, MINUTE, storeCalls } from '../support/harness.ts';

const capped = { sessionDuration: 30 * MINUTE, absoluteDuration: 60 * MINUTE, sessionExtensionThresholdInMs: 4 * MINUTE };

/** Signs in, then brings the session to its absolute cap (expires = login + 60 min), with 3 minutes left. */
async function sessionAtItsCap() {
  const made = makeSession(capped);
  const client = new CookieClient();
  await client.visit(made.session, (handle) => handle.login('ada'));
  made.clock.advance(28 * MINUTE);
  await client.visit(made.session, () => undefined); // extended to login + 58 min
  made.clock.advance(28 * MINUTE);
  const { result } = await client.visit(made.session, (handle) => handle.expires); // extended to the cap
  expect(result).toBe(new Date(made.clock.now() + 4 * MINUTE).toISOString());
  made.clock.advance(MINUTE);
  return { ...made, client, cap: result! };
}

describe('a session at its absolute cap', () => {
  it('is not extended again: no write, no Set-Cookie', async () => {
    const { session, client, events, cap } = await sessionAtItsCap();
    const before = events.length;
    const { result, setCookie } = await client.visit(session, (handle) => handle.expires);
    expect(result).toBe(cap);
    expect(setCookie).toBeNull();
    expect(storeCalls(events.slice(before)).map((event) => event.type === 'store-call' && event.method)).toEqual(['get']);
    expect(events.slice(before).some((event) => event.type === 'session-extended')).toBe(false);
  });

  it('is not extended by touch() either', async () => {
    const { session, client, events, cap } = await sessionAtItsCap();
    const before = events.length;
    const { result, setCookie } = await client.visit(session, (handle) => {
      handle.touch();
      return handle.expires;
    });
    expect(result).toBe(cap);
    expect(setCookie).toBeNull();
    expect(events.slice(before).some((event) => event.type === 'session-extended')).toBe(false);
  });

  it('ends at the cap instant', async () => {
    const { session, client, clock } = await sessionAtItsCap();
    clock.advance(3 * MINUTE - 1);
    expect((await client.visit(session, (handle) => handle.isAuthenticated())).result).toBe(true);
    clock.advance(1);
    expect((await client.visit(session, (handle) => handle.isAuthenticated())).result).toBe(false);
  });
});

describe('touch()', () => {
  it('extends to the full duration from now, and the cookie says so', async () => {
    const { session, clock } = makeSession(capped);
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada'));
    clock.advance(10 * MINUTE); // not within the threshold: no automatic extension
    const { result, setCookie } = await client.visit(session, (handle) => {
      handle.touch();
      return handle.expires;
    });
    expect(result).toBe(new Date(clock.now() + 30 * MINUTE).toISOString());
    expect(setCookie).not.toBeNull();
  });
});

/** A store whose listByUser answers with every record it holds: the Session must filter. */
class ListsEverything extends MemoryStore {
  override listByUser(): SessionRecord[] {
    return this.all() as SessionRecord[];
  }
}

function record(clock: ManualClock, sessionId: string, userId: string, createdAgo: number, expiresIn: number): SessionRecord {
  return {
    sessionId,
    userId,
    createdAt: new Date(clock.now() - createdAgo).toISOString(),
    expires: new Date(clock.now() + expiresIn).toISOString(),
    data: {},
    version: 0,
  };
}

describe('sessionsOf(userId)', () => {
  it('lists only the live sessions of that user, newest first, whatever the store lists', async () => {
    const clock = new ManualClock();
    const store = new ListsEverything({ clock });
    const { session } = makeSession({ ...capped, clock, store });
    store.create(record(clock, 'older', 'ada', 20 * MINUTE, 10 * MINUTE));
    store.create(record(clock, 'newer', 'ada', 5 * MINUTE, 10 * MINUTE));
    store.create(record(clock, 'idle-ended', 'ada', 5 * MINUTE, -1));
    store.create(record(clock, 'idle-ends-now', 'ada', 5 * MINUTE, 0));
    store.create(record(clock, 'capped', 'ada', 60 * MINUTE, 10 * MINUTE));
    store.create(record(clock, 'unreadable', 'ada', MINUTE, 10 * MINUTE));
    store.update('unreadable', { ...record(clock, 'unreadable', 'ada', MINUTE, 10 * MINUTE), expires: 'soon' });
    store.create(record(clock, 'bobs', 'bob', MINUTE, 10 * MINUTE));
    const listed = await session.sessionsOf('ada');
    expect(listed.map((found) => found.sessionId)).toEqual(['newer', 'older']);
  });

  it('keeps a session one millisecond before its absolute cap', async () => {
    const clock = new ManualClock();
    const store = new ListsEverything({ clock });
    const { session } = makeSession({ ...capped, clock, store });
    store.create(record(clock, 'almost', 'ada', 60 * MINUTE - 1, 10 * MINUTE));
    expect((await session.sessionsOf('ada')).map((found) => found.sessionId)).toEqual(['almost']);
  });
});

describe('the extension threshold', () => {
  it('extends only once less than the threshold is left, not at exactly the threshold', async () => {
    const { session, clock, events } = makeSession(capped);
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada'));
    clock.advance(26 * MINUTE); // exactly 4 minutes left
    expect((await client.visit(session, () => undefined)).setCookie).toBeNull();
    clock.advance(1);
    expect((await client.visit(session, () => undefined)).setCookie).not.toBeNull();
    expect(events.filter((event) => event.type === 'session-extended')).toHaveLength(1);
  });
});

describe('a record that expired in the store', () => {
  it('is deleted on load; a failing delete is a background error, and the request still has no session', async () => {
    const clock = new ManualClock();
    class FailingDelete extends ListsEverything {
      override get(sessionId: string): SessionRecord | null {
        return (this.all() as SessionRecord[]).find((found) => found.sessionId === sessionId) ?? null; // hands out expired ones too
      }
      override delete(): void {
        throw new Error('read-only replica');
      }
    }
    const store = new FailingDelete({ clock });
    const { session, events } = makeSession({ ...capped, clock, store });
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada'));
    clock.advance(30 * MINUTE);
    const { result, setCookie } = await client.visit(session, (handle) => handle.isAuthenticated());
    expect(result).toBe(false);
    expect(setCookie).toMatch(/Max-Age=0/);
    expect(events).toContainEqual(expect.objectContaining({ type: 'session-expired', reason: 'idle', userId: 'ada' }));
    expect(events).toContainEqual(expect.objectContaining({ type: 'background-error', error: expect.objectContaining({ message: expect.stringMatching(/read-only replica/) }) }));
  });
});

describe('revokeAll(userId)', () => {
  it('gives up with a conflict after twenty listings that each found a new session, reporting what it revoked', async () => {
    const clock = new ManualClock();
    let minted = 0;
    /** Each listing shows one more session of the user, signed in before the revocation began. */
    class KeepsAppearing extends MemoryStore {
      override listByUser(userId: string): SessionRecord[] {
        this.create(record(clock, `appeared-${++minted}`, userId, MINUTE, 10 * MINUTE));
        return super.listByUser(userId) as SessionRecord[];
      }
    }
    const { session, events } = makeSession({ ...capped, clock, store: new KeepsAppearing({ clock }) });
    await expect(session.revokeAll('ada')).rejects.toMatchObject({ method: 'listByUser', failure: 'conflict' });
    expect(minted).toBe(20);
    const revoked = events.filter((event) => event.type === 'sessions-revoked');
    expect(revoked).toHaveLength(1);
    expect(revoked[0]).toMatchObject({ userId: 'ada', sessionIds: Array.from({ length: 20 }, (_, index) => `appeared-${index + 1}`) });
  });

  it('keeps the session it is told to, and sessions signed in after it began', async () => {
    const clock = new ManualClock();
    const store = new MemoryStore({ clock });
    const { session } = makeSession({ ...capped, clock, store });
    store.create(record(clock, 'laptop', 'ada', MINUTE, 10 * MINUTE));
    store.create(record(clock, 'phone', 'ada', MINUTE, 10 * MINUTE));
    store.create(record(clock, 'future', 'ada', -MINUTE, 10 * MINUTE));
    store.create(record(clock, 'bobs', 'bob', MINUTE, 10 * MINUTE));
    expect(await session.revokeAll('ada', { except: 'phone' })).toBe(1);
    expect(store.all().map((found) => found.sessionId).sort()).toEqual(['bobs', 'future', 'phone']);
  });
});

describe('listing without listByUser()', () => {
  it.each(['sessionsOf', 'revokeAll'] as const)('%s() refuses with a configuration error', async (operation) => {
    class NoListing extends MemoryStore {}
    Object.defineProperty(NoListing.prototype, 'listByUser', { value: undefined });
    const { session } = makeSession({ store: new NoListing() });
    await expect(session[operation]('ada')).rejects.toThrow(/needs a store that can list a user's sessions/);
  });
});

describe('clean()', () => {
  it('runs again once the previous clean has finished', async () => {
    const { session, events } = makeSession();
    await session.clean();
    await session.clean();
    expect(storeCalls(events, 'clean')).toHaveLength(2);
  });

  it('reports its duration on the Session clock, and a failure as a clean event before rejecting', async () => {
    const clock = new ManualClock();
    class SlowThenBroken extends MemoryStore {
      broken = false;
      override clean(): number {
        clock.advance(1500);
        if (this.broken) throw new Error('disk on fire');
        return super.clean();
      }
    }
    const store = new SlowThenBroken({ clock });
    const { session, events } = makeSession({ clock, store });
    expect(await session.clean()).toBe(0);
    store.broken = true;
    await expect(session.clean()).rejects.toMatchObject({ method: 'clean', failure: 'failed' });
    expect(events.filter((event) => event.type === 'clean')).toMatchObject([
      { removed: 0, durationMs: 1500, outcome: 'ok' },
      { removed: null, durationMs: 1500, outcome: 'failed' },
    ]);
  });
});

describe('revokeAll() and the instant it began', () => {
  it('revokes a session signed in at that very instant', async () => {
    const clock = new ManualClock();
    const store = new MemoryStore({ clock });
    const { session } = makeSession({ ...capped, clock, store });
    store.create(record(clock, 'now', 'ada', 0, 10 * MINUTE));
    expect(await session.revokeAll('ada')).toBe(1);
    expect(store.count()).toBe(0);
  });
});

describe('sessionsOf() order', () => {
  it('is newest sign-in first, whatever order the store lists them in', async () => {
    const clock = new ManualClock();
    const store = new MemoryStore({ clock });
    const { session } = makeSession({ ...capped, clock, store });
    for (const [id, ago] of [['b', 20], ['d', 40], ['a', 10], ['c', 30]] as const) store.create(record(clock, id, 'ada', ago * MINUTE, 10 * MINUTE));
    expect((await session.sessionsOf('ada')).map((found) => found.sessionId)).toEqual(['a', 'b', 'c', 'd']);
  });
});
