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
