/**
 * The recommended checks of the conformance suite, each against a store broken in the one way the
 * check exists for: a check that no broken store ever fails proves nothing.
 */
import { describe, expect, it } from 'vitest';
import { MemoryStore, type SessionRecord } from 'sessionlab';
import { conformanceChecks, runConformance } from 'sessionlab/conformance';

async function verdict(id: string, createStore: () => MemoryStore) {
  const [result] = await runConformance({ createStore, only: [id] });
  return result!;
}

describe('the list-by-user check', () => {
  it('passes a MemoryStore', async () => {
    expect(await verdict('list-by-user', () => new MemoryStore())).toMatchObject({ id: 'list-by-user', passed: true });
  });

  it('catches a listByUser() that misses one of the user\'s sessions', async () => {
    class MissesOne extends MemoryStore {
      override listByUser(userId: string): SessionRecord[] {
        return super.listByUser(userId).slice(1);
      }
    }
    expect(await verdict('list-by-user', () => new MissesOne())).toMatchObject({ passed: false, message: expect.stringMatching(/missing some of the user's sessions/) });
  });

  it('catches a listByUser() that returns everyone\'s sessions', async () => {
    class ListsEveryone extends MemoryStore {
      override listByUser(): SessionRecord[] {
        return this.all();
      }
    }
    expect(await verdict('list-by-user', () => new ListsEveryone())).toMatchObject({ passed: false, message: expect.stringMatching(/another user's session/) });
  });

  it('catches a listByUser() that still lists a deleted session', async () => {
    class RemembersDeleted extends MemoryStore {
      readonly #listed = new Map<string, SessionRecord>();
      override create(record: SessionRecord): void {
        super.create(record);
        this.#listed.set(record.sessionId, structuredClone(record));
      }
      override listByUser(userId: string): SessionRecord[] {
        return [...this.#listed.values()].filter((record) => record.userId === userId);
      }
    }
    expect(await verdict('list-by-user', () => new RemembersDeleted())).toMatchObject({ passed: false, message: expect.stringMatching(/still returned a deleted session/) });
  });

  it('fails a store without listByUser(), saying what cannot work', async () => {
    class NoListing extends MemoryStore {}
    Object.defineProperty(NoListing.prototype, 'listByUser', { value: undefined });
    expect(await verdict('list-by-user', () => new NoListing())).toMatchObject({ passed: false, message: expect.stringMatching(/no listByUser/) });
  });
});

describe('the concurrent compare-and-set check', () => {
  it('passes a MemoryStore', async () => {
    expect(await verdict('compare-and-set-concurrent', () => new MemoryStore())).toMatchObject({ passed: true });
  });

  it('catches a compareAndSet() that moves the version but drops the data', async () => {
    class DropsData extends MemoryStore {
      override compareAndSet(sessionId: string, expected: number, record: SessionRecord): boolean {
        const current = this.get(sessionId);
        return current !== null && super.compareAndSet(sessionId, expected, { ...record, data: current.data });
      }
    }
    expect(await verdict('compare-and-set-concurrent', () => new DropsData())).toMatchObject({
      passed: false,
      message: expect.stringMatching(/count 0 and version 20, expected 20 and 20/),
    });
  });

  it('catches a compareAndSet() that writes the data but a wrong version', async () => {
    class SkipsVersions extends MemoryStore {
      override compareAndSet(sessionId: string, expected: number, record: SessionRecord): boolean {
        return super.compareAndSet(sessionId, expected, { ...record, version: record.version * 2 });
      }
    }
    const result = await verdict('compare-and-set-concurrent', () => new SkipsVersions());
    expect(result).toMatchObject({ passed: false, message: expect.stringMatching(/count 20 and version \d+, expected 20 and 20/) });
  });
});

describe('the copies-out check', () => {
  it('catches a get() that hands out the stored object', async () => {
    class HandsOutItsOwn extends MemoryStore {
      readonly #kept = new Map<string, SessionRecord>();
      override create(record: SessionRecord): void {
        this.#kept.set(record.sessionId, structuredClone(record));
      }
      override get(sessionId: string): SessionRecord | null {
        return this.#kept.get(sessionId) ?? null;
      }
    }
    expect(await verdict('copies-out', () => new HandsOutItsOwn())).toMatchObject({ id: 'copies-out', level: 'recommended', passed: false });
  });

  it('passes a MemoryStore', async () => {
    expect(await verdict('copies-out', () => new MemoryStore())).toMatchObject({ passed: true });
  });
});

describe('conformanceChecks', () => {
  it('lists every check once, in the documented order', () => {
    expect(conformanceChecks.map((check) => check.id)).toEqual([
      'create-get',
      'get-missing',
      'update',
      'update-missing',
      'delete',
      'delete-missing',
      'clean-removes-expired',
      'clean-keeps-live',
      'clean-compares-instants',
      'update-moves-expiry',
      'many-sessions',
      'large-unicode',
      'concurrent-creates',
      'get-expired',
      'copies-out',
      'copies-in',
      'clean-unreadable-expiry',
      'create-duplicate',
      'clean-count',
      'compare-and-set',
      'compare-and-set-concurrent',
      'list-by-user',
      'all-records',
    ]);
  });
});
