/**
 * What the required checks see through all(), when a store offers it, and how they take a store's
 * claim that its backend expires records itself: against stores whose listing or claim is wrong.
 */
import { describe, expect, it } from 'vitest';
import { type SessionRecord } from 'sessionlab';
import { runConformance, type AnyStore } from 'sessionlab/conformance';
import { LazyMapStore } from '../fixtures/wrong-stores.ts';

async function verdict(id: string, createStore: () => AnyStore) {
  const [result] = await runConformance({ createStore, only: [id] });
  return result!;
}

/** A correct store whose all() lists what `list` makes of its records. */
function listing(list: (records: SessionRecord[], store: LazyMapStore) => unknown): () => AnyStore {
  class Listing extends LazyMapStore {
    override all(): SessionRecord[] {
      return list([...this.db.values()].map((record) => structuredClone(record)), this) as SessionRecord[];
    }
  }
  return () => new Listing();
}

describe('the update check, looking through all()', () => {
  it('fails an update() after which all() no longer lists the session', async () => {
    class UpdateUnlists extends LazyMapStore {
      readonly unlisted = new Set<string>();
      override update(sessionId: string, record: SessionRecord): void {
        super.update(sessionId, record);
        this.unlisted.add(sessionId);
      }
      override all(): SessionRecord[] {
        return [...this.db.values()].filter((record) => !this.unlisted.has(record.sessionId)).map((record) => structuredClone(record));
      }
    }
    const result = await verdict('update', () => new UpdateUnlists());
    expect(result.message).toBe('all() after update() lists the session 0 times, expected once: [].');
  });

  it('fails an all() that lists the session as it was before update()', async () => {
    class ListsTheFirstWrite extends LazyMapStore {
      readonly first = new Map<string, SessionRecord>();
      override create(record: SessionRecord): void {
        super.create(record);
        this.first.set(record.sessionId, structuredClone(record));
      }
      override all(): SessionRecord[] {
        return [...this.first.values()].map((record) => structuredClone(record));
      }
    }
    const result = await verdict('update', () => new ListsTheFirstWrite());
    expect(result.message).toMatch(/^all\(\) after update\(\) returned \{.*What differs: .*and 3 more fields that differ: expires, lastSeenAt, version; unexpected field data\.visits \(\d+\)\.$/);
  });

  it('fails an all() that answers something other than a list, in update, update-missing and delete alike', async () => {
    for (const id of ['update', 'update-missing', 'delete']) {
      const result = await verdict(id, listing((records) => Object.fromEntries(records.map((record) => [record.sessionId, record]))));
      expect(result.message, id).toMatch(/^all\(\) returned \{.*, expected an array of records\.$/);
    }
  });

  it('passes an all() that lists null among the records: all-records is the check that judges that', async () => {
    const results = await runConformance({ createStore: listing((records) => [null, ...records]), only: ['update', 'update-missing', 'delete', 'clean-removes-expired'] });
    expect(results.filter((result) => !result.passed)).toEqual([]);
  });
});

describe('a claim that the backend expires records itself', () => {
  it('counts only when it is true, on the instance or its class: anything else is no claim', async () => {
    class SaysYes extends LazyMapStore {
      constructor() {
        super();
        Object.defineProperty(this, 'expiresRecordsItself', { value: 'yes' });
      }
      override clean(): number {
        return 0;
      }
    }
    class SaysSoOnItsClass extends SaysYes {
      static readonly expiresRecordsItself = 1;
    }
    for (const Store of [SaysYes, SaysSoOnItsClass]) {
      const result = await verdict('clean-removes-expired', () => new Store());
      expect(result.message, Store.name).toMatch(/^clean\(\) left 6 of 6 expired sessions/);
    }
  });
});
