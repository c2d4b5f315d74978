/**
 * base64url without padding (RFC 4648 §5), the encoding of a cookie's token and signature.
 * The vectors are RFC 4648 §10's, written in the URL-safe alphabet with the padding left off.
 */
import { describe, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url } from '../../src/session/encoding.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

const RFC_4648_VECTORS: [string, string][] = [
  ['', ''],
  ['f', 'Zg'],
  ['fo', 'Zm8'],
  ['foo', 'Zm9v'],
  ['foob', 'Zm9vYg'],
  ['fooba', 'Zm9vYmE'],
  ['foobar', 'Zm9vYmFy'],
];

describe('toBase64Url()', () => {
  it.each(RFC_4648_VECTORS)('encodes %j as %j, without padding', (text, encoded) => {
    expect(toBase64Url(bytes(text))).toBe(encoded);
  });

  it('writes "-" and "_" where standard base64 writes "+" and "/", every time', () => {
    // Standard base64: "//79/A==" and "+/+/".
    expect(toBase64Url(new Uint8Array([0xff, 0xfe, 0xfd, 0xfc]))).toBe('__79_A');
    expect(toBase64Url(new Uint8Array([0xfb, 0xff, 0xbf]))).toBe('-_-_');
  });
});

describe('fromBase64Url()', () => {
  it.each(RFC_4648_VECTORS)('decodes %j from %j', (text, encoded) => {
    expect(fromBase64Url(encoded)).toEqual(bytes(text));
  });

  it('reads "-" and "_" as the bytes standard base64 writes as "+" and "/", every time', () => {
    expect(fromBase64Url('__79_A')).toEqual(new Uint8Array([0xff, 0xfe, 0xfd, 0xfc]));
    expect(fromBase64Url('-_-_')).toEqual(new Uint8Array([0xfb, 0xff, 0xbf]));
  });

  it('decodes every byte value back to itself', () => {
    const all = Uint8Array.from({ length: 256 }, (_, n) => n);
    expect(fromBase64Url(toBase64Url(all))).toEqual(all);
  });

  describe('answers null, never throws, for text that is not base64url', () => {
    it.each([
      ['standard base64 "+" and "/"', 'ab+/'],
      ['padding', 'Zg=='],
      ['a character outside the alphabet first', '.abc'],
      ['a character outside the alphabet last', 'abc.'],
      ['a character outside the alphabet inside', 'ab c'],
      ['a length of 4n + 1, which no byte string encodes to', 'Zm9vY'],
      ['a single character', 'Z'],
    ])('%s (%j)', (_what, text) => {
      expect(fromBase64Url(text)).toBeNull();
    });
  });
});
