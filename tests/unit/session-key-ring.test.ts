/**
 * The key ring: secrets with activation and retirement dates. The newest active key signs; a key
 * verifies only while it is active, so a cookie signed by a retired key is refused and one signed
 * by a key not yet active is not accepted early. Rotation can then be scheduled in configuration.
 */
import { describe, expect, it } from 'vitest';
import { MemoryStore, SessionConfigError, type Session, type SessionEvent, type SessionOptions } from 'sessionlab';
import { CookieClient, makeSession, ManualClock, MINUTE, storeCalls } from '../support/harness.ts';

const URL_ = 'https://app.example/';
const A = 'key-a-that-is-long-enough-to-sign-cookies';
const B = 'key-b-that-is-long-enough-to-sign-cookies';
const DAY = 24 * 60 * MINUTE;

/** Sessions over one store and one clock, each with its own secret option; sessions outlive the days a test moves. */
function world() {
  const clock = new ManualClock();
  const store = new MemoryStore({ clock });
  const at = (offset: number): string => new Date(clock.now() + offset).toISOString();
  const make = (secret: SessionOptions['secret']) => makeSession({ clock, store, secret, sessionDuration: 7 * DAY, sessionExtensionThresholdInMs: MINUTE, absoluteDuration: 60 * DAY });
  return { clock, store, at, make };
}

async function signedInUnder(session: Session): Promise<CookieClient> {
  const client = new CookieClient();
  await client.visit(session, (handle) => handle.login('ada'));
  return client;
}

async function accepts(session: Session, client: CookieClient): Promise<boolean> {
  return (await session.load({ cookie: client.header(), url: URL_ })).isAuthenticated();
}

function rejections(events: readonly SessionEvent[]): string[] {
  return events.flatMap((event) => (event.type === 'cookie-rejected' ? [event.reason] : []));
}

describe('a scheduled rotation', () => {
  it('signs with the old key until the new one\'s activeFrom, then with the new one', async () => {
    const { clock, at, make } = world();
    const ring = make([{ secret: A }, { secret: B, activeFrom: at(DAY) }]);
    const onlyA = make(A);
    const onlyB = make(B);
    const before = await signedInUnder(ring.session);
    expect([await accepts(onlyA.session, before), await accepts(onlyB.session, before)]).toEqual([true, false]);
    clock.advance(DAY);
    const after = await signedInUnder(ring.session);
    expect([await accepts(onlyA.session, after), await accepts(onlyB.session, after)]).toEqual([false, true]);
  });

  it('re-signs a cookie of the old key with the new one once the new one is active', async () => {
    const { clock, at, make } = world();
    const ring = make([{ secret: A }, { secret: B, activeFrom: at(DAY) }]);
    const client = await signedInUnder(ring.session);
    clock.advance(DAY);
    const { setCookie } = await client.visit(ring.session, () => undefined);
    expect(setCookie).not.toBeNull();
    expect(ring.events.filter((event) => event.type === 'cookie-set').map((event) => event.type === 'cookie-set' && event.reason)).toEqual(['new', 're-signed']);
    expect(await accepts(make(B).session, client)).toBe(true);
  });

  it('keeps a plain list of strings working as before: the first signs, the others verify and are re-signed', async () => {
    const { make } = world();
    const old = await signedInUnder(make(B).session);
    const rotated = make([A, B]);
    const { setCookie } = await old.visit(rotated.session, () => undefined);
    expect(setCookie).not.toBeNull();
    expect(await accepts(make(A).session, old)).toBe(true);
  });
});

