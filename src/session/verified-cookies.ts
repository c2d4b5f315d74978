/**
 * A bounded memo of cookie values already verified, and the store key each one maps to.
 *
 * Verifying a cookie (HMAC) and deriving its store key (SHA-256) are pure functions of the cookie
 * value and the secrets, and together they are most of what loading a session costs. An active
 * user sends the same cookie on every request, so the Session remembers the answer for recent
 * values. Only cookies that verified are kept: a forged value is checked in full every time.
 * The memo belongs to one Session, so it never outlives the secrets it was computed with; a key's
 * dates are not part of the answer, so the Session checks them on every use, remembered or not.
 */
import { hashToken, verifyToken } from './session-token.ts';

export interface VerifiedCookie {
  token: string;
  sessionId: string;
  /** Index of the key that verified it, in the order of the secret option. The Session checks its window on every use. */
  keyIndex: number;
}

interface Remembered {
  value: string;
  entry: VerifiedCookie;
  /** When it was last put at the back of the eviction order, counted in insertions. */
  placed: number;
}

export class VerifiedCookies {
  /** In eviction order: the first key goes first once the memo is over capacity. */
  readonly #entries = new Map<string, Remembered>();
  /**
   * The same entries by a fingerprint of their value (the last remembered value of each fingerprint).
   * A request's cookie value is a new string each time, and a `Map` keyed by strings hashes all of
   * its characters on every lookup: for an 87-character value that cost several times the rest of
   * the lookup. A fingerprint is a few characters read as a number; the value itself is then compared
   * in full, so a value is only ever answered for itself. On a fingerprint miss `#entries` answers.
   * Only entries still in `#entries` are held here: forgetting one removes it from both.
   */
  readonly #byFingerprint = new Map<number, Remembered>();
  readonly #capacity: number;
  #insertions = 0;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  get(value: string): VerifiedCookie | undefined {
    const print = fingerprint(value);
    let remembered = this.#byFingerprint.get(print);
    if (remembered === undefined || remembered.value !== value) {
      remembered = this.#entries.get(value);
      if (!remembered) return undefined;
      // Stryker disable next-line CallExpression: a speed-up only; without it the next look-up misses here and #entries answers the same.
      this.#byFingerprint.set(print, remembered);
    }
    // Least recently used goes first. Moving a hit to the back of the Map's order costs a delete and
    // an insert, and an active user hits on every request: so move it only once half the capacity
    // has been inserted after it. A hit then always leaves the value in the newer half, safe for at
    // least capacity / 2 more insertions, and most hits cost one lookup.
    if (this.#insertions - remembered.placed >= this.#capacity / 2) {
      this.#entries.delete(value);
      this.#place(remembered);
    }
    return remembered.entry;
  }

  /**
   * Checks a value `get` did not know: its signature against `keys`, then its store key (the hash of
   * its token). Remembers the answer when it verified; a value that did not is never remembered.
   */
  async verify(value: string, keys: Promise<readonly CryptoKey[]>): Promise<VerifiedCookie | 'malformed' | 'bad-signature'> {
    const verified = await verifyToken(value, await keys);
    if (!verified.ok) return verified.reason;
    const entry = { token: verified.token, keyIndex: verified.keyIndex, sessionId: await hashToken(verified.token) };
    this.set(value, entry);
    return entry;
  }

  set(value: string, entry: VerifiedCookie): void {
    const previous = this.#entries.get(value);
    if (previous) this.#forget(previous);
    const remembered: Remembered = { value, entry, placed: 0 };
    this.#place(remembered);
    // Stryker disable next-line CallExpression: a speed-up only; without it the first look-up misses here and #entries answers the same.
    this.#byFingerprint.set(fingerprint(value), remembered);
    if (this.#entries.size > this.#capacity) this.#forget(this.#entries.values().next().value!);
  }

  #place(remembered: Remembered): void {
    remembered.placed = ++this.#insertions;
    this.#entries.set(remembered.value, remembered);
  }

  #forget(remembered: Remembered): void {
    this.#entries.delete(remembered.value);
    const print = fingerprint(remembered.value);
    if (this.#byFingerprint.get(print) === remembered) this.#byFingerprint.delete(print);
  }
}

/**
 * A number for `value` from four of its last characters and its length. For a signed cookie value
 * they are characters of the signature, an HMAC output no one can choose. Two values may share a
 * fingerprint: `get` then tells them apart by the value itself.
 */
// Stryker disable next-line BlockStatement: any fixed number per value serves (get compares the value in full); only how often values share one changes.
function fingerprint(value: string): number {
  // Stryker disable next-line ArithmeticOperator: reading other characters only changes how often two values share a fingerprint.
  const end = value.length - 1;
  // charCodeAt past the start is NaN, which a shift reads as 0.
  // Stryker disable next-line ArithmeticOperator: reading other characters only changes how often two values share a fingerprint.
  const chars = (value.charCodeAt(end - 1) << 21) ^ (value.charCodeAt(end - 2) << 14) ^ (value.charCodeAt(end - 3) << 7) ^ value.charCodeAt(end - 4);
  return (chars ^ (end << 3)) & 0x3fffffff;
}
