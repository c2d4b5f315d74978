/**
 * Express in one process, without sockets: the same three apps as `npm run bench:server` (bare
 * Express, express-session + MemoryStore, Session Lab + MemoryStore), each request a real Node
 * `IncomingMessage` and `ServerResponse` handed to the app, the response's bytes left in Node's
 * buffer instead of a socket. What is measured is the server's CPU time per request, cases taking
 * turns in short rounds, medians reported.
 *
 * Over loopback (bench:server) the kernel's socket work and the load generator cost every case the
 * same, and on a busy machine they make up most of the noise. Here they are gone, so the part each
 * session layer adds to Express stands out; the two benchmarks answer the same question from two
 * sides.
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { Socket } from 'node:net';
import express, { type Express } from 'express';
import { MemoryStore, Session } from '../../src/session/index.ts';
import { sessionMiddleware } from '../../src/session/adapters/express.ts';
import { slowDown } from './slowdown.ts';

const SECRET = 'benchmark-secret-that-is-long-enough-0001';
/** Requests take these many signed-in sessions in turn, as in bench:server's write route. */
const SESSIONS = 16;
const require = createRequire(import.meta.url);

export type Route = 'read' | 'write';
type Kind = 'bare' | 'expressSession' | 'sessionLab';

/**
 * Median server CPU time per request, in µs, of each app; and the median over rounds of each round's
 * ratio of the CPU Session Lab adds to bare Express to what express-session adds (the three apps run
 * back to back in a round, so a busy moment that stretches one round stretches all three).
 */
export type ExpressCpu = Record<Kind, number> & { addedRatio: number };

export interface CompareExpressOptions {
  route: Route;
  /** Rounds of `requests` requests per app; the median is reported. */
  rounds?: number;
  requests?: number;
  /** `--slowdown`: µs of busy-waiting added to every Session Lab load. */
  slowdown?: number;
}

export async function compareExpress({ route, rounds = 7, requests = 4000, slowdown = 0 }: CompareExpressOptions): Promise<ExpressCpu> {
  const apps = { sessionLab: sessionLabApp(slowdown), expressSession: expressSessionApp(route), bare: bareApp() } satisfies Record<Kind, Express>;
  const cookies = {} as Record<Kind, string[]>;
  for (const [kind, app] of Object.entries(apps) as Array<[Kind, Express]>) {
    cookies[kind] = [];
    // Bare Express has no session: its requests carry the same cookie header, which nothing reads.
    for (let i = 0; i < SESSIONS; i++) cookies[kind].push(kind === 'bare' ? (cookies['sessionLab']?.[i] ?? 'session=none') : cookieOf(await send(app, 'POST', '/login', undefined)));
    const check = await send(app, 'GET', `/${route}`, cookies[kind][0]);
    const body = check.body;
    const expected = route === 'read' ? '{"user":"ada"}' : '{"user":"ada","visits":1}';
    if (check.status !== 200 || body !== expected) throw new Error(`Express in-process, ${kind}: GET /${route} answered ${check.status} ${body}, expected ${expected}.`);
  }
  const run = async (kind: Kind): Promise<number> => {
    const app = apps[kind];
    const sessions = cookies[kind];
    const started = process.cpuUsage();
    for (let i = 0; i < requests; i++) {
      await send(app, 'GET', `/${route}`, sessions[i % SESSIONS]);
      await ticksDrained();
    }
    const used = process.cpuUsage(started);
    return (used.user + used.system) / requests;
  };
  for (const kind of Object.keys(apps) as Kind[]) await run(kind); // warm-up
  const samples: Record<Kind, number[]> = { bare: [], expressSession: [], sessionLab: [] };
  // Each round starts with the next app, so none always runs right after the same other one.
  const kinds = Object.keys(apps) as Kind[];
  for (let round = 0; round < rounds; round++) {
    for (let turn = 0; turn < kinds.length; turn++) {
      const kind = kinds[(round + turn) % kinds.length]!;
      samples[kind].push(await run(kind));
    }
  }
  const addedRatios = samples.bare.map((bare, round) => (samples.sessionLab[round]! - bare) / (samples.expressSession[round]! - bare));
  return { bare: median(samples.bare), expressSession: median(samples.expressSession), sessionLab: median(samples.sessionLab), addedRatio: median(addedRatios) };
}

