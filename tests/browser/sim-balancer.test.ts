/**
 * Several servers behind the Lab's load balancer, in real Chromium: each server is a worker of its
 * own with its own memory, IndexedDB is one database for all of them, and the balancer sends each
 * request to a server by its policy.
 */
import { describe, expect, it } from 'vitest';
import { startLab } from '../../src/sim/lab.ts';
import type { SimController, SimEvent } from '../../src/sim/protocol.ts';
import { api, labsForTests } from '../support/sim-labs.ts';

const { newLab, newDatabase } = labsForTests('sim-balancer-test');

/** The server each request went to, in order. */
function servedBy(lab: SimController): (number | null | undefined)[] {
  return lab.events().flatMap((event) => (event.kind === 'request' ? [event.server] : []));
}

/** Another browser, in effect: its request carries none of this browser's cookies and keeps none. */
function otherBrowserSignsIn(user: string): Promise<{ status: number }> {
  return api('login', { user }, { credentials: 'omit' });
}

function byKind<K extends SimEvent['kind']>(lab: SimController, kind: K): Extract<SimEvent, { kind: K }>[] {
  return lab.events().filter((event): event is Extract<SimEvent, { kind: K }> => event.kind === kind);
}

describe('the load balancer', () => {
  describe('with one server (the default)', () => {
    it('names no server in events and sets no balancer cookie', async () => {
      const lab = await newLab();
      expect(lab.servers).toEqual([{ id: 1, state: 'running' }]);
      await api('login', { user: 'ada' });
      await api('account');
      expect(lab.events().some((event) => 'server' in event)).toBe(false);
      expect(lab.cookies().map((cookie) => cookie.name)).toEqual(['session']);
    });
  });

  describe('round robin on a MemoryStore', () => {
    it('signs the reader in on one server and finds no session on the next', async () => {
      const lab = await newLab({ servers: 2 });
      expect((await api('login', { user: 'ada' })).status).toBe(200);
      expect((await api('account')).status).toBe(401);
      expect(servedBy(lab)).toEqual([1, 2]);
      expect(byKind(lab, 'balancer')).toEqual([expect.objectContaining({ servers: 2, policy: 'round-robin' })]);
      // Server 2 never saw the session: its own memory is empty, server 1's holds it.
      expect(await lab.records(1)).toEqual([expect.objectContaining({ userId: 'ada' })]);
      expect(await lab.records(2)).toEqual([]);
      const rejected = byKind(lab, 'session').find((event) => event.event.type === 'cookie-rejected');
      expect(rejected).toMatchObject({ server: 2, requestId: 2, event: { reason: 'unknown-session' } });
    });

    it('goes round every running server in turn, and skips a stopped one', async () => {
      const lab = await newLab({ servers: 3 });
      for (let index = 0; index < 4; index++) await api('account');
      await lab.stopServer(2);
      for (let index = 0; index < 3; index++) await api('account');
      expect(servedBy(lab)).toEqual([1, 2, 3, 1, 3, 1, 3]);
      expect(lab.servers).toEqual([
        { id: 1, state: 'running' },
        { id: 2, state: 'stopped' },
        { id: 3, state: 'running' },
      ]);
      expect(byKind(lab, 'server').at(-1)).toMatchObject({ step: 'stopped', server: 2 });
    });

    it('answers 502 itself when no server runs, and serves again once one starts', async () => {
      const lab = await newLab({ servers: 2 });
      await lab.stopServer(1);
      await lab.stopServer(2);
      expect(await api('account')).toEqual({ status: 502, body: { error: 'No server is running behind the load balancer.' } });
      await lab.startServer(2);
      expect((await api('account')).status).toBe(401);
      expect(servedBy(lab)).toEqual([null, 2]);
    });
  });

  describe('sticky sessions', () => {
    it('pins the browser to a server with a cookie of its own, visible in the jar', async () => {
      const lab = await newLab({ servers: 2, balancer: 'sticky' });
      await api('login', { user: 'ada' });
      for (let index = 0; index < 3; index++) expect((await api('account')).status).toBe(200);
      expect(servedBy(lab)).toEqual([1, 1, 1, 1]);
      expect(lab.cookies()).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ name: 'session', httpOnly: true }),
          expect.objectContaining({ name: 'lb-server', value: '1', httpOnly: true, path: '/' }),
        ]),
      );
    });

    it('signs out only the users of a server that stops; the others stay signed in', async () => {
      const lab = await newLab({ servers: 2, balancer: 'sticky' });
      await api('login', { user: 'ada' });
      // Another browser: no pin yet, so the next server in turn.
      expect((await otherBrowserSignsIn('grace')).status).toBe(200);
      expect(await lab.records(2)).toEqual([expect.objectContaining({ userId: 'grace' })]);

      await lab.stopServer(1);
      expect((await api('account')).status).toBe(401);
      // Re-pinned to the server that runs.
      expect(lab.cookies().find((cookie) => cookie.name === 'lb-server')?.value).toBe('2');
      expect((await api('account')).status).toBe(401);
      expect(servedBy(lab).slice(-2)).toEqual([2, 2]);
      expect(await lab.records(2)).toEqual([expect.objectContaining({ userId: 'grace' })]);
    });

    it('treats a balancer cookie edited by hand as no pin', async () => {
      const lab = await newLab({ servers: 2, balancer: 'sticky' });
      await api('account');
      lab.editCookie('lb-server', '9');
      expect((await api('account')).status).toBe(401);
      expect(servedBy(lab)).toEqual([1, 2]);
      expect(lab.cookies().find((cookie) => cookie.name === 'lb-server')?.value).toBe('2');
    });

    it('follows the pin: moved by hand to another server, the session is not there, and that server clears the cookie', async () => {
      const lab = await newLab({ servers: 2, balancer: 'sticky' });
      await api('login', { user: 'ada' });
      lab.editCookie('lb-server', '2');
      expect((await api('account')).status).toBe(401);
      expect(lab.cookies().map((cookie) => cookie.name)).toEqual(['lb-server']);
      // Back on server 1, which still holds the session, but the browser no longer has its cookie.
      lab.editCookie('lb-server', '1');
      expect((await api('account')).status).toBe(401);
      expect(servedBy(lab)).toEqual([1, 2, 1]);
      expect(await lab.records(1)).toEqual([expect.objectContaining({ userId: 'ada' })]);
    });
  });

  describe('a shared store (IndexedDB)', () => {
    it('keeps everyone signed in on every server, through round robin and a stopped server', async () => {
      const lab = await newLab({ servers: 3, store: { kind: 'indexeddb' }, database: newDatabase() });
      expect((await api('login', { user: 'ada' })).status).toBe(200);
      expect((await api('cart', { item: 'tea' })).status).toBe(200);
      expect(await api('account')).toMatchObject({ status: 200, body: { user: 'ada', cart: ['tea'] } });
      await lab.stopServer(1);
      expect((await api('account')).status).toBe(200);
      expect((await api('account')).status).toBe(200);
      expect(servedBy(lab)).toEqual([1, 2, 3, 2, 3]);
      expect(await lab.records(2)).toEqual(await lab.records(3));
    });
  });

  describe('changing the number of servers', () => {
    it('starts new servers on the current store and secrets, and stops the highest-numbered first', async () => {
      const lab = await newLab({ store: { kind: 'indexeddb' }, database: newDatabase() });
      await lab.rotateSecret();
      await api('login', { user: 'ada' });
      await lab.setServers(2);
      expect(lab.options).toMatchObject({ servers: 2, store: { kind: 'indexeddb' } });
      // Server 2 verifies the cookie server 1 signed with the rotated secret, and finds the session in the shared store.
      expect((await api('account')).status).toBe(200);
      expect((await api('account')).status).toBe(200);
      expect(servedBy(lab)).toEqual([undefined, 1, 2]);
      await lab.setServers(1);
      expect(lab.servers).toEqual([{ id: 1, state: 'running' }]);
      expect(byKind(lab, 'balancer').map(({ servers, policy }) => [servers, policy])).toEqual([
        [2, 'round-robin'],
        [1, 'round-robin'],
      ]);
    });

    it('refuses a server count or a policy it does not have, with what it accepts', async () => {
      await expect(startLab({ store: { kind: 'memory' }, base: '/', servers: 4 as 3 })).rejects.toThrow(/servers must be one of 1, 2, 3/);
      await expect(startLab({ store: { kind: 'memory' }, base: '/', balancer: 'random' as 'sticky' })).rejects.toThrow(/'round-robin', 'sticky'/);
      const lab = await newLab({ servers: 2 });
      await expect(lab.stopServer(5)).rejects.toThrow(/numbered 1 to 2/);
    });
  });

  describe('restarting one server', () => {
    it('forgets only that server’s Memory sessions', async () => {
      const lab = await newLab({ servers: 2, balancer: 'sticky' });
      await api('login', { user: 'ada' });
      await otherBrowserSignsIn('grace');
      await lab.restartServer(2);
      expect(await lab.records(1)).toEqual([expect.objectContaining({ userId: 'ada' })]);
      expect(await lab.records(2)).toEqual([]);
      expect((await api('account')).status).toBe(200);
    });
  });
});