describe('a cookie signed by a retired key', () => {
  it('is refused with reason key-retired, without a store lookup, even after being accepted before', async () => {
    const { clock, at, make } = world();
    const ring = make([
      { secret: B, activeFrom: at(DAY) },
      { secret: A, retiresAt: at(2 * DAY) },
    ]);
    const client = await signedInUnder(ring.session);
    clock.advance(2 * DAY - MINUTE);
    // Within its window it verifies (and the Session remembers the verified value)...
    const handle = await ring.session.load({ cookie: client.header(), url: URL_ });
    expect(handle.isAuthenticated()).toBe(true);
    clock.advance(MINUTE);
    const before = ring.events.length;
    // ...and from retiresAt on, it does not.
    expect(await accepts(ring.session, client)).toBe(false);
    expect(rejections(ring.events.slice(before))).toEqual(['key-retired']);
    expect(storeCalls(ring.events.slice(before))).toEqual([]);
  });
});

describe('a cookie signed by a key not active yet', () => {
  it('is refused with reason key-not-yet-active, and accepted from activeFrom on', async () => {
    const { clock, at, make } = world();
    const ring = make([{ secret: A }, { secret: B, activeFrom: at(DAY) }]);
    // A server that already signs with B (its configuration is ahead of this one).
    const client = await signedInUnder(make(B).session);
    const before = ring.events.length;
    expect(await accepts(ring.session, client)).toBe(false);
    expect(rejections(ring.events.slice(before))).toEqual(['key-not-yet-active']);
    expect(storeCalls(ring.events.slice(before))).toEqual([]);
    clock.advance(DAY);
    expect(await accepts(ring.session, client)).toBe(true);
  });
});

describe('when every key of the ring has retired', () => {
  it('login() rejects with a SessionConfigError that says to add a key, and creates nothing', async () => {
    const { clock, store, at, make } = world();
    const ring = make([{ secret: A, retiresAt: at(DAY) }]);
    clock.advance(DAY);
    const handle = await ring.session.load({ cookie: null, url: URL_ });
    await expect(handle.login('ada')).rejects.toThrow(SessionConfigError);
    await expect(handle.login('ada')).rejects.toThrow(/no key .*active/i);
    expect(store.listByUser('ada')).toEqual([]);
  });
});

describe('a key ring the constructor refuses', () => {
  const now = new ManualClock().now();
  const iso = (offset: number): string => new Date(now + offset).toISOString();
  it.each<[string, SessionOptions['secret'], RegExp]>([
    ['no key active now (all in the future)', [{ secret: A, activeFrom: iso(DAY) }], /no key .*active/i],
    ['no key active now (all retired)', [{ secret: A, retiresAt: iso(-DAY) }], /no key .*active/i],
    ['an unreadable activeFrom', [{ secret: A, activeFrom: 'next tuesday' }], /activeFrom/],
    ['an invalid Date as retiresAt', [{ secret: A, retiresAt: new Date('nope') }], /retiresAt/],
    ['retiresAt before activeFrom', [{ secret: A }, { secret: B, activeFrom: iso(DAY), retiresAt: iso(DAY - 1) }], /retiresAt .*after .*activeFrom/],
    ['retiresAt equal to activeFrom', [{ secret: A }, { secret: B, activeFrom: iso(DAY), retiresAt: iso(DAY) }], /retiresAt .*after .*activeFrom/],
    ['a short secret', [{ secret: A }, { secret: 'short', activeFrom: iso(DAY) }], /at least 32 characters/],
    ['a key that is not an object', [{ secret: A }, 42 as never], /at least 32 characters/],
    ['an unknown key field', [{ secret: A, expiresAt: iso(DAY) } as never], /expiresAt/],
    ['an empty ring', [], /at least 32 characters/],
  ])('%s', (_name, secret, message) => {
    const clock = new ManualClock(now);
    expect(() => makeSession({ clock, secret })).toThrow(SessionConfigError);
    expect(() => makeSession({ clock, secret })).toThrow(message);
  });

  it('accepts Date objects and ISO strings alike', () => {
    const clock = new ManualClock(now);
    expect(() => makeSession({ clock, secret: [{ secret: A, activeFrom: new Date(now - DAY), retiresAt: iso(DAY) }] })).not.toThrow();
  });
});
