/**
 * SessionHandle.needsCommit: a synchronous answer to "would commit() do anything?". Each case reads
 * it, then runs commit() and checks the answer against what commit() did: a store call or a
 * Set-Cookie means it was needed; neither means it was not.
 */
import { describe, expect, it } from 'vitest';
import { MemoryStore, type SessionHandle, type SessionOptions } from 'sessionlab';
import { CookieClient, makeSession, ManualClock, MINUTE, OLD_SECRET, SECRET, storeCalls } from '../support/harness.ts';

const URL_ = 'https://app.example/';
const window = { sessionDuration: 30 * MINUTE, sessionExtensionThresholdInMs: 4 * MINUTE };

interface Case {
  /** What the request carries and does before commit(). */
  arrange(): Promise<{ handle: SessionHandle; storeCallsSoFar: () => number }>;
  /** What needsCommit must say. */
  expected: boolean;
}

/** A signed-in client and a Session on a manual clock; `act` runs on a freshly loaded handle. */
function signedIn(
  act: (handle: SessionHandle, clock: ManualClock) => unknown,
  options: { advance?: number; secret?: string | string[]; devices?: SessionOptions['devices'] } = {},
): Case['arrange'] {
  return async () => {
    const clock = new ManualClock();
    const store = new MemoryStore({ clock });
    const devices = options.devices === undefined ? {} : { devices: options.devices };
    const first = makeSession({ ...window, ...devices, clock, store });
    const client = new CookieClient();
    await client.visit(first.session, (handle) => handle.login('ada', { n: 0 }));
    const { session, events } = options.secret === undefined ? first : makeSession({ ...window, ...devices, clock, store, secret: options.secret });
    clock.advance(options.advance ?? 0);
    const handle = await session.load({ cookie: client.header(), url: URL_ });
    await act(handle, clock);
    const before = storeCalls(events).length;
    return { handle, storeCallsSoFar: () => storeCalls(events).length - before };
  };
}

/** A Session and a request carrying `cookie`; `act` runs on the handle. */
function anonymous(cookie: string | null, act: (handle: SessionHandle) => void | Promise<void> = () => undefined): Case['arrange'] {
  return async () => {
    const { session, events } = makeSession(window);
    const handle = await session.load({ cookie, url: URL_ });
    await act(handle);
    const before = storeCalls(events).length;
    return { handle, storeCallsSoFar: () => storeCalls(events).length - before };
  };
}

const cases: Record<string, Case> = {
  'no cookie, nothing done': { arrange: anonymous(null), expected: false },
  'no cookie, login()': { arrange: anonymous(null, (handle) => handle.login('ada')), expected: true },
  'no cookie, login() then logout()': {
    arrange: anonymous(null, async (handle) => {
      await handle.login('ada');
      await handle.logout();
    }),
    expected: false,
  },
  'no cookie, logout()': { arrange: anonymous(null, (handle) => handle.logout()), expected: false },
  'a garbage cookie': { arrange: anonymous('__Host-session=x'), expected: true },
  'a well-formed cookie of no known session': {
    arrange: anonymous(`__Host-session=${'A'.repeat(43)}.${'A'.repeat(43)}`),
    expected: true,
  },
  'a session, nothing done': { arrange: signedIn(() => undefined), expected: false },
  'a session, data read only': {
    arrange: signedIn((handle) => {
      void handle.data!['n'];
    }),
    expected: false,
  },
  'a session, data changed': {
    arrange: signedIn((handle) => {
      handle.data!['n'] = 1;
    }),
    expected: true,
  },
  'a session, data changed and changed back': {
    arrange: signedIn((handle) => {
      handle.data!['n'] = 1;
      handle.data!['n'] = 0;
    }),
    expected: false,
  },
  'a session, touch() with nothing to extend': { arrange: signedIn((handle) => handle.touch()), expected: false },
  'a session, touch() later': {
    arrange: signedIn((handle, clock) => {
      clock.advance(5 * MINUTE);
      handle.touch();
    }),
    expected: true,
  },
  'a session due for extension': { arrange: signedIn(() => undefined, { advance: 27 * MINUTE }), expected: true },
  'a session not yet due for extension': { arrange: signedIn(() => undefined, { advance: 20 * MINUTE }), expected: false },
  'a session, logout()': { arrange: signedIn((handle) => handle.logout()), expected: true },
  'a session, login() again': { arrange: signedIn((handle) => handle.login('ada')), expected: true },
  'a session, regenerate()': { arrange: signedIn((handle) => handle.regenerate()), expected: true },
  'a session that ends while the request runs': {
    arrange: signedIn((_handle, clock) => clock.advance(30 * MINUTE)),
    expected: true,
  },
  'a session, reauthenticate()': { arrange: signedIn((handle) => handle.reauthenticate()), expected: true },
  'a session, its devices listed': { arrange: signedIn((handle) => handle.devices()), expected: false },
  'a session, its own device revoked': {
    arrange: signedIn(async (handle) => {
      const [own] = await handle.devices();
      await handle.revokeDevice(own!.publicId);
    }),
    expected: true,
  },
  'a session, another device revoked': { arrange: signedIn((handle) => handle.revokeDevice('someone-elses-device')), expected: false },
  'devices kept, lastSeenAt not yet due': { arrange: signedIn(() => undefined, { advance: 59_999, devices: {} }), expected: false },
  'devices kept, lastSeenAt due': { arrange: signedIn(() => undefined, { advance: 60_000, devices: {} }), expected: true },
  'a cookie signed by a secret that no longer signs': { arrange: signedIn(() => undefined, { secret: [OLD_SECRET, SECRET] }), expected: true },
};

describe('needsCommit', () => {
  it.each(Object.entries(cases))('matches what commit() does: %s', async (_name, { arrange, expected }) => {
    const { handle, storeCallsSoFar } = await arrange();
    const needed = handle.needsCommit;
    const setCookie = await handle.commit();
    const did = storeCallsSoFar() > 0 || setCookie !== null;
    expect({ needed, did }).toEqual({ needed: expected, did: expected });
  });

  it('is false once commit() has run', async () => {
    const { session } = makeSession();
    const handle = await session.load({ cookie: null, url: URL_ });
    await handle.login('ada');
    await handle.commit();
    expect(handle.needsCommit).toBe(false);
  });

  it('is false after abandon()', async () => {
    const { session } = makeSession();
    const handle = await session.load({ cookie: null, url: URL_ });
    await handle.login('ada');
    await handle.abandon();
    expect(handle.needsCommit).toBe(false);
  });
});
