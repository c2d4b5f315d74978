/**
 * What the Lab says about itself, on the built site: the status line names every store in plain
 * words, and an action's outcome there gives way to the running line at the reader's next action;
 * with two servers sharing one store, a session that expired is explained by its expiry, not by
 * another server's memory.
 */
import { expect, test } from './lab-fixtures.ts';

test.describe('the status line', () => {
  test('names a store whose name says "store" once: the Hanging store', async ({ lab }) => {
    await lab.open('?store=faulty-hang');
    await expect(lab.statusLine).toHaveText('Server running on the Hanging store.');
    await expect(lab.controls.locator('[data-lab="server-state"]')).toHaveText('Running on the Hanging store.');
  });

  test('names the last-write-wins Memory store in words that read', async ({ lab }) => {
    await lab.open('?store=memory-lww');
    await expect(lab.statusLine).toHaveText('Server running on the last-write-wins Memory store.');
  });

  test('keeps an action’s outcome through a page load, and gives way to the running line at the next sign-in', async ({ lab }) => {
    await lab.open();
    await lab.signIn('ada');
    await retireEarlierSecrets(lab);
    // The page load shows what retiring did (the cookie signed with the earlier secret is refused): the outcome stands.
    await lab.reloadAccount();
    await expect(lab.result).toContainText('You are signed out.');
    await expect(lab.statusLine).toHaveText(/^Only the newest secret verifies now\./);

    await lab.signIn('grace');
    await expect(lab.statusLine).toHaveText('Server running on the IndexedDB store.');
  });

  test('gives way to the running line when the clock jumps', async ({ lab }) => {
    await lab.open();
    await lab.signIn('ada');
    await retireEarlierSecrets(lab);
    await lab.jump('1 hour');
    await expect(lab.statusLine).toHaveText('Server running on the IndexedDB store.');
  });
});

test('two servers sharing IndexedDB: a session that expired is explained by its expiry, not by another server’s memory', async ({ lab }) => {
  await lab.open('?servers=2');
  await expect(lab.statusLine).toHaveText(/, all sharing one store\.$/);
  await lab.signIn('ada');
  await lab.reloadAccount();
  await lab.jump('1 hour');
  await lab.reloadAccount();

  await expect(lab.requestGroup('GET /api/account')).toHaveAttribute('data-status', '401');
  await expect(lab.result).toContainText('You are signed out.');
  await expect(lab.result).toContainText(/Your session (expired|had expired)/);
  await expect(lab.result).not.toContainText('memory');
});

/** Rotates the signing secret, then retires the earlier one, and waits for the status line to say so. */
async function retireEarlierSecrets(lab: import('./lab-fixtures.ts').LabPage): Promise<void> {
  await lab.controls.getByRole('button', { name: 'Rotate secret' }).click();
  await expect(lab.statusLine).toHaveText(/^A new secret signs cookies now/);
  await lab.controls.getByRole('button', { name: 'Retire earlier secrets' }).click();
  await expect(lab.statusLine).toHaveText(/^Only the newest secret verifies now\./);
}
