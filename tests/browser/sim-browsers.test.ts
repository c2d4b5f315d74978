/**
 * Several simulated browsers in one Lab, in real Chromium: each has its own cookie jar, user agent
 * and address; the page's requests go out from the one picked when `fetch` was called; events name
 * the browser; a cookie can be planted from one jar into another; and the Lab can start fresh.
 */
import { describe, expect, it } from 'vitest';
import type { SimController, SimEvent } from '../../src/sim/protocol.ts';
import { api, labsForTests } from '../support/sim-labs.ts';

const { newLab, newDatabase } = labsForTests('sim-browsers-test');

function byKind<K extends SimEvent['kind']>(lab: SimController, kind: K): Extract<SimEvent, { kind: K }>[] {
  return lab.events().filter((event): event is Extract<SimEvent, { kind: K }> => event.kind === kind);
}

function sessionCookie(lab: SimController, browser: 'laptop' | 'phone' | 'attacker'): string | undefined {
  return lab.cookies(browser).find((cookie) => cookie.name === 'session')?.value;
}

describe('several simulated browsers', () => {
  describe('with one browser (the default)', () => {
    it('has the laptop only, and names no browser in events', async () => {
      const lab = await newLab();
      expect(lab.browsers).toEqual(['laptop']);
      expect(lab.browser).toBe('laptop');
      await api('login', { user: 'ada' });
      expect(lab.events().some((event) => 'browser' in event)).toBe(false);
    });
  });

  describe('each with its own jar', () => {
    it('keeps a sign-in on the laptop out of the phone, and each browser gets its own session', async () => {
      const lab = await newLab({ browsers: ['laptop', 'phone'] });
      expect((await api('login', { user: 'ada' })).status).toBe(200);
      lab.useBrowser('phone');
      expect(lab.cookies()).toEqual([]);
      expect((await api('account')).status).toBe(401);
      expect((await api('login', { user: 'ada' })).status).toBe(200);
      expect(sessionCookie(lab, 'phone')).toBeDefined();
      expect(sessionCookie(lab, 'phone')).not.toBe(sessionCookie(lab, 'laptop'));
      lab.useBrowser('laptop');
      expect((await api('account')).body).toMatchObject({ user: 'ada' });
      expect(await lab.records()).toHaveLength(2);
    });

    it('sends each request from the browser picked when fetch was called, and names it in events', async () => {
      const lab = await newLab({ browsers: ['laptop', 'phone'] });
      const fromLaptop = api('login', { user: 'ada' });
      // Switched while the laptop's request is on its way: it still goes out from the laptop.
      lab.useBrowser('phone');
      expect((await fromLaptop).status).toBe(200);
      expect(lab.cookies('phone')).toEqual([]);
      expect(sessionCookie(lab, 'laptop')).toBeDefined();
      await api('account');
      expect(byKind(lab, 'request').map((event) => event.browser)).toEqual(['laptop', 'phone']);
      expect(byKind(lab, 'response').map((event) => event.browser)).toEqual(['laptop', 'phone']);
      expect(byKind(lab, 'jar')).toEqual([expect.objectContaining({ step: 'stored', name: 'session', browser: 'laptop' })]);
    });

    it('refuses a browser it does not have, and a list that is not browsers', async () => {
      const lab = await newLab({ browsers: ['laptop', 'phone'] });
      expect(() => lab.useBrowser('attacker')).toThrow(/no browser "attacker"/);
      expect(lab.browser).toBe('laptop');
      await lab.dispose();
      await expect(newLab({ browsers: [] })).rejects.toThrow(/LabOptions.browsers must list some of 'laptop', 'phone', 'attacker'/);
      await expect(newLab({ browsers: ['laptop', 'laptop'] })).rejects.toThrow(/each once/);
    });
  });

  describe('planting a cookie (session fixation)', () => {
    it('puts the attacker’s cookie in the victim’s jar, and the victim’s sign-in makes it useless', async () => {
      const lab = await newLab({ browsers: ['laptop', 'attacker'] });
      lab.useBrowser('attacker');
      await api('login', { user: 'mallory' });
      const planted = sessionCookie(lab, 'attacker');
      lab.plantCookie('session', { from: 'attacker', to: 'laptop' });
      expect(lab.cookies('laptop')).toEqual([expect.objectContaining({ name: 'session', value: planted, httpOnly: true, sameSite: 'lax' })]);
      expect(byKind(lab, 'jar').at(-1)).toMatchObject({ step: 'planted', name: 'session', browser: 'laptop', from: 'attacker' });

      lab.useBrowser('laptop');
      // The victim's browser sends the planted cookie as its own...
      expect((await api('account')).body).toMatchObject({ user: 'mallory' });
      // ...until the victim signs in: login rotates the session id.
      await api('login', { user: 'ada' });
      expect(sessionCookie(lab, 'laptop')).not.toBe(planted);
      lab.useBrowser('attacker');
      expect((await api('account')).status).toBe(401);
      expect((await lab.records())?.map((record) => record.userId)).toEqual(['ada']);
    });

    it('refuses to plant a cookie the source browser does not have', async () => {
      const lab = await newLab({ browsers: ['laptop', 'attacker'] });
      expect(() => lab.plantCookie('session', { from: 'attacker', to: 'laptop' })).toThrow(/attacker browser has no cookie called "session"/);
      expect(byKind(lab, 'jar')).toEqual([]);
    });
  });

  describe('starting fresh', () => {
    it('empties every jar and deletes sessions an earlier page load left in IndexedDB', async () => {
      const database = newDatabase();
      const earlier = await newLab({ store: { kind: 'indexeddb' }, database });
      await api('login', { user: 'grace' });
      await earlier.dispose();

      const lab = await newLab({ store: { kind: 'indexeddb' }, database, browsers: ['laptop', 'phone'] });
      await api('login', { user: 'ada' });
      lab.useBrowser('phone');
      await api('login', { user: 'ada' });
      expect(await lab.records()).toHaveLength(3);

      await lab.startFresh();
      expect(await lab.records()).toEqual([]);
      expect(lab.cookies('laptop')).toEqual([]);
      expect(lab.cookies('phone')).toEqual([]);
      expect(byKind(lab, 'reset')).toEqual([expect.objectContaining({ removed: 3 })]);
      expect((await api('account')).status).toBe(401);
    });
  });
});
