/**
 * The demo app's account pages through the simulated server, in real Chromium: "Your devices" lists
 * each browser's session with what the server kept of it (its user agent, a coarse address), signs
 * one device out from another, and an email change asks for a fresh sign-in once the virtual clock
 * has moved past it.
 */
import { describe, expect, it } from 'vitest';
import { BROWSER_PROFILES } from '../../src/sim/browser-profiles.ts';
import { FRESH_SIGN_IN_MS } from '../../src/sim/protocol.ts';
import { api, labsForTests } from '../support/sim-labs.ts';

const { newLab } = labsForTests('sim-devices-test');

interface Device {
  publicId: string;
  userAgent: string | null;
  ip: string | null;
  current: boolean;
  lastSeenAt: string | null;
}

async function devices(): Promise<Device[]> {
  const { status, body } = await api('devices');
  expect(status).toBe(200);
  return body['devices'] as Device[];
}

describe('the demo app’s account pages', () => {
  describe('Your devices', () => {
    it('lists each browser’s session with its user agent and coarse address, the current one marked, and no token or store key', async () => {
      const lab = await newLab({ browsers: ['laptop', 'phone'] });
      await api('login', { user: 'ada' });
      lab.useBrowser('phone');
      await api('login', { user: 'ada' });

      const listed = await devices();
      expect(listed).toHaveLength(2);
      const phone = listed.find((device) => device.current);
      const laptop = listed.find((device) => !device.current);
      expect(phone).toMatchObject({ userAgent: BROWSER_PROFILES.phone.userAgent, ip: '198.51.100.0' });
      expect(laptop).toMatchObject({ userAgent: BROWSER_PROFILES.laptop.userAgent, ip: '203.0.113.0' });
      const records = (await lab.records()) ?? [];
      const secrets = [...records.map((record) => record.sessionId), ...lab.cookies('laptop').map((cookie) => cookie.value), ...lab.cookies('phone').map((cookie) => cookie.value)];
      const text = JSON.stringify(listed);
      for (const secret of secrets) expect(text).not.toContain(secret);
    });

    it('signs the phone out from the laptop: the phone finds no session on its next request', async () => {
      const lab = await newLab({ browsers: ['laptop', 'phone'] });
      lab.useBrowser('phone');
      await api('login', { user: 'ada' });
      lab.useBrowser('laptop');
      await api('login', { user: 'ada' });
      const phone = (await devices()).find((device) => !device.current)!;

      expect(await api('revoke-device', { device: phone.publicId })).toEqual({ status: 200, body: { revoked: true } });
      expect(await devices()).toEqual([expect.objectContaining({ current: true })]);
      expect((await api('account')).status).toBe(200);
      lab.useBrowser('phone');
      expect((await api('account')).status).toBe(401);
    });

    it('does not let one user sign out another user’s device', async () => {
      const lab = await newLab({ browsers: ['laptop', 'attacker'] });
      await api('login', { user: 'ada' });
      const ada = (await devices())[0]!;
      lab.useBrowser('attacker');
      await api('login', { user: 'mallory' });
      expect(await api('revoke-device', { device: ada.publicId })).toEqual({ status: 200, body: { revoked: false } });
      lab.useBrowser('laptop');
      expect((await api('account')).body).toMatchObject({ user: 'ada' });
    });

    it('signs out all other devices and keeps this one', async () => {
      const lab = await newLab({ browsers: ['laptop', 'phone', 'attacker'] });
      for (const browser of ['phone', 'attacker', 'laptop'] as const) {
        lab.useBrowser(browser);
        await api('login', { user: 'ada' });
      }
      expect(await api('logout-others', undefined, { method: 'POST' })).toEqual({ status: 200, body: { ended: 2 } });
      expect(await devices()).toEqual([expect.objectContaining({ current: true })]);
      lab.useBrowser('phone');
      expect((await api('account')).status).toBe(401);
    });
  });

  describe('changing the email address', () => {
    it('goes through right after sign-in, is refused with 403 stale-sign-in once the clock passes the fresh window, and goes through after a password', async () => {
      const lab = await newLab();
      await api('login', { user: 'ada' });
      expect(await api('email', { email: 'ada@example.com' })).toEqual({ status: 200, body: { email: 'ada@example.com' } });

      await lab.jump(FRESH_SIGN_IN_MS + 60_000);
      const refused = await api('email', { email: 'ada@example.org' });
      expect(refused).toMatchObject({ status: 403, body: { reason: 'stale-sign-in' } });
      // Still signed in: only the sensitive action needs a fresh sign-in.
      expect((await api('account')).body).toMatchObject({ user: 'ada', email: 'ada@example.com' });

      expect((await api('reauthenticate', { password: '' })).status).toBe(400);
      expect((await api('reauthenticate', { password: 'hunter2' })).status).toBe(200);
      expect(await api('email', { email: 'ada@example.org' })).toEqual({ status: 200, body: { email: 'ada@example.org' } });
    });

    it('answers 401 (signed-out) without a session', async () => {
      await newLab();
      expect(await api('email', { email: 'ada@example.com' })).toMatchObject({ status: 401, body: { reason: 'signed-out' } });
      expect((await api('reauthenticate', { password: 'x' })).status).toBe(401);
    });
  });
});
