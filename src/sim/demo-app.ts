/**
 * The demo app the simulated server runs: sign in, a cart kept in the session, sign out (here,
 * elsewhere or everywhere), the user's devices, and an email change that asks for a fresh sign-in.
 * Its page calls these routes with plain `fetch`.
 *
 * | route                                | answer                                                        |
 * | ------------------------------------ | ------------------------------------------------------------- |
 * | POST {base}api/login `{user}`        | 200 `{user, cart}`; 400 without a user name                   |
 * | GET  {base}api/account               | 200 `{user, cart, email, expires, createdAt, authenticatedAt}`; 401 |
 * | POST {base}api/cart `{item}`         | 200 `{cart}`; 400 without an item; 401                        |
 * | POST {base}api/logout                | 200 `{ok: true}`                                              |
 * | POST {base}api/logout-everywhere     | 200 `{ended}`; 401                                            |
 * | POST {base}api/logout-others         | 200 `{ended}`; 401                                            |
 * | GET  {base}api/sessions              | 200 `{sessions: [{createdAt, expires, current}]}`; 401        |
 * | GET  {base}api/devices               | 200 `{devices: [{publicId, userAgent, ip, …, current}]}`; 401 |
 * | POST {base}api/revoke-device `{device}` | 200 `{revoked}`; 400 without a device id; 401              |
 * | POST {base}api/email `{email}`       | 200 `{email}`; 400; 401, or 403 `{reason: 'stale-sign-in'}` when the sign-in is older than `FRESH_SIGN_IN_MS` |
 * | POST {base}api/reauthenticate `{password}` | 200 `{authenticatedAt}`; 400 without a password; 401    |
 *
 * Errors are `{error}` (and `reason` where the library gives one). A store that cannot list a user's
 * sessions (no `listByUser`) makes the routes that list or end them answer 501.
 */
import { SessionConfigError, requireFreshSignIn, type Session } from '../session/index.ts';
import type { SessionContext } from '../session/adapters/fetch.ts';
import { FRESH_SIGN_IN_MS } from './protocol.ts';

/** What the app keeps in a session. */
export type DemoData = { cart: string[]; email?: string };

/** An email address as the demo accepts it: something, an @, something. The confirmation mail a real app sends is the real check. */
const EMAIL = /^[^\s@]+@[^\s@]+$/;

type Route = (request: Request, context: SessionContext<DemoData>, session: Session<DemoData>) => Promise<Response>;

/** Longest user name and cart item the app accepts. */
const MAX_TEXT = 100;

