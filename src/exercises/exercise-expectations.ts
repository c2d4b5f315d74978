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
  /** The exercise's stores need IndexedDB: its checks run in a browser only. */
  needsIndexedDB: boolean;
}
