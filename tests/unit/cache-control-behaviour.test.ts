/**
 * The Cache-Control of a response that sets the session cookie, when the route set none: sent
 * `no-store`, and nothing said about it (there was no route header to replace).
 */
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { withSession } from 'sessionlab/fetch';
import { keepFromSharedCaches } from '../../src/session/cache-control.ts';
import { makeSession } from '../support/harness.ts';

describe('a response that sets the session cookie, from a route that set no Cache-Control', () => {
  let warn: MockInstance<typeof console.warn>;
  beforeEach(() => {
    warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  });
  afterEach(() => warn.mockRestore());

  it('is sent no-store, and nothing is said on the console', async () => {
    const { session } = makeSession();
    const app = withSession(session, async (_request, { session: handle }) => {
      await handle.login('ada');
      return new Response('ok');
    });
    const response = await app(new Request('https://app.example/login', { method: 'POST' }));
    expect(response.headers.getSetCookie()).toHaveLength(1);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(warn).not.toHaveBeenCalled();
  });

  it('says nothing for a missing header, and still says it the first time a route\'s header is replaced', () => {
    const { session } = makeSession();
    const headers = new Map<string, string>();
    const access = { names: () => headers.keys(), get: (name: string) => headers.get(name.toLowerCase()), set: (name: string, value: string) => headers.set(name.toLowerCase(), value) };
    keepFromSharedCaches(session, access);
    expect(headers.get('cache-control')).toBe('no-store');
    expect(warn).not.toHaveBeenCalled();
    headers.set('cache-control', 'public, max-age=60');
    keepFromSharedCaches(session, access);
    expect(headers.get('cache-control')).toBe('no-store');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toMatch(/had Cache-Control "public, max-age=60"/);
  });
});