const ROUTES: Record<string, { method: 'GET' | 'POST'; run: Route }> = {
  login: {
    method: 'POST',
    run: async (request, { session }) => {
      const user = textField(await readJson(request), 'user');
      if (user === null) return json(400, { error: `Send {"user": "<name>"}: a name of 1 to ${MAX_TEXT} characters.` });
      await session.login(user, { cart: [] });
      return json(200, { user, cart: [] });
    },
  },
  account: {
    method: 'GET',
    run: async (_request, { session }) => {
      if (!session.isAuthenticated()) return notSignedIn();
      return json(200, {
        user: session.userId,
        cart: cartOf(session.data),
        email: typeof session.data?.email === 'string' ? session.data.email : null,
        expires: session.expires,
        createdAt: session.createdAt,
        authenticatedAt: session.authenticatedAt,
      });
    },
  },
  cart: {
    method: 'POST',
    run: async (request, { session }) => {
      if (!session.isAuthenticated()) return notSignedIn();
      const item = textField(await readJson(request), 'item');
      if (item === null) return json(400, { error: `Send {"item": "<text>"}: 1 to ${MAX_TEXT} characters.` });
      const data = session.data!;
      data.cart = [...cartOf(data), item];
      return json(200, { cart: data.cart });
    },
  },
  logout: {
    method: 'POST',
    run: async (_request, { session }) => {
      await session.logout();
      return json(200, { ok: true });
    },
  },
  'logout-everywhere': {
    method: 'POST',
    run: async (_request, { session }) => {
      if (!session.isAuthenticated()) return notSignedIn();
      return listing(async () => json(200, { ended: await session.logoutEverywhere() }));
    },
  },
  'logout-others': {
    method: 'POST',
    run: async (_request, { session }) => {
      if (!session.isAuthenticated()) return notSignedIn();
      return listing(async () => json(200, { ended: await session.logoutOthers() }));
    },
  },
  devices: {
    method: 'GET',
    run: async (_request, { session }) => {
      if (!session.isAuthenticated()) return notSignedIn();
      return listing(async () => json(200, { devices: await session.devices() }));
    },
  },
  'revoke-device': {
    method: 'POST',
    run: async (request, { session }) => {
      if (!session.isAuthenticated()) return notSignedIn();
      const device = textField(await readJson(request), 'device');
      if (device === null) return json(400, { error: 'Send {"device": "<publicId>"}: the id from GET api/devices.' });
      // Refused (false) unless the session belongs to this user: the library checks ownership.
      return listing(async () => json(200, { revoked: await session.revokeDevice(device) }));
    },
  },
  email: {
    method: 'POST',
    run: async (request, { session }) => {
      const fresh = requireFreshSignIn(session, FRESH_SIGN_IN_MS);
      if (!fresh.ok) return json(fresh.status, { error: fresh.message, reason: fresh.reason });
      const email = textField(await readJson(request), 'email');
      if (email === null || !EMAIL.test(email)) return json(400, { error: 'Send {"email": "<address>"}: an address with an @.' });
      session.data!.email = email;
      return json(200, { email });
    },
  },
  reauthenticate: {
    method: 'POST',
    run: async (request, { session }) => {
      if (!session.isAuthenticated()) return notSignedIn();
      // The demo has no passwords to check: any password counts, as the page says. A real app checks it here.
      const password = textField(await readJson(request), 'password');
      if (password === null) return json(400, { error: 'Send {"password": "<your password>"}.' });
      await session.reauthenticate();
      return json(200, { authenticatedAt: session.authenticatedAt });
    },
  },
  sessions: {
    method: 'GET',
    run: async (_request, { session }, sessions) => {
      if (!session.isAuthenticated()) return notSignedIn();
      return listing(async () => {
        const records = await sessions.sessionsOf(session.userId!);
        const list = records.map((record) => ({ createdAt: record.createdAt, expires: record.expires, current: record.sessionId === session.id }));
        return json(200, { sessions: list });
      });
    },
  },
};

/** The app's request handler for `handleWithSession`, for routes under `${base}api/`. */
export function createDemoApp(base: string, sessions: Session<DemoData>): (request: Request, context: SessionContext<DemoData>) => Promise<Response> {
  const prefix = `${base}api/`;
  return async (request, context) => {
    const path = new URL(request.url).pathname;
    const name = path.startsWith(prefix) ? path.slice(prefix.length) : '';
    const route = Object.hasOwn(ROUTES, name) ? ROUTES[name] : undefined;
    if (!route) return json(404, { error: `No route ${request.method} ${path}.` });
    if (request.method !== route.method) return json(405, { error: `Use ${route.method} for ${path}.` }, { allow: route.method });
    return route.run(request, context, sessions);
  };
}

/** A JSON response no cache keeps: every answer here depends on the session. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { 'cache-control': 'no-store', ...headers } });
}

function notSignedIn(): Response {
  return json(401, { error: 'Not signed in' });
}

/** Runs a route that needs `listByUser`; a store without it gets a 501 that says so. */
async function listing(run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof SessionConfigError)) throw error;
    return json(501, { error: error.message });
  }
}

async function readJson(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    return null;
  }
}

/** The trimmed string `body[field]`, or null when it is missing, empty or too long. */
function textField(body: unknown, field: string): string | null {
  const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[field] : undefined;
  if (typeof value !== 'string') return null;
  const text = value.trim();
  return text.length > 0 && text.length <= MAX_TEXT ? text : null;
}

/** The cart in a session's data; a store that garbled it gives an empty cart, not a crash. */
function cartOf(data: DemoData | null): string[] {
  const cart = data?.cart;
  return Array.isArray(cart) ? cart.filter((item): item is string => typeof item === 'string') : [];
}
