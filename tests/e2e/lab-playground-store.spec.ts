/**
 * The Lab beside the playground, on the built site: when a Run's store fails to load, the Lab's
 * Controls card says what its status line says, that the server kept the store it ran.
 */
import { expect, jsStore, test } from './playground-fixtures.ts';

test('a store that does not start: the Controls card says the server still runs the store it had', async ({ playground }) => {
  await playground.open();
  const state = playground.lab.locator('[data-lab="server-state"]');
  await expect(state).toHaveText('Running on MyStore (run 1).');

  await playground.setAndRun(
    jsStore((code) => code.replace('  db = new Map();', "  db = new Map();\n  constructor() { super(); throw new Error('no database'); }")),
    /^BrokenStore \(run 2\) did not start; the Lab still runs on MyStore \(run 1\)\./,
  );
  await expect(state).toHaveText('Still running on MyStore (run 1): BrokenStore (run 2) did not start.');
  await expect(playground.lab.locator('[data-lab="status-text"]')).toHaveText('BrokenStore (run 2) did not start: the server still runs on MyStore (run 1).');
});
