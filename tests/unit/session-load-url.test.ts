/**
 * `Session.load()` decides from the request's URL whether the cookie is Secure (under the default `secure: 'auto'`).
 * Without a URL it must assume https, which a hand-written adapter on http://localhost would not notice: browsers
 * silently drop a Secure, `__Host-` cookie there. So it says so, once.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeSession } from '../support/harness.ts';

describe('Session.load() without the request URL', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('treats the request as https, and warns once per Session that the cookie will be Secure', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { session } = makeSession();
    const handle = await session.load({ cookie: null });
    await session.load({ cookie: null });
    expect(handle.cookieName).toBe('__Host-session');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(/no url.*Secure.*__Host-session.*url: request\.url/s);
  });

  it('does not warn when given the URL', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { session } = makeSession();
    const handle = await session.load({ cookie: null, url: 'http://localhost:3000/' });
    expect(handle.cookieName).toBe('session');
    expect(warn).not.toHaveBeenCalled();
  });

  it('does not warn when the cookie options say whether it is Secure', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { session } = makeSession({ cookie: { secure: true } });
    await session.load({ cookie: null });
    expect(warn).not.toHaveBeenCalled();
  });
});
