/**
 * The Express adapter tells a writer it held to wait (a held `res.write` answers false) and, once
 * the session is saved and the held calls are replayed, emits `'drain'` so the writer goes on. It
 * must emit it only when the response can really take more, as Node would: not when the replay
 * filled the response's buffer (Node emits the real `'drain'` once that empties), not after the
 * response ended, not once the client went away. A writer woken too early writes into a full
 * buffer, after end, or into a closed connection. Real Express apps on 127.0.0.1.
 */
import { once } from 'node:events';
import { describe, expect, it, onTestFinished } from 'vitest';
import { BaseSessionStore, MemoryStore, type SessionRecord } from 'sessionlab';
import { browse, makeApp } from '../support/express-app.ts';
import { makeSession, ManualClock } from '../support/harness.ts';

/** A promise and the functions that settle it. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/** A MemoryStore whose `update` (the save at the end of a request) waits until the test calls `release()`. */
class HeldSaveStore extends BaseSessionStore<SessionRecord> {
  readonly #inner: MemoryStore;
  readonly #released = deferred<void>();
  readonly #saving = deferred<void>();
  /** Resolves when a save has started (and waits for `release()`). */
  readonly saving = this.#saving.promise;

  constructor(clock: ManualClock) {
    super();
    this.#inner = new MemoryStore({ clock });
  }
  release(): void {
    this.#released.resolve();
  }
  create(record: SessionRecord): void {
    this.#inner.create(record);
  }
  get(sessionId: string): SessionRecord | null {
    return this.#inner.get(sessionId);
  }
  async update(sessionId: string, record: SessionRecord): Promise<void> {
    this.#saving.resolve();
    await this.#released.promise;
    this.#inner.update(sessionId, record);
  }
  delete(sessionId: string): void {
    this.#inner.delete(sessionId);
  }
  clean(): number {
    return this.#inner.clean();
  }
}

describe('sessionMiddleware, a route told to wait while the session saves (its write answered false)', () => {
  it('is told to go on only when the response can take more: at each drain it gets, res.writableNeedDrain is false', async () => {
    const { session } = makeSession();
    const needDrainAtEachDrain: boolean[] = [];
    let chunkSize = 0;
    const chunks = 3;
    const { app } = makeApp(session, (app) =>
      app.post('/download', async (req, res) => {
        await req.session.login('ada');
        // Bigger than the response's high-water mark: writing one fills its buffer (write() answers
        // false) whatever the client reads, so the replay of the held first chunk fills it too.
        chunkSize = 4 * res.writableHighWaterMark;
        const chunk = Buffer.alloc(chunkSize, 'x');
        res.set('Content-Length', String(chunks * chunkSize));
        res.on('drain', () => needDrainAtEachDrain.push(res.writableNeedDrain));
        for (let written = 0; written < chunks; written++) {
          if (!res.write(chunk)) await once(res, 'drain');
        }
        res.end();
      }),
    );
    const response = await (await browse(app)).send('/download', { method: 'POST' });
    expect(response.headers.getSetCookie()).toHaveLength(1);
    expect((await response.arrayBuffer()).byteLength).toBe(chunks * chunkSize);
    expect(needDrainAtEachDrain.length).toBeGreaterThan(0);
    expect(needDrainAtEachDrain).not.toContain(true);
  });

  it('gets no drain after it ended the response', async () => {
    const { session } = makeSession();
    const endedAtEachDrain: boolean[] = [];
    const { app } = makeApp(session, (app) =>
      app.post('/login', async (req, res) => {
        await req.session.login('ada');
        res.type('text');
        res.on('drain', () => endedAtEachDrain.push(res.writableEnded));
        // Told to wait, it ends the response instead (write() answering false is advice, not an error).
        const toldToWait = !res.write('first ');
        res.end(`told to wait: ${String(toldToWait)}`);
      }),
    );
    const response = await (await browse(app)).send('/login', { method: 'POST' });
    expect(response.headers.getSetCookie()).toHaveLength(1);
    expect(await response.text()).toBe('first told to wait: true');
    expect(endedAtEachDrain).not.toContain(true);
  });

  it('gets no drain once the client went away before the save was done', async () => {
    const clock = new ManualClock();
    const store = new HeldSaveStore(clock);
    const { session } = makeSession({ store, clock, storeTimeout: 60_000 });
    onTestFinished(() => session.close());
    const destroyedAtEachDrain: boolean[] = [];
    const clientGone = deferred<void>();
    const replayed = deferred<Error | null | undefined>();
    const { app } = makeApp(session, (app) =>
      app.post('/login', async (req, res) => {
        await req.session.login('ada');
        req.session.data!['downloads'] = 1; // so the save writes to the store, which holds it
        res.on('drain', () => destroyedAtEachDrain.push(res.destroyed));
        res.once('close', () => clientGone.resolve());
        // Held until the save is done; its callback runs once the held write was replayed.
        res.write('first ', (error) => replayed.resolve(error));
      }),
    );
    const browser = await browse(app);
    const leaving = new AbortController();
    const answer = browser.send('/login', { method: 'POST', signal: leaving.signal }).catch((error: unknown) => error);

    await store.saving;
    leaving.abort(); // the client goes away: its connection is closed
    expect(await answer).toMatchObject({ name: 'AbortError' });
    await clientGone.promise;
    store.release();
    // The replayed write finds the response destroyed; a drain emitted by the replay would come before this.
    expect(await replayed.promise).toMatchObject({ code: 'ERR_STREAM_DESTROYED' });
    expect(destroyedAtEachDrain).not.toContain(true);
  });
});
