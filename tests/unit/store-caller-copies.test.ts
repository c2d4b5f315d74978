/**
 * Copies in: a store never holds an object the Session passed it. A shipped store that copies or
 * serializes what it is given (MemoryStore) is trusted to, so a write is copied once, by the store;
 * any other store is handed a copy first, as before.
 */
import { describe, expect, it } from 'vitest';
import { BaseSessionStore, MemoryStore, type SessionRecord } from 'sessionlab';
import { StoreCaller } from '../../src/session/store-caller.ts';
import { answersWithOwnCopy, isAnsweringWithOwnCopy } from '../../src/session/stores/base-session-store.ts';
import { SessionEvents } from '../../src/session/session-events.ts';
import { ManualClock, MINUTE, recordAt } from '../support/harness.ts';

/** A MemoryStore that records the objects its writes are given, and marks them as copying (as MemoryStore's own are). */
class WitnessStore extends MemoryStore {
  readonly given: SessionRecord[] = [];
  override create(record: SessionRecord): void {
    this.given.push(record);
    super.create(record);
  }
  override update(sessionId: string, record: SessionRecord): void {
    this.given.push(record);
    super.update(sessionId, record);
  }
  override compareAndSet(sessionId: string, expected: number, record: SessionRecord): boolean {
    this.given.push(record);
    return super.compareAndSet(sessionId, expected, record);
  }
  static {
    answersWithOwnCopy(this.prototype.create);
    answersWithOwnCopy(this.prototype.update);
    answersWithOwnCopy(this.prototype.compareAndSet);
  }
}

/** A store that keeps whatever object it is given, as a reader's store might. */
class KeepingStore extends BaseSessionStore<SessionRecord> {
  readonly kept = new Map<string, SessionRecord>();
  create(record: SessionRecord): void {
    this.kept.set(record.sessionId, record);
  }
  update(sessionId: string, record: SessionRecord): void {
    this.kept.set(sessionId, record);
  }
  override compareAndSet(sessionId: string, _expected: number, record: SessionRecord): boolean {
    this.kept.set(sessionId, record);
    return true;
  }
  get(sessionId: string): SessionRecord | null {
    return this.kept.get(sessionId) ?? null;
  }
  delete(sessionId: string): void {
    this.kept.delete(sessionId);
  }
  clean(): number {
    return 0;
  }
}

type Write = (caller: StoreCaller, record: SessionRecord) => Promise<unknown>;
const WRITES: [string, Write][] = [
  ['create', (caller, record) => caller.create(record)],
  ['update', (caller, record) => caller.update(record.sessionId, record)],
  ['compareAndSet', (caller, record) => caller.compareAndSet(record.sessionId, 0, record)],
];

describe.each(WRITES)('StoreCaller.%s', (_name, write) => {
  it('hands a store whose write copies what it is given the record itself: one copy, the store\'s', async () => {
    const clock = new ManualClock();
    const store = new WitnessStore({ clock });
    const caller = new StoreCaller(store, new SessionEvents(clock), 1000);
    const record = recordAt(clock, 'a', MINUTE);
    if (_name !== 'create') store.create(recordAt(clock, 'a', MINUTE));
    store.given.length = 0;
    await write(caller, record);
    expect(store.given).toHaveLength(1);
    expect(store.given[0]).toBe(record);
  });

  it('is one MemoryStore marks as copying what it is given', () => {
    expect(isAnsweringWithOwnCopy(MemoryStore.prototype[_name as 'create' | 'update' | 'compareAndSet'])).toBe(true);
  });

  it('leaves MemoryStore\'s record as written when the caller changes its object afterwards', async () => {
    const clock = new ManualClock();
    const store = new MemoryStore({ clock });
    const caller = new StoreCaller(store, new SessionEvents(clock), 1000);
    const record = recordAt(clock, 'a', MINUTE);
    if (_name !== 'create') store.create(recordAt(clock, 'a', MINUTE));
    await write(caller, record);
    (record.data as Record<string, unknown>)['n'] = 99;
    record.userId = 'someone-else';
    expect(store.get('a')).toMatchObject({ userId: 'user-a', data: { n: 1 } });
  });

  it('hands any other store a copy, never the caller\'s object', async () => {
    const clock = new ManualClock();
    const store = new KeepingStore();
    const caller = new StoreCaller(store, new SessionEvents(clock), 1000);
    const record = recordAt(clock, 'a', MINUTE);
    await write(caller, record);
    const kept = store.kept.get('a')!;
    expect(kept).toEqual(record);
    expect(kept).not.toBe(record);
    expect(kept.data).not.toBe(record.data);
  });
});
