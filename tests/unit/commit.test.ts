/**
 * SessionHandle.commit(): called once per request; with a compare-and-set store it retries a bounded
 * number of times; without one, the last write wins and the write counts as written.
 */
import { describe, expect, it } from 'vitest';
import { MemoryStore } from 'sessionlab';
import { FiveMethodStore } from '../support/five-method-store.ts';
import { CookieClient, makeSession, ManualClock, MINUTE, storeCalls } from '../support/harness.ts';

/** A manual clock whose pauses between retries move its time instead of waiting. */
class SleepingClock extends ManualClock {
  readonly slept: number[] = [];
  async sleep(ms: number): Promise<void> {
    this.slept.push(ms);
    this.advance(ms);
  }
}

/** Every compareAndSet loses, as if another request always wrote first. */
class AlwaysConflicting extends MemoryStore {
  override compareAndSet(): boolean {
    return false;
  }
}


describe('commit()', () => {
  it('throws when called a second time for the same request', async () => {
    const { session } = makeSession();
    const handle = await session.load({ cookie: null, url: 'https://app.example/' });
    await handle.login('ada');
    expect(await handle.commit()).not.toBeNull();
    await expect(handle.commit()).rejects.toThrow(/already called/);
  });

  it('against a store that always conflicts, tries exactly ten times, merging between tries, then fails with a conflict', async () => {
    const clock = new SleepingClock();
    const store = new AlwaysConflicting({ clock });
    const { session, events } = makeSession({ clock, store });
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada', { n: 0 }));
    const handle = await session.load({ cookie: client.header(), url: 'https://app.example/' });
    handle.data!['n'] = 1;
    const before = events.length;
    await expect(handle.commit()).rejects.toMatchObject({ failure: 'conflict', method: 'compareAndSet' });
    const during = events.slice(before);
    expect(storeCalls(during, 'compareAndSet')).toHaveLength(10);
    expect(storeCalls(during, 'get')).toHaveLength(9);
    expect(during.filter((event) => event.type === 'session-merged').map((event) => event.type === 'session-merged' && event.attempt)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // The second try goes at once; later ones pause, in a window that grows.
    expect(clock.slept).toHaveLength(8);
  });

  describe('with a store that has no compareAndSet', () => {
    it('writes changed data with update(), the version increased, and sets no cookie', async () => {
      const store = new FiveMethodStore();
      const { session } = makeSession({ store });
      const client = new CookieClient();
      await client.visit(session, (handle) => handle.login('ada', { n: 0 }));
      const { setCookie } = await client.visit(session, (handle) => {
        handle.data!['n'] = 1;
      });
      expect(setCookie).toBeNull();
      const [stored] = [...store.records.values()];
      expect(stored).toMatchObject({ userId: 'ada', data: { n: 1 }, version: 1 });
    });

    it('writes an extension, and sends the cookie with the new expiry', async () => {
      const store = new FiveMethodStore();
      const { session, clock, events } = makeSession({ store, sessionDuration: 30 * MINUTE, sessionExtensionThresholdInMs: 4 * MINUTE, cookie: { persistent: true } });
      const client = new CookieClient();
      await client.visit(session, (handle) => handle.login('ada'));
      clock.advance(27 * MINUTE);
      const { setCookie } = await client.visit(session, () => undefined);
      expect(setCookie).toMatch(/Max-Age=1800/);
      const [stored] = [...store.records.values()];
      expect(stored!.expires).toBe(new Date(clock.now() + 30 * MINUTE).toISOString());
      expect(events.filter((event) => event.type === 'session-extended')).toHaveLength(1);
    });
  });
});
