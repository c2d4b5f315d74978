/**
 * Several servers behind the Lab's load balancer, on the built site: a reader switches to two
 * servers with round robin on the Memory store and sees why an in-memory store breaks the moment
 * there are two servers.
 */
import { expect, test } from './lab-fixtures.ts';

test.describe('two servers behind a load balancer', () => {
  test('round robin on Memory: signed in on server 1, then not signed in on server 2, with the server marked in the timeline', async ({ lab }) => {
    await lab.open('?store=memory');
    await lab.useServers(2);
    await expect(lab.timeline.getByText('2 servers behind a load balancer')).toBeVisible();

    await lab.app.getByLabel('Your name').fill('ada');
    await lab.app.getByRole('button', { name: 'Sign in' }).click();

    // The sign-in went to server 1 and succeeded...
    const login = lab.requestGroup('POST /api/login');
    await expect(login).toHaveAttribute('data-status', '200');
    await expect(lab.servedBy('POST /api/login')).toHaveText('Server 1');
    await expect(login.getByText('Session created')).toBeVisible();
    // ...and the page's next request, who am I, went to server 2, which never saw the session.
    const account = lab.requestGroup('GET /api/account');
    await expect(account).toHaveAttribute('data-status', '401');
    await expect(lab.servedBy('GET /api/account')).toHaveText('Server 2');
    await expect(lab.result).toContainText('You are signed out.');
    await expect(lab.result).toContainText('your session was made on server 1');

    // The Inspector shows each server's own memory.
    const records = lab.inspector.getByRole('table');
    await expect(records.getByText(/^Server 1’s memory: 1 session$/)).toBeVisible();
    await expect(records.getByText(/^Server 2’s memory: empty/)).toBeVisible();
  });
});
