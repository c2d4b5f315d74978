/** Exercise 1: create and get. */
import { conformance } from '../../../src/checks/conformance-checks.ts';
import { sessionKeepsData } from '../../../src/exercises/checks/session-checks.ts';
import type { ExerciseCheck } from '../../../src/checks/exercise-check.ts';

const [largeUnicode] = conformance('large-unicode');

export const checks: readonly ExerciseCheck[] = [
  ...conformance('create-get', 'get-missing', 'many-sessions'),
  {
    ...largeUnicode!,
    // The suite's hint speaks to database stores (text column types); here the store is a Map.
    hint: 'A Map keeps any object as it is, however large and whatever characters it holds: store the record itself, all of it, and give it back. Nothing needs encoding — and nothing may be left out.',
  },
  ...conformance('concurrent-creates'),
  sessionKeepsData,
];
