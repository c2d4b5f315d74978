/**
 * A bounded memo of `Date.parse` over the ISO 8601 times in session records.
 *
 * Every request reads its record's `expires` and `createdAt` as numbers several times (is it
 * expired, has it passed its absolute lifetime, is it due for extension, and again on commit), and
 * `Date.parse` costs more than the rest of those checks together. The strings repeat: an active
 * session keeps its `createdAt` for life and its `expires` for a minute or more. So the answers are
 * remembered by string. `Date.parse` is a pure function of the string, so a remembered answer is
 * always the one it would give; the memo is emptied when full, so it never grows past `capacity`.
 */
export class ParsedTimes {
  readonly #times = new Map<string, number>();
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** `Date.parse(iso)`: NaN for a string that is not a date, as `Date.parse` answers. */
  of(iso: string): number {
    let time = this.#times.get(iso);
    if (time === undefined) {
      time = Date.parse(iso);
      if (this.#times.size >= this.#capacity) this.#times.clear();
      this.#times.set(iso, time);
    }
    return time;
  }
}
