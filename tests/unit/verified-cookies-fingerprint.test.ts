import { describe, expect, it } from 'vitest';
import { Session } from '../../src/session/index.ts';
import { VerifiedCookies } from '../../src/session/verified-cookies.ts';

const entry = (n: number) => ({ token: `t${n}`, sessionId: `s${n}`, keyIndex: 0 });

describe('VerifiedCookies, when two values end alike (the same fingerprint)', () => {
  it('answers each value only for itself', () => {
    const memo = new VerifiedCookies(10);
    memo.set('Abcdef', entry(1));
    expect(memo.get('Zbcdef')).toBeUndefined();
    memo.set('Zbcdef', entry(2));
    expect(memo.get('Abcdef')).toEqual(entry(1));
    expect(memo.get('Zbcdef')).toEqual(entry(2));
    expect(memo.get('Abcdef')).toEqual(entry(1));
  });

  it('forgets an evicted value even when a look-up by its fingerprint would find it', () => {
    const memo = new VerifiedCookies(1);
    memo.set('Abcdef', entry(1));
    expect(memo.get('Abcdef')).toEqual(entry(1));
    memo.set('v2', entry(2)); // evicts Abcdef
    expect(memo.get('Abcdef')).toBeUndefined();
    expect(memo.get('v2')).toEqual(entry(2));
  });

  it('answers a value set again with its new entry', () => {
    const memo = new VerifiedCookies(10);
    memo.set('Abcdef', entry(1));
    memo.set('Abcdef', entry(3));
    expect(memo.get('Abcdef')).toEqual(entry(3));
  });

  it('answers nothing for values too short to fingerprint, unless remembered', () => {
    const memo = new VerifiedCookies(10);
    memo.set('', entry(1));
    memo.set('ab', entry(2));
    expect(memo.get('')).toEqual(entry(1));
    expect(memo.get('ab')).toEqual(entry(2));
    expect(memo.get('b')).toBeUndefined();
  });
});

describe('Session, a cookie that differs from a remembered one only in its first characters', () => {
  it('is refused as a bad signature, not answered from the memo', async () => {
    const session = new Session({ secret: 'a-secret-that-is-long-enough-for-tests', cleanInterval: false });
    const handle = await session.load({ cookie: null, url: 'https://example.test/' });
    await handle.login('ada');
    const value = (await handle.commit())!.split(';')[0]!.split('=')[1]!;
    const cookie = `__Host-session=${value}`;
    expect((await session.load({ cookie, url: 'https://example.test/' })).userId).toBe('ada'); // now remembered
    const forged = `${value[0] === 'A' ? 'B' : 'A'}${value.slice(1)}`;
    const rejected: string[] = [];
    session.on('cookie-rejected', (event) => rejected.push(event.reason));
    const loaded = await session.load({ cookie: `__Host-session=${forged}`, url: 'https://example.test/' });
    expect(loaded.userId).toBeNull();
    expect(rejected).toEqual(['bad-signature']);
  });
});
