/**
 * Commits under contention: a store that answers compareAndSet wrongly, a store that always
 * conflicts, and many writers on one session. Time is the injected clock's; pauses advance it.
 */
import { describe, expect, it, vi } from 'vitest';
import { BaseSessionStore, MemoryStore, Session, SessionStoreError, type SessionOptions, type SessionRecord } from 'sessionlab';
import { FluidAuthDocsStore } from '../fixtures/fluidauth-docs-store.js';
import { CookieClient, makeSession, ManualClock, MINUTE, SECRET, storeCalls } from '../support/harness.ts';
import { seededRandom, VirtualTime } from './virtual-time.ts';

describe('a compareAndSet that answers neither true nor false', () => {
  it.each([1, 0, 'yes', null, undefined, {}])('answering %j is an invalid-result error at once, with no retry', async (answer) => {
    class CountingStore extends MemoryStore {
      override compareAndSet(): boolean {
        return answer as never;
      }
    }
    const clock = new ManualClock();
    const { session, events } = makeSession({ store: new CountingStore({ clock }), clock });
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada', { cart: [] }));
    const handle = await session.load({ cookie: client.header(), url: 'https://app.example/' });
    (handle.data!['cart'] as string[]).push('apple');
    const commit = handle.commit();
    await expect(commit).rejects.toThrow(SessionStoreError);
    await expect(commit).rejects.toMatchObject({ method: 'compareAndSet', failure: 'invalid-result', message: expect.stringMatching(/true or false/) });
    expect(storeCalls(events, 'compareAndSet')).toHaveLength(1);
    expect((session.store.get(handle.id!) as SessionRecord).data).toEqual({ cart: [] });
  });
});

/** A MemoryStore whose every call takes `latency` ms of the virtual clock, like a networked store. */
class SlowMemoryStore extends BaseSessionStore<SessionRecord> {
  readonly inner: MemoryStore;
  readonly calls: Record<string, number> = {};
  readonly time: VirtualTime;
  readonly latency: number;
  constructor(time: VirtualTime, latency = 1) {
    super();
    this.time = time;
    this.latency = latency;
    this.inner = new MemoryStore({ clock: time });
  }
  async #wait(method: string): Promise<void> {
    this.calls[method] = (this.calls[method] ?? 0) + 1;
    await this.time.sleep(this.latency);
  }
  async create(record: SessionRecord): Promise<void> {
    await this.#wait('create');
    this.inner.create(record);
  }
  async get(sessionId: string): Promise<SessionRecord | null> {
    await this.#wait('get');
    return this.inner.get(sessionId);
  }
  async update(sessionId: string, record: SessionRecord): Promise<void> {
    await this.#wait('update');
    this.inner.update(sessionId, record);
  }
  async delete(sessionId: string): Promise<void> {
    await this.#wait('delete');
    this.inner.delete(sessionId);
  }
  async clean(): Promise<number> {
    await this.#wait('clean');
    return this.inner.clean();
  }
  override async compareAndSet(sessionId: string, expectedVersion: number, record: SessionRecord): Promise<boolean> {
    await this.#wait('compareAndSet');
    return this.inner.compareAndSet(sessionId, expectedVersion, record);
  }
}

/** Never lets a write through: every compareAndSet answers false. */
class AlwaysConflictingStore extends SlowMemoryStore {
  override async compareAndSet(): Promise<boolean> {
    await super.compareAndSet('none', -1, {} as SessionRecord);
    return false;
  }
}

async function signedIn(time: VirtualTime, store: BaseSessionStore<any>, options: Partial<SessionOptions> = {}) {
  const harness = makeSession({ store, clock: time, random: seededRandom(), ...options });
  const client = new CookieClient();
  await time.run(client.visit(harness.session, (handle) => handle.login('ada', { cart: [] })));
  return { ...harness, client };
}

