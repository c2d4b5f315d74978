/**
 * Session tokens and the cookie value that carries them.
 *
 * The cookie holds `token.signature`: 32 random bytes (256 bits, OWASP asks for at least 64 bits of
 * entropy) and their HMAC-SHA256 under the key that signs now. The store never sees the token, only its
 * SHA-256 hash, so a copy of the store cannot be replayed as cookies. The signature lets forged or
 * garbled cookies be turned away without touching the store.
 */
import { fromBase64Url, toBase64Url } from './encoding.ts';

/** Fills an array with cryptographically strong random bytes (the shape of `crypto.getRandomValues`). */
export type RandomSource = (bytes: Uint8Array<ArrayBuffer>) => Uint8Array<ArrayBuffer>;

const TOKEN_BYTES = 32;
/** 32 bytes in base64url are 43 characters; so is a SHA-256 signature. */
const COOKIE_VALUE = /^([A-Za-z0-9_-]{43})\.([A-Za-z0-9_-]{43})$/;
const encoder = new TextEncoder();

export const defaultRandom: RandomSource = (bytes) => crypto.getRandomValues(bytes);

/** A new unguessable token. */
export function generateToken(random: RandomSource = defaultRandom): string {
  return toBase64Url(random(new Uint8Array(TOKEN_BYTES)));
}

/** The store key for a token: base64url(SHA-256(token)). */
export async function hashToken(token: string): Promise<string> {
  return toBase64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(token))));
}

/** Imports secrets as HMAC-SHA256 keys (the key ring decides which signs and which verify when). */
export function importSecrets(secrets: readonly string[]): Promise<CryptoKey[]> {
  return Promise.all(
    secrets.map((secret) =>
      crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']),
    ),
  );
}

/** The cookie value for a token: `token.signature`. */
export async function signToken(token: string, key: CryptoKey): Promise<string> {
  const signature = await crypto.subtle.sign('HMAC', key, encoder.encode(token));
  return `${token}.${toBase64Url(new Uint8Array(signature))}`;
}

/** What reading a cookie value gave. */
export type VerifiedToken =
  | { ok: true; token: string; /** Index of the key that verified it, in the order they were given. */ keyIndex: number }
  | { ok: false; reason: 'malformed' | 'bad-signature' };

/**
 * Checks a cookie value against every key. Never throws: anything that is not a well-formed value
 * signed by one of the keys is reported as such. `crypto.subtle.verify` compares in constant time.
 */
export async function verifyToken(value: string, keys: readonly CryptoKey[]): Promise<VerifiedToken> {
  const match = COOKIE_VALUE.exec(value);
  const signature = match?.[2] === undefined ? null : fromBase64Url(match[2]);
  // Only the canonical encoding: the last character's spare bits must be zero, so each session has exactly one cookie value.
  if (!match || !signature || toBase64Url(signature) !== match[2]) return { ok: false, reason: 'malformed' };
  const token = match[1]!;
  const data = encoder.encode(token);
  for (const [keyIndex, key] of keys.entries()) {
    if (await crypto.subtle.verify('HMAC', key, signature, data)) return { ok: true, token, keyIndex };
  }
  return { ok: false, reason: 'bad-signature' };
}
