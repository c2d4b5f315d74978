/**
 * The Lab end to end in real Chromium: the demo page's plain `fetch` goes through MSW's service worker
 * to the server worker and back, cookies travel through the simulated browser's jar, and everything
 * lands in one ordered event log.
 */
import { describe, expect, it, vi } from 'vitest';
import { startLab } from '../../src/sim/lab.ts';
import type { LabOptions, SimController, SimEvent } from '../../src/sim/protocol.ts';
import { api, labsForTests, type ApiAnswer } from '../support/sim-labs.ts';

const MINUTE = 60_000;

const { newLab, newDatabase } = labsForTests('sim-lab-test');

function post(path: string): Promise<ApiAnswer> {
  return api(path, undefined, { method: 'POST' });
}

function sessionEvents(lab: SimController, requestId: number | null): string[] {
  return lab.events().flatMap((event) => (event.kind === 'session' && event.requestId === requestId ? [event.event.type] : []));
}

describe('the Lab', () => {
  describe('serving the demo app through MSW', () => {
    it('signs in, keeps a cart in the session, and signs out', async () => {
      await newLab();
      expect(await api('login', { user: 'ada' })).toEqual({ status: 200, body: { user: 'ada', cart: [] } });
      expect(await api('cart', { item: 'tea' })).toEqual({ status: 200, body: { cart: ['tea'] } });
      expect(await api('cart', { item: 'milk' })).toEqual({ status: 200, body: { cart: ['tea', 'milk'] } });
      const account = await api('account');
      expect(account).toMatchObject({ status: 200, body: { user: 'ada', cart: ['tea', 'milk'] } });
      expect(Date.parse(account.body['expires'] as string)).toBeGreaterThan(Date.parse(account.body['createdAt'] as string));
      expect(await post('logout')).toEqual({ status: 200, body: { ok: true } });
      expect(await api('account')).toEqual({ status: 401, body: { error: 'Not signed in' } });
    });

    it('answers 400 to a login without a user name, and 401 to what needs a session', async () => {
      await newLab();
      expect((await api('login', {})).status).toBe(400);
      expect((await api('login', { user: '   ' })).status).toBe(400);
      expect((await api('cart', { item: 'tea' })).status).toBe(401);
      expect((await api('sessions')).status).toBe(401);
      expect((await post('logout-everywhere')).status).toBe(401);
    });

    it('answers 404 to an unknown route and 405 to the wrong method', async () => {
      await newLab();
      expect((await api('nothing-here')).status).toBe(404);
      expect((await api('constructor')).status).toBe(404);
      expect((await api('login')).status).toBe(405);
    });

    it.each([
      ['MemoryStore', (): Partial<LabOptions> => ({ store: { kind: 'memory' } })],
      ['IndexedDB', (): Partial<LabOptions> => ({ store: { kind: 'indexeddb' }, database: newDatabase() })],
    ])("lists the user's sessions and ends them all with logout-everywhere (%s)", async (_store, options) => {
      await newLab(options());
      // Another device: a request without credentials neither sends nor keeps cookies.
      expect((await api('login', { user: 'ada' }, { credentials: 'omit' })).status).toBe(200);
      await api('login', { user: 'ada' });
      const { body } = await api('sessions');
      const sessions = body['sessions'] as { current: boolean }[];
      expect(sessions).toHaveLength(2);
      expect(sessions.filter((session) => session.current)).toHaveLength(1);
      expect(await post('logout-everywhere')).toEqual({ status: 200, body: { ended: 2 } });
      expect((await api('account')).status).toBe(401);
    });
  });

  describe('the session cookie', () => {
    it('lives in the simulated jar as an HttpOnly cookie', async () => {
      const lab = await newLab();
      await api('login', { user: 'ada' });
      expect(lab.cookies()).toEqual([expect.objectContaining({ name: 'session', httpOnly: true, domain: 'localhost', path: '/', sameSite: 'lax' })]);
    });

    it('never reaches document.cookie or localStorage (MSW stores no cookie)', async () => {
      const lab = await newLab();
      const login = await fetch('/api/login', { method: 'POST', body: JSON.stringify({ user: 'ada' }) });
      expect(login.headers.get('set-cookie')).toBeNull();
      const token = lab.cookies()[0]!.value;
      expect(token.length).toBeGreaterThan(40);
      expect(document.cookie).not.toContain(token);
      for (let index = 0; index < localStorage.length; index++) {
        const key = localStorage.key(index)!;
        expect(localStorage.getItem(key) ?? '', `localStorage["${key}"]`).not.toContain(token);
      }
      expect(localStorage.getItem('__msw-cookie-store__') ?? '').not.toContain('session');
    });

    it('goes back with each request, and the server clears it on logout', async () => {
      const lab = await newLab();
      await api('login', { user: 'ada' });
      await api('account');
      await post('logout');
      const requests = lab.events().filter((event) => event.kind === 'request');
      expect(requests.map((event) => event.kind === 'request' && event.cookies)).toEqual([[], ['session'], ['session']]);
      expect(lab.events().filter((event) => event.kind === 'jar')).toEqual([
        expect.objectContaining({ step: 'stored', name: 'session' }),
        expect.objectContaining({ step: 'removed', name: 'session' }),
      ]);
      expect(lab.cookies()).toEqual([]);
    });

    it('can be edited by hand; a tampered cookie is rejected without a store lookup, and cleared', async () => {
      const lab = await newLab();
      await api('login', { user: 'ada' });
      const genuine = lab.cookies()[0]!;
      const forged = (genuine.value.startsWith('A') ? 'B' : 'A') + genuine.value.slice(1);
      lab.editCookie('session', forged);
      expect(lab.cookies()).toEqual([{ ...genuine, value: forged }]);
      expect(lab.events().at(-1)).toMatchObject({ kind: 'jar', step: 'edited', name: 'session', detail: expect.stringContaining(genuine.value.slice(1, 12)) });

      expect((await api('account')).status).toBe(401);
      expect(sessionEvents(lab, 2)).toEqual(['cookie-rejected', 'cookie-cleared']);
      expect(lab.events().find((event) => event.kind === 'session' && event.event.type === 'cookie-rejected')).toMatchObject({ event: { reason: 'bad-signature' } });
      expect(lab.cookies()).toEqual([]);
      // The session itself is untouched: only the cookie that pointed at it was forged.
      expect(await lab.records()).toEqual([expect.objectContaining({ userId: 'ada' })]);
    });

    it('refuses an edit of a cookie it does not hold, or to a value no cookie can have', async () => {
      const lab = await newLab();
      expect(() => lab.editCookie('session', 'x')).toThrow(/no cookie called "session"/);
      await api('login', { user: 'ada' });
      for (const value of ['a b', 'a;b', 'a,b', 'a"b', 'a\\b', 'é']) {
        expect(() => lab.editCookie('session', value), value).toThrow(/printable ASCII/);
      }
      expect(() => lab.editCookie('session', 'x'.repeat(5000))).toThrow(/at most 4096 bytes/);
      expect(lab.events().filter((event) => event.kind === 'jar' && event.step === 'edited')).toEqual([]);
    });
  });

  describe('rotating the signing secret', () => {
    it('re-signs a cookie from the earlier secret, keeping the session; retiring that secret too early signs it out', async () => {
      const lab = await newLab();
      expect(lab.secrets).toBe(1);
      await api('login', { user: 'ada' });
      const first = lab.cookies()[0]!.value;
      const [sessionBefore] = (await lab.records()) ?? [];

      await lab.rotateSecret();
      expect(lab.secrets).toBe(2);
      expect(lab.events().at(-1)).toMatchObject({ kind: 'server', step: 'secret-rotated', store: 'MemoryStore' });
      expect((await api('account')).status).toBe(200);
      const resigned = lab.events().filter((event) => event.kind === 'session' && event.event.type === 'cookie-set').at(-1);
      expect(resigned).toMatchObject({ requestId: 2, event: { reason: 're-signed' } });
      const second = lab.cookies()[0]!.value;
      expect(second.split('.')[0]).toBe(first.split('.')[0]);
      expect(second.split('.')[1]).not.toBe(first.split('.')[1]);
      expect((await lab.records())?.map((record) => record.sessionId)).toEqual([sessionBefore!.sessionId]);

      // Rotate again and retire before the browser comes back: its cookie carries a retired signature.
      await lab.rotateSecret();
      expect(lab.secrets).toBe(3);
      await lab.retireOldSecrets();
      expect(lab.secrets).toBe(1);
      expect(lab.events().at(-1)).toMatchObject({ kind: 'server', step: 'secrets-retired' });
      expect((await api('account')).status).toBe(401);
      expect(sessionEvents(lab, 3)).toEqual(['cookie-rejected', 'cookie-cleared']);
    });

    it('keeps the new secrets across a server restart', async () => {
      const lab = await newLab({ store: { kind: 'indexeddb' }, database: newDatabase() });
      await api('login', { user: 'ada' });
      await lab.rotateSecret();
      await lab.retireOldSecrets();
      await lab.restartServer();
      // The cookie still carries the first secret's signature, which the restarted server no longer knows.
      expect((await api('account')).status).toBe(401);
      expect((await api('login', { user: 'ada' })).status).toBe(200);
      await lab.restartServer();
      expect((await api('account')).status).toBe(200);
    });
  });

  describe('server events', () => {
    it('carry the store choice as data, not only as a label to parse back', async () => {
      const lab = await newLab({ store: { kind: 'memory', lastWriteWins: true } });
      await lab.setStore({ kind: 'faulty', fault: 'hang' });
      await lab.rotateSecret();
      const steps = lab.events().filter((event) => event.kind === 'server');
      expect(steps.map((event) => [event.step, event.storeChoice])).toEqual([
        ['started', { kind: 'memory', lastWriteWins: true }],
        ['restarted', { kind: 'faulty', fault: 'hang' }],
        ['secret-rotated', { kind: 'faulty', fault: 'hang' }],
      ]);
    });

    it('name a reader’s module by its label and export, never by its URL', async () => {
      const source = `export class ReaderStore { create() {} get() { return null; } update() {} delete() {} clean() {} }`;
      const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
      try {
        const lab = await newLab({ store: { kind: 'module', url, label: 'ReaderStore (run 1)', exportName: 'ReaderStore' } });
        const started = lab.events().find((event) => event.kind === 'server');
        expect(started).toMatchObject({ step: 'started', store: 'ReaderStore (run 1)' });
        expect(started?.kind === 'server' && started.storeChoice).toEqual({ kind: 'module', label: 'ReaderStore (run 1)', exportName: 'ReaderStore' });
      } finally {
        URL.revokeObjectURL(url);
      }
    });
  });

  describe('the event log', () => {
    it('numbers events in order, stamps them with virtual time, and ties Session events to their request', async () => {
      const lab = await newLab();
      await api('login', { user: 'ada' });
      const beforeJump = lab.now();
      await lab.jump(10 * MINUTE);
      await api('account');
      const events = lab.events();

      expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
      for (let index = 1; index < events.length; index++) expect(events[index]!.at).toBeGreaterThanOrEqual(events[index - 1]!.at);

      const jump = events.find((event) => event.kind === 'clock')!;
      expect(jump).toMatchObject({ kind: 'clock', step: 'jump', byMs: 10 * MINUTE });
      const after = events.filter((event) => event.seq > jump.seq);
      for (const event of after) expect(event.at).toBeGreaterThanOrEqual(beforeJump + 10 * MINUTE);

      for (const id of [1, 2]) {
        const request = events.find((event) => event.kind === 'request' && event.id === id)!;
        const response = events.find((event) => event.kind === 'response' && event.id === id)!;
        const own = events.filter((event) => event.kind === 'session' && event.requestId === id);
        expect(own.length).toBeGreaterThan(0);
        for (const event of own) {
          expect(event.seq).toBeGreaterThan(request.seq);
          expect(event.seq).toBeLessThan(response.seq);
        }
      }
      expect(sessionEvents(lab, 1)).toEqual(['store-call', 'session-created', 'cookie-set']);
      expect(events.find((event) => event.kind === 'session' && event.requestId === 1 && event.event.type === 'cookie-set')).toMatchObject({ event: { reason: 'new' } });
      // Ten minutes on, the session is extended (idle expiry): a compare-and-set write and a new cookie.
      expect(sessionEvents(lab, 2)).toEqual(['store-call', 'session-loaded', 'store-call', 'session-extended', 'cookie-set']);
      expect(events.find((event) => event.kind === 'session' && event.requestId === 2 && event.event.type === 'cookie-set')).toMatchObject({ event: { reason: 'extended' } });
      expect(events.find((event) => event.kind === 'response' && event.id === 1)).toMatchObject({
        status: 200,
        setCookie: expect.stringMatching(/^session=[\w-]{8}…; Path=\/; HttpOnly; SameSite=Lax$/),
      });
    });

    it('tells subscribers about each new event, and about time moving on, until they unsubscribe', async () => {
      const lab = await newLab();
      const seen: (SimEvent | null)[] = [];
      const tick = new Promise<void>((resolve) => {
        const unsubscribe = lab.subscribe((event) => {
          seen.push(event);
          if (event === null) {
            unsubscribe();
            resolve();
          }
        });
      });
      await api('login', { user: 'ada' });
      await tick;
      const count = seen.length;
      expect(seen.filter((event) => event !== null).map((event) => event!.kind)).toEqual(expect.arrayContaining(['request', 'session', 'response', 'jar']));
      await api('account');
      expect(seen).toHaveLength(count);
    });

    it('survives a subscriber that throws, and reports it on the console', async () => {
      const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
      const lab = await newLab();
      lab.subscribe(() => {
        throw new Error('a UI bug');
      });
      expect((await api('login', { user: 'ada' })).status).toBe(200);
      expect(lab.events().some((event) => event.kind === 'response')).toBe(true);
      expect(consoleError).toHaveBeenCalledWith('Session Lab: an event listener threw', new Error('a UI bug'));
      consoleError.mockRestore();
    });
  });

  describe('one Lab per page', () => {
    it('refuses a second Lab while one runs, and allows a new one after dispose()', async () => {
      const first = await newLab();
      await expect(startLab({ store: { kind: 'memory' }, base: '/' })).rejects.toThrow(/already running.*dispose\(\)/);
      await first.dispose();
      const second = await newLab();
      expect((await api('login', { user: 'ada' })).status).toBe(200);
      expect(second.events().some((event) => event.kind === 'response')).toBe(true);
    });

    it('stops intercepting once disposed', async () => {
      const lab = await newLab();
      await lab.dispose();
      const count = lab.events().length;
      const response = await fetch('/api/account');
      expect(response.status).not.toBe(401);
      expect(lab.events()).toHaveLength(count);
      await expect(lab.records()).rejects.toThrow(/disposed/);
    });

    it('fails clearly when MSW cannot register its service worker, and lets a later start succeed', async () => {
      await expect(startLab({ store: { kind: 'memory' }, base: '/no-such-base/' })).rejects.toThrow(/\/no-such-base\/mockServiceWorker\.js/);
      await newLab();
      expect((await api('account')).status).toBe(401);
    }, 60_000); // room for the 20 s registration deadline, twice, should MSW never answer

    it('refuses options it cannot use, saying what it expects', async () => {
      await expect(startLab({ store: { kind: 'memory' }, base: 'session-lab' })).rejects.toThrow(/starts and ends with "\/"/);
      await expect(startLab({ store: { kind: 'memory' }, base: '/', requestTimeoutMs: 0 })).rejects.toThrow(/requestTimeoutMs must be a positive/);
    });
  });
});
