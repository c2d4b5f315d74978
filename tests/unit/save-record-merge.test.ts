/**
 * A commit that lost a race to another write: what it keeps of the other write when it merges
 * (the later expiry, a public id given meanwhile, the other write's version), what the merge
 * event says, and when it gives up because the session is gone.
 */
import { describe, expect, it } from 'vitest';
import { MemoryStore, type SessionEvent, type SessionRecord } from 'sessionlab';
import { CookieClient, makeSession, ManualClock, MINUTE } from '../support/harness.ts';

const URL_ = 'https://app.example/';

/** A MemoryStore that runs `meanwhile` once, just before the next compareAndSet: another request's write. */
class RacedStore extends MemoryStore {
  meanwhile: ((store: MemoryStore, sessionId: string) => void) | null = null;
  override compareAndSet(sessionId: string, expectedVersion: number, record: SessionRecord): boolean {
    const meanwhile = this.meanwhile;
    this.meanwhile = null;
    meanwhile?.(this, sessionId);
    return super.compareAndSet(sessionId, expectedVersion, record);
  }
}

async function raced() {
  const clock = new ManualClock();
  const store = new RacedStore({ clock });
  const made = makeSession({ clock, store, sessionDuration: 30 * MINUTE, sessionExtensionThresholdInMs: 5 * MINUTE });
  const client = new CookieClient();
  await client.visit(made.session, (handle) => handle.login('ada', { mine: 0, theirs: 0 }));
  const sessionId = (await made.session.load({ cookie: client.header(), url: URL_ })).id!;
  const stored = () => store.get(sessionId)!;
  return { ...made, store, client, sessionId, stored };
}

function merges(events: readonly SessionEvent[]) {
  return events.flatMap((event) => (event.type === 'session-merged' ? [{ sessionId: event.sessionId, userId: event.userId, attempt: event.attempt }] : []));
}

describe('a commit that lost a race', () => {
  it('keeps both requests\' changes, moves on from the other write\'s version, and says it merged', async () => {
    const { session, store, client, sessionId, stored, events } = await raced();
    const before = stored().version;
    store.meanwhile = (raced, id) => {
      const current = raced.get(id)!;
      raced.update(id, { ...current, data: { ...current.data, theirs: 1 }, version: current.version + 5 });
    };
    await client.visit(session, (handle) => {
      handle.data!['mine'] = 1;
    });
    expect(stored().data).toEqual({ mine: 1, theirs: 1 });
    expect(stored().version).toBe(before + 6);
    expect(merges(events)).toEqual([{ sessionId, userId: 'ada', attempt: 1 }]);
  });

  it('keeps the later expiry: the other request\'s extension', async () => {
    const { session, store, client, stored } = await raced();
    const later = new Date(Date.parse(stored().expires) + 10 * MINUTE).toISOString();
    store.meanwhile = (raced, id) => {
      const current = raced.get(id)!;
      raced.update(id, { ...current, expires: later, version: current.version + 1 });
    };
    await client.visit(session, (handle) => {
      handle.data!['mine'] = 1;
    });
    expect(stored().expires).toBe(later);
  });

  it('keeps its own expiry when it is the later one', async () => {
    const { session, store, client, stored, clock } = await raced();
    clock.advance(26 * MINUTE); // due for extension: this request moves the expiry on
    const earlier = stored().expires;
    store.meanwhile = (raced, id) => {
      const current = raced.get(id)!;
      raced.update(id, { ...current, data: { ...current.data, theirs: 1 }, version: current.version + 1 });
    };
    await client.visit(session, () => undefined);
    expect(stored().expires).toBe(new Date(clock.now() + 30 * MINUTE).toISOString());
    expect(stored().expires).not.toBe(earlier);
  });

  it('keeps the public id the other write gave a record that had none, the one a device list shows', async () => {
    const { session, store, client, sessionId, stored } = await raced();
    const { publicId: _dropped, ...old } = stored();
    store.update(sessionId, old as SessionRecord);
    store.meanwhile = (raced, id) => {
      const current = raced.get(id)!;
      raced.update(id, { ...current, publicId: 'listed-by-another-request', version: current.version + 1 });
    };
    await client.visit(session, (handle) => {
      handle.data!['mine'] = 1;
    });
    expect(stored().publicId).toBe('listed-by-another-request');
    expect(stored().data).toEqual({ mine: 1, theirs: 0 });
  });

  it.each([
    ['no public id', undefined],
    ['an empty public id', ''],
  ])('keeps a public id of its own when the other write left the record with %s', async (_, theirs) => {
    const { session, store, client, sessionId, stored } = await raced();
    const { publicId: _dropped, ...old } = stored();
    store.update(sessionId, old as SessionRecord);
    store.meanwhile = (raced, id) => {
      const { publicId: _none, ...current } = raced.get(id)!;
      raced.update(id, { ...current, ...(theirs === undefined ? {} : { publicId: theirs }), version: current.version + 1 } as SessionRecord);
    };
    await client.visit(session, (handle) => {
      handle.data!['mine'] = 1;
    });
    expect(stored().publicId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(stored().data).toEqual({ mine: 1, theirs: 0 });
  });

  it('fails with a timeout naming compareAndSet when the commit\'s time runs out while it re-reads the record', async () => {
    const { session, store, client, clock } = await raced();
    store.meanwhile = (raced, id) => {
      const current = raced.get(id)!;
      raced.update(id, { ...current, version: current.version + 1 });
      // The re-read after the lost race takes the rest of the commit's 5 s.
      const get = raced.get.bind(raced);
      raced.get = (sessionId: string) => {
        clock.advance(5000);
        raced.get = get;
        return get(sessionId);
      };
    };
    const handle = await session.load({ cookie: client.header(), url: URL_ });
    handle.data!['mine'] = 1;
    await expect(handle.commit()).rejects.toMatchObject({ method: 'compareAndSet', failure: 'timeout' });
  });

  it('writes nothing and signs the request out when the session was deleted meanwhile', async () => {
    const { session, store, client, sessionId } = await raced();
    store.meanwhile = (raced, id) => raced.delete(id);
    const { result } = await client.visit(session, (handle) => {
      handle.data!['mine'] = 1;
      return handle;
    });
    expect(store.get(sessionId)).toBeNull();
    expect(result.isAuthenticated()).toBe(false);
  });

  it('writes nothing when the other write ended the session', async () => {
    const { session, store, client, sessionId, clock } = await raced();
    store.meanwhile = (raced, id) => {
      const current = raced.get(id)!;
      raced.update(id, { ...current, expires: new Date(clock.now() - 1).toISOString(), version: current.version + 1 });
    };
    await client.visit(session, (handle) => {
      handle.data!['mine'] = 1;
    });
    expect(store.get(sessionId)).toBeNull();
    expect(store.all().filter((record) => record.sessionId === sessionId && record.data['mine'] === 1)).toEqual([]);
  });
});
