/**
 * What an exercise's own tests expect of it: which checks its starter fails, and which checks catch
 * each of its wrong solutions, with a pattern the failure message must match (so a message that
 * stops explaining the mistake fails the tests). Kept next to the exercise, in expectations.ts.
 */
export interface ExerciseExpectations {
  /** Exactly the checks the starter fails, by id; it passes the others. */
  starterFails: readonly string[];
  /**
   * Each wrong solution (by file name, without `.ts`) → exactly the checks it fails, each with a
   * pattern its message matches.
   */
  wrong: Readonly<Record<string, Readonly<Record<string, RegExp>>>>;
  /**
   * The exercise's promises: one entry per bullet of its "What the checks look for" list, in order.
   * `says` is a phrase of that bullet; `checks` are the checks that fail when the promise is broken.
   * The tests hold the page against this list, and want at least one wrong solution per promise
   * caught by one of its checks: a promise without a check, or without a wrong solution that proves
   * the check, fails the build.
   */
  promises: readonly ExercisePromise[];
  /** The exercise's stores need IndexedDB: its checks run in a browser only. */
  needsIndexedDB: boolean;
}

export interface ExercisePromise {
  /** A phrase of the bullet, as the page writes it (Markdown marks and code ticks left out). */
  says: string;
  checks: readonly string[];
}
