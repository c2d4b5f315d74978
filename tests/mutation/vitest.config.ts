import { defineConfig, mergeConfig } from 'vitest/config';
import base from '../vitest.config.ts';

/**
 * The unit tests that pin the library core's behaviour, as one plain Vitest project for StrykerJS's
 * Vitest runner (it runs a single project and switches mutants on inside the test process). A
 * mutant that survives these is one no test of the core notices.
 *
 * A list, not a glob: each mutant reruns the tests that cover it, so only tests of the core belong
 * here. Left out on purpose:
 * - package.test.ts runs the packed tarball in child processes, where no mutant can be switched on;
 * - the Redis, PostgreSQL and SQLite store tests (real servers and files) and the Express, Hono and
 *   connect adapter tests: they test those layers, and take seconds per run;
 * - cookie-fuzz.test.ts: thousands of generated cookies per run; the explicit malformed-cookie
 *   tests pin the same promises in milliseconds;
 * - the site's tests (docs, exercises, lab, check engine, tables, API reference, layer rules).
 *
 * The stores and adapters outside the core are measured one at a time, each with its own tests:
 * MUTATION_TESTS=sqlite-store,sqlite-store-node-22-13 (names in tests/unit, comma-separated)
 * replaces the list for that run. The commands are in equivalent-mutants.md.
 */
const CORE_TESTS = [
  'session',
  'session-handle',
  'session-cookie-rules',
  'secure-detection',
  'session-expiry-edges',
  'session-records',
  'session-load-url',
  'session-insecure-cookie',
  'commit',
  'commit-after-unversioned-write',
  'cookie-lifetime-options',
  'store-caller',
  'memory-store',
  'memory-store-index',
  'expiry-index',
  'merge-changes',
  'encoding',
  'errors',
  'verified-cookies',
  'parsed-times',
  'conformance',
  'conformance-broken-stores',
  'conformance-required-checks-catch',
  'concurrency',
  'contention',
  'incomplete-records',
  'revoke-race',
  'fluidauth-faults',
  'fetch-adapter',
  'needs-commit',
  'session-devices',
  'session-devices-attacks',
  'session-freshness',
  'session-key-ring',
  'devices-details',
  'session-devices-stamps',
  'session-devices-listing',
  'session-options-checks',
  'session-events-emitter',
  'key-ring-reading',
  'revocation-rounds',
  'commit-budget',
  'record-normalizer',
  'own-copy-mark',
  'verified-cookies-answers',
  'save-record-merge',
  'verified-cookies-fingerprint',
  'write-snapshot',
  'memory-store-copies-out',
  'conformance-record-fields',
  'conformance-expiry-checks-catch',
  'conformance-optional-checks-catch',
  'conformance-assertions',
  'conformance-listing-checks',
  'conformance-clock-control',
  'conformance-run-checks',
  'memory-store-mutants',
  'session-token-mutants',
  'session-cookie-read',
  'session-cookie-mutants',
  'secure-behind-proxy',
  'cache-control',
  'session-handle-behaviour',
  'store-caller-behaviour',
  'store-caller-copies',
  'session-behaviour',
  'cache-control-behaviour',
  'session-events-background',
  'conformance-expiry-check-messages',
  'conformance-run-options',
  'session-data-not-json',
  'session-handle-headers-left',
  'cache-control-cdn',
];

export default mergeConfig(
  { resolve: base.resolve, root: base.root },
  defineConfig({
    test: {
      name: 'mutation',
      environment: 'node',
      // Instrumented code under a shared machine's load runs many times slower than usual.
      testTimeout: 60_000,
      hookTimeout: 120_000,
      include: (process.env['MUTATION_TESTS']?.split(',') ?? CORE_TESTS).map((name) => `tests/unit/${name.trim()}.test.ts`),
    },
  }),
);
