/**
 * The recommended checks of copies, duplicates, compareAndSet() and all(), each against a store
 * broken in a way only one step of the check sees (conformance-broken-stores.test.ts has the
 * listByUser() and concurrency ones), and against a correct store with no optional method.
 */
import { describe, expect, it } from 'vitest';
import { MemoryStore, type SessionRecord } from 'sessionlab';
import { runConformance, type AnyStore } from 'sessionlab/conformance';
import { LazyMapStore } from '../fixtures/wrong-stores.ts';

async function verdict(id: string, createStore: () => AnyStore) {
  const [result] = await runConformance({ createStore, only: [id] });
  return result!;
}

describe('a correct Map store with none of the optional methods', () => {
  it('passes every check that needs none, and is not offered the others', async () => {
    const results = await runConformance({ createStore: () => new LazyMapStore() });
    const verdicts = Object.fromEntries(results.map((result) => [result.id, result.passed ? 'pass' : result.skipped]));
    expect(Object.entries(verdicts).filter(([, verdict]) => verdict !== 'pass')).toEqual([
      ['compare-and-set', 'not-offered'],
      ['compare-and-set-concurrent', 'not-offered'],
      ['list-by-user', 'not-offered'],
      ['all-records', 'not-offered'],
    ]);
  });
});

describe('a check of an optional method the store does not offer', () => {
  it('says what the store\'s users miss without it', async () => {
    const results = await runConformance({ createStore: () => new LazyMapStore(), only: ['compare-and-set', 'compare-and-set-concurrent', 'list-by-user', 'all-records'] });
    expect(results.map((result) => result.message)).toEqual([
      'The store has no compareAndSet(): concurrent changes to one session overwrite each other (last write wins).',
      'The store has no compareAndSet(): requests that change one session at once overwrite each other (last write wins).',
      'The store has no listByUser(): "sign out everywhere" cannot find a user\'s sessions.',
      'The store has no all(): inspectors and admin tools cannot list its records.',
    ]);
  });
});

describe('the copies-out check', () => {
  it('fails a get() that hands out a shallow copy, whose data is still the stored one', async () => {
    class ShallowCopyOut extends LazyMapStore {
      override get(sessionId: string): SessionRecord | null {
        const record = this.db.get(sessionId);
        return record ? { ...record } : null;
      }
    }
    const result = await verdict('copies-out', () => new ShallowCopyOut());
    expect(result.message).toMatch(/^get\(\) after changing the record a previous get\(\) handed out returned .*What differs: field data\.cart: expected \["apple","pear"\], got \["stolen"\]\.$/);
  });

  it('fails a get() that finds nothing, saying so rather than throwing', async () => {
    class FindsNothing extends LazyMapStore {
      override get(): null {
        return null;
      }
    }
    expect(await verdict('copies-out', () => new FindsNothing())).toMatchObject({ passed: false, message: 'get() after create() returned nothing.' });
  });

  it('fails a store that drops data with the difference, not with an error of its own', async () => {
    class ThreeFields extends LazyMapStore {
      override create(record: SessionRecord): void {
        super.create({ sessionId: record.sessionId, userId: record.userId, expires: record.expires } as SessionRecord);
      }
    }
    const result = await verdict('copies-out', () => new ThreeFields());
    expect(result.message).toMatch(/^get\(\) after changing the record a previous get\(\) handed out returned .* What differs: missing fields /);
  });
});

describe('the copies-in check', () => {
  it('fails a create() that keeps a shallow copy, whose data is still the caller\'s', async () => {
    class ShallowCopyIn extends LazyMapStore {
      override create(record: SessionRecord): void {
        this.db.set(record.sessionId, { ...record });
      }
    }
    const result = await verdict('copies-in', () => new ShallowCopyIn());
    expect(result.message).toMatch(/What differs: field data\.cart: expected \["apple","pear"\], got \["stolen"\]\.$/);
  });
});

describe('the create-duplicate check', () => {
  it('fails a create() that overwrites an existing session', async () => {
    class Overwrites extends LazyMapStore {
      override create(record: SessionRecord): void {
        this.db.set(record.sessionId, structuredClone(record));
      }
    }
    expect(await verdict('create-duplicate', () => new Overwrites())).toMatchObject({ passed: false, message: 'A second create() with the same sessionId succeeded.' });
  });

  it('fails a create() that overwrites and then throws', async () => {
    class OverwritesThenThrows extends LazyMapStore {
      override create(record: SessionRecord): void {
        const taken = this.db.has(record.sessionId);
        this.db.set(record.sessionId, structuredClone(record));
        if (taken) throw new Error('duplicate');
      }
    }
    const result = await verdict('create-duplicate', () => new OverwritesThenThrows());
    expect(result.message).toMatch(/^get\(\) after a rejected duplicate create\(\) returned .*field userId: expected "user-\d+", got "mallory"\.$/);
  });
});

