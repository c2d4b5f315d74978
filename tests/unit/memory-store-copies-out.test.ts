/**
 * MemoryStore hands out copies: every object in a record it answers with is new, whatever field it
 * sits in, through get(), listByUser() and all().
 */
import { describe, expect, it } from 'vitest';
import { MemoryStore, type SessionRecord } from 'sessionlab';
import { ManualClock, recordAt } from '../support/harness.ts';

function storeWith(extra: Record<string, unknown>): { store: MemoryStore; record: SessionRecord } {
  const clock = new ManualClock();
  const store = new MemoryStore({ clock });
  const record = { ...recordAt(clock, 'a', 60_000), data: { cart: [{ sku: 'x' }] }, ...extra } as SessionRecord;
  store.create(record);
  return { store, record };
}

const answers: Record<string, (store: MemoryStore, record: SessionRecord) => SessionRecord> = {
  'get()': (store) => store.get('a')!,
  'listByUser()': (store, record) => store.listByUser(record.userId)[0]!,
  'all()': (store) => store.all()[0]!,
};

describe.each(Object.keys(answers))('MemoryStore %s', (method) => {
  const answer = answers[method]!;

  it('answers with new objects in every field, not only data', () => {
    const { store, record } = storeWith({ device: { userAgent: 'UA' }, tags: ['t'] });
    const first = answer(store, record) as SessionRecord & { device: { userAgent: string }; tags: string[] };
    first.device.userAgent = 'changed';
    first.tags.push('more');
    (first.data['cart'] as Array<{ sku: string }>)[0]!.sku = 'changed';
    first.userId = 'someone-else';
    expect(answer(store, record)).toEqual(record);
  });

  it('keeps a field named __proto__ an own field, and the copy an ordinary object', () => {
    const { store, record } = storeWith(JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>);
    const copy = answer(store, record);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(copy, '__proto__')?.value).toEqual({ polluted: true });
    (Object.getOwnPropertyDescriptor(copy, '__proto__')!.value as { polluted: boolean }).polluted = false;
    expect(Object.getOwnPropertyDescriptor(answer(store, record), '__proto__')?.value).toEqual({ polluted: true });
    expect((copy as { polluted?: boolean }).polluted).toBeUndefined();
  });
});
