/**
 * The two-tabs demo: two requests add to one cart at the same instant, on one simulated server or,
 * behind the balancer, on two servers that share one store. A compare-and-set store keeps both
 * items; a last-write-wins store loses one — which shows that the demo can fail, and what
 * compareAndSet buys, across tabs and across servers alike.
 */
import { deleteDB } from 'idb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { UnstampedEvent } from '../../src/sim/event-log.ts';
import { explainTwoTabs } from '../../src/components/lab/lab-explanations.ts';
import { startLab } from '../../src/sim/lab.ts';
import type { LabOptions, SimController, SimEvent, StoreChoice } from '../../src/sim/protocol.ts';
import { ServerHost } from '../../src/sim/server-host.ts';
import type { WireRequest } from '../../src/sim/server-messages.ts';

const labs: SimController[] = [];
const databases: string[] = [];

afterEach(async () => {
  for (const lab of labs.splice(0)) await lab.dispose();
  for (const name of databases.splice(0)) await deleteDB(name);
});

async function signedInLab(store: StoreChoice, options: Partial<LabOptions> = {}): Promise<SimController> {
  const database = `two-tabs-${crypto.randomUUID()}`;
  databases.push(database);
  const lab = await startLab({ store, base: '/', database, ...options });
  labs.push(lab);
  await post('login', { user: 'ada' });
  return lab;
}

