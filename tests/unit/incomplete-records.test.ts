/**
 * A store that keeps only FluidAuth's three fields ({ sessionId, userId, expires }) drops the
 * creation time the absolute lifetime counts from. The Session must not let such a session live
 * past what it can prove, and says once that the store drops fields.
 */
import { describe, expect, it } from 'vitest';
import { BaseSessionStore, Session, type ISessionData } from 'sessionlab';
import { CookieClient, HOUR, makeSession, ManualClock, MINUTE, SECRET } from '../support/harness.ts';

/** Keeps exactly FluidAuth's three fields of every record it is given, nothing else. */
class ThreeFieldStore extends BaseSessionStore {
  readonly db = new Map<string, ISessionData>();
  create(record: ISessionData): void {
    this.db.set(record.sessionId, pick(record));
  }
  get(sessionId: string): ISessionData | null {
    const record = this.db.get(sessionId);
    return record ? { ...record } : null;
  }
  update(sessionId: string, record: ISessionData): void {
    if (this.db.has(sessionId)) this.db.set(sessionId, pick(record));
  }
  delete(sessionId: string): void {
    this.db.delete(sessionId);
  }
  clean(): void {}
}

function pick({ sessionId, userId, expires }: ISessionData): ISessionData {
  return { sessionId, userId, expires };
}

describe('a store that keeps only sessionId, userId and expires', () => {
  it('signs a user who sends a request every 10 minutes out no later than absoluteDuration after sign-in', async () => {
    const { session, clock } = makeSession({ store: new ThreeFieldStore(), sessionDuration: 30 * MINUTE, absoluteDuration: 8 * HOUR });
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada'));
    const signedInAt = clock.now();
    let lastSignedIn = signedInAt;
    for (let elapsed = 0; elapsed < 7 * 24 * HOUR; elapsed += 10 * MINUTE) {
      clock.advance(10 * MINUTE);
      const { result } = await client.visit(session, (handle) => handle.isAuthenticated());
      if (!result) break;
      lastSignedIn = clock.now();
    }
    expect(lastSignedIn - signedInAt).toBeLessThan(8 * HOUR);
  });

  it('never extends such a session: it ends at the expiry it was created with', async () => {
    const { session, clock, events } = makeSession({ store: new ThreeFieldStore(), sessionDuration: 30 * MINUTE });
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada'));
    const created = events.find((event) => event.type === 'session-created');
    clock.advance(20 * MINUTE);
    const { result: expires } = await client.visit(session, (handle) => {
      handle.touch();
      return handle.expires;
    });
    expect(expires).toBe(created?.type === 'session-created' ? created.expires : 'missing');
    expect(events.filter((event) => event.type === 'session-extended')).toEqual([]);
  });

  it('regenerate() keeps the expiry too, instead of granting a new idle period', async () => {
    const { session, clock } = makeSession({ store: new ThreeFieldStore(), sessionDuration: 30 * MINUTE });
    const client = new CookieClient();
    const { result: first } = await client.visit(session, async (handle) => {
      await handle.login('ada');
      return handle.expires;
    });
    clock.advance(20 * MINUTE);
    const { result: second } = await client.visit(session, async (handle) => {
      await handle.regenerate();
      handle.touch();
      return handle.expires;
    });
    expect(second).toBe(first);
    clock.advance(10 * MINUTE);
    expect((await client.visit(session, (handle) => handle.isAuthenticated())).result).toBe(false);
  });

  it('tells the application once, with a record-incomplete event naming the missing fields', async () => {
    const { session, clock, events } = makeSession({ store: new ThreeFieldStore() });
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada', { cart: [] }));
    for (let i = 0; i < 3; i++) {
      clock.advance(MINUTE);
      await client.visit(session, () => undefined);
    }
    await new CookieClient().visit(session, (handle) => handle.login('bob'));
    await client.visit(session, () => undefined);
    const incomplete = events.filter((event) => event.type === 'record-incomplete');
    expect(incomplete).toEqual([
      { type: 'record-incomplete', at: expect.any(Number), sessionId: expect.any(String), userId: 'ada', missing: ['createdAt', 'data', 'version'] },
    ]);
  });

  it('waits for a listener before telling, so an application that subscribes late still hears it once', async () => {
    const clock = new ManualClock();
    const session = new Session({ secret: SECRET, store: new ThreeFieldStore(), clock, cleanInterval: false });
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada'));
    await client.visit(session, () => undefined); // an incomplete record, and nobody listening
    const heard: string[] = [];
    session.on('record-incomplete', (event) => heard.push(event.userId));
    await client.visit(session, () => undefined);
    await client.visit(session, () => undefined);
    expect(heard).toEqual(['ada']);
  });
});
