/**
 * While the Express adapter holds a response for the session save, it must keep the response's
 * backpressure: a route that streams a big body to a client that reads nothing must not be read
 * into memory whole. Real sockets on 127.0.0.1, a real file, a store whose save the test releases.
 */
import { once } from 'node:events';
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import express, { type Express, type RequestHandler } from 'express';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sessionMiddleware, storeErrorHandler } from 'sessionlab/express';
import { deferred, GatedStore } from '../support/gated-store.ts';
import { makeSession, ManualClock } from '../support/harness.ts';

const MiB = 1024 * 1024;
/** Far more than a loopback socket and a client's buffers hold (a few MiB), so an unbounded read shows. */
const FILE_SIZE = 64 * MiB;

let folder: string;
let bigFile: string;
beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'sessionlab-backpressure-'));
  bigFile = join(folder, 'big.bin');
  // A sparse file: FILE_SIZE bytes of zeros that take no disk space and read fast.
  const fd = openSync(bigFile, 'w');
  ftruncateSync(fd, FILE_SIZE);
  closeSync(fd);
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** An app whose route signs in, changes the session (so the save writes) and answers with `respond`. */
function gatedApp(respond: RequestHandler): { app: Express; store: GatedStore } {
  const clock = new ManualClock();
  const store = new GatedStore(clock);
  const { session } = makeSession({ store, clock, storeTimeout: 60_000 });
  const app = express();
  app.use(sessionMiddleware(session));
  app.get('/', async (req, res, next) => {
    await req.session.login('ada');
    req.session.data!['downloads'] = 1;
    respond(req, res, next);
  });
  app.use(storeErrorHandler());
  cleanups.push(() => session.close());
  return { app, store };
}

async function listen(app: Express): Promise<number> {
  const server: Server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(async () => {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  });
  return (server.address() as AddressInfo).port;
}

/** A client that sends `GET /` and then reads nothing until `readAll()`. */
async function slowReader(port: number): Promise<{ socket: Socket; readAll: () => Promise<{ head: string; bodyLength: number }> }> {
  const socket = connect(port, '127.0.0.1');
  socket.pause(); // not reading: once its buffer is full the kernel's fill, then the server's
  cleanups.push(() => socket.destroy());
  await once(socket, 'connect');
  socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
  const readAll = async (): Promise<{ head: string; bodyLength: number }> => {
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.resume();
    await once(socket, 'end');
    const all = Buffer.concat(chunks);
    const headEnd = all.indexOf('\r\n\r\n');
    return { head: all.subarray(0, headEnd).toString('latin1'), bodyLength: all.length - headEnd - 4 };
  };
  return { socket, readAll };
}

/**
 * Resolves once `stream` reads no more: it ended, or it is paused with a full buffer (a readable
 * reads ahead only up to its high-water mark). Checked on each turn of the event loop, not on a timer.
 */
async function stalled(stream: Readable): Promise<void> {
  while (!stream.readableEnded && !stream.destroyed && !(stream.readableFlowing === false && stream.readableLength >= stream.readableHighWaterMark)) {
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('sessionMiddleware, while the session save is pending', () => {
  describe('res.sendFile() of a big file to a client that reads nothing', () => {
    async function start(): Promise<{ store: GatedStore; file: Promise<Readable & { bytesRead: number }>; client: Awaited<ReturnType<typeof slowReader>> }> {
      const file = deferred<Readable & { bytesRead: number }>();
      const { app, store } = gatedApp((_req, res) => {
        // send pipes a file stream into the response; 'pipe' hands it over, so the test can count what it read.
        res.once('pipe', (source) => file.resolve(source as Readable & { bytesRead: number }));
        res.sendFile(bigFile);
      });
      const client = await slowReader(await listen(app));
      return { store, file: file.promise, client };
    }

    it('reads a bounded part of the file, not all of it', async () => {
      const { store, file, client } = await start();
      await store.saving;
      const stream = await file;
      await stalled(stream);
      expect(stream.bytesRead).toBeLessThanOrEqual(MiB);
      store.release();
      const { head, bodyLength } = await client.readAll();
      expect(head).toMatch(/^HTTP\/1\.1 200 /);
      expect(head).toMatch(/^set-cookie: session=/im);
      expect(bodyLength).toBe(FILE_SIZE);
    });

    it('answers 503 when the save fails, and closes the file', async () => {
      const { store, file, client } = await start();
      await store.saving;
      const stream = await file;
      const closed = once(stream, 'close');
      store.fail();
      const { head, bodyLength } = await client.readAll();
      expect(head).toMatch(/^HTTP\/1\.1 503 /);
      expect(head).not.toMatch(/^set-cookie:/im);
      expect(bodyLength).toBe('Service temporarily unavailable.\n'.length);
      await closed;
      expect(stream.bytesRead).toBeLessThanOrEqual(MiB);
    });
  });

  describe('a streaming route (res.write in a loop that honours its answer, then res.end)', () => {
    const CHUNK = Buffer.alloc(64 * 1024, 'x');
    const CHUNKS = FILE_SIZE / CHUNK.length;

    it('is told to wait after the first chunk, then resumes and sends everything', async () => {
      const waiting = deferred<number>();
      const { app, store } = gatedApp(async (_req, res) => {
        res.setHeader('Content-Length', CHUNKS * CHUNK.length + 'done'.length);
        for (let written = 1; written <= CHUNKS; written++) {
          if (!res.write(CHUNK)) {
            waiting.resolve(written);
            await once(res, 'drain');
          }
        }
        waiting.resolve(CHUNKS);
        res.end('done');
      });
      const client = await slowReader(await listen(app));
      await store.saving;
      expect(await waiting.promise).toBe(1);
      store.release();
      const { head, bodyLength } = await client.readAll();
      expect(head).toMatch(/^set-cookie: session=/im);
      expect(bodyLength).toBe(CHUNKS * CHUNK.length + 'done'.length);
    });
  });
});
