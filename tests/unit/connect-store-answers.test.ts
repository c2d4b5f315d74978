/**
 * ConnectStoreBridge and what a connect store answers: the values its methods return beside the
 * callback, entries that are not the bridge's records, and the exact expiry instant.
 */
import { describe, expect, it, vi } from 'vitest';
// Imported by path until package.json maps 'sessionlab/connect' to it.
import { ConnectStoreBridge, type ConnectCallback, type ConnectStore } from '../../src/session/stores/connect-store.ts';
import { ManualClock, MINUTE, recordAt } from '../support/harness.ts';

/** A callback-style store that answers on a later turn, and returns `returned` from every method. */
function laterStore(returned: (store: ConnectStore) => unknown): ConnectStore & { entries: Map<string, unknown> } {
  const entries = new Map<string, unknown>();
  const store: ConnectStore & { entries: Map<string, unknown> } = {
    entries,
    get: (sid: string, callback: ConnectCallback) => (setImmediate(() => callback(null, structuredClone(entries.get(sid) ?? null))), returned(store)),
    set: (sid: string, value: unknown, callback: ConnectCallback) => (setImmediate(() => (entries.set(sid, structuredClone(value)), callback(null))), returned(store)),
    destroy: (sid: string, callback: ConnectCallback) => (setImmediate(() => (entries.delete(sid), callback(null))), returned(store)),
    all: (callback: ConnectCallback) => (setImmediate(() => callback(null, [...entries.values()])), returned(store)),
  };
  return store;
}

/** A store whose all() lists `listing` and whose get() answers `entry`. */
function answering(entry: unknown, listing: unknown[] = []): ConnectStore {
  return {
    get: (_sid, callback) => callback(null, entry),
    set: (_sid, _session, callback) => callback(null),
    destroy: (_sid, callback) => callback(null),
    all: (callback) => callback(null, listing),
  };
}

describe('a connect store method that calls back later and returns something that is not a promise', () => {
  it.each([
    ['null', () => null],
    ['the store itself, for chaining', (store: ConnectStore) => store],
  ])('works when it returns %s', async (_, returned) => {
    const clock = new ManualClock();
    const bridge = new ConnectStoreBridge({ store: laterStore(returned), clock });
    const record = recordAt(clock, 'a', MINUTE);
    await bridge.create(record);
    expect(await bridge.get('a')).toEqual(record);
    await bridge.delete('a');
    expect(await bridge.get('a')).toBeNull();
  });
});

describe('entries that are not session records', () => {
  const clock = new ManualClock();
  const { sessionId, userId, expires } = recordAt(clock, 'a', MINUTE);
  it.each([
    ['a null record', { record: null }],
    ['a record without an expiry', { record: { sessionId, userId } }],
    ['a record without a user', { record: { sessionId, expires } }],
    ['a record whose user is not a string', { record: { sessionId, userId: 7, expires } }],
    ['a record whose expiry is not a string', { record: { sessionId, userId, expires: Date.parse(expires) } }],
  ])('get() reads %s as no session', async (_, entry) => {
    expect(await new ConnectStoreBridge({ store: answering(entry), clock }).get('a')).toBeNull();
  });

  it('all() leaves out records without an id, a user or an expiry, and null entries, and lists the rest', async () => {
    const record = recordAt(clock, 'a', MINUTE);
    const listing = [null, { record: { userId, expires } }, { record: { sessionId, expires } }, { record: { sessionId, userId } }, { record }];
    expect(await new ConnectStoreBridge({ store: answering(null, listing), clock }).all!()).toEqual([record]);
  });
});

describe('get() at the exact expiry instant', () => {
  it('finds no session', async () => {
    const clock = new ManualClock();
    const record = recordAt(clock, 'a', MINUTE);
    const bridge = new ConnectStoreBridge({ store: answering({ record }), clock });
    clock.advance(MINUTE - 1);
    expect(await bridge.get('a')).toEqual(record);
    clock.advance(1);
    expect(await bridge.get('a')).toBeNull();
  });
});

describe('all() and listByUser() of a bridge over a store that can list', () => {
  it('can be replaced or spied on like any other method', async () => {
    const bridge = new ConnectStoreBridge({ store: answering(null) });
    const spy = vi.spyOn(bridge, 'listByUser');
    await bridge.listByUser!('ada');
    expect(spy).toHaveBeenCalledWith('ada');
    bridge.all = async () => [];
    bridge.listByUser = async () => [];
    expect(await bridge.all()).toEqual([]);
    expect(await bridge.listByUser('ada')).toEqual([]);
  });
});
