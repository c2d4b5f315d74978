/**
 * The thin Vitest wrapper around the framework-free conformance suite: one `it` per check.
 * A store may be expected to fail some recommended checks; then the test asserts that it does,
 * and that the message explains the failure.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { conformanceChecks, runConformance, type AnyStore, type ConformanceOptions, type ConformanceResult } from 'sessionlab/conformance';

export interface DescribeConformanceOptions<S extends AnyStore> extends ConformanceOptions<S> {
  /** Check id → a pattern its failure message must match. Only recommended checks may be listed. */
  expectFailures?: Readonly<Record<string, RegExp>>;
}

export function describeConformance<S extends AnyStore>(name: string, options: DescribeConformanceOptions<S>): void {
  describe(`${name} passes the store conformance suite`, () => {
    const results = new Map<string, ConformanceResult>();
    beforeAll(async () => {
      for (const result of await runConformance(options)) results.set(result.id, result);
    }, 120_000);

    for (const check of conformanceChecks) {
      const expected = options.expectFailures?.[check.id];
      if (expected) {
        it(`fails "${check.title}" (${check.level}) and says why`, () => {
          expect(check.level, 'a store must never be excused from a required check').toBe('recommended');
          const result = results.get(check.id);
          expect(result?.passed).toBe(false);
          expect(result?.message).toMatch(expected);
        });
      } else if (options.skip?.[check.id] === undefined) {
        it(`${check.title} (${check.level})`, () => {
          const result = results.get(check.id);
          expect(result, `no result for ${check.id}`).toBeDefined();
          expect(result?.passed, result?.message).toBe(true);
        });
      }
    }
  });
}
