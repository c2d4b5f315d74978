/**
 * Once an adapter tells the handle that its response's headers left without a Set-Cookie
 * (`headersLeft`, internal: the Express adapter calls it), no new session can get its cookie to the
 * browser: the operations that would need one refuse, each naming itself, before changing anything;
 * everything else goes on as before.
 */
import { describe, expect, it } from 'vitest';
import { MemoryStore } from 'sessionlab';
import { headersLeft } from '../../src/session/session-handle.ts';
import { CookieClient, makeSession, ManualClock } from '../support/harness.ts';

async function signedIn() {
  const clock = new ManualClock();
  const store = new MemoryStore({ clock });
  const { session } = makeSession({ clock, store });
  const client = new CookieClient();
  await client.visit(session, (handle) => handle.login('ada', { visits: 1 }));
  const handle = await session.load({ cookie: client.header(), url: 'https://app.example/' });
  return { store, handle, before: await store.all() };
}

describe('a handle whose response\'s headers left', () => {
  it.each(['login', 'regenerate', 'reauthenticate'] as const)('refuses %s(), naming it, and changes nothing', async (operation) => {
    const { store, handle, before } = await signedIn();
    headersLeft(handle);
    const act = operation === 'login' ? () => handle.login('grace') : () => handle[operation]();
    await expect(act()).rejects.toThrow(
      new RegExp(`^${operation}\\(\\) after the response's headers were sent: the new session's cookie could not reach the browser, so nothing was changed\\.`),
    );
    expect(handle.userId).toBe('ada');
    expect(await store.all()).toEqual(before);
  });

  it('still saves a change to the data, and still signs out', async () => {
    const { store, handle } = await signedIn();
    headersLeft(handle);
    handle.data!['visits'] = 2;
    await handle.commit();
    expect((await store.all()).map((record) => record.data)).toEqual([{ visits: 2 }]);

    const { store: other, handle: leaving } = await signedIn();
    headersLeft(leaving);
    await leaving.logout();
    expect(await other.all()).toEqual([]);
  });

  it('lets every operation through while the headers have not left', async () => {
    const { handle } = await signedIn();
    await handle.regenerate();
    await handle.reauthenticate();
    await handle.login('grace');
    expect(handle.userId).toBe('grace');
  });
});
