/**
 * The Fetch adapter at its edges: the default store-failure answer, the cookie handleWithSession is
 * given instead of the request's, what the handler's context holds, a response passed on untouched,
 * and a failed request whose clean-up fails too.
 */
import { describe, expect, it } from 'vitest';
import { MemoryStore, SessionStoreError, type SessionData, type SessionEvent, type SessionRecord } from 'sessionlab';
import { handleWithSession, storeUnavailable, withSession } from 'sessionlab/fetch';
import { makeSession } from '../support/harness.ts';

/** Signs ada in through withSession; the `name=value` of the session cookie it sets. */
async function signIn(session: ReturnType<typeof makeSession>['session']): Promise<string> {
  const login = await withSession(session, async (_request, { session: handle }) => {
    await handle.login('ada', { visits: 0 });
    return new Response('ok');
  })(new Request('https://app.example/login'));
  return login.headers.get('set-cookie')!.split(';')[0]!;
}

describe('storeUnavailable()', () => {
  it('is a 503 with Retry-After 5, not cacheable, as plain text that says nothing of the failure', async () => {
    const response = storeUnavailable();
    expect(response.status).toBe(503);
    expect(Object.fromEntries(response.headers)).toEqual({ 'content-type': 'text/plain; charset=utf-8', 'retry-after': '5', 'cache-control': 'no-store' });
    expect(await response.text()).toBe('Service temporarily unavailable.\n');
  });
});

describe('handleWithSession', () => {
  const whoAmI = (_request: Request, { session }: { session: { userId: string | null } }): Response => Response.json({ user: session.userId });

  it('reads the cookie it is given instead of the request\'s (a browser drops Cookie from page code\'s requests)', async () => {
    const { session } = makeSession();
    const cookie = await signIn(session);
    const { response } = await handleWithSession(session, new Request('https://app.example/me'), whoAmI, { cookie });
    expect(await response.json()).toEqual({ user: 'ada' });
  });

  it('reads no cookie at all when given null, whatever the request carries', async () => {
    const { session } = makeSession();
    const cookie = await signIn(session);
    const { response } = await handleWithSession(session, new Request('https://app.example/me', { headers: { cookie } }), whoAmI, { cookie: null });
    expect(await response.json()).toEqual({ user: null });
  });

  it('answers a store failure with the default 503 and no cookie', async () => {
    const { session } = makeSession();
    const { response, setCookie } = await handleWithSession(session, new Request('https://app.example/'), () => {
      throw new SessionStoreError('get', 'failed', 'down.');
    });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(setCookie).toBeNull();
  });

  it('answers a store failure with onStoreError(error, request) when given', async () => {
    const { session } = makeSession();
    const request = new Request('https://app.example/');
    const failure = new SessionStoreError('get', 'failed', 'down.');
    const seen: unknown[] = [];
    const { response } = await handleWithSession(
      session,
      request,
      () => {
        throw failure;
      },
      { onStoreError: (error, failed) => (seen.push(error, failed), new Response('later', { status: 500 })) },
    );
    expect(response.status).toBe(500);
    expect(seen).toEqual([failure, request]);
  });

  it('rethrows an error that is not a store failure', async () => {
    const { session } = makeSession();
    await expect(
      handleWithSession(session, new Request('https://app.example/'), () => {
        throw new Error('handler bug');
      }),
    ).rejects.toThrow('handler bug');
  });

  it('gives the handler its context beside the session, the session taking precedence', async () => {
    const { session } = makeSession();
    const { response } = await handleWithSession<SessionData, { region: string; session: string }>(
      session,
      new Request('https://app.example/'),
      (_request, context) => Response.json({ keys: Object.keys(context).sort(), region: context.region, session: typeof context.session }),
      { context: { region: 'eu', session: 'not the session' } },
    );
    expect(await response.json()).toEqual({ keys: ['region', 'session'], region: 'eu', session: 'object' });
  });
});

describe('withSession', () => {
  it('gives the handler only the session when the caller passes no context', async () => {
    const { session } = makeSession();
    const response = await withSession(session, (_request, context) => Response.json(Object.keys(context)))(new Request('https://app.example/'));
    expect(await response.json()).toEqual(['session']);
  });

  it('passes on the handler\'s own response when the save needs no new cookie (changed data only)', async () => {
    const { session } = makeSession();
    const cookie = await signIn(session);
    const answer = new Response('counted');
    const response = await withSession(session, (_request, { session: handle }) => {
      handle.data!['visits'] = 1;
      return answer;
    })(new Request('https://app.example/visit', { headers: { cookie } }));
    expect(response).toBe(answer);
    expect(response.headers.has('set-cookie')).toBe(false);
    expect(response.headers.has('cache-control')).toBe(false);
  });

  it('keeps the handler\'s own Cache-Control beside the cookie', async () => {
    const { session } = makeSession();
    const response = await withSession(session, async (_request, { session: handle }) => {
      await handle.login('ada');
      return new Response('ok', { headers: { 'cache-control': 'private, no-cache' } });
    })(new Request('https://app.example/login'));
    expect(response.headers.get('set-cookie')).toMatch(/^__Host-session=/);
    expect(response.headers.get('cache-control')).toBe('private, no-cache');
  });

  it('keeps no IP when clientIp finds none', async () => {
    const { session } = makeSession({ devices: { userAgent: true, ip: 'full' } });
    await withSession(
      session,
      async (_request, { session: handle }) => {
        await handle.login('ada');
        return new Response('ok');
      },
      { clientIp: () => undefined },
    )(new Request('https://app.example/login'));
    expect(await session.devicesOf('ada')).toMatchObject([{ ip: null }]);
  });

  it('still answers the store failure when undoing the new session fails too, and reports that as a background error', async () => {
    class NothingSaves extends MemoryStore {
      override compareAndSet(): boolean {
        throw new Error('disk full');
      }
      override delete(): void {
        throw new Error('delete is down');
      }
      override update(_sessionId: string, _record: SessionRecord): void {
        throw new Error('disk full');
      }
    }
    const { session, events } = makeSession({ store: new NothingSaves() });
    const background: SessionEvent[] = [];
    session.on('background-error', (event) => background.push(event));
    const response = await withSession(session, async (_request, { session: handle }) => {
      await handle.login('ada', { cart: [] });
      (handle.data!['cart'] as string[]).push('apple'); // a change after login: commit() must write it
      return new Response('welcome');
    })(new Request('https://app.example/login', { method: 'POST' }));
    expect(response.status).toBe(503);
    expect(background).toEqual([expect.objectContaining({ type: 'background-error', error: expect.objectContaining({ name: 'SessionStoreError', method: 'delete' }) })]);
    expect(events).toContainEqual(expect.objectContaining({ type: 'background-error' }));
  });
});
