/**
 * "Sign out everywhere" racing regenerate() on IndexedDBStore, in real Chromium: no stolen cookie
 * may survive.
 */
import { deleteDB } from 'idb';
import { afterAll, describe, expect, it } from 'vitest';
import { IndexedDBStore } from 'sessionlab/indexeddb';
import { makeSession, ManualClock } from '../support/harness.ts';
import { raceRevokeAgainstRegenerate } from '../unit/revoke-race-scenario.ts';

const names: string[] = [];
const stores: IndexedDBStore[] = [];

afterAll(async () => {
  for (const store of stores) store.close();
  for (const name of names) await deleteDB(name);
});

describe('revokeAll racing regenerate() on IndexedDBStore', () => {
  it.each([0, 3, 10, 30])('leaves none of 20 stolen cookies working (revocation starts after %i turns)', async (startAfter) => {
    const name = `sessionlab-revoke-race-${startAfter}-${crypto.randomUUID().slice(0, 8)}`;
    names.push(name);
    const clock = new ManualClock(Date.now());
    const store = new IndexedDBStore({ name, clock });
    stores.push(store);
    const { session } = makeSession({ store, clock });
    expect(await raceRevokeAgainstRegenerate(session, { cookies: 20, rounds: 20, startAfter })).toBe(0);
  });
});
