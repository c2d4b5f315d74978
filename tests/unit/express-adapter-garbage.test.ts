/**
 * A request the Express adapter has answered must be garbage the young generation collects. The
 * adapter used to put closures that held the request or the response (`req.login`, the wrapped
 * `res.end`...) on them; with those, V8's young-generation collection kept nearly every answered
 * request alive and promoted it to the old generation, where collecting it costs several times
 * more: on loopback that made Session Lab's added CPU per request 3 to 6 times what it was
 * without sockets. Measured by V8's own GC statistics (bytes the old generation gained in each
 * young-generation collection), not by time: about a thousand requests over real loopback sockets.
 */
import { once } from 'node:events';
import http, { type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import v8 from 'node:v8';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore, Session } from 'sessionlab';
import { sessionMiddleware } from 'sessionlab/express';

const SECRET = 'a-test-secret-that-is-long-enough-000001';
/** An answered request that survives is 2 to 4 KB; one that does not, a few dozen bytes. */
const PROMOTED_LIMIT = 600;

let server: Server;
let session: Session;
let agent: http.Agent;
let port: number;

beforeAll(async () => {
  session = new Session({ secret: SECRET, store: new MemoryStore(), cleanInterval: false });
  const app = express();
  app.use(sessionMiddleware(session));
  app.post('/login', async (req, res) => {
    await req.login({ id: 'ada' } as Express.User);
    res.end();
  });
  app.get('/read', (req, res) => {
    res.json({ user: req.session.userId });
  });
  app.get('/write', (req, res) => {
    const data = req.session.data!;
    data['visits'] = (typeof data['visits'] === 'number' ? data['visits'] : 0) + 1;
    res.json({ visits: data['visits'] });
  });
  server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
  agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
});

afterAll(async () => {
  agent.destroy();
  server.closeAllConnections();
  server.close();
  session.close();
});

function send(method: 'GET' | 'POST', path: string, cookie?: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = http.request({ port, host: '127.0.0.1', method, path, agent, headers: cookie ? { cookie } : {} }, (response) => {
      response.resume();
      response.on('end', () => resolve(response));
    });
    request.on('error', reject);
    request.end();
  });
}

async function signIn(): Promise<string> {
  const response = await send('POST', '/login');
  return (response.headers['set-cookie'] ?? []).map((cookie) => cookie.split(';')[0]).join('; ');
}

/** Bytes the old generation gained per request in young-generation collections, over `count` requests, four at a time. */
async function promotedPerRequest(path: string, cookie: string, count: number): Promise<number> {
  for (let i = 0; i < 200; i++) await send('GET', path, cookie); // warm up: compiled code, settled heap
  const profiler = new v8.GCProfiler();
  profiler.start();
  for (let i = 0; i < count; i += 4) {
    const answers = await Promise.all([send('GET', path, cookie), send('GET', path, cookie), send('GET', path, cookie), send('GET', path, cookie)]);
    for (const answer of answers) expect(answer.statusCode).toBe(200);
  }
  const { statistics } = profiler.stop();
  const oldSpace = (spaces: { spaceName: string; spaceUsedSize: number }[]): number => spaces.find((space) => space.spaceName === 'old_space')!.spaceUsedSize;
  let promoted = 0;
  let scavenges = 0;
  for (const gc of statistics) {
    if (gc.gcType !== 'Scavenge') continue;
    scavenges++;
    promoted += Math.max(0, oldSpace(gc.afterGC.heapSpaceStatistics) - oldSpace(gc.beforeGC.heapSpaceStatistics));
  }
  // Without a young-generation collection there is nothing to judge: the requests must have made some.
  expect(scavenges).toBeGreaterThan(0);
  return promoted / count;
}

describe('Express adapter: what an answered request leaves behind', () => {
  it('a read leaves nothing the young generation keeps', async () => {
    const cookie = await signIn();
    expect(await promotedPerRequest('/read', cookie, 1200)).toBeLessThan(PROMOTED_LIMIT);
  }, 60_000);

  it('a write, held for its commit and replayed, leaves nothing the young generation keeps', async () => {
    const cookie = await signIn();
    expect(await promotedPerRequest('/write', cookie, 1200)).toBeLessThan(PROMOTED_LIMIT);
  }, 60_000);
});
