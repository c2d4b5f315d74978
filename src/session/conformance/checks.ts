/**
 * The checks of the store conformance suite. Each one is a promise about the store contract, a way
 * to test it, and — for when it fails — why it matters and how to fix it.
 *
 * A required check observes the method it names directly, never through another method that could
 * hide its fault: the clean() checks look for what clean() should have removed at a time when it
 * would still be live, so a get() that hides expired records cannot cover for a clean() that leaks.
 */
import { STORE_CHECKS } from './store-checks.ts';
import { EXPIRY_CHECKS } from './expiry-checks.ts';
import { OPTIONAL_CHECKS } from './optional-checks.ts';
import type { ConformanceCheck } from './conformance-check.ts';

export { CheckFailure, canonicalJson } from './assertions.ts';
export { sampleRecord } from './sample-record.ts';
export type { CheckLevel } from './run-checks.ts';
export type { AnyStore, ConformanceCheck, ConformanceCheckContext } from './conformance-check.ts';

const ORDER = [
  'create-get',
  'get-missing',
  'update',
  'update-missing',
  'delete',
  'delete-missing',
  'clean-removes-expired',
  'clean-keeps-live',
  'clean-compares-instants',
  'update-moves-expiry',
  'many-sessions',
  'large-unicode',
  'concurrent-creates',
  'get-expired',
  'copies-out',
  'copies-in',
  'clean-unreadable-expiry',
  'create-duplicate',
  'clean-count',
  'compare-and-set',
  'compare-and-set-concurrent',
  'list-by-user',
  'all-records',
] as const;

const ALL = [...STORE_CHECKS, ...EXPIRY_CHECKS, ...OPTIONAL_CHECKS];

/** Every check, in ORDER (the test "conformanceChecks lists every check once, in the documented order" pins that each id is one check's). */
export const CHECKS: readonly ConformanceCheck[] = ORDER.map((id) => ALL.find((check) => check.id === id)!);