/**
 * Resolves once the `process.nextTick` queue has run. A server meets each request in a callback of
 * its own, after which Node runs that queue; here requests follow one another as promise
 * continuations, and Node runs the queue only when no continuation is left, so without this the
 * ticks of thousands of requests (Node's stream and response bookkeeping) wait, and keep every one
 * of those requests' objects alive until the loop ends. The collector then copies them instead of
 * dropping them, and whichever app runs next pays for the previous app's garbage.
 */
function ticksDrained(): Promise<void> {
  return new Promise((resolve) => process.nextTick(resolve));
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

interface Sent {
  status: number;
  setCookie: string[];
  body: string;
}

const writeChunk = ServerResponse.prototype.write;
const endResponse = ServerResponse.prototype.end;

/** Hands one request to `app` and resolves when the response has ended. */
function send(app: Express, method: string, url: string, cookie: string | undefined): Promise<Sent> {
  const request = new IncomingMessage(new Socket());
  request.method = method;
  request.url = url;
  request.headers = cookie === undefined ? { host: '127.0.0.1:3000' } : { host: '127.0.0.1:3000', cookie };
  request.push(null);
  const response = new ServerResponse(request);
  return new Promise((resolve, reject) => {
    let body = '';
    // Own properties: Express swaps the response's prototype for its own, so a subclass's would be lost.
    Object.assign(response, {
      write(this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
        if (chunk) body += String(chunk);
        return (writeChunk as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
      },
      end(this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
        if (chunk && typeof chunk !== 'function') body += String(chunk);
        const result = (endResponse as (...args: unknown[]) => ServerResponse).call(this, chunk, ...rest);
        const setCookie = this.getHeader('set-cookie');
        resolve({ status: this.statusCode, setCookie: setCookie === undefined ? [] : ([] as string[]).concat(String(setCookie)), body });
        return result;
      },
    });
    (app as unknown as (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void)(request, response, reject);
  });
}

function cookieOf(sent: Sent): string {
  if (sent.setCookie.length === 0) throw new Error(`POST /login answered ${sent.status} without a cookie.`);
  return sent.setCookie.map((setCookie) => setCookie.split(';')[0]!).join('; ');
}

function newApp(): Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  return app;
}

function bareApp(): Express {
  const app = newApp();
  app.post('/login', (_req, res) => {
    res.end();
  });
  app.get('/read', (_req, res) => {
    res.json({ user: 'ada' });
  });
  const visits = new Map<string, number>();
  app.get('/write', (_req, res) => {
    const count = (visits.get('ada') ?? 0) + 1;
    visits.set('ada', count);
    res.json({ user: 'ada', visits: count });
  });
  return app;
}

/** express-session as in bench:server: recommended settings to read, its defaults to write. */
function expressSessionApp(route: Route): Express {
  type LegacySession = { regenerate(done: (error?: Error) => void): void; userId?: string; visits?: number };
  const session = require('express-session') as (options: object) => express.RequestHandler;
  const app = newApp();
  const saving = route === 'read' ? { resave: false, saveUninitialized: false } : { resave: true, saveUninitialized: true };
  app.use(session({ secret: SECRET, ...saving }));
  const legacyOf = (req: express.Request): LegacySession => (req as unknown as { session: LegacySession }).session;
  app.post('/login', (req, res, next) => {
    legacyOf(req).regenerate((error) => {
      if (error) return next(error);
      legacyOf(req).userId = 'ada';
      res.end();
    });
  });
  app.get('/read', (req, res) => {
    res.json({ user: legacyOf(req).userId ?? null });
  });
  app.get('/write', (req, res) => {
    const legacy = legacyOf(req);
    legacy.visits = (legacy.visits ?? 0) + 1;
    res.json({ user: legacy.userId ?? null, visits: legacy.visits });
  });
  return app;
}

function sessionLabApp(slowdown: number): Express {
  const session = slowDown(new Session({ secret: SECRET, store: new MemoryStore(), cleanInterval: false }), slowdown);
  const app = newApp();
  app.use(sessionMiddleware(session));
  app.post('/login', async (req, res) => {
    await req.session.login('ada');
    res.end();
  });
  app.get('/read', (req, res) => {
    res.json({ user: req.session.userId });
  });
  app.get('/write', (req, res) => {
    const data = req.session.data!;
    const visits = (typeof data['visits'] === 'number' ? data['visits'] : 0) + 1;
    data['visits'] = visits;
    res.json({ user: req.session.userId, visits });
  });
  return app;
}
