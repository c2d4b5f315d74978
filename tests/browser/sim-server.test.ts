/**
 * The simulated server in its Web Worker, in real Chromium: virtual time inside the worker, cleaning
 * on virtual time, restarts (MemoryStore forgets, IndexedDB remembers), deadlines that keep the page
 * alive, misbehaving stores, and what happens when a reader's store module is broken.
 */
import { deleteDB } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import { startLab } from '../../src/sim/lab.ts';
import type { LabOptions, SimController, SimEvent, StoreChoice } from '../../src/sim/protocol.ts';
import { ServerHost } from '../../src/sim/server-host.ts';
import type { UnstampedEvent } from '../../src/sim/event-log.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

const labs: SimController[] = [];
const hosts: ServerHost[] = [];
const databases: string[] = [];
const moduleUrls: string[] = [];

afterEach(async () => {
  for (const lab of labs.splice(0)) await lab.dispose();
  for (const host of hosts.splice(0)) host.dispose();
  for (const url of moduleUrls.splice(0)) URL.revokeObjectURL(url);
  for (const name of databases.splice(0)) {
    await new Promise<void>((resolve, reject) => {
      deleteDB(name, { blocked: () => reject(new Error(`Deleting "${name}" is blocked: a server worker still holds it open.`)) }).then(resolve, reject);
    });
  }
});

async function newLab(options: Partial<LabOptions> = {}): Promise<SimController> {
  const lab = await startLab({ store: { kind: 'memory' }, base: '/', ...options });
  labs.push(lab);
  return lab;
}

/** A database name no other test uses, deleted after the test. */
function newDatabase(): string {
  const name = `sim-server-test-${crypto.randomUUID()}`;
  databases.push(name);
  return name;
}

/** A store choice for an ES module with `source` as its code, as the playground would make one. */
function storeModule(source: string, label = 'Reader store', exportName?: string): StoreChoice {
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  moduleUrls.push(url);
  return exportName === undefined ? { kind: 'module', url, label } : { kind: 'module', url, label, exportName };
}

/** A small correct store that also notes the time it saw, through Date, at each create(). */
const CLOCK_PROBE_STORE = `
export class ClockProbeStore {
  records = new Map();
  create(record) {
    const seen = { now: Date.now(), date: new Date().getTime(), text: Date(), isDate: new Date() instanceof Date && new Date().constructor === Date };
    this.records.set(record.sessionId, structuredClone({ ...record, seen }));
  }
  get(id) { const found = this.records.get(id); return found ? structuredClone(found) : null; }
  update(id, record) { if (this.records.has(id)) this.records.set(id, structuredClone(record)); }
  delete(id) { this.records.delete(id); }
  clean() { return 0; }
  all() { return [...this.records.values()].map((record) => structuredClone(record)); }
}`;

/** A store whose create() never returns: it blocks the worker's thread. */
const SPINNING_STORE = `
export class SpinningStore {
  create() { while (true) {} }
  get() { return null; }
  update() {}
  delete() {}
  clean() { return 0; }
}`;

interface ApiAnswer {
  status: number;
  body: Record<string, unknown>;
}

