import { describe, expect, it } from 'vitest';
import type { SimEvent, StoreChoice } from '../../src/sim/protocol.ts';
import { describeEvent, describeSessionEvent } from '../../src/components/lab/lab-events.ts';
// Server events built as the simulation builds them: the store choice as data, and its display name.
import { serverEventStore } from '../../src/sim/server-messages.ts';

const AT = Date.UTC(2026, 0, 5, 9, 0, 0);

function serverEvent(step: 'started' | 'restarted', choice: StoreChoice): SimEvent {
  return { seq: 1, at: AT, kind: 'server', step, ...serverEventStore(choice) };
}

describe('describeEvent for a server step', () => {
  it('names the Lab’s stores the way the Lab offers them', () => {
    expect(describeEvent(serverEvent('started', { kind: 'memory' }), '/')).toMatchObject({ title: 'Server started', detail: 'Memory store' });
    expect(describeEvent(serverEvent('restarted', { kind: 'memory', lastWriteWins: true }), '/').detail).toBe('Memory, last write wins store');
    expect(describeEvent(serverEvent('restarted', { kind: 'indexeddb' }), '/').detail).toBe('IndexedDB store');
    expect(describeEvent(serverEvent('restarted', { kind: 'faulty', fault: 'hang' }), '/').detail).toBe('Hanging store');
  });

  it('names a reader’s store by its own label, even one that sounds like the Lab’s', () => {
    const event = serverEvent('restarted', { kind: 'module', url: 'blob:x', label: 'MemoryStore' });
    expect(describeEvent(event, '/').detail).toBe('MemoryStore');
  });
});

describe('describeSessionEvent', () => {
  it('describes a store that drops record fields', () => {
    const view = describeSessionEvent({ type: 'record-incomplete', at: AT, sessionId: '3f9a12c4d5e6f7081223', userId: 'ada', missing: ['createdAt', 'version'] });
    expect(view).toEqual({ category: 'store', tone: 'warn', title: 'Store dropped record fields', detail: 'ada · id 3f9a12c4… · not kept: createdAt, version' });
  });
});

describe('describeEvent with several servers', () => {
  it('says how many servers run behind the balancer, and its policy', () => {
    const at = { seq: 1, at: Date.UTC(2026, 0, 5) };
    expect(describeEvent({ ...at, kind: 'balancer', servers: 1, policy: 'round-robin' }, '/')).toMatchObject({ title: 'One server, no balancer', detail: 'Every request goes to server 1.' });
    const two = describeEvent({ ...at, kind: 'balancer', servers: 2, policy: 'round-robin' }, '/');
    expect(two.title).toBe('2 servers behind a load balancer');
    expect(two.detail).toMatch(/^Policy: .+\.$/);
    expect(describeEvent({ ...at, kind: 'balancer', servers: 3, policy: 'sticky' }, '/').detail).toMatch(/^Policy: sticky sessions/);
  });

  it('marks a stopped server as a warning, naming the server', () => {
    const view = describeEvent({ seq: 1, at: AT, kind: 'server', step: 'stopped', server: 2, ...serverEventStore({ kind: 'memory' }) }, '/');
    expect(view).toMatchObject({ title: 'Server stopped', tone: 'warn', server: 2 });
  });

  it('names no server when only one runs', () => {
    expect(describeEvent(serverEvent('started', { kind: 'memory' }), '/')).not.toHaveProperty('server');
  });
});
