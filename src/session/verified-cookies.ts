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
  entry: VerifiedCookie;
  /** When it was last put at the back of the eviction order, counted in insertions. */
  placed: number;
}

export class VerifiedCookies {
  /** In eviction order: the first key goes first once the memo is over capacity. */
  readonly #entries = new Map<string, Remembered>();
  readonly #capacity: number;
  #insertions = 0;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  get(value: string): VerifiedCookie | undefined {
    const remembered = this.#entries.get(value);
    if (!remembered) return undefined;
    // Least recently used goes first. Moving a hit to the back of the Map's order costs a delete and
    // an insert, and an active user hits on every request: so move it only once half the capacity
    // has been inserted after it. A hit then always leaves the value in the newer half, safe for at
    // least capacity / 2 more insertions, and most hits cost one lookup.
    if (this.#insertions - remembered.placed >= this.#capacity / 2) {
      this.#entries.delete(value);
      this.#place(value, remembered);
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
    this.#entries.delete(value);
    this.#place(value, { entry, placed: 0 });
    if (this.#entries.size > this.#capacity) this.#entries.delete(this.#entries.keys().next().value!);
  }

  #place(value: string, remembered: Remembered): void {
    remembered.placed = ++this.#insertions;
    this.#entries.set(value, remembered);
  }
}
