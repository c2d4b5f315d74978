/**
 * Run checks on the built site, beside a Lab the reader is using: checking the code the Lab already
 * serves leaves the Lab alone (the reader stays signed in), and results for code that has changed
 * since are marked out of date until the next run.
 */
import { expect, test } from './playground-fixtures.ts';

// Monaco's TypeScript worker starts in seconds on two idle cores, and much later on busy ones.
test.describe.configure({ timeout: 120_000 });

test('checking the code the Lab serves keeps the reader signed in there', async ({ playground }) => {
  await playground.open();
  await expect(playground.status).toHaveText(/^MyStore \(run 1\) runs in the Lab/);
  await playground.signIn('ada');
  const app = playground.lab.getByRole('region', { name: 'Demo app' });
  await expect(app.getByText('Signed in as ada', { exact: true })).toBeVisible();

  await playground.root.getByRole('tab', { name: /^Checks/ }).click();
  const summary = await playground.runChecks();
  await expect(summary).toHaveText(/^Required: (\d+) of \1 passed\./);
  await expect(playground.status).toHaveText(/^Checks: all \d+ required /);

  // The Lab was not restarted: the same page, reloaded, is still signed in.
  await playground.labTab('App');
  await app.getByRole('button', { name: 'Reload page' }).click();
  await expect(app.getByText('Signed in as ada', { exact: true })).toBeVisible();
  await playground.labTab('Timeline');
  await expect(playground.lab.getByText(/Now running on /)).toHaveText([/Now running on MyStore \(run 1\)\.$/]);
});

test('results for code changed since are marked out of date, until the code is checked again', async ({ playground }) => {
  await playground.open();
  await playground.root.getByRole('tab', { name: /^Checks/ }).click();
  const stale = playground.checks.locator('[data-pg="checks-stale"]');
  await expect(stale).toBeHidden();
  await playground.runChecks();
  await expect(stale).toBeHidden();

  const checked = await playground.code();
  await playground.setCode(`${checked}\n// an edit after the checks\n`);
  await expect(stale).toBeVisible();
  await expect(stale).toHaveText(/Your code has changed since these results: press Run checks to check it again\./);
  await expect(playground.checks).toHaveAttribute('data-stale', '');

  // Back to the code that was checked: the results are for it again.
  await playground.setCode(checked);
  await expect(stale).toBeHidden();

  await playground.setCode(`${checked}\n// checked again\n`);
  await expect(stale).toBeVisible();
  await playground.runChecks();
  await expect(stale).toBeHidden();
  await expect(playground.checks).not.toHaveAttribute('data-stale', '');
});
