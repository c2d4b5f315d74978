/**
 * What a write leaves as the base for the request's further changes: the data it wrote. A change
 * made to the data while a write was under way was not written, so the commit must still save it.
 */
import { describe, expect, it } from 'vitest';
import { MemoryStore, type SessionRecord } from 'sessionlab';
import { CookieClient, makeSession } from '../support/harness.ts';

describe('a change to the data while devices() writes a missing public id', () => {
  it('is saved by the commit that follows', async () => {
    const { session } = makeSession();
    const store = session.store as MemoryStore;
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada', { visits: 0 }));
    // A session stored before public ids: devices() writes one first.
    const [stored] = store.all() as SessionRecord[];
    const { publicId: _dropped, ...older } = stored!;
    store.update(older.sessionId, older as SessionRecord);

    const handle = await session.load({ cookie: client.header(), url: 'https://app.example/' });
    const listing = handle.devices();
    handle.data!['visits'] = 1; // while the write of the public id is under way
    expect(await listing).toHaveLength(1);
    await handle.commit();

    expect((store.all() as SessionRecord[])[0]!.data).toEqual({ visits: 1 });
  });
});
