/**
 * Under `cookie.secure: 'auto'` a plain-http localhost request gets a cookie without Secure. Two options are fine on
 * https but make that cookie one browsers drop: `sameSite: 'none'` (SameSite=None needs Secure) and a configured name
 * with the `__Host-` or `__Secure-` prefix (both need Secure). The constructor cannot refuse them (they are right in
 * production), so the first such request says so, once per Session.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeSession } from '../support/harness.ts';

const LOCAL = 'http://localhost:3000/';

async function firstVisit(options: Parameters<typeof makeSession>[0], url = LOCAL): Promise<string | null> {
  const { session } = makeSession(options);
  const handle = await session.load({ cookie: null, url });
  await handle.login('ada');
  return handle.commit();
}

describe("a cookie browsers would drop on plain-http localhost, under secure: 'auto'", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('warns once for sameSite none, naming the fix', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { session } = makeSession({ cookie: { sameSite: 'none' } });
    await session.load({ cookie: null, url: LOCAL });
    await session.load({ cookie: null, url: LOCAL });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(/without Secure.*drop.*SameSite=None.*sameSite 'lax'/s);
  });

  it('warns for a configured __Host- or __Secure- name', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    await firstVisit({ name: '__Host-app' });
    await firstVisit({ name: '__Secure-app' });
    expect(warn).toHaveBeenCalledTimes(2);
    expect(String(warn.mock.calls[0]![0])).toMatch(/__Host-app.*prefix.*Secure/s);
    expect(String(warn.mock.calls[1]![0])).toMatch(/__Secure-app.*prefix.*Secure/s);
  });

  it('says nothing on https, or for the defaults on localhost', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    await firstVisit({ cookie: { sameSite: 'none' } }, 'https://app.example/');
    await firstVisit({ name: '__Host-app' }, 'https://app.example/');
    await firstVisit({});
    expect(warn).not.toHaveBeenCalled();
  });
});
