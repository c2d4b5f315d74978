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

describe('mergeChanges when the sides disagree on shape or order', () => {
  it('takes ours whole when they changed nothing, even a reordering of an array', () => {
    expect(mergeChanges({ steps: ['a', 'b'] }, { steps: ['b', 'a'] }, { steps: ['a', 'b'] })).toEqual({ steps: ['b', 'a'] });
  });

  it('leaves a key we deleted out of the result, not present as undefined', () => {
    const merged = mergeChanges({ a: 1, gone: true }, { a: 1 }, { a: 2, gone: true });
    expect(merged).toStrictEqual({ a: 2 });
    expect(Object.keys(merged as object)).toEqual(['a']);
  });

  it('keeps their item when both sides removed the same item', () => {
    expect(mergeChanges({ cart: ['tea', 'jam'] }, { cart: ['tea'] }, { cart: ['tea', 'pear'] })).toEqual({ cart: ['tea', 'pear'] });
  });

  it('removes one of two equal items when we removed one', () => {
    expect(mergeChanges({ cart: ['apple', 'apple'] }, { cart: ['apple'] }, { cart: ['apple', 'apple', 'pear'] })).toEqual({ cart: ['apple', 'pear'] });
  });

  it.each([
    ['theirs is no longer an object', { a: 1 }, { a: 2 }, null],
    ['theirs is no longer an object (a string)', { a: 1 }, { a: 2 }, 'reset'],
    ['base was not an object', 1, 2, { x: 1 }],
    ['base was null', null, { a: 1 }, { b: 2 }],
    ['theirs is no longer an array', ['a'], ['a', 'b'], 'none'],
    ['theirs is an object, not an array', ['a'], ['a', 'b'], { 0: 'a' }],
    ['base was not an array', 1, 2, ['x']],
    ['base was not an array, though both sides now are', 'none', ['x'], ['y']],
    ['ours is no longer an array, though base and theirs are', ['a'], 'none', ['a', 'b']],
  ] as const)('lets ours win when %s', (_, base, ours, theirs) => {
    expect(mergeChanges(base as never, ours as never, theirs as never)).toStrictEqual(ours);
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
