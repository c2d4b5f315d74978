/** The Lab's event log: numbered, stamped with the clock's time, announced in order to every listener. */
import { describe, expect, it } from 'vitest';
import { EventLog } from '../../src/sim/event-log.ts';
import type { SimEvent } from '../../src/sim/protocol.ts';

function logAt(times: number[]): EventLog {
  let index = 0;
  return new EventLog({ now: () => times[Math.min(index++, times.length - 1)]! });
}

describe('EventLog', () => {
  it('numbers events from 1 and stamps each with the clock time it was added at', () => {
    const log = logAt([1000, 5000]);
    log.add({ kind: 'clock', step: 'pause' });
    log.add({ kind: 'jar', step: 'stored', name: 'session' });
    expect(log.all()).toEqual([
      { kind: 'clock', step: 'pause', seq: 1, at: 1000 },
      { kind: 'jar', step: 'stored', name: 'session', seq: 2, at: 5000 },
    ]);
  });

  it('tells every listener about events and ticks, until it unsubscribes', () => {
    const log = logAt([0]);
    const seen: (SimEvent | null)[] = [];
    const unsubscribe = log.subscribe((event) => seen.push(event));
    log.add({ kind: 'clock', step: 'pause' });
    log.tick();
    unsubscribe();
    log.add({ kind: 'clock', step: 'resume' });
    expect(seen).toEqual([expect.objectContaining({ seq: 1 }), null]);
  });

  it('announces an event a listener causes only after the one it is handling reached everyone', () => {
    const log = logAt([0]);
    const first: number[] = [];
    const second: number[] = [];
    log.subscribe((event) => {
      first.push(event!.seq);
      // Like the UI reading the jar, which may expire a cookie: a new event, mid-announcement.
      if (event!.seq === 1) log.add({ kind: 'jar', step: 'expired', name: 'session' });
    });
    log.subscribe((event) => second.push(event!.seq));
    log.add({ kind: 'clock', step: 'jump', byMs: 60_000 });
    expect(first).toEqual([1, 2]);
    expect(second).toEqual([1, 2]);
  });
});
