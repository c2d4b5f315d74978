// Mutation testing of the library core: `npm run mutation` (not part of `npm test`; it is slow).
// One file at a time: `npm run mutation -- --mutate src/session/stores/expiry-index.ts`.
// MUTATION_REPORT=name puts a run's reports (and incremental file) in build/mutation/name instead.
const reports = process.env.MUTATION_REPORT ? `build/mutation/${process.env.MUTATION_REPORT}` : 'build/mutation';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  // With MUTATION_TESTS (a store's or an adapter's own tests, see tests/mutation/vitest.config.ts),
  // every listed test file runs: Vitest's search for the tests related to the mutated file finds
  // none through the package's subpath aliases.
  // MUTATION_BROWSER=1 runs IndexedDBStore's browser tests in Chromium instead.
  vitest: {
    configFile: process.env.MUTATION_BROWSER ? 'tests/mutation/vitest.browser.config.ts' : 'tests/mutation/vitest.config.ts',
    related: !process.env.MUTATION_TESTS && !process.env.MUTATION_BROWSER,
  },
  coverageAnalysis: 'perTest',
  // Mutants that only reword an error or warning message are not counted (see the file for the rule).
  plugins: ['@stryker-mutator/vitest-runner', './tests/mutation/ignore-message-text.mjs'],
  ignorers: ['message-text'],
  mutate: [
    'src/session/session.ts',
    'src/session/session-handle.ts',
    'src/session/session-cookie.ts',
    'src/session/session-token.ts',
    'src/session/merge-changes.ts',
    'src/session/store-caller.ts',
    'src/session/stores/memory-store.ts',
    'src/session/stores/expiry-index.ts',
    'src/session/conformance/checks.ts',
    // The checks themselves, once in checks.ts, now live beside it.
    'src/session/conformance/store-checks.ts',
    'src/session/conformance/expiry-checks.ts',
    'src/session/conformance/optional-checks.ts',
    'src/session/conformance/assertions.ts',
    'src/session/conformance/check-helpers.ts',
    'src/session/conformance/clock-control.ts',
    'src/session/conformance/run-checks.ts',
    // runConformance: the suite's entry point for store authors.
    'src/session/conformance/index.ts',
    // What session.ts and session-handle.ts were split into, and the device and sign-in features.
    'src/session/save-record.ts',
    'src/session/record-normalizer.ts',
    'src/session/cookie-warnings.ts',
    'src/session/revocation.ts',
    'src/session/session-runtime.ts',
    'src/session/devices.ts',
    'src/session/session-devices.ts',
    'src/session/freshness.ts',
    'src/session/key-ring.ts',
    'src/session/verified-cookies.ts',
    'src/session/commit-budget.ts',
    'src/session/session-events.ts',
    'src/session/session-options.ts',
    'src/session/parsed-times.ts',
    'src/session/stores/base-session-store.ts',
    'src/session/encoding.ts',
    'src/session/errors.ts',
    'src/session/cache-control.ts',
  ],
  // Never in place: the checkout is shared, and a mutated source must not be seen by anyone else.
  inPlace: false,
  ignorePatterns: ['/build', '/dist', '/.astro', '/test-results', '/playwright-report'],
  // Stryker rewrites the tsconfig's relative `extends` for the sandbox with an API TypeScript 7 no
  // longer has. Ours extends nothing, so point the step at no file: it then has nothing to rewrite.
  tsconfigFile: 'tests/mutation/no-tsconfig-to-rewrite.json',
  incremental: true,
  incrementalFile: `${reports}/stryker-incremental.json`,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `${reports}/index.html` },
  jsonReporter: { fileName: `${reports}/mutation.json` },
  tempDirName: `${reports}/tmp`,
  concurrency: 2,
  thresholds: { high: 90, low: 80, break: null },
};
