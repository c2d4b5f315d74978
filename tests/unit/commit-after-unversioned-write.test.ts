import { describe, expect, it } from 'vitest';
import { MemoryStore } from 'sessionlab';
import { CookieClient, makeSession, ManualClock } from '../support/harness.ts';

// A writer that keeps only FluidAuth's fields and the data (an older app, a store's own tool) can
// change a record between a request's read and its compare-and-set. Its record has no version,
// which a compare-and-set store counts as version 0.

/** Pauses between retries move the manual clock instead of waiting. */
class SleepingClock extends ManualClock {
  async sleep(ms: number): Promise<void> {
    this.advance(ms);
  }
}
describe('commit() after another writer saved the record without a version', () => {
  it('merges onto that record as version 0 and saves both changes', async () => {
    const clock = new SleepingClock();
    const store = new MemoryStore({ clock });
    const { session } = makeSession({ clock, store });
    const client = new CookieClient();
    await client.visit(session, (handle) => handle.login('ada', { n: 0 }));
    await client.visit(session, (handle) => {
      handle.data!['n'] = 1; // the record is now at version 1
    });
    const handle = await session.load({ cookie: client.header(), url: 'https://app.example/' });
    handle.data!['mine'] = true;

    const [stored] = store.all();
    const { version, ...unversioned } = stored!;
    expect(version).toBe(1);
    store.update(stored!.sessionId, { ...unversioned, data: { ...stored!.data, theirs: true } } as never);

    await handle.commit();
    expect(store.get(stored!.sessionId)).toMatchObject({ data: { n: 1, mine: true, theirs: true }, version: 1 });
  });
});
