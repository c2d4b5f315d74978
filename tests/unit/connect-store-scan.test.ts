/**
 * ConnectStoreBridge over a store that can list (`all()`): how a scanning `clean()` and
 * `listByUser()` read the listing, and how many `destroy()` calls a clean has in flight at once.
 */
import { describe, expect, it } from 'vitest';
import type { SessionRecord } from 'sessionlab';
// Imported by path until package.json maps 'sessionlab/connect' to it.
import { ConnectStoreBridge, type ConnectCallback, type ConnectStore } from '../../src/session/stores/connect-store.ts';
import { ManualClock, MINUTE, recordAt } from '../support/harness.ts';

/** A callback-style store in a Map that counts the destroy() calls it has in flight. */
class CountingStore implements ConnectStore {
  readonly entries = new Map<string, unknown>();
  inFlight = 0;
  mostInFlight = 0;
  get(sid: string, callback: ConnectCallback): void {
    callback(null, structuredClone(this.entries.get(sid) ?? null));
  }
  set(sid: string, value: unknown, callback: ConnectCallback): void {
    this.entries.set(sid, structuredClone(value));
    callback(null);
  }
  destroy(sid: string, callback: ConnectCallback): void {
    this.inFlight++;
    this.mostInFlight = Math.max(this.mostInFlight, this.inFlight);
    // Answers on a later turn, as a store over a network does.
    setImmediate(() => {
      this.inFlight--;
      this.entries.delete(sid);
      callback(null);
    });
  }
  all(callback: ConnectCallback): void {
    callback(null, Object.fromEntries([...this.entries].map(([sid, value]) => [sid, structuredClone(value)])));
  }
}

/** A store whose all() answers `listing` and which holds nothing else. */
function listingStore(listing: unknown): ConnectStore {
  return {
    get: (_sid, callback) => callback(null, null),
    set: (_sid, _session, callback) => callback(null),
    destroy: (_sid, callback) => callback(null),
    all: (callback) => callback(null, listing),
  };
}

describe("ConnectStoreBridge's scanning clean()", () => {
  it('removes every expired session, 45 of them, with at most 20 destroy() calls in flight, and says how many', async () => {
    const clock = new ManualClock();
    const store = new CountingStore();
    const bridge = new ConnectStoreBridge({ store, clock });
    for (let i = 0; i < 45; i++) await bridge.create(recordAt(clock, `old-${i}`, MINUTE));
    await bridge.create(recordAt(clock, 'live', 2 * MINUTE));
    clock.advance(MINUTE);
    expect(await bridge.clean()).toBe(45);
    expect(store.mostInFlight).toBe(20);
    expect([...store.entries.keys()]).toEqual(['live']);
  });

  it('removes a session at its exact expiry instant, and one whose expiry cannot be read', async () => {
    const clock = new ManualClock();
    const store = new CountingStore();
    const bridge = new ConnectStoreBridge({ store, clock });
    await bridge.create(recordAt(clock, 'due', MINUTE));
    await bridge.create({ ...recordAt(clock, 'unreadable', MINUTE), expires: 'whenever' });
    await bridge.create(recordAt(clock, 'live', MINUTE + 1));
    clock.advance(MINUTE);
    expect(await bridge.clean()).toBe(2);
    expect([...store.entries.keys()]).toEqual(['live']);
  });
});

describe("ConnectStoreBridge's listings", () => {
  it.each([
    ['null', null],
    ['a string', 'sessions'],
    ['a number', 3],
  ])('treat an all() answer of %s as no sessions', async (_, listing) => {
    const bridge = new ConnectStoreBridge({ store: listingStore(listing) });
    expect(await bridge.all!()).toEqual([]);
    expect(await bridge.clean()).toBe(0);
  });

  it('read an array whose entries carry no id, as a store that lists bare sessions gives', async () => {
    const clock = new ManualClock();
    const record = recordAt(clock, 'a', MINUTE);
    const bridge = new ConnectStoreBridge({ store: listingStore([{ record }]), clock });
    expect(await bridge.all!()).toEqual([record]);
  });

  it("listByUser() gives the user's live sessions only: not another user's, not an expired one", async () => {
    const clock = new ManualClock();
    const store = new CountingStore();
    const bridge = new ConnectStoreBridge({ store, clock });
    const mine: SessionRecord = { ...recordAt(clock, 'mine', 2 * MINUTE), userId: 'ada' };
    await bridge.create(mine);
    await bridge.create({ ...recordAt(clock, 'ended', MINUTE), userId: 'ada' });
    await bridge.create({ ...recordAt(clock, 'theirs', 2 * MINUTE), userId: 'grace' });
    clock.advance(MINUTE);
    expect(await bridge.listByUser!('ada')).toEqual([mine]);
  });
});

describe("ConnectStoreBridge and a store's failures without a reason", () => {
  it('a promise rejected with undefined, or a method that throws undefined, still fails with an error that names the method', async () => {
    const rejecting: ConnectStore = { get: () => Promise.reject(undefined), set: () => undefined, destroy: () => undefined };
    const throwing: ConnectStore = {
      get: () => undefined,
      set: () => undefined,
      destroy: () => {
        throw undefined;
      },
    };
    await expect(new ConnectStoreBridge({ store: rejecting, clean: 'store-expires' }).get('a')).rejects.toMatchObject({
      name: 'ConnectStoreError',
      message: expect.stringMatching(/the promise of get\(\) was rejected without a reason/),
    });
    await expect(new ConnectStoreBridge({ store: throwing, clean: 'store-expires' }).delete('a')).rejects.toMatchObject({
      name: 'ConnectStoreError',
      message: expect.stringMatching(/destroy\(\) threw without a reason/),
    });
  });
});
