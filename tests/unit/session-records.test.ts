/**
 * What the Session makes of the records a store hands back: complete ones are used as they are,
 * malformed fields are replaced (and reported once), and loading one is reported.
 */
import { describe, expect, it } from 'vitest';
import { MemoryStore, Session, type SessionEvent, type SessionRecord } from 'sessionlab';
import { CookieClient, makeSession, ManualClock, MINUTE, SECRET, storeCalls } from '../support/harness.ts';

const URL_ = 'https://app.example/';

/** A MemoryStore that damages one field of every record it hands back. */
class Damaging extends MemoryStore {
  readonly damage: Partial<Record<keyof SessionRecord, unknown>>;
  constructor(clock: ManualClock, damage: Partial<Record<keyof SessionRecord, unknown>>) {
    super({ clock });
    this.damage = damage;
  }
  override get(sessionId: string): SessionRecord | null {
    const found = super.get(sessionId);
    return found ? ({ ...found, ...this.damage } as SessionRecord) : null;
  }
}

async function loadWith(damage: Partial<Record<keyof SessionRecord, unknown>>) {
  const clock = new ManualClock();
  const { session } = makeSession({ clock, store: new Damaging(clock, damage) });
  const reported: SessionEvent[] = [];
  session.on('record-incomplete', (event) => reported.push(event));
  const client = new CookieClient();
  await client.visit(session, (handle) => handle.login('ada', { theme: 'dark' }));
  const handle = await session.load({ cookie: client.header(), url: URL_ });
  return { handle, reported, clock };
}

describe('a record with a malformed field', () => {
  it.each([
    ['createdAt', { createdAt: 'garbage' }],
    ['createdAt', { createdAt: 12 }],
    ['data', { data: ['not', 'an', 'object'] }],
    ['data', { data: null }],
    ['data', { data: 'text' }],
    ['version', { version: Number.NaN }],
    ['version', { version: '3' }],
  ] as const)('has its %s replaced, and the store reported as dropping exactly that field', async (field, damage) => {
    const { handle, reported } = await loadWith(damage);
    expect(reported).toMatchObject([{ type: 'record-incomplete', userId: 'ada', missing: [field] }]);
    expect(handle.isAuthenticated()).toBe(true); // a replaced createdAt ends the session at its current expiry, not before
    if (field === 'data') expect(handle.data).toEqual({});
  });

  it('is not reported when complete', async () => {
    const { handle, reported } = await loadWith({});
    expect(reported).toEqual([]);
    expect(handle.data).toEqual({ theme: 'dark' });
  });
});

describe('loading a session', () => {
  it('is reported, to a listener of session-loaded events alone', async () => {
    // Not makeSession(): its listener of every event would hide a check of the wrong event type.
    const clock = new ManualClock();
    const session = new Session({ secret: SECRET, clock, cleanInterval: false, sessionDuration: 30 * MINUTE });
    const loaded: SessionEvent[] = [];
    session.on('session-loaded', (event) => loaded.push(event));
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada'));
    const handle = await session.load({ cookie: client.header(), url: URL_ });
    expect(loaded).toEqual([{ type: 'session-loaded', sessionId: handle.id, userId: 'ada', expires: new Date(clock.now() + 30 * MINUTE).toISOString(), at: clock.now() }]);
  });
});

describe('revokeAll() listings', () => {
  it('lists until two listings in a row find nothing: three listings for one round of deletes, two when there is nothing', async () => {
    const clock = new ManualClock();
    const store = new MemoryStore({ clock });
    const { session, events } = makeSession({ clock, store });
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada'));
    clock.advance(1);
    expect(await session.revokeAll('ada')).toBe(1);
    expect(storeCalls(events, 'listByUser')).toHaveLength(3);
    expect(await session.revokeAll('bob')).toBe(0);
    expect(storeCalls(events, 'listByUser')).toHaveLength(5);
  });

  it('deletes only the user\'s sessions, even from a store that lists everyone\'s', async () => {
    const clock = new ManualClock();
    class ListsEverything extends MemoryStore {
      override listByUser(): SessionRecord[] {
        return this.all() as SessionRecord[];
      }
    }
    const store = new ListsEverything({ clock });
    const { session } = makeSession({ clock, store });
    for (const user of ['ada', 'bob']) await new CookieClient().visit(session, (handle) => handle.login(user));
    clock.advance(1);
    expect(await session.revokeAll('ada')).toBe(1);
    expect(store.all().map((record) => record.userId)).toEqual(['bob']);
  });

  it.each(['sessionsOf', 'revokeAll'] as const)('%s() without listByUser() names itself in the error', async (operation) => {
    class NoListing extends MemoryStore {}
    Object.defineProperty(NoListing.prototype, 'listByUser', { value: undefined });
    const { session } = makeSession({ store: new NoListing() });
    await expect(session[operation]('ada')).rejects.toThrow(new RegExp(`^${operation}\\(\\) needs a store`));
  });
});
