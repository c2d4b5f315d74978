/**
 * StoreCaller: how the Session calls a store. Sync and async answers alike, each answer checked,
 * each failure a SessionStoreError, each call a store-call event.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryStore, SessionStoreError, type SessionEvent, type SessionRecord } from 'sessionlab';
import { StoreCaller, copyRecord } from '../../src/session/store-caller.ts';
import { SessionEvents } from '../../src/session/session-events.ts';
import { ManualClock, MINUTE, recordAt } from '../support/harness.ts';

afterEach(() => {
  vi.useRealTimers();
});

/** A MemoryStore whose answers a test replaces, synchronously or as a promise. */
class ScriptedStore extends MemoryStore {
  answer: { method: string; value: unknown; async: boolean } | null = null;
  #scripted(method: string, real: () => unknown): unknown {
    if (this.answer?.method !== method) return real();
    return this.answer.async ? Promise.resolve(this.answer.value) : this.answer.value;
  }
  override get(id: string): SessionRecord | null {
    return this.#scripted('get', () => super.get(id)) as never;
  }
  override listByUser(userId: string): SessionRecord[] {
    return this.#scripted('listByUser', () => super.listByUser(userId)) as never;
  }
  override clean(): number {
    return this.#scripted('clean', () => super.clean()) as never;
  }
  override compareAndSet(id: string, version: number, record: SessionRecord): boolean {
    return this.#scripted('compareAndSet', () => super.compareAndSet(id, version, record)) as never;
  }
}

function setup() {
  const clock = new ManualClock();
  const store = new ScriptedStore({ clock });
  const events = new SessionEvents(clock);
  const seen: SessionEvent[] = [];
  events.on('*', (event) => seen.push(event));
  const caller = new StoreCaller(store, events, 1000);
  store.create(recordAt(clock, 'a', MINUTE));
  return { clock, store, caller, seen };
}

describe.each([false, true])('StoreCaller (async answers: %s)', (async) => {
  describe('get', () => {
    it.each([null, undefined])('takes %s as a miss', async (value) => {
      const { store, caller, seen } = setup();
      store.answer = { method: 'get', value, async };
      expect(await caller.get('a')).toBeNull();
      expect(seen.at(-1)).toMatchObject({ type: 'store-call', method: 'get', key: 'a', outcome: 'ok', result: 'miss' });
    });

    it('reports a found record as a hit, and hands out a copy of what the store gave', async () => {
      const { clock, store, caller, seen } = setup();
      const kept = recordAt(clock, 'a', MINUTE);
      store.answer = { method: 'get', value: kept, async };
      const found = await caller.get('a');
      expect(found).toEqual(kept);
      expect(found).not.toBe(kept);
      expect(seen.at(-1)).toMatchObject({ method: 'get', outcome: 'ok', result: 'hit' });
    });

    it.each([
      ['a record whose expires is a Date', (record: SessionRecord) => ({ ...record, expires: new Date(record.expires) }), /expires is a Date/],
      ['a record whose expires is a number', (record: SessionRecord) => ({ ...record, expires: Date.parse(record.expires) }), /expires is number/],
      ['a record without a userId', (record: SessionRecord) => ({ ...record, userId: 42 }), /no string userId/],
      ['a record for another id', (record: SessionRecord) => ({ ...record, sessionId: 'b' }), /sessionId is "b"/],
      ['a number', () => 7, /expected an object or null, got number/],
    ])('rejects %s as an invalid result', async (_, make, message) => {
      const { clock, store, caller, seen } = setup();
      store.answer = { method: 'get', value: make(recordAt(clock, 'a', MINUTE)), async };
      const failure = caller.get('a');
      await expect(failure).rejects.toBeInstanceOf(SessionStoreError);
      await expect(failure).rejects.toMatchObject({ method: 'get', failure: 'invalid-result', message: expect.stringMatching(message) });
      expect(seen.at(-1)).toMatchObject({ method: 'get', outcome: 'invalid-result' });
    });
  });

  describe('listByUser', () => {
    it('hands out copies of a well-formed answer', async () => {
      const { clock, store, caller } = setup();
      const listed = [recordAt(clock, 'a', MINUTE), { ...recordAt(clock, 'b', MINUTE), userId: 'user-a' }];
      store.answer = { method: 'listByUser', value: listed, async };
      const found = await caller.listByUser('user-a');
      expect(found).toEqual(listed);
      expect(found[0]).not.toBe(listed[0]);
    });

    it.each([
      ['not an array', { length: 0 }, /expected an array, got object/],
      ['null', null, /expected an array, got object/],
      ['an array holding a non-record', [7], /expected an object or null, got number/],
      ['an array holding null', [null], /expected an object or null, got object/],
      ['a record without a sessionId', [{ userId: 'user-a', expires: '2026-01-01T00:00:00.000Z' }], /sessionId is undefined/],
      ['a record without a userId', [{ sessionId: 'a', expires: '2026-01-01T00:00:00.000Z' }], /no string userId/],
      ['a record whose expires is a Date', [{ sessionId: 'a', userId: 'user-a', expires: new Date(0) }], /expires is a Date/],
    ])('rejects an answer that is %s', async (_, value, message) => {
      const { store, caller } = setup();
      store.answer = { method: 'listByUser', value, async };
      await expect(caller.listByUser('user-a')).rejects.toMatchObject({ method: 'listByUser', failure: 'invalid-result', message: expect.stringMatching(message) });
    });
  });

  describe('clean', () => {
    it('passes on a count', async () => {
      const { store, caller, seen } = setup();
      store.answer = { method: 'clean', value: 3, async };
      expect(await caller.clean()).toBe(3);
      expect(seen.at(-1)).toMatchObject({ method: 'clean', key: null, outcome: 'ok', result: 3 });
    });

    it.each([undefined, '3', Number.NaN, Number.POSITIVE_INFINITY, null])('takes %s as "no count"', async (value) => {
      const { store, caller, seen } = setup();
      store.answer = { method: 'clean', value, async };
      expect(await caller.clean()).toBeNull();
      expect(seen.at(-1)).not.toHaveProperty('result');
    });
  });

  describe('compareAndSet', () => {
    it.each([true, false])('passes on %s', async (value) => {
      const { clock, store, caller, seen } = setup();
      store.answer = { method: 'compareAndSet', value, async };
      expect(await caller.compareAndSet('a', 0, recordAt(clock, 'a', MINUTE))).toBe(value);
      expect(seen.at(-1)).toMatchObject({ method: 'compareAndSet', outcome: 'ok', result: value ? 'hit' : 'miss' });
    });

    it.each([
      [1, /got 1 \(number\)/],
      ['yes', /got "yes" \(string\)/],
      [undefined, /got undefined/],
      [null, /got null/],
      [{}, /got an object/],
      [[], /got an array/],
    ])('rejects %j as an invalid result', async (value, message) => {
      const { clock, store, caller } = setup();
      store.answer = { method: 'compareAndSet', value, async };
      await expect(caller.compareAndSet('a', 0, recordAt(clock, 'a', MINUTE))).rejects.toMatchObject({
        method: 'compareAndSet',
        failure: 'invalid-result',
        message: expect.stringMatching(message),
      });
    });
  });
});