async function post(path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`/api/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function cart(): Promise<string[]> {
  return ((await (await fetch('/api/account')).json()) as { cart: string[] }).cart;
}

describe('two tabs adding to one cart at the same instant', () => {
  for (const [name, store] of [
    ['MemoryStore', { kind: 'memory' }],
    ['IndexedDBStore', { kind: 'indexeddb' }],
  ] as const) {
    it(`keep both items with ${name}, which merges through compareAndSet`, async () => {
      const lab = await signedInLab(store);
      const answer = await post('cart-two-tabs', { items: ['tea', 'jam'] });
      expect(answer.status).toBe(200);
      expect(answer.body['tabs']).toEqual([expect.objectContaining({ status: 200 }), expect.objectContaining({ status: 200 })]);
      expect((await cart()).sort()).toEqual(['jam', 'tea']);
      const merged = lab.events().filter((event) => event.kind === 'session' && event.event.type === 'session-merged');
      expect(merged.length).toBeGreaterThan(0);
    });
  }

  it('lose one item with a last-write-wins store', async () => {
    const lab = await signedInLab({ kind: 'memory', lastWriteWins: true });
    expect(lab.events().filter((event) => event.kind === 'server').at(-1)).toMatchObject({ store: 'MemoryStore (last write wins)' });
    const answer = await post('cart-two-tabs', { items: ['tea', 'jam'] });
    expect(answer.status).toBe(200);
    expect(await cart()).toHaveLength(1);
  });

  it('answers 400 to a body that is not two items', async () => {
    await signedInLab({ kind: 'memory' });
    expect((await post('cart-two-tabs', { items: ['only one'] })).status).toBe(400);
  });

  it('runs both tabs on the one server, and names no server', async () => {
    const lab = await signedInLab({ kind: 'memory' });
    await post('cart-two-tabs', { items: ['tea', 'jam'] });
    expect(lab.events().some((event) => 'tabs' in event || 'server' in event)).toBe(false);
  });
});

/** The newest two-tabs request event, and the servers its session events happened on. */
function twoTabsRequest(lab: SimController): { request: Extract<SimEvent, { kind: 'request' }>; sessionServers: number[] } {
  const request = lab.events().findLast((event) => event.kind === 'request' && event.path === '/api/cart-two-tabs');
  if (request?.kind !== 'request') throw new Error('No two-tabs request in the events.');
  const servers = lab.events().flatMap((event) => (event.kind === 'session' && event.requestId === request.id && event.server !== undefined ? [event.server] : []));
  return { request, sessionServers: [...new Set(servers)].sort() };
}

function mergedIn(lab: SimController, requestId: number): Extract<SimEvent, { kind: 'session' }>[] {
  return lab.events().filter((event): event is Extract<SimEvent, { kind: 'session' }> => event.kind === 'session' && event.requestId === requestId && event.event.type === 'session-merged');
}

describe('two tabs on two servers that share one store', () => {
  it('keep both items with the shared IndexedDB store, whose compareAndSet makes one server merge', async () => {
    // Round robin: the sign-in goes to server 1, so the tabs go to servers 2 and 1.
    const lab = await signedInLab({ kind: 'indexeddb' }, { servers: 2 });
    const answer = await post('cart-two-tabs', { items: ['tea', 'jam'] });
    expect(answer.status).toBe(200);
    expect(answer.body['tabs']).toEqual([expect.objectContaining({ status: 200 }), expect.objectContaining({ status: 200 })]);
    const { request, sessionServers } = twoTabsRequest(lab);
    expect(request.tabs).toEqual([2, 1]);
    expect(sessionServers, 'each server ran a tab').toEqual([1, 2]);
    expect(lab.events().find((event) => event.kind === 'response' && event.id === request.id)).toMatchObject({ status: 200, tabs: [2, 1] });
    const merged = mergedIn(lab, request.id);
    expect(merged, 'one tab lost the race on its server and merged').toHaveLength(1);
    expect([1, 2]).toContain(merged[0]?.server);
    expect((await cart()).sort()).toEqual(['jam', 'tea']);
    expect(explainTwoTabs(true, { events: lab.events(), route: 'cart-two-tabs' })).toMatch(/^The balancer sent tab 1 to server 2 and tab 2 to server 1, which share one store\..*merged its item in \(compareAndSet\)/);
  });

  it('lose one item with the shared store in its last-write-wins form: both servers read before either wrote', async () => {
    const lab = await signedInLab({ kind: 'indexeddb', lastWriteWins: true }, { servers: 2 });
    expect(lab.events().filter((event) => event.kind === 'server').at(-1)).toMatchObject({ store: 'IndexedDB (last write wins)' });
    const answer = await post('cart-two-tabs', { items: ['tea', 'jam'] });
    expect(answer.body['tabs']).toEqual([expect.objectContaining({ status: 200 }), expect.objectContaining({ status: 200 })]);
    const { request, sessionServers } = twoTabsRequest(lab);
    expect(request.tabs).toEqual([2, 1]);
    expect(sessionServers).toEqual([1, 2]);
    expect(mergedIn(lab, request.id)).toEqual([]);
    expect(await cart()).toHaveLength(1);
    expect(explainTwoTabs(false, { events: lab.events(), route: 'cart-two-tabs' })).toMatch(
      /^The balancer sent tab 1 to server 2 and tab 2 to server 1, .* no compareAndSet, so the later save replaced the earlier \(last write wins\): across servers exactly as across tabs\.$/,
    );
  });

  it('keep both items every time, wherever round robin sends the tabs among three servers', async () => {
    const lab = await signedInLab({ kind: 'indexeddb' }, { servers: 3 });
    const pairs: unknown[] = [];
    for (const items of [['tea', 'jam'], ['oats', 'figs']]) {
      await post('cart-two-tabs', { items });
      pairs.push(twoTabsRequest(lab).request.tabs);
    }
    // login: 1; tabs: 2 and 3; then 1 and 2 (the cart read in between went to 3).
    expect(pairs).toEqual([[2, 3], [1, 2]]);
    expect((await cart()).sort()).toEqual(['figs', 'jam', 'oats', 'tea']);
  });

  it('run both tabs on the pinned server with sticky sessions, where compare-and-set keeps both items', async () => {
    const lab = await signedInLab({ kind: 'memory' }, { servers: 2, balancer: 'sticky' });
    await post('cart-two-tabs', { items: ['tea', 'jam'] });
    const { request, sessionServers } = twoTabsRequest(lab);
    expect(request.tabs).toEqual([1, 1]);
    expect(sessionServers).toEqual([1]);
    expect((await cart()).sort()).toEqual(['jam', 'tea']);
    expect(explainTwoTabs(true, { events: lab.events(), route: 'cart-two-tabs' })).toMatch(/^The second write lost the race/);
  });

  it('answers 400 from a server to a body that is not two items', async () => {
    await signedInLab({ kind: 'indexeddb' }, { servers: 2 });
    expect((await post('cart-two-tabs', { items: ['only one'] })).status).toBe(400);
  });
});

describe('a tab whose twin runs on another server', () => {
  const hosts: ServerHost[] = [];
  afterEach(() => {
    for (const host of hosts.splice(0)) host.dispose();
  });

  async function newServer(database: string, events: UnstampedEvent[]): Promise<ServerHost> {
    const host = await ServerHost.start({
      config: { base: '/', secrets: ['two-tabs-test-secret-0123456789abcdefghij'], sessionDuration: 30 * 60_000, cleanInterval: 5 * 60_000, storeTimeout: 1500, database },
      store: { kind: 'indexeddb', lastWriteWins: true },
      timeoutMs: 3000,
      clock: () => ({ offset: 0, pausedAt: null }),
      report: (event) => events.push(event),
    });
    hosts.push(host);
    return host;
  }

  function wire(id: number, path: string, options: { body?: unknown; cookie?: string | null; meet?: string } = {}): WireRequest {
    return {
      id,
      method: options.body === undefined ? 'GET' : 'POST',
      url: `http://localhost/api/${path}`,
      headers: [['content-type', 'application/json']],
      body: options.body === undefined ? null : new TextEncoder().encode(JSON.stringify(options.body)).buffer,
      cookie: options.cookie ?? null,
      ...(options.meet === undefined ? {} : { meet: options.meet }),
    };
  }

  it('waits for it before saving, so both read before either writes, even when the twin comes late', async () => {
    const database = `two-tabs-${crypto.randomUUID()}`;
    databases.push(database);
    const events: UnstampedEvent[] = [];
    const [first, second] = [await newServer(database, events), await newServer(database, events)];
    const login = await first.request(wire(1, 'login', { body: { user: 'ada' } }), 'POST /api/login');
    const cookie = login.setCookie?.split(';')[0] ?? null;
    const meet = crypto.randomUUID();

    const tab1 = first.request(wire(2, 'cart', { body: { item: 'tea' }, cookie, meet }), 'POST /api/cart (tab 1)');
    // Tab 1 has read the session; only then does tab 2 set out, on the other server.
    await vi.waitFor(() => expect(events).toContainEqual(expect.objectContaining({ requestId: 2, event: expect.objectContaining({ type: 'store-call', method: 'get' }) })));
    const tab2 = second.request(wire(3, 'cart', { body: { item: 'jam' }, cookie, meet }), 'POST /api/cart (tab 2)');
    expect((await Promise.all([tab1, tab2])).map((answer) => answer.status)).toEqual([200, 200]);

    // Last write wins on the shared store: tab 1 waited, so tab 2 read the cart without tea, and its write replaced tea.
    const account = await first.request(wire(4, 'account', { cookie }), 'GET /api/account');
    expect((JSON.parse(new TextDecoder().decode(account.body ?? undefined)) as { cart: string[] }).cart).toEqual(['jam']);
  });
});
