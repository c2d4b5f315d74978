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
});
