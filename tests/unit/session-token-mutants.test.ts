/**
 * Reading a cookie value: only the canonical encoding of a signature is accepted, so each session
 * has exactly one cookie value.
 */
import { describe, expect, it } from 'vitest';
import { generateToken, importSecrets, signToken, verifyToken } from '../../src/session/session-token.ts';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const SECRET = 'a-secret-that-is-long-enough-for-hmac-0001';

/** A fixed token, so the test does not depend on chance. */
const fixedRandom = (bytes: Uint8Array<ArrayBuffer>) => bytes.map((_, index) => index * 7 + 3);

describe('a signed cookie value whose signature is written with non-zero spare bits', () => {
  it('is turned away as malformed, although it decodes to the same signature bytes', async () => {
    const [key] = await importSecrets([SECRET]);
    const value = await signToken(generateToken(fixedRandom), key!);
    // 32 bytes are 43 base64url characters: the last one carries 4 bits and 2 spare bits, zero when canonical.
    const last = ALPHABET.indexOf(value.at(-1)!);
    expect(last % 4).toBe(0);
    const variant = value.slice(0, -1) + ALPHABET[last + 1];

    expect(await verifyToken(value, [key!])).toMatchObject({ ok: true, keyIndex: 0 });
    expect(await verifyToken(variant, [key!])).toEqual({ ok: false, reason: 'malformed' });
  });
});
