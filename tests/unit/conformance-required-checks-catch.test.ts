/**
 * Required checks of the conformance suite, each against a store broken in the one way the check
 * exists for (as conformance-broken-stores.test.ts does for the recommended ones): a check that no
 * broken store ever fails proves nothing.
 */
import { describe, expect, it } from 'vitest';
import { BaseSessionStore, MemoryStore, type SessionRecord } from 'sessionlab';
import { runConformance, type AnyStore } from 'sessionlab/conformance';

async function verdict(id: string, createStore: () => AnyStore) {
  const [result] = await runConformance({ createStore, only: [id] });
  return result!;
}

describe('the delete-missing check', () => {
  it('catches a delete() of an unknown id that wipes the other sessions', async () => {
    class WipesOnMiss extends MemoryStore {
      override delete(sessionId: string): void {
        if (this.get(sessionId) === null) this.clear();
        else super.delete(sessionId);
      }
    }
    expect(await verdict('delete-missing', () => new WipesOnMiss())).toMatchObject({ passed: false });
  });
});

describe('the many-sessions check', () => {
  it('catches a store that keeps only the latest 999 sessions', async () => {
    class KeepsLatest extends MemoryStore {
      readonly #order: string[] = [];
      override create(record: SessionRecord): void {
        super.create(record);
        this.#order.push(record.sessionId);
        if (this.#order.length > 999) super.delete(this.#order.shift()!);
      }
    }
    expect(await verdict('many-sessions', () => new KeepsLatest())).toMatchObject({ passed: false, message: expect.stringMatching(/returned null, expected the session of/) });
  });
});

describe('the large-unicode check', () => {
  it('catches a store whose text column holds 65,535 characters', async () => {
    class Truncates extends MemoryStore {
      override create(record: SessionRecord): void {
        super.create(JSON.parse(JSON.stringify(record, (_key, value: unknown) => (typeof value === 'string' ? value.slice(0, 65_535) : value))));
      }
    }
    expect(await verdict('large-unicode', () => new Truncates())).toMatchObject({ passed: false });
  });

  it('catches a store that keeps text as Latin-1', async () => {
    class Latin1 extends MemoryStore {
      override create(record: SessionRecord): void {
        super.create(JSON.parse(Buffer.from(JSON.stringify(record), 'latin1').toString('latin1')));
      }
    }
    expect(await verdict('large-unicode', () => new Latin1())).toMatchObject({ passed: false });
  });

  it('catches a store that loses a negative fraction, true or null in a nested list', async () => {
    class DropsOddValues extends MemoryStore {
      override create(record: SessionRecord): void {
        super.create(JSON.parse(JSON.stringify(record, (_key, value: unknown) => (value === true || value === null || value === -0.125 ? 0 : value))));
      }
    }
    expect(await verdict('large-unicode', () => new DropsOddValues())).toMatchObject({ passed: false });
  });
});

describe('the concurrent-creates check', () => {
  it('catches a create() that reads, awaits, then writes back a shared object', async () => {
    class ReadModifyWrite extends BaseSessionStore<SessionRecord> {
      #records: Record<string, SessionRecord> = {};
      async create(record: SessionRecord): Promise<void> {
        const next = { ...this.#records };
        await Promise.resolve();
        next[record.sessionId] = structuredClone(record);
        this.#records = next;
      }
      async get(sessionId: string): Promise<SessionRecord | null> {
        const found = this.#records[sessionId];
        return found ? structuredClone(found) : null;
      }
      async update(sessionId: string, record: SessionRecord): Promise<void> {
        if (this.#records[sessionId]) this.#records = { ...this.#records, [sessionId]: structuredClone(record) };
      }
      async delete(sessionId: string): Promise<void> {
        const { [sessionId]: _gone, ...rest } = this.#records;
        this.#records = rest;
      }
      async clean(): Promise<number> {
        return 0;
      }
    }
    expect(await verdict('concurrent-creates', () => new ReadModifyWrite())).toMatchObject({ passed: false, message: expect.stringMatching(/of 100 sessions created at the same time could not be read back/) });
  });
});

describe('the get-missing check', () => {
  it('catches a get() that answers an empty object for an unknown id, as Redis\'s HGETALL does, naming the step', async () => {
    class EmptyObjectOnMiss extends MemoryStore {
      override get(sessionId: string): SessionRecord | null {
        return super.get(sessionId) ?? ({} as SessionRecord);
      }
    }
    expect(await verdict('get-missing', () => new EmptyObjectOnMiss())).toMatchObject({ passed: false, message: 'get() of an unknown id returned {}, expected null.' });
  });
});

describe('the update check', () => {
  it('catches an update() that writes nothing, naming the read that shows it', async () => {
    class IgnoresUpdates extends MemoryStore {
      override update(): void {}
    }
    expect(await verdict('update', () => new IgnoresUpdates())).toMatchObject({ passed: false, message: expect.stringMatching(/^get\(\) after update\(\) returned \{.*What differs: /) });
  });
});

describe('the update-missing check', () => {
  it('catches an update() of an unknown id that get() does not find but all() lists, naming the step', async () => {
    // The listing is a second structure (an index) that update() writes before asking whether the id exists.
    class IndexesBeforeChecking extends MemoryStore {
      readonly #listed = new Map<string, SessionRecord>();
      override create(record: SessionRecord): void {
        super.create(record);
        this.#listed.set(record.sessionId, structuredClone(record));
      }
      override update(sessionId: string, record: SessionRecord): void {
        this.#listed.set(sessionId, structuredClone(record));
        super.update(sessionId, record);
      }
      override all(): SessionRecord[] {
        return [...this.#listed.values()].map((record) => structuredClone(record));
      }
    }
    expect(await verdict('update-missing', () => new IndexesBeforeChecking())).toMatchObject({
      passed: false,
      message: expect.stringMatching(/^all\(\) after update\(\) of an id never created still lists \[\{.*: the store still holds it\.$/),
    });
  });
});

describe('the delete-missing check, naming the step', () => {
  it('says the other session was gone after deleting an unknown id', async () => {
    class WipesOnMiss extends MemoryStore {
      override delete(sessionId: string): void {
        if (this.get(sessionId) === null) this.clear();
        else super.delete(sessionId);
      }
    }
    expect(await verdict('delete-missing', () => new WipesOnMiss())).toMatchObject({ message: expect.stringMatching(/^get\(\) of another session after deleting an unknown id returned null, expected the record \{/) });
  });
});

describe('the large-unicode check, value by value', () => {
  it('catches a store that keeps the user id in a Latin-1 column beside the record, naming the step and the field', async () => {
    class Latin1UserColumn extends MemoryStore {
      override create(record: SessionRecord): void {
        super.create({ ...record, userId: Buffer.from(record.userId, 'latin1').toString('latin1') });
      }
    }
    const result = await verdict('large-unicode', () => new Latin1UserColumn());
    expect(result).toMatchObject({ passed: false });
    expect(result.message).toMatch(/^get\(\) of a 100 kB record with emoji, CJK, RTL and control characters returned \{.*What differs: field userId: expected "ユーザー-🍪", got "[^"]*"\.$/);
  });

  it('catches a store that loses the sign of a negative number, and nothing else', async () => {
    class Unsigned extends MemoryStore {
      override create(record: SessionRecord): void {
        super.create(JSON.parse(JSON.stringify(record, (_key, value: unknown) => (typeof value === 'number' ? Math.abs(value) : value))));
      }
    }
    const result = await verdict('large-unicode', () => new Unsigned());
    expect(result.message).toMatch(/What differs: field data\.nested\.list\[2\]: expected -0\.125, got 0\.125\.$/);
  });
});