describe('the compare-and-set check', () => {
  /** What a broken compareAndSet() does, given MemoryStore's correct one (`write`). */
  type Fault = (write: (id: string, expected: number, record: SessionRecord) => boolean, store: MemoryStore, id: string, expected: number, record: SessionRecord) => boolean;
  const cases: Array<[string, Fault, RegExp]> = [
    ['writes over a stale version', (_write, store, id, _expected, record) => (store.update(id, record), true), /^compareAndSet\(\) with a stale version did not resolve to false\.$/],
    ['writes over a stale version and says it did not', (_write, store, id, _expected, record) => (store.update(id, record), false), /^get\(\) after a compareAndSet\(\) with a stale version returned .*field userId: expected "user-\d+", got "stale"; field version: expected 3, got 4\.$/],
    ['says it wrote, and writes nothing', () => true, /^compareAndSet\(\) with a stale version did not resolve to false\.$/],
    [
      'writes the current version and answers nothing',
      (write, _store, id, expected, record) => (write(id, expected, record) ? (undefined as unknown as boolean) : false),
      /^compareAndSet\(\) with the current version did not resolve to true\.$/,
    ],
    [
      'answers true for the current version without writing',
      (_write, store, id, expected) => store.get(id)?.version === expected,
      /^get\(\) after a successful compareAndSet\(\) returned .*field data\.cart: expected \["plum"\], got \["apple","pear"\]; field version: expected 4, got 3; unexpected field data\.visits \(\d+\)\.$/,
    ],
    [
      'creates an unknown id',
      (write, store, id, expected, record) => (store.get(id) ? write(id, expected, record) : (store.create(record), true)),
      /^compareAndSet\(\) of an unknown id did not resolve to false\.$/,
    ],
    [
      'creates an unknown id and answers false',
      (write, store, id, expected, record) => (store.get(id) ? write(id, expected, record) : (store.create(record), false)),
      /^get\(\) after compareAndSet\(\) of an unknown id returned \{/,
    ],
  ];
  for (const [fault, compareAndSet, message] of cases) {
    it(`fails a compareAndSet() that ${fault}`, async () => {
      class Broken extends MemoryStore {
        override compareAndSet(sessionId: string, expectedVersion: number, record: SessionRecord): boolean {
          return compareAndSet((id, expected, next) => super.compareAndSet(id, expected, next), this, sessionId, expectedVersion, record);
        }
      }
      const result = await verdict('compare-and-set', () => new Broken());
      expect(result.passed).toBe(false);
      expect(result.message).toMatch(message);
    });
  }
});

describe('the compare-and-set-concurrent check', () => {
  it('fails a compareAndSet() that never writes, saying a writer gave up', async () => {
    class NeverWrites extends MemoryStore {
      override compareAndSet(): boolean {
        return false;
      }
    }
    expect(await verdict('compare-and-set-concurrent', () => new NeverWrites())).toMatchObject({ passed: false, message: 'A writer lost 500 compare-and-set rounds in a row.' });
  });
});

describe('the all-records check', () => {
  it('fails an all() that lists expired records changed', async () => {
    class MarksExpired extends MemoryStore {
      override all(): SessionRecord[] {
        return super.all().map((record) => (Date.parse(record.expires) > Date.now() ? record : { ...record, data: {} }));
      }
    }
    const result = await verdict('all-records', () => new MarksExpired());
    expect(result.message).toMatch(/^all\(\), for an expired session, returned .*missing fields data\.cart, data\.visits\.$/);
  });

  it('fails an all() that lists live records changed', async () => {
    class StripsData extends MemoryStore {
      override all(): SessionRecord[] {
        return super.all().map((record) => ({ ...record, data: {} }));
      }
    }
    const result = await verdict('all-records', () => new StripsData());
    expect(result.message).toMatch(/^all\(\), for a live session, returned .*missing fields data\.cart, data\.visits\.$/);
  });

  it('fails an all() that answers something other than a list, saying what it answered', async () => {
    class AnswersAMap extends MemoryStore {
      override all(): SessionRecord[] {
        return new Map(super.all().map((record) => [record.sessionId, record])) as unknown as SessionRecord[];
      }
    }
    expect(await verdict('all-records', () => new AnswersAMap())).toMatchObject({ passed: false, message: 'all() returned {}, expected an array of records.' });
  });

  it('fails an all() that lists a null beside the records, as something it never stored', async () => {
    class ListsANull extends MemoryStore {
      override all(): SessionRecord[] {
        return [null as unknown as SessionRecord, ...super.all()];
      }
    }
    const result = await verdict('all-records', () => new ListsANull());
    expect(result.message).toMatch(/^all\(\) of a store holding three sessions returned \[null,.*: each stored record once, and nothing else\.$/);
  });

  it('fails an all() that lists a record of its own beside the sessions', async () => {
    class ListsItsMetadata extends MemoryStore {
      override all(): SessionRecord[] {
        return [...super.all(), { sessionId: '__schema', userId: '', expires: '', createdAt: '', data: {}, version: 2 }];
      }
    }
    const result = await verdict('all-records', () => new ListsItsMetadata());
    expect(result.message).toMatch(/^all\(\) of a store holding three sessions returned \[.*: each stored record once, and nothing else\.$/);
  });

  it('fails an all() that hands out shallow copies, whose data is still the stored one', async () => {
    class ShallowAll extends LazyMapStore {
      override all(): SessionRecord[] {
        return [...this.db.values()].map((record) => ({ ...record }));
      }
    }
    const result = await verdict('all-records', () => new ShallowAll());
    expect(result.message).toMatch(/^get\(\) after changing a record from all\(\) returned .*field data\.cart: expected \["apple","pear"\], got \["stolen"\]\.$/);
  });

  it('passes a store whose clean() reports no count', async () => {
    class SilentClean extends MemoryStore {
      override clean(): number {
        super.clean();
        return undefined as unknown as number;
      }
    }
    expect(await verdict('all-records', () => new SilentClean())).toMatchObject({ passed: true });
  });
});
