import { describe, expect, it } from 'vitest';
import { VerifiedCookies } from '../../src/session/verified-cookies.ts';

describe('VerifiedCookies', () => {
  const entry = (n: number) => ({ token: `t${n}`, sessionId: `s${n}`, keyIndex: 0 });

  it('forgets the least recently used value beyond its capacity', () => {
    const memo = new VerifiedCookies(2);
    memo.set('a', entry(1));
    memo.set('b', entry(2));
    expect(memo.get('a')).toEqual(entry(1)); // a is now the most recent
    memo.set('c', entry(3));
    expect(memo.get('b')).toBeUndefined();
    expect(memo.get('a')).toEqual(entry(1));
    expect(memo.get('c')).toEqual(entry(3));
  });

  it('keeps a value in use through any number of other values, however few its hits', () => {
    const memo = new VerifiedCookies(100);
    memo.set('active', entry(0));
    for (let n = 1; n <= 10_000; n++) {
      memo.set(`other-${n}`, entry(n));
      // The active user comes back once in every 90 other sign-ins: always within the capacity.
      if (n % 90 === 0) expect(memo.get('active'), `after ${n} others`).toEqual(entry(0));
    }
  });

  it('leaves a value hit while among the newest half in its place, so it goes out in insertion order', () => {
    const memo = new VerifiedCookies(4);
    for (const [n, value] of ['a', 'b', 'c', 'd'].entries()) memo.set(value, entry(n));
    // One value was set after c: fewer than capacity / 2, so the hit does not move c to the back.
    expect(memo.get('c')).toEqual(entry(2));
    memo.set('e', entry(4));
    memo.set('f', entry(5));
    memo.set('g', entry(6)); // evicts a, b, then c: d, set after c, stays
    expect(memo.get('c')).toBeUndefined();
    expect(memo.get('d')).toEqual(entry(3));
  });

  it('moves a value hit once capacity / 2 values were set after it to the back', () => {
    const memo = new VerifiedCookies(4);
    for (const [n, value] of ['a', 'b', 'c', 'd'].entries()) memo.set(value, entry(n));
    // Two values were set after b: the hit moves it behind d.
    expect(memo.get('b')).toEqual(entry(1));
    memo.set('e', entry(4));
    memo.set('f', entry(5));
    memo.set('g', entry(6)); // evicts a, c, then d
    expect(memo.get('d')).toBeUndefined();
    expect(memo.get('b')).toEqual(entry(1));
  });

  it('holds no more than its capacity', () => {
    const memo = new VerifiedCookies(10);
    for (let n = 1; n <= 25; n++) memo.set(`v${n}`, entry(n));
    const kept = Array.from({ length: 25 }, (_, index) => memo.get(`v${index + 1}`)).filter(Boolean);
    expect(kept).toEqual(Array.from({ length: 10 }, (_, index) => entry(16 + index)));
  });
});
