/**
 * The Fetch adapter in a runtime whose Response cannot carry Set-Cookie. Browsers and service
 * workers make every Response with the "response" header guard, which silently drops a forbidden
 * response header name such as Set-Cookie (Fetch standard, "forbidden response-header name"). There
 * `withSession()` could never deliver the cookie, so it refuses at construction, and
 * `handleWithSession()` hands the cookie over apart. Node keeps Set-Cookie, so the tests put a
 * Response made like a browser's in its place.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SessionConfigError } from 'sessionlab';
import { handleWithSession, withSession } from 'sessionlab/fetch';
import { makeSession } from '../support/harness.ts';

/** Headers under the "response" guard: appending or setting Set-Cookie does nothing. */
class ResponseGuardedHeaders extends Headers {
  override append(name: string, value: string): void {
    if (name.toLowerCase() !== 'set-cookie') super.append(name, value);
  }

  override set(name: string, value: string): void {
    if (name.toLowerCase() !== 'set-cookie') super.set(name, value);
  }
}

/** A Response as a browser or a service worker makes it. */
class BrowserResponse extends Response {
  readonly #headers = new ResponseGuardedHeaders(super.headers);

  override get headers(): Headers {
    return this.#headers;
  }
}

describe('the Fetch adapter where a Response drops Set-Cookie (browsers, service workers)', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('refuses withSession() at construction, with a SessionConfigError that points to handleWithSession()', () => {
    vi.stubGlobal('Response', BrowserResponse);
    const { session } = makeSession();
    let refusal: unknown;
    try {
      withSession(session, () => new Response('never'));
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(SessionConfigError);
    expect((refusal as SessionConfigError).hint).toMatch(/handleWithSession\(\)/);
  });

  it('still serves handleWithSession(), which hands the cookie over apart from the response', async () => {
    vi.stubGlobal('Response', BrowserResponse);
    const { session } = makeSession();
    const { response, setCookie } = await handleWithSession(session, new Request('https://app.example/login', { method: 'POST' }), async (_request, { session: handle }) => {
      await handle.login('ada');
      return new Response('welcome');
    });
    expect(await response.text()).toBe('welcome');
    expect(setCookie).toMatch(/^__Host-session=/);
  });
});
