/**
 * Property-based tests over hostile Cookie headers: thousands of cases, zero throws, zero store
 * lookups for cookies that are not correctly signed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CookieClient, makeSession, storeCalls } from '../support/harness.ts';

const NAME = '__Host-session';
const BASE64URL = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'];

async function signedValue(): Promise<{ value: string; session: ReturnType<typeof makeSession> }> {
  const session = makeSession();
  const client = new CookieClient();
  await client.visit(session.session, (handle) => handle.login('ada'));
  return { value: client.cookies.get(NAME)!, session };
}

// Thousands of runs per property: seconds of work on a busy machine, so Vitest's 5 s default is too short.
describe('hostile Cookie headers', { timeout: 60_000 }, () => {
  it('never throw and never reach the store (arbitrary headers)', async () => {
    const { session, events } = makeSession();
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' })), async (header) => {
        const handle = await session.load({ cookie: header, url: 'https://app.example/' });
        expect(handle.isAuthenticated()).toBe(false);
        await handle.commit();
      }),
      { numRuns: 3000 },
    );
    expect(storeCalls(events)).toEqual([]);
  });

  it('never throw and never reach the store (our cookie name with arbitrary, truncated, huge or unicode values)', async () => {
    const { session, events } = makeSession();
    const value = fc.oneof(
      fc.string(),
      fc.string({ unit: 'grapheme', maxLength: 200 }),
      fc.stringMatching(/^[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{0,44}$/),
      fc.stringMatching(/^[A-Za-z0-9_%.=-]{0,300}$/),
      fc.string({ minLength: 5000, maxLength: 20000 }),
    );
    await fc.assert(
      fc.asyncProperty(value, fc.constantFrom('', 'a=1; ', 'x=y;'), async (cookieValue, prefix) => {
        const handle = await session.load({ cookie: `${prefix}${NAME}=${cookieValue}`, url: 'https://app.example/' });
        expect(handle.isAuthenticated()).toBe(false);
        // A cookie of ours that was rejected is cleared on the way out.
        expect(await handle.commit()).toMatch(/Max-Age=0/);
      }),
      { numRuns: 3000 },
    );
    expect(storeCalls(events)).toEqual([]);
  });

  it('a valid cookie with any single character changed is rejected without a store lookup', async () => {
    const { value, session: harness } = await signedValue();
    harness.events.length = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: value.length - 1 }), fc.constantFrom(...BASE64URL, '.', '%', ' '), async (index, replacement) => {
        fc.pre(value[index] !== replacement);
        const mutated = value.slice(0, index) + replacement + value.slice(index + 1);
        const handle = await harness.session.load({ cookie: `${NAME}=${mutated}`, url: 'https://app.example/' });
        expect(handle.isAuthenticated()).toBe(false);
      }),
      { numRuns: 2000 },
    );
    expect(storeCalls(harness.events)).toEqual([]);
  });

  it('the unmodified cookie still works (the property above can fail)', async () => {
    const { value, session: harness } = await signedValue();
    const handle = await harness.session.load({ cookie: `${NAME}=${value}`, url: 'https://app.example/' });
    expect(handle.userId).toBe('ada');
  });
});
