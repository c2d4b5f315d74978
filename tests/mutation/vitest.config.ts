import { defineConfig, mergeConfig } from 'vitest/config';
import base from '../vitest.config.ts';

/**
 * The unit tests that exercise the library, as one plain Vitest project for StrykerJS's Vitest
 * runner (it runs a single project and switches mutants on inside the test process).
 *
 * Left out, each for a reason:
 * - package.test.ts runs the packed tarball in child processes, where no mutant can be switched on;
 * - redis-store, postgres-store and revoke-race-stores start real servers: slow, and they test
 *   those stores, which this run does not mutate;
 * - sqlite-store tests depend on file permissions of the checkout, which the sandbox copy changes;
 * - the site's tests (docs, exercises, lab, tables, compat table, API reference, layers) do not
 *   exercise the library's core behaviour.
 */
export default mergeConfig(
  { resolve: base.resolve, root: base.root },
  defineConfig({
    test: {
      name: 'mutation',
      environment: 'node',
      // Instrumented code under a shared machine's load runs many times slower than usual.
      testTimeout: 60_000,
      hookTimeout: 60_000,
      include: [
        'tests/unit/**/*.test.ts',
      ],
      exclude: [
        'tests/unit/package.test.ts',
        'tests/unit/redis-store.test.ts',
        'tests/unit/postgres-store.test.ts',
        'tests/unit/revoke-race-stores.test.ts',
        'tests/unit/sqlite-store*.test.ts',
        'tests/unit/docs-*.test.ts',
        'tests/unit/exercises.test.ts',
        'tests/unit/lab-*.test.ts',
        'tests/unit/focusable-tables.test.ts',
        'tests/unit/compat-table.test.ts',
        'tests/unit/api-reference.test.ts',
        'tests/unit/dependencies.test.ts',
        'tests/unit/check-protocol.test.ts',
      ],
    },
  }),
);
