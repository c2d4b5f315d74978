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

describe('EventLog, with events from several servers', () => {
  /** A store call of request `requestId` on `server`, which happened at virtual time `at`. */
  function storeCall(server: number, at: number, method: 'get' | 'compareAndSet', requestId = 7) {
    return { kind: 'session', server, requestId, event: { type: 'store-call', at, method, key: 'k', durationMs: 1, outcome: 'ok' } } as const;
  }

  function order(log: EventLog): string[] {
    return log.all().map((event) => (event.kind === 'session' && event.event.type === 'store-call' ? `${event.server}:${event.event.method}@${event.event.at}` : event.kind));
  }

  it('numbers a request’s events in the order they happened once the page records its response, not the order they arrived', () => {
    const log = logAt([0]);
    log.add({ kind: 'request', id: 7, method: 'POST', path: '/api/cart-two-tabs', cookies: [] });
    // Server 2's batch reaches the page before server 1's, which happened in between.
    log.addFromServer(storeCall(2, 10, 'get'), 100.1);
    log.addFromServer(storeCall(2, 14, 'compareAndSet'), 104.1);
    log.addFromServer(storeCall(1, 11, 'get'), 101.1);
    log.addFromServer(storeCall(1, 12, 'compareAndSet'), 102.1);
    expect(order(log), 'nothing numbered before its place is known').toEqual(['request']);
    log.add({ kind: 'response', id: 7, status: 200, setCookie: null, durationMs: 5 });
    expect(order(log)).toEqual(['request', '2:get@10', '1:get@11', '1:compareAndSet@12', '2:compareAndSet@14', 'response']);
    expect(log.all().map((event) => event.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('breaks a tie in virtual time (a paused clock) by the real time each happened', () => {
    const log = logAt([0]);
    log.addFromServer(storeCall(2, 50, 'compareAndSet'), 200.7);
    log.addFromServer(storeCall(1, 50, 'compareAndSet'), 200.3);
    log.flush();
    expect(order(log)).toEqual(['1:compareAndSet@50', '2:compareAndSet@50']);
  });

  it('puts a refused write after the write that refused it, even when a starved worker stamped that write later', () => {
    const log = logAt([0]);
    const write = (server: number, at: number, result: 'hit' | 'miss', key = 'k') =>
      ({ kind: 'session', server, requestId: 7, event: { type: 'store-call', at, method: 'compareAndSet', key, durationMs: 1, outcome: 'ok', result } }) as const;
    // Server 1's write went through first, but its worker was starved and stamped it after server 2's refusal.
    log.addFromServer(storeCall(1, 10, 'get'), 100);
    log.addFromServer(write(1, 16, 'hit'), 106);
    log.addFromServer(storeCall(2, 11, 'get'), 101);
    log.addFromServer(write(2, 14, 'miss'), 104);
    log.addFromServer(write(2, 15, 'miss', 'another session'), 105);
    log.flush();
    expect(order(log)).toEqual(['1:get@10', '2:get@11', '1:compareAndSet@16', '2:compareAndSet@14', '2:compareAndSet@15']);
  });

  it('keeps a refused write in its time order when no other server holds a write on that session', () => {
    const log = logAt([0]);
    const write = (server: number, at: number, result: 'hit' | 'miss', key: string) =>
      ({ kind: 'session', server, requestId: 7, event: { type: 'store-call', at, method: 'compareAndSet', key, durationMs: 1, outcome: 'ok', result } }) as const;
    log.addFromServer(write(2, 14, 'miss', 'k'), 104);
    log.addFromServer(write(1, 16, 'hit', 'other'), 106);
    log.flush();
    expect(order(log)).toEqual(['2:compareAndSet@14', '1:compareAndSet@16']);
  });

  it('keeps each server’s own events in the order it sent them', () => {
    const log = logAt([0]);
    log.addFromServer(storeCall(1, 20, 'get'), 300);
    log.addFromServer(storeCall(1, 20, 'compareAndSet'), 299.9);
    log.flush();
    expect(order(log)).toEqual(['1:get@20', '1:compareAndSet@20']);
  });

  it('adds at once what needs no place among other servers’ events: one server’s, and work no request waits for', () => {
    const log = logAt([0]);
    log.addFromServer({ kind: 'session', requestId: 3, event: { type: 'store-call', at: 1, method: 'get', key: 'k', durationMs: 1, outcome: 'ok' } }, 1);
    log.addFromServer({ kind: 'session', server: 2, requestId: null, event: { type: 'clean', at: 2, removed: 0, durationMs: 1, outcome: 'ok' } }, 2);
    expect(log.all().map((event) => event.kind)).toEqual(['session', 'session']);
  });

  it('stamps a held event with the time it reached the page', () => {
    const log = logAt([500, 900]);
    log.addFromServer(storeCall(1, 10, 'get'), 1);
    log.add({ kind: 'clock', step: 'pause' });
    expect(log.all().map((event) => [event.kind, event.at])).toEqual([['session', 500], ['clock', 900]]);
  });
});
