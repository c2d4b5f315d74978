import { describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../src/session/index.ts';
import type { SimEvent } from '../../src/sim/protocol.ts';
import { endsOutcome } from '../../src/components/lab/lab-app.ts';
import { serverEventStore } from '../../src/sim/server-messages.ts';

const stamp = { seq: 7, at: Date.UTC(2026, 0, 5, 9) };
const request = (method: string, path: string): SimEvent => ({ ...stamp, kind: 'request', id: 1, method, path, cookies: ['session'] });
const session = (event: SessionEvent): SimEvent => ({ ...stamp, kind: 'session', event, requestId: null });
const SID = '3f9a12c4d5e6f70812233445566778899aabbccddeeff00112233445566778899';

describe('endsOutcome: what ends an action’s outcome in the Lab’s status line', () => {
  describe('the reader’s next action does', () => {
    it('a change asked of the demo app: signing in, signing out, the cart, revoking a device', () => {
      for (const path of ['/api/login', '/api/logout', '/api/cart', '/api/revoke-device', '/api/logout-others']) {
        expect(endsOutcome(request('POST', path)), path).toBe(true);
      }
    });

    it('the clock moved, paused or resumed', () => {
      for (const step of ['jump', 'pause', 'resume'] as const) expect(endsOutcome({ ...stamp, kind: 'clock', step, byMs: 3_600_000 }), step).toBe(true);
    });

    it('a cookie edited or planted by hand', () => {
      for (const step of ['edited', 'planted'] as const) expect(endsOutcome({ ...stamp, kind: 'jar', step, name: 'session' }), step).toBe(true);
    });

    it('a session that expired, read or cleaned away', () => {
      expect(endsOutcome(session({ type: 'session-expired', sessionId: SID, userId: 'ada', reason: 'idle', at: stamp.at }))).toBe(true);
      expect(endsOutcome(session({ type: 'clean', removed: 1, durationMs: 1, outcome: 'ok', at: stamp.at }))).toBe(true);
    });
  });

  describe('what only shows the last action’s effect does not', () => {
    it('a page load: reloading is how the reader sees what the action did', () => {
      expect(endsOutcome(request('GET', '/api/account'))).toBe(false);
    });

    it('the action’s own server steps, and a clean run that removed nothing', () => {
      expect(endsOutcome({ ...stamp, kind: 'server', step: 'secrets-retired', ...serverEventStore({ kind: 'indexeddb' }) })).toBe(false);
      expect(endsOutcome({ ...stamp, kind: 'server', step: 'restarted', ...serverEventStore({ kind: 'memory' }) })).toBe(false);
      expect(endsOutcome(session({ type: 'clean', removed: 0, durationMs: 1, outcome: 'ok', at: stamp.at }))).toBe(false);
    });

    it('a response, and a cookie the server set', () => {
      expect(endsOutcome({ ...stamp, kind: 'response', id: 1, status: 200, setCookie: 'session=…', durationMs: 2 })).toBe(false);
      expect(endsOutcome({ ...stamp, kind: 'jar', step: 'stored', name: 'session' })).toBe(false);
    });
  });
});
