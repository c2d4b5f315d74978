/**
 * Session Lab on Express: a login form, a page that shows the session, and logout. Sessions live
 * in SQLite by default, in Redis when REDIS_URL is set. See README.md beside this file.
 *
 * This example imports the library's source so it runs without a build step; in your application
 * import from 'sessionlab', 'sessionlab/express', 'sessionlab/sqlite' and 'sessionlab/redis'.
 */
import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { Session, type BaseSessionStore } from '../../../src/session/index.ts';
import { sessionMiddleware, storeErrorHandler } from '../../../src/session/adapters/express.ts';
import { SqliteStore } from '../../../src/session/stores/sqlite-store.ts';

declare global {
  namespace Express {
    interface User {
      id: string;
      name: string;
    }
  }
}

interface Account extends Express.User {
  username: string;
  salt: Buffer;
  passwordHash: Buffer;
}

/** Demo accounts. A real app keeps users in a database, with a slow password hash (scrypt, argon2) like this one. */
const accounts: Account[] = [
  account('1', 'Ada Lovelace', 'ada', 'lovelace'),
  account('2', 'Grace Hopper', 'grace', 'hopper'),
];
/** Checked when no account has the username, so a wrong username costs as long as a wrong password. */
const nobody = account('', '', '', randomBytes(16).toString('base64url'));

const port = Number(process.env.PORT ?? 3000);
const secret = process.env.SESSION_SECRET ?? randomBytes(32).toString('base64url');
if (!process.env.SESSION_SECRET) {
  console.warn('SESSION_SECRET is not set: using a random one, so sessions end when the server restarts.');
}

const { store, describe: storeName, close: closeStore } = await openStore();
const session = new Session({ secret, store });

const app = express();
app.disable('x-powered-by');
app.use(
  sessionMiddleware(session, {
    serializeUser: (user) => user.id,
    // Only what pages need goes on req.user: never the password hash.
    deserializeUser: (id) => {
      const found = accounts.find((candidate) => candidate.id === id);
      return found ? { id: found.id, name: found.name } : null;
    },
  }),
);
app.use(express.urlencoded({ extended: false, limit: '4kb' }));

app.get('/', (req, res) => {
  if (!req.isAuthenticated() || !req.user) {
    res.type('html').send(loginPage(req.query['error'] !== undefined));
    return;
  }
  // Session data is saved before the response leaves; a change like this one costs one store write.
  const data = req.session.data!;
  data['visits'] = (typeof data['visits'] === 'number' ? data['visits'] : 0) + 1;
  res.type('html').send(sessionPage(req.user, req.session.id!, req.session.createdAt!, req.session.expires!, data['visits']));
});

app.post('/login', async (req, res) => {
  const { username, password } = (req.body ?? {}) as { username?: unknown; password?: unknown };
  const found = accounts.find((candidate) => candidate.username === username);
  // The hash is computed whether or not the username exists: the answer's timing must not tell which do.
  const matches = typeof password === 'string' && (await passwordMatches(found ?? nobody, password));
  if (!found || !matches) {
    res.redirect(303, '/?error');
    return;
  }
  await req.login({ id: found.id, name: found.name }); // a new session id: fixation defence
  res.redirect(303, '/');
});

app.post('/logout', async (req, res) => {
  await req.logout();
  res.redirect(303, '/');
});

/** The session as JSON, for scripts and tests. */
app.get('/api/session', (req, res) => {
  res.json({ user: req.user ?? null, expires: req.session.expires, data: req.session.data });
});

app.use(storeErrorHandler()); // a store that is down answers 503, the process keeps running

const server = app.listen(port, '127.0.0.1');
await once(server, 'listening');
const { port: actualPort } = server.address() as AddressInfo;
console.log(`Session Lab example on http://127.0.0.1:${actualPort} (sessions in ${storeName})`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close();
    server.closeIdleConnections();
    session.close();
    void closeStore();
  });
}

async function openStore(): Promise<{ store: BaseSessionStore<any>; describe: string; close: () => Promise<void> }> {
  const redisUrl = process.env.REDIS_URL;
  if (redisUrl) {
    const { createClient } = await import('redis');
    const { RedisStore } = await import('../../../src/session/stores/redis-store.ts');
    // Fail fast while Redis is down (a 503 at once) instead of queueing commands until it is back.
    const client = createClient({ url: redisUrl, disableOfflineQueue: true });
    client.on('error', (error: Error) => console.error(`redis: ${error.message}`));
    await client.connect();
    return { store: new RedisStore({ client }), describe: `Redis at ${redisUrl}`, close: async () => void (await client.close()) };
  }
  const path = process.env.SQLITE_PATH ?? join(tmpdir(), 'sessionlab-example.db');
  const sqlite = new SqliteStore({ path });
  return { store: sqlite, describe: `SQLite at ${path}`, close: async () => sqlite.close() };
}

function account(id: string, name: string, username: string, password: string): Account {
  const salt = randomBytes(16);
  return { id, name, username, salt, passwordHash: scryptSync(password, salt, 32) };
}

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, length: number) => Promise<Buffer>;

/** Off the event loop (scrypt takes tens of milliseconds): other requests go on meanwhile. */
async function passwordMatches(found: Account, password: string): Promise<boolean> {
  return timingSafeEqual(await scryptAsync(password, found.salt, 32), found.passwordHash);
}

function loginPage(failed: boolean): string {
  return layout(
    'Sign in',
    `${failed ? '<p role="alert">Wrong username or password.</p>' : ''}
    <form method="post" action="/login">
      <label>Username <input name="username" autocomplete="username" required></label>
      <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
      <button>Sign in</button>
    </form>
    <p>Try <code>ada</code> / <code>lovelace</code> or <code>grace</code> / <code>hopper</code>.</p>`,
  );
}

function sessionPage(user: Express.User, id: string, createdAt: string, expires: string, visits: number): string {
  return layout(
    `Hello, ${escapeHtml(user.name)}`,
    `<dl>
      <dt>User id</dt><dd>${escapeHtml(user.id)}</dd>
      <dt>Session id (a hash of the cookie's token)</dt><dd><code>${escapeHtml(id.slice(0, 12))}…</code></dd>
      <dt>Started</dt><dd>${escapeHtml(createdAt)}</dd>
      <dt>Ends unless you come back</dt><dd>${escapeHtml(expires)}</dd>
      <dt>Visits in this session</dt><dd>${visits}</dd>
    </dl>
    <form method="post" action="/logout"><button>Sign out</button></form>`,
  );
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Session Lab</title>
<style>body { font: 1rem/1.5 system-ui, sans-serif; max-width: 36rem; margin: 2rem auto; padding: 0 1rem; } label { display: block; margin: .5rem 0; }</style>
<h1>${title}</h1>
${body}
</html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
