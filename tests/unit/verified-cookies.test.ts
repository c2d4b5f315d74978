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

  it('holds no more than its capacity', () => {
    const memo = new VerifiedCookies(10);
    for (let n = 1; n <= 25; n++) memo.set(`v${n}`, entry(n));
    const kept = Array.from({ length: 25 }, (_, index) => memo.get(`v${index + 1}`)).filter(Boolean);
    expect(kept).toEqual(Array.from({ length: 10 }, (_, index) => entry(16 + index)));
  });
});