async function api(path: string, body?: unknown): Promise<ApiAnswer> {
  const init: RequestInit = body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  const response = await fetch(`/api/${path}`, init);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The first event (already logged or still to come) that `matches`. */
function eventMatching(lab: SimController, matches: (event: SimEvent) => boolean): Promise<SimEvent> {
  const logged = lab.events().find(matches);
  if (logged) return Promise.resolve(logged);
  return new Promise((resolve) => {
    const unsubscribe = lab.subscribe((event) => {
      if (event && matches(event)) {
        unsubscribe();
        resolve(event);
      }
    });
  });
}

function serverEvents(lab: SimController): SimEvent[] {
  return lab.events().filter((event) => event.kind === 'server');
}

function storeCalls(lab: SimController): Extract<SimEvent, { kind: 'session' }>['event'][] {
  return lab.events().flatMap((event) => (event.kind === 'session' && event.event.type === 'store-call' ? [event.event] : []));
}

describe('the simulated server', () => {
  describe('virtual time inside the worker', () => {
    it('gives store code the virtual time through Date.now(), new Date() and Date()', async () => {
      const lab = await newLab({ store: storeModule(CLOCK_PROBE_STORE) });
      await lab.jump(2 * DAY);
      await api('login', { user: 'ada' });
      const [record] = (await lab.records()) as unknown as { createdAt: string; seen: { now: number; date: number; text: string; isDate: boolean } }[];
      const { seen } = record!;
      const virtualNow = lab.now();
      expect(seen.now).toBeGreaterThan(Date.now() + 2 * DAY - MINUTE);
      expect(seen.now).toBeLessThanOrEqual(virtualNow);
      expect(virtualNow - seen.now).toBeLessThan(MINUTE);
      expect(Math.abs(seen.date - seen.now)).toBeLessThan(1000);
      expect(Math.abs(Date.parse(seen.text) - seen.now)).toBeLessThan(2000);
      expect(seen.isDate).toBe(true);
      // The Session's own clock agrees: the session was created at virtual time.
      expect(Math.abs(Date.parse(record!.createdAt) - seen.now)).toBeLessThan(1000);
    });

    it('stands still in the worker while the clock is paused', async () => {
      const lab = await newLab({ store: storeModule(CLOCK_PROBE_STORE) });
      lab.pause();
      await lab.jump(DAY);
      await api('login', { user: 'ada' });
      const [record] = (await lab.records()) as unknown as { seen: { now: number; date: number } }[];
      expect(record!.seen.now).toBe(lab.now());
      expect(record!.seen.date).toBe(lab.now());
    });
  });

  describe('cleaning on virtual time', () => {
    it('cleans at start, then once cleanInterval of virtual time has passed', async () => {
      const lab = await newLab({ cleanInterval: 10 * MINUTE });
      const cleanRuns = (): number => lab.events().filter((event) => event.kind === 'session' && event.event.type === 'clean').length;
      await eventMatching(lab, (event) => event.kind === 'session' && event.event.type === 'clean');
      expect(cleanRuns()).toBe(1);
      await lab.jump(4 * MINUTE);
      expect(cleanRuns()).toBe(1);
      await lab.jump(6 * MINUTE);
      expect(cleanRuns()).toBe(2);
    });

    it('removes a session that expired in a jump, in a clean run no request asked for', async () => {
      const lab = await newLab({ sessionDuration: 30 * MINUTE, cleanInterval: 5 * MINUTE });
      await api('login', { user: 'ada' });
      expect(await lab.records()).toHaveLength(1);
      await lab.jump(31 * MINUTE);
      const clean = lab.events().findLast((event) => event.kind === 'session' && event.event.type === 'clean');
      expect(clean).toMatchObject({ requestId: null, event: { type: 'clean', removed: 1, outcome: 'ok' } });
      expect(await lab.records()).toEqual([]);
    });

    it('shows an expired record in the store until something removes it', async () => {
      const lab = await newLab({ sessionDuration: 30 * MINUTE, cleanInterval: 24 * 60 * MINUTE });
      await api('login', { user: 'ada' });
      await lab.jump(31 * MINUTE);
      expect(await lab.records()).toHaveLength(1);
      expect((await api('account')).status).toBe(401);
      expect(await lab.records()).toEqual([]);
    });
  });

  describe('restarting', () => {
    it('loses MemoryStore sessions: the cookie comes back unknown and is cleared', async () => {
      const lab = await newLab();
      await api('login', { user: 'ada' });
      await lab.restartServer();
      expect(serverEvents(lab).at(-1)).toMatchObject({ step: 'restarted', store: 'MemoryStore' });
      expect((await api('account')).status).toBe(401);
      expect(lab.events()).toContainEqual(expect.objectContaining({ kind: 'session', event: expect.objectContaining({ type: 'cookie-rejected', reason: 'unknown-session' }) }));
      expect(lab.cookies()).toEqual([]);
    });

    it('keeps IndexedDB sessions', async () => {
      const lab = await newLab({ store: { kind: 'indexeddb' }, database: newDatabase() });
      await api('login', { user: 'ada' });
      await api('cart', { item: 'tea' });
      await lab.restartServer();
      expect(serverEvents(lab).at(-1)).toMatchObject({ step: 'restarted', store: 'IndexedDB' });
      expect(await api('account')).toMatchObject({ status: 200, body: { user: 'ada', cart: ['tea'] } });
      expect(await lab.records()).toEqual([expect.objectContaining({ userId: 'ada', data: { cart: ['tea'] } })]);
    });
  });

  describe('a server that does not answer', () => {
    it('gets a 504 after requestTimeoutMs, is restarted, and never blocks the page', async () => {
      const lab = await newLab({ store: storeModule(SPINNING_STORE), requestTimeoutMs: 500 });
      let pageTicks = 0;
      const ticker = setInterval(() => pageTicks++, 20);
      const login = await api('login', { user: 'ada' });
      clearInterval(ticker);
      expect(login.status).toBe(504);
      expect(login.body['error']).toMatch(/no answer within 500 ms/);
      // The worker spun the whole time; the page kept running its own timers.
      expect(pageTicks).toBeGreaterThan(5);
      expect(serverEvents(lab).at(-1)).toMatchObject({ step: 'timeout', store: 'Reader store' });
      await eventMatching(lab, (event) => event.kind === 'server' && event.step === 'restarted');
      expect((await api('account')).status).toBe(401);
    });

    it('orders the timeout between the request and its 504', async () => {
      const lab = await newLab({ store: storeModule(SPINNING_STORE), requestTimeoutMs: 300 });
      await api('login', { user: 'ada' });
      await eventMatching(lab, (event) => event.kind === 'server' && event.step === 'restarted');
      const steps = lab.events().filter((event) => event.kind !== 'session').map((event) => (event.kind === 'server' ? event.step : event.kind));
      expect(steps).toEqual(['started', 'request', 'timeout', 'response', 'restarted']);
    });
  });

  describe('faulty stores', () => {
    it('hang: the Session gives up on the store call and answers 503, well before the deadline', async () => {
      const lab = await newLab({ store: { kind: 'faulty', fault: 'hang' } });
      expect((await api('login', { user: 'ada' })).status).toBe(503);
      expect(storeCalls(lab).at(-1)).toMatchObject({ method: 'create', outcome: 'timeout' });
      expect(serverEvents(lab).map((event) => event.kind === 'server' && event.step)).toEqual(['started']);
    });

    it('throw: every request that needs the store gets a 503, and the failure is in the log', async () => {
      const lab = await newLab({ store: { kind: 'faulty', fault: 'throw' } });
      expect((await api('login', { user: 'ada' })).status).toBe(503);
      expect(storeCalls(lab).at(-1)).toMatchObject({ method: 'create', outcome: 'failed', error: expect.stringMatching(/on purpose/) });
    });
  });

  describe("a reader's store module", () => {
    it('runs once it loads, named by its label', async () => {
      const lab = await newLab();
      const choice = storeModule(CLOCK_PROBE_STORE, 'My store');
      await lab.setStore(choice);
      expect(serverEvents(lab).at(-1)).toMatchObject({ step: 'restarted', store: 'My store' });
      expect(lab.options.store).toEqual(choice);
      expect((await api('login', { user: 'ada' })).status).toBe(200);
      expect(await lab.records()).toHaveLength(1);
    });

    it.each([
      ['a constructor that throws', 'export class BrokenStore { constructor() { throw new Error("no database configured"); } create() {} get() {} update() {} delete() {} clean() {} }', undefined, /new BrokenStore\(\) threw: Error: no database configured/],
      ['a missing method', 'export class HalfStore { constructor() { this.clean = undefined; } create() {} get() {} update() {} delete() {} clean() {} }', undefined, /HalfStore has no clean\(\)/],
      ['no store class at all', 'export const notAStore = 42;', undefined, /No exported class has the five store methods.*notAStore/],
      ['a syntax error', 'export class Oops {', undefined, /did not load/],
      ['an export name that is not there', CLOCK_PROBE_STORE, 'Nope', /no export named "Nope".*ClockProbeStore/],
    ])('with %s is reported as a crash, and the running server keeps its store and sessions', async (_case, source, exportName, detail) => {
      const lab = await newLab();
      await api('login', { user: 'ada' });
      await lab.setStore(storeModule(source, 'Broken', exportName));
      expect(serverEvents(lab).at(-1)).toMatchObject({ step: 'crashed', store: 'Broken', detail: expect.stringMatching(detail) });
      expect((serverEvents(lab).at(-1) as { detail: string }).detail).toMatch(/Kept MemoryStore running\.$/);
      expect(lab.options.store).toEqual({ kind: 'memory' });
      expect(await api('account')).toMatchObject({ status: 200, body: { user: 'ada' } });
    });

    it('that never finishes loading is cut off at the deadline, and the running server stays', async () => {
      const lab = await newLab({ requestTimeoutMs: 400 });
      await lab.setStore(storeModule('export class Forever { constructor() { while (true) {} } create() {} get() {} update() {} delete() {} clean() {} }', 'Forever'));
      expect(serverEvents(lab).at(-1)).toMatchObject({ step: 'crashed', store: 'Forever', detail: expect.stringMatching(/did not start within 400 ms.*Kept MemoryStore running/) });
      expect((await api('account')).status).toBe(401);
    });

    it('that is broken from the start leaves the Lab running on a MemoryStore, and says so', async () => {
      const lab = await newLab({ store: storeModule('export const nothing = 1;', 'Broken') });
      expect(serverEvents(lab)).toEqual([
        expect.objectContaining({ step: 'crashed', store: 'Broken', detail: expect.stringMatching(/Running on MemoryStore instead\.$/) }),
        expect.objectContaining({ step: 'started', store: 'MemoryStore' }),
      ]);
      expect(lab.options.store).toEqual({ kind: 'memory' });
      expect((await api('login', { user: 'ada' })).status).toBe(200);
    });

    it('that throws outside any request is reported, and the server keeps running', async () => {
      const source = CLOCK_PROBE_STORE.replace('create(record) {', 'create(record) { setTimeout(() => { throw new Error("late failure"); });');
      const lab = await newLab({ store: storeModule(source) });
      expect((await api('login', { user: 'ada' })).status).toBe(200);
      const crash = await eventMatching(lab, (event) => event.kind === 'server' && event.step === 'crashed');
      expect(crash).toMatchObject({ detail: expect.stringMatching(/late failure.*keeps running/) });
      expect((await api('account')).status).toBe(200);
    });

    it('without all() is not listed: records() answers null, a state and not an error, across the worker', async () => {
      const lab = await newLab({ store: storeModule(CLOCK_PROBE_STORE.replace(/all\(\) \{.*\}\n/, ''), 'Listless') });
      expect((await api('login', { user: 'ada' })).status).toBe(200);
      expect(await lab.records()).toBeNull();
    });
  });

  describe('the host, without the network', () => {
    async function newHost(store: StoreChoice, base: string, events: UnstampedEvent[] = []): Promise<ServerHost> {
      const host = await ServerHost.start({
        config: { base, secrets: ['sim-server-test-secret-0123456789abcdefghi'], sessionDuration: 30 * MINUTE, cleanInterval: 5 * MINUTE, storeTimeout: 1500, database: 'unused' },
        store,
        timeoutMs: 3000,
        clock: () => ({ offset: 0, pausedAt: null }),
        report: (event) => events.push(event),
      });
      hosts.push(host);
      return host;
    }

    function wire(id: number, method: string, url: string, body?: unknown): Parameters<ServerHost['request']>[0] {
      return {
        id,
        method,
        url,
        headers: [['content-type', 'application/json']],
        body: body === undefined ? null : (new TextEncoder().encode(JSON.stringify(body)).buffer as ArrayBuffer),
        cookie: null,
      };
    }

    it('serves the app under the base path, and nothing outside it', async () => {
      const host = await newHost({ kind: 'memory' }, '/session-lab/');
      const login = await host.request(wire(1, 'POST', 'http://localhost/session-lab/api/login', { user: 'ada' }), 'POST /session-lab/api/login');
      expect(login.status).toBe(200);
      expect((await host.request(wire(2, 'POST', 'http://localhost/api/login', { user: 'ada' }), 'POST /api/login')).status).toBe(404);
    });

    it('scopes the session cookie to the base path, and clears it there', async () => {
      const host = await newHost({ kind: 'memory' }, '/session-lab/');
      const login = await host.request(wire(1, 'POST', 'http://localhost/session-lab/api/login', { user: 'ada' }), 'POST /session-lab/api/login');
      expect(login.setCookie).toMatch(/^session=.*; Path=\/session-lab\/; HttpOnly; SameSite=Lax$/);
      const logout = await host.request({ ...wire(2, 'POST', 'http://localhost/session-lab/api/logout'), cookie: login.setCookie!.split(';')[0]! }, 'POST /session-lab/api/logout');
      expect(logout.status).toBe(200);
      expect(logout.setCookie).toMatch(/^session=; .*Path=\/session-lab\//);
    });

    it('answers a request the server was working on when it restarted with a 502', async () => {
      const host = await newHost({ kind: 'faulty', fault: 'hang' }, '/');
      const pending = host.request(wire(1, 'POST', 'http://localhost/api/login', { user: 'ada' }), 'POST /api/login');
      await host.restart();
      const answer = await pending;
      expect(answer.status).toBe(502);
      expect(JSON.parse(new TextDecoder().decode(answer.body!))).toEqual({ error: 'The server was restarted before it answered.' });
    });

    it('forwards each Session event with the number of the request it belongs to', async () => {
      const events: UnstampedEvent[] = [];
      const host = await newHost({ kind: 'memory' }, '/', events);
      await host.request(wire(41, 'POST', 'http://localhost/api/login', { user: 'ada' }), 'POST /api/login');
      const created = events.find((event) => event.kind === 'session' && event.event.type === 'session-created');
      expect(created).toMatchObject({ requestId: 41 });
    });
  });
});
