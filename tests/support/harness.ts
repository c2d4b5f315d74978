/** Shared pieces for Session tests: a clock tests move by hand, and a client that keeps cookies. */
import { parseSetCookie } from 'cookie';
import { Session, type Clock, type SessionEvent, type SessionOptions, type SessionRecord } from 'sessionlab';

export const SECRET = 'test-secret-that-is-long-enough-0001';
export const OLD_SECRET = 'old-secret-that-is-also-long-enough-02';
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

export class ManualClock implements Clock {
  #now: number;
  constructor(start = Date.parse('2026-03-01T09:00:00.000Z')) {
    this.#now = start;
  }
  now(): number {
    return this.#now;
  }
  advance(ms: number): void {
    this.#now += ms;
  }
}

/** A Session on a manual clock with automatic cleaning off (tests call clean() when they mean it). */
export function makeSession(options: Partial<SessionOptions> = {}): { session: Session; clock: ManualClock; events: SessionEvent[] } {
  const clock = (options.clock as ManualClock | undefined) ?? new ManualClock();
  const session = new Session({ secret: SECRET, cleanInterval: false, clock, ...options });
  const events: SessionEvent[] = [];
  session.on('*', (event) => events.push(event));
  return { session, clock, events };
}

export function storeCalls(events: readonly SessionEvent[], method?: string): SessionEvent[] {
  return events.filter((event) => event.type === 'store-call' && (method === undefined || event.method === method));
}

/**
 * A minimal user agent: remembers the cookies responses set (by name, honouring Max-Age=0) and
 * sends them back. Enough to drive request sequences; the site's simulated browser has the real jar.
 */
export class CookieClient {
  readonly cookies = new Map<string, string>();

  header(): string | null {
    return this.cookies.size === 0 ? null : [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  receive(setCookie: string | null): void {
    if (setCookie === null) return;
    const parsed = parseSetCookie(setCookie);
    if (parsed.maxAge === 0 || parsed.value === '' || parsed.value === undefined) this.cookies.delete(parsed.name);
    else this.cookies.set(parsed.name, parsed.value);
  }

  /** Sends one request through `session`: load, run `act`, commit, keep the cookie. */
  async visit<T>(session: Session, act: (handle: Awaited<ReturnType<Session['load']>>) => T | Promise<T>, url = 'https://app.example/'): Promise<{ result: T; setCookie: string | null }> {
    const handle = await session.load({ cookie: this.header(), url });
    const result = await act(handle);
    const setCookie = await handle.commit();
    this.receive(setCookie);
    return { result, setCookie };
  }
}

/** A record for store tests: id `id`, user `user-<id>`, expiring `expiresIn` ms after the clock's now. */
export function recordAt(clock: Clock, id: string, expiresIn: number): SessionRecord {
  return {
    sessionId: id,
    userId: `user-${id}`,
    expires: new Date(clock.now() + expiresIn).toISOString(),
    createdAt: new Date(clock.now()).toISOString(),
    data: { n: 1 },
    version: 0,
  };
}
