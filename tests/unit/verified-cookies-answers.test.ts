/**
 * What the memo of verified cookies answers: only a value for itself (two values may share a
 * fingerprint), only values that verified, and the newest answer for a value set again.
 */
import { describe, expect, it } from 'vitest';
import { generateToken, hashToken, importSecrets, signToken } from '../../src/session/session-token.ts';
import { VerifiedCookies } from '../../src/session/verified-cookies.ts';

const entry = (n: number) => ({ token: `t${n}`, sessionId: `s${n}`, keyIndex: 0 });
const SECRETS = ['first-secret-that-is-long-enough-0001', 'second-secret-that-is-long-enough-002'];

// The fingerprint reads the four characters before the last one, and the length: these two share it.
const ONE = 'aBCDEz';
const LOOKALIKE = 'bBCDEy';

describe('a remembered value', () => {
  it('is answered only for itself, not for a value that shares its fingerprint', () => {
    const memo = new VerifiedCookies(10);
    memo.set(ONE, entry(1));
    expect(memo.get(LOOKALIKE)).toBeUndefined();
    memo.set(LOOKALIKE, entry(2));
    expect([memo.get(ONE), memo.get(LOOKALIKE), memo.get(ONE)]).toEqual([entry(1), entry(2), entry(1)]);
  });

  it('is forgotten, once evicted, even while a value sharing its fingerprint stays', () => {
    const memo = new VerifiedCookies(2);
    memo.set(ONE, entry(1));
    memo.set(LOOKALIKE, entry(2));
    memo.set('other', entry(3));
    expect([memo.get(ONE), memo.get(LOOKALIKE), memo.get('other')]).toEqual([undefined, entry(2), entry(3)]);
  });

  it('is not answered once evicted, when no other value shares its fingerprint', () => {
    // Four digits just before the last character: each value has a fingerprint of its own.
    const value = (n: number) => `value-${String(n).padStart(4, '0')}!`;
    const memo = new VerifiedCookies(2);
    for (let n = 1; n <= 3; n++) memo.set(value(n), entry(n));
    expect([memo.get(value(1)), memo.get(value(2)), memo.get(value(3))]).toEqual([undefined, entry(2), entry(3)]);
  });

  it('set again answers with its new entry, and counts as the most recent', () => {
    const memo = new VerifiedCookies(2);
    memo.set('a', entry(1));
    memo.set('b', entry(2));
    memo.set('a', entry(3));
    memo.set('c', entry(4));
    expect([memo.get('a'), memo.get('b'), memo.get('c')]).toEqual([entry(3), undefined, entry(4)]);
  });
});

describe('a value that is hit', () => {
  it('is kept through at least half the capacity of new values after the hit, however many came before it', () => {
    for (let before = 0; before < 4; before++) {
      const memo = new VerifiedCookies(4);
      memo.set('hit', entry(0));
      for (let n = 1; n <= before; n++) memo.set(`before-${n}`, entry(n));
      expect(memo.get('hit'), `hit after ${before} others`).toEqual(entry(0));
      memo.set('after-1', entry(10));
      memo.set('after-2', entry(11));
      expect(memo.get('hit'), `hit after ${before} others, then 2`).toEqual(entry(0));
    }
  });
});

describe('verify()', () => {
  it('answers a signed value with its token, the index of the key that signed it and its store key, and remembers it', async () => {
    const keys = importSecrets(SECRETS);
    const token = generateToken();
    const value = await signToken(token, (await keys)[1]!);
    const memo = new VerifiedCookies(10);
    expect(memo.get(value)).toBeUndefined();
    const expected = { token, keyIndex: 1, sessionId: await hashToken(token) };
    expect(await memo.verify(value, keys)).toEqual(expected);
    expect(memo.get(value)).toEqual(expected);
  });

  it('answers why a value did not verify, and never remembers it', async () => {
    const keys = importSecrets(SECRETS);
    const memo = new VerifiedCookies(10);
    const forged = await signToken(generateToken(), (await importSecrets(['another-secret-that-is-long-enough-03']))[0]!);
    expect(await memo.verify(forged, keys)).toBe('bad-signature');
    expect(await memo.verify('x', keys)).toBe('malformed');
    expect([memo.get(forged), memo.get('x')]).toEqual([undefined, undefined]);
  });
});
