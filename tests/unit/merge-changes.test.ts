import { describe, expect, it } from 'vitest';
import { mergeChanges } from '../../src/session/merge-changes.ts';

describe('mergeChanges(base, ours, theirs)', () => {
  it('takes theirs when we changed nothing, ours when they changed nothing', () => {
    expect(mergeChanges({ a: 1 }, { a: 1 }, { a: 2 })).toEqual({ a: 2 });
    expect(mergeChanges({ a: 1 }, { a: 3 }, { a: 1 })).toEqual({ a: 3 });
  });

  it('keeps both items when two requests each add one to a cart', () => {
    expect(mergeChanges({ cart: ['tea'] }, { cart: ['tea', 'apple'] }, { cart: ['tea', 'pear'] })).toEqual({ cart: ['tea', 'pear', 'apple'] });
  });

  it('removes what we removed, even after they added', () => {
    expect(mergeChanges({ cart: ['tea', 'jam'] }, { cart: ['jam'] }, { cart: ['tea', 'jam', 'pear'] })).toEqual({ cart: ['jam', 'pear'] });
  });

  it('keeps duplicates apart: two "apple" additions stay two', () => {
    expect(mergeChanges({ cart: [] }, { cart: ['apple'] }, { cart: ['apple'] })).toEqual({ cart: ['apple', 'apple'] });
  });

  it('merges objects key by key, including keys only one side added or deleted', () => {
    expect(mergeChanges({ a: 1, b: 2, c: 3 }, { a: 1, b: 20, d: 4 }, { a: 10, b: 2, c: 3, e: 5 })).toEqual({ a: 10, b: 20, e: 5, d: 4 });
  });

  it('lets ours win when both set one scalar differently', () => {
    expect(mergeChanges({ theme: 'light' }, { theme: 'dark' }, { theme: 'blue' })).toEqual({ theme: 'dark' });
  });

  it('merges nested structures', () => {
    expect(mergeChanges({ prefs: { tags: ['a'] } }, { prefs: { tags: ['a', 'b'] } }, { prefs: { tags: ['a', 'c'], lang: 'fr' } })).toEqual({
      prefs: { tags: ['a', 'c', 'b'], lang: 'fr' },
    });
  });
});

describe('mergeChanges with keys that Object.prototype also has', () => {
  const inherited = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__'];

  it.each(inherited)('keeps their change when we deleted a key named %s', (name) => {
    const base = JSON.parse(`{"${name}": "x", "count": 1}`);
    const ours = JSON.parse('{"count": 1}');
    const theirs = JSON.parse(`{"${name}": "x", "count": 2}`);
    const merged = mergeChanges(base, ours, theirs);
    expect(JSON.stringify(merged)).toBe('{"count":2}');
    expect(structuredClone(merged)).toEqual({ count: 2 });
  });

  it.each(inherited)('keeps our new key named %s as data, beside their change', (name) => {
    const merged = mergeChanges({ count: 1 }, JSON.parse(`{"count": 1, "${name}": "ours"}`), { count: 2 });
    expect(JSON.parse(JSON.stringify(merged))).toEqual(JSON.parse(`{"count": 2, "${name}": "ours"}`));
    expect(Object.hasOwn(merged as object, name)).toBe(true);
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
  });

  it('never reads a key that only the prototype has (nested objects too)', () => {
    const merged = mergeChanges({ prefs: { lang: 'en' } }, { prefs: { lang: 'en', theme: 'dark' } }, { prefs: { lang: 'fr' } });
    expect(merged).toEqual({ prefs: { lang: 'fr', theme: 'dark' } });
  });
});

describe('the limits of the merge, as documented', () => {
  it('keeps one of two concurrent increments: ours wins', () => {
    expect(mergeChanges({ attempts: 2 }, { attempts: 3 }, { attempts: 3 })).toEqual({ attempts: 3 });
  });

  it('shows an array line that both sides edited twice, once per edit', () => {
    expect(mergeChanges({ cart: ['tea'] }, { cart: ['green tea'] }, { cart: ['black tea'] })).toEqual({ cart: ['black tea', 'green tea'] });
  });
});
