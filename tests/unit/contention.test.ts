/**
 * Commits under contention: a store that answers compareAndSet wrongly, a store that always
 * conflicts, and many writers on one session. Time is the injected clock's; pauses advance it.
 */
import { describe, expect, it } from 'vitest';
import { MemoryStore, SessionStoreError, type SessionRecord } from 'sessionlab';
import { CookieClient, makeSession, ManualClock, storeCalls } from '../support/harness.ts';

describe('a compareAndSet that answers neither true nor false', () => {
  it.each([1, 0, 'yes', null, undefined, {}])('answering %j is an invalid-result error at once, with no retry', async (answer) => {
    class CountingStore extends MemoryStore {
      override compareAndSet(): boolean {
        return answer as never;
      }
    }
    const clock = new ManualClock();
    const { session, events } = makeSession({ store: new CountingStore({ clock }), clock });
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada', { cart: [] }));
    const handle = await session.load({ cookie: client.header(), url: 'https://app.example/' });
    (handle.data!['cart'] as string[]).push('apple');
    const commit = handle.commit();
    await expect(commit).rejects.toThrow(SessionStoreError);
    await expect(commit).rejects.toMatchObject({ method: 'compareAndSet', failure: 'invalid-result', message: expect.stringMatching(/true or false/) });
    expect(storeCalls(events, 'compareAndSet')).toHaveLength(1);
    expect((session.store.get(handle.id!) as SessionRecord).data).toEqual({ cart: [] });
  });
});
