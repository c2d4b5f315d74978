/**
 * Requests through a real `Session` on the reader's store, for scenario checks: a browser that keeps
 * the session cookie, and a Session set up for checks (no background cleaning, a short store timeout).
 */
import { Session, type SessionHandle } from '../session/index.ts';
import type { AnyStore } from '../checks/exercise-check.ts';

/** Any 32+ characters: the checks' cookies never leave the check. */
const CHECK_SECRET = 'exercise-checks-secret-0123456789abcdef';
const URL_OF_APP = 'https://app.example/';

/** A Session on `store` that cleans only when told and gives up on a store call after 3 s. */
export function checkSession(store: AnyStore): Session {
  return new Session({ secret: CHECK_SECRET, store, cleanInterval: false, storeTimeout: 3000 });
}

/** One browser: it sends the session cookie it was given back with each request. */
export class CheckBrowser {
  cookie: string | null = null;

  /** One request: load the session, run `act` on it, commit, keep the new cookie. */
  async visit<T>(session: Session, act: (handle: SessionHandle) => T | Promise<T>): Promise<T> {
    const handle = await session.load({ cookie: this.cookie, url: URL_OF_APP });
    const result = await act(handle);
    this.receive(await handle.commit());
    return result;
  }

  /** Starts a request and stops before it commits, for requests that overlap. */
  async begin(session: Session): Promise<SessionHandle> {
    return session.load({ cookie: this.cookie, url: URL_OF_APP });
  }

  receive(setCookie: string | null): void {
    if (setCookie === null) return;
    const pair = setCookie.split(';', 1)[0] ?? '';
    const cleared = /;\s*max-age=0\b/i.test(setCookie) || pair.endsWith('=');
    this.cookie = cleared ? null : pair;
  }
}