describe('a commit against a store that always conflicts', () => {
  it('gives up with a conflict after a bounded number of calls, well within commitTimeout', async () => {
    const time = new VirtualTime();
    const store = new AlwaysConflictingStore(time);
    const { session, client } = await signedIn(time, store);
    const handle = await time.run(session.load({ cookie: client.header(), url: 'https://app.example/' }));
    (handle.data!['cart'] as string[]).push('apple');
    const before = { ...store.calls };
    const started = time.now();
    await expect(time.run(handle.commit())).rejects.toMatchObject({ failure: 'conflict', method: 'compareAndSet' });
    const elapsed = time.now() - started;
    expect(store.calls['compareAndSet']! - (before['compareAndSet'] ?? 0)).toBeLessThanOrEqual(10);
    expect(store.calls['get']! - (before['get'] ?? 0)).toBeLessThanOrEqual(9);
    expect(elapsed).toBeLessThanOrEqual(5000);
  });

  it('gives up by commitTimeout when the store is slow, whatever is left of its tries', async () => {
    const time = new VirtualTime();
    const store = new AlwaysConflictingStore(time, 400);
    const { session, client } = await signedIn(time, store, { commitTimeout: 1000 });
    const handle = await time.run(session.load({ cookie: client.header(), url: 'https://app.example/' }));
    (handle.data!['cart'] as string[]).push('apple');
    const started = time.now();
    await expect(time.run(handle.commit())).rejects.toThrow(SessionStoreError);
    // The last call may have begun just before the deadline; nothing begins after it.
    expect(time.now() - started).toBeLessThan(1000 + 400);
  });

  it('waits between tries for times drawn from the injected random source, never Math.random', async () => {
    const time = new VirtualTime();
    const random = seededRandom(7);
    const { session, client } = await signedIn(time, new AlwaysConflictingStore(time), { random });
    const handle = await time.run(session.load({ cookie: client.header(), url: 'https://app.example/' }));
    (handle.data!['cart'] as string[]).push('apple');
    const mathRandom = vi.spyOn(Math, 'random');
    const drawsBefore = random.draws;
    await expect(time.run(handle.commit())).rejects.toMatchObject({ failure: 'conflict' });
    expect(random.draws - drawsBefore).toBeGreaterThan(0);
    expect(mathRandom).not.toHaveBeenCalled();
    mathRandom.mockRestore();
  });
});

describe('200 writers on one session', () => {
  it('all get through, each keeping its change, with no store error', async () => {
    const time = new VirtualTime();
    const store = new SlowMemoryStore(time);
    const { session, client, events } = await signedIn(time, store);
    const handles = await time.run(Promise.all(Array.from({ length: 200 }, () => session.load({ cookie: client.header(), url: 'https://app.example/' }))));
    handles.forEach((handle, index) => (handle.data!['cart'] as string[]).push(`item-${index}`));
    const callsBefore = storeCalls(events).length;
    const outcomes = await time.run(Promise.allSettled(handles.map((handle) => handle.commit())));
    const failed = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(failed).toEqual([]);
    const { result } = await time.run(client.visit(session, (handle) => handle.data!['cart'] as string[]));
    expect(new Set(result).size).toBe(200);
    // Each writer's first try, plus a get and a try per lost race: bounded, not quadratic.
    expect(storeCalls(events).length - callsBefore).toBeLessThan(200 * 2 * 10);
  });
});

describe('a session that expires while the request runs', () => {
  async function expiringDuringRequest(store: BaseSessionStore<any>, time: VirtualTime) {
    const { session, client, events } = await signedIn(time, store, { sessionDuration: 30 * MINUTE });
    time.advance(29 * MINUTE + 30_000); // due for extension
    const handle = await time.run(session.load({ cookie: client.header(), url: 'https://app.example/' }));
    const expiresAtLoad = handle.expires;
    (handle.data!['cart'] as string[]).push('apple');
    time.advance(MINUTE); // the request takes a minute: the session ended at 30:00
    const setCookie = await time.run(handle.commit());
    return { setCookie, events, handle, expiresAtLoad };
  }

  it('is not extended by a compare-and-set store that still holds it', async () => {
    const time = new VirtualTime();
    const start = time.now();
    // A store whose own clock lags: it would accept the write.
    const store = new MemoryStore({ clock: { now: () => start } });
    const { setCookie, events } = await expiringDuringRequest(store, time);
    expect(setCookie).toMatch(/Max-Age=0/);
    expect(events.filter((event) => event.type === 'session-extended')).toEqual([]);
    expect(events.find((event) => event.type === 'session-expired')).toMatchObject({ reason: 'idle' });
    const [record] = store.all();
    expect(Date.parse(record!.expires)).toBe(start + 30 * MINUTE);
    expect(record!.data).toEqual({ cart: [] });
  });

  it('is not extended by a last-write-wins store', async () => {
    const time = new VirtualTime();
    const store = new FluidAuthDocsStore();
    const { setCookie, events } = await expiringDuringRequest(store, time);
    expect(setCookie).toMatch(/Max-Age=0/);
    expect(events.filter((event) => event.type === 'session-extended')).toEqual([]);
    const records = [...(store as unknown as { db: Map<string, SessionRecord> }).db.values()];
    expect(records.map((record) => Date.parse(record.expires))).toEqual([Date.parse('2026-03-01T09:30:00.000Z')]);
  });
});

describe('the commitTimeout option', () => {
  it('must be a positive number of milliseconds', () => {
    expect(() => new Session({ secret: SECRET, commitTimeout: 0 })).toThrow(/commitTimeout must be a positive number/);
  });
});
