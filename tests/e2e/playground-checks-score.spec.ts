/**
 * On the built playground: the score of "Run checks" reaches the status line, and the first failing
 * check gets focus in view, though the Checks pane sits below the editor; a store pasted from
 * FluidAuth's docs without its import is told which import to add.
 */
import { expect, FLUIDAUTH_DOCS_STORE, jsStore, test } from './playground-fixtures.ts';

// Monaco's TypeScript worker starts in seconds on two idle cores, and much later on busy ones.
test.describe.configure({ timeout: 120_000 });

test('Run checks puts the score in the status line and focuses the first failing check', async ({ playground, page }) => {
  await playground.open();
  await playground.language('JavaScript');
  // A delete() that deletes nothing fails a required check.
  await playground.setCode(jsStore((code) => code.replace('delete(id) { this.db.delete(id); }', 'delete(id) {}')));
  const button = playground.root.getByRole('button', { name: 'Run checks' });
  await button.focus();
  await page.keyboard.press('Enter');
  await expect(playground.status).toHaveText(/^Checks: (\d+) of \d+ required pass; (\d+) fails?: .+\. Read the messages and hints under Checks\.$/, { timeout: 90_000 });
  const firstFailing = playground.checks.locator('[data-check][data-state="fail"]').first();
  await expect(firstFailing).toBeFocused();
  await expect(firstFailing).toBeInViewport();
  const title = await firstFailing.locator('.pg-check-title').textContent();
  await expect(playground.status).toContainText(`: ${title}.`);
});

test('a store pasted without its import is told which import line to add', async ({ playground }) => {
  await playground.open();
  await playground.language('JavaScript');
  const pasted = FLUIDAUTH_DOCS_STORE.replace('import { BaseSessionStore } from "@fluidauth/express/base";\n\n', '');
  await playground.setCode(pasted);
  // The first compile of JavaScript on the page starts its TypeScript worker.
  await playground.run(/did not start/, 90_000);
  await expect(playground.output.locator('.pg-entry-detail').last()).toHaveText(
    /^BaseSessionStore is not defined \(line 1 in the editor\): add `import \{ BaseSessionStore \} from '@fluidauth\/express\/base';` \(or from 'sessionlab'\) at the top of your code\./,
  );
});
