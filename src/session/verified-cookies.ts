/**
 * A bounded memo of cookie values already verified, and the store key each one maps to.
 *
 * Verifying a cookie (HMAC) and deriving its store key (SHA-256) are pure functions of the cookie
 * value and the secrets, and together they are most of what loading a session costs. An active
 * user sends the same cookie on every request, so the Session remembers the answer for recent
 * values. Only cookies that verified are kept: a forged value is checked in full every time.
 * The memo belongs to one Session, so it never outlives the secrets it was computed with.
 */
export interface VerifiedCookie {
  token: string;
  sessionId: string;
  /** Index of the secret that verified it; 0 is the current one. */
  keyIndex: number;
}

export class VerifiedCookies {
  readonly #entries = new Map<string, VerifiedCookie>();
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  get(value: string): VerifiedCookie | undefined {
    const entry = this.#entries.get(value);
    if (entry) {
      // Least recently used goes first: move a hit to the end of the Map's insertion order.
      this.#entries.delete(value);
      this.#entries.set(value, entry);
    }
    return entry;
  }

  set(value: string, entry: VerifiedCookie): void {
    this.#entries.set(value, entry);
    if (this.#entries.size > this.#capacity) this.#entries.delete(this.#entries.keys().next().value!);
  }
}
