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
import { browse, makeApp } from '../support/express-app.ts';
import { deferred, GatedStore } from '../support/gated-store.ts';
import { makeSession, ManualClock } from '../support/harness.ts';

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
    const store = new GatedStore(clock);
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