describe('store-call events', () => {
  it('name each method, for a listener of store-call events alone', async () => {
    const clock = new ManualClock();
    const store = new MemoryStore({ clock });
    const events = new SessionEvents(clock);
    const seen: SessionEvent[] = [];
    events.on('store-call', (event) => seen.push(event));
    const caller = new StoreCaller(store, events, 1000);
    const record = recordAt(clock, 'a', MINUTE);
    await caller.create(record);
    await caller.update('a', record);
    await caller.get('a');
    await caller.compareAndSet('a', 0, record);
    await caller.listByUser('user-a');
    await caller.clean();
    await caller.delete('a');
    expect(seen.map((event) => event.type === 'store-call' && [event.method, event.key])).toEqual([
      ['create', 'a'],
      ['update', 'a'],
      ['get', 'a'],
      ['compareAndSet', 'a'],
      ['listByUser', null],
      ['clean', null],
      ['delete', 'a'],
    ]);
  });

  it('measure a call\'s duration from its start, for answers and failures alike', async () => {
    const { store, caller, seen } = setup();
    const before = performance.now();
    await caller.get('a');
    store.answer = { method: 'get', value: Promise.resolve(7), async: false };
    await caller.get('a').catch(() => undefined);
    vi.spyOn(store, 'delete').mockImplementation(() => {
      throw new Error('no');
    });
    await caller.delete('a').catch(() => undefined);
    const elapsed = performance.now() - before;
    const durations = seen.map((event) => (event.type === 'store-call' ? event.durationMs : -1));
    expect(durations).toHaveLength(3);
    for (const duration of durations) {
      expect(duration).toBeGreaterThanOrEqual(0);
      expect(duration).toBeLessThanOrEqual(elapsed);
    }
  });
});

describe('invalid-result messages', () => {
  it.each([
    [undefined, 'expected true or false, got undefined.'],
    [Number.NaN, 'expected true or false, got NaN (number).'],
    [1, 'expected true or false, got 1 (number).'],
    ['yes', 'expected true or false, got "yes" (string).'],
  ])('say what compareAndSet() answered: %s', async (value, detail) => {
    const { clock, store, caller } = setup();
    store.answer = { method: 'compareAndSet', value, async: false };
    const failure = (await caller.compareAndSet('a', 0, recordAt(clock, 'a', MINUTE)).catch((error: unknown) => error)) as Error;
    expect(failure.message).toContain(detail);
  });
});

