/**
 * The thin Vitest wrapper around the framework-free conformance suite: one `it` per check, each
 * running its own check on a fresh store (so a test covers exactly the code of its check, and
 * mutation testing re-runs only the checks a mutant reaches).
 * A store may be expected to fail some recommended checks; then the test asserts that it does,
 * and that the message explains the failure.
 */
import { describe, expect, it } from 'vitest';
import { conformanceChecks, runConformance, type AnyStore, type ConformanceOptions, type ConformanceResult } from 'sessionlab/conformance';

export interface DescribeConformanceOptions<S extends AnyStore> extends ConformanceOptions<S> {
  /** Check id → a pattern its failure message must match. Only recommended checks may be listed. */
  expectFailures?: Readonly<Record<string, RegExp>>;
}

/** Long enough for a thousand writes to a slow store on a loaded machine; the check's own deadline is `timeoutMs`. */
const CHECK_TEST_TIMEOUT_MS = 120_000;

export function describeConformance<S extends AnyStore>(name: string, options: DescribeConformanceOptions<S>): void {
  describe(`${name} passes the store conformance suite`, () => {
    async function resultOf(id: string): Promise<ConformanceResult | undefined> {
      const [result] = await runConformance({ ...options, only: [id] });
      return result;
    }

    for (const check of conformanceChecks) {
      const expected = options.expectFailures?.[check.id];
      if (expected) {
        it(`fails "${check.title}" (${check.level}) and says why`, async () => {
          expect(check.level, 'a store must never be excused from a required check').toBe('recommended');
          const result = await resultOf(check.id);
          expect(result?.passed).toBe(false);
          expect(result?.message).toMatch(expected);
        }, CHECK_TEST_TIMEOUT_MS);
      } else if (options.skip?.[check.id] === undefined) {
        it(`${check.title} (${check.level})`, async () => {
          const result = await resultOf(check.id);
          expect(result, `no result for ${check.id}`).toBeDefined();
          expect(result?.passed, result?.message).toBe(true);
        }, CHECK_TEST_TIMEOUT_MS);
      }
    }
  });
}