describe('StoreCaller with a slow store', () => {
  it('leaves no timer behind once an async answer arrives', async () => {
    vi.useFakeTimers();
    const { store, caller } = setup();
    store.answer = { method: 'get', value: null, async: true };
    expect(await caller.get('a')).toBeNull();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('times out after the per-call limit when one is given, else after the default', async () => {
    vi.useFakeTimers();
    const { store, caller } = setup();
    store.answer = { method: 'get', value: new Promise(() => {}), async: false };
    const short = caller.get('a', 10);
    const shortCheck = expect(short).rejects.toMatchObject({ failure: 'timeout', message: expect.stringMatching(/10 ms/) });
    await vi.advanceTimersByTimeAsync(10);
    await shortCheck;
    const long = caller.get('a');
    const longCheck = expect(long).rejects.toMatchObject({ failure: 'timeout' });
    await vi.advanceTimersByTimeAsync(999);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    await longCheck;
  });

  it('wraps a thrown failure in a SessionStoreError, keeping the cause', async () => {
    const { store, caller, seen } = setup();
    const cause = new Error('disk on fire');
    vi.spyOn(store, 'delete').mockImplementation(() => {
      throw cause;
    });
    const failure = caller.delete('a');
    await expect(failure).rejects.toMatchObject({ method: 'delete', failure: 'failed', cause });
    expect(seen.at(-1)).toMatchObject({ method: 'delete', key: 'a', outcome: 'failed', error: expect.stringMatching(/disk on fire/) });
  });
});

describe('copyRecord', () => {
  it('walks plain JSON-like data itself, and hands anything else to structuredClone', () => {
    const clone = vi.spyOn(globalThis, 'structuredClone');
    try {
      let deep: Record<string, unknown> = { leaf: [1, 'two', null, true, { three: 3 }] };
      for (let level = 0; level < 60; level++) deep = { next: deep, list: [level] };
      copyRecord({ sessionId: 'a', userId: 'u', expires: 'e', data: deep, version: 1 });
      copyRecord(Object.assign(Object.create(null) as object, { a: [1] }));
      expect(clone).not.toHaveBeenCalled();
      copyRecord({ when: new Date(0) });
      // eslint-disable-next-line no-sparse-arrays
      copyRecord({ list: [1, , 3] });
      expect(clone).toHaveBeenCalledTimes(2);
    } finally {
      clone.mockRestore();
    }
  });

  it('copies plain data deeply: no object of the copy is one of the original', () => {
    const original = { a: [{ b: 1 }, [2, [3]]], c: { d: { e: 'x' } }, n: null, t: true };
    const copy = copyRecord(original);
    expect(copy).toStrictEqual(original);
    expect(copy.a).not.toBe(original.a);
    expect(copy.a[0]).not.toBe(original.a[0]);
    expect(copy.a[1]).not.toBe(original.a[1]);
    expect(copy.c.d).not.toBe(original.c.d);
  });

  it('keeps the holes of a sparse array, as structuredClone does', () => {
    // eslint-disable-next-line no-sparse-arrays
    const copy = copyRecord({ list: [1, , 3] });
    expect(copy.list).toHaveLength(3);
    expect(1 in copy.list).toBe(false);
  });

  it('keeps a Date a Date and a Map a Map, also inside arrays and deep down', () => {
    const when = new Date(0);
    const copy = copyRecord({ list: [when], deep: { map: new Map([['k', 1]]) } });
    expect(copy.list[0]).toBeInstanceOf(Date);
    expect(copy.list[0]).not.toBe(when);
    expect(copy.deep.map).toBeInstanceOf(Map);
    expect(copy.deep.map.get('k')).toBe(1);
  });

  it('copies an object without a prototype, and a structure deeper than 64 levels', () => {
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { a: 1 });
    expect(copyRecord({ bare }).bare).toEqual({ a: 1 });
    let deep: Record<string, unknown> = { leaf: true };
    for (let level = 0; level < 100; level++) deep = { next: deep };
    const copy = copyRecord(deep);
    expect(copy).toStrictEqual(deep);
    expect(copy).not.toBe(deep);
  });

  it('copies a cycle of plain objects, as structuredClone does', () => {
    const ring: Record<string, unknown> = { name: 'ring' };
    ring['self'] = { back: ring };
    const copy = copyRecord(ring);
    expect(copy).not.toBe(ring);
    expect((copy['self'] as { back: unknown }).back).toBe(copy);
  });

  it('refuses a function or a symbol, as structuredClone does', () => {
    expect(() => copyRecord({ f: () => 1 })).toThrow();
    expect(() => copyRecord({ s: Symbol('x') })).toThrow();
    expect(() => copyRecord([Symbol('x')])).toThrow();
  });

  it('keeps a data key named __proto__ as an own property', () => {
    const copy = copyRecord(JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>);
    expect(Object.getOwnPropertyDescriptor(copy, '__proto__')).toEqual({ value: { polluted: true }, writable: true, enumerable: true, configurable: true });
    expect(JSON.stringify(copy)).toBe('{"__proto__":{"polluted":true},"a":1}');
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect((copy as { polluted?: boolean }).polluted).toBeUndefined();
  });
});
