/**
 * The Session's typed events as a listener sees them: who is called, in which order, with which
 * time, what unsubscribing does, and that a broken listener breaks nothing.
 */
import { describe, expect, it } from 'vitest';
import { SessionEvents, type SessionEvent } from 'sessionlab';
import { ManualClock } from '../support/harness.ts';

const destroyed = { type: 'session-destroyed', sessionId: 's1', userId: 'ada' } as const;
const cleared = { type: 'cookie-cleared', name: 'session' } as const;

describe('SessionEvents', () => {
  it('calls the listeners of an event\'s type, then those of every type, with the clock\'s time', () => {
    const clock = new ManualClock();
    const events = new SessionEvents(clock);
    const calls: string[] = [];
    events.on('*', (event) => calls.push(`* ${event.type} ${event.at}`));
    events.on('session-destroyed', (event) => calls.push(`destroyed ${event.sessionId} ${event.at}`));
    events.on('cookie-cleared', () => calls.push('cleared'));
    events.emit(destroyed);
    clock.advance(5);
    events.emit(cleared);
    expect(calls).toEqual([`destroyed s1 ${clock.now() - 5}`, `* session-destroyed ${clock.now() - 5}`, 'cleared', `* cookie-cleared ${clock.now()}`]);
  });

  it('calls every listener of a type, in the order they subscribed', () => {
    const events = new SessionEvents(new ManualClock());
    const calls: string[] = [];
    events.on('cookie-cleared', () => calls.push('first'));
    events.on('cookie-cleared', () => calls.push('second'));
    events.on('*', () => calls.push('every-first'));
    events.on('*', () => calls.push('every-second'));
    events.emit(cleared);
    expect(calls).toEqual(['first', 'second', 'every-first', 'every-second']);
  });

  it('hands each listener the event with every field its emitter gave', () => {
    const clock = new ManualClock();
    const events = new SessionEvents(clock);
    const seen: SessionEvent[] = [];
    events.on('session-destroyed', (event) => seen.push(event));
    events.emit(destroyed);
    expect(seen).toEqual([{ ...destroyed, at: clock.now() }]);
  });

  it('tells time by the system clock when given none', () => {
    const events = new SessionEvents();
    const times: number[] = [];
    events.on('*', (event) => times.push(event.at));
    const before = Date.now();
    events.emit(cleared);
    const after = Date.now();
    expect(times).toHaveLength(1);
    expect(times[0]).toBeGreaterThanOrEqual(before);
    expect(times[0]).toBeLessThanOrEqual(after);
  });

  it('wants an event type only while someone listens to it or to every type', () => {
    const events = new SessionEvents(new ManualClock());
    expect(events.wants('cookie-cleared')).toBe(false);
    const offCleared = events.on('cookie-cleared', () => {});
    expect(events.wants('cookie-cleared')).toBe(true);
    expect(events.wants('session-destroyed')).toBe(false);
    offCleared();
    expect(events.wants('cookie-cleared')).toBe(false);
    const offAll = events.on('*', () => {});
    expect(events.wants('session-destroyed')).toBe(true);
    offAll();
    expect(events.wants('session-destroyed')).toBe(false);
  });

  it('stops calling a listener once unsubscribed, and keeps calling the others of its type', () => {
    const events = new SessionEvents(new ManualClock());
    const calls: string[] = [];
    const offFirst = events.on('cookie-cleared', () => calls.push('first'));
    events.on('cookie-cleared', () => calls.push('second'));
    offFirst();
    expect(events.wants('cookie-cleared')).toBe(true);
    events.emit(cleared);
    expect(calls).toEqual(['second']);
  });

  it('lets a listener subscribe again after unsubscribing', () => {
    const events = new SessionEvents(new ManualClock());
    const calls: string[] = [];
    const listener = () => calls.push('called');
    events.on('cookie-cleared', listener)();
    events.on('cookie-cleared', listener);
    events.emit(cleared);
    expect(calls).toEqual(['called']);
  });

  it('keeps a later listener when an earlier one is unsubscribed a second time', () => {
    const events = new SessionEvents(new ManualClock());
    const calls: string[] = [];
    const offEarlier = events.on('cookie-cleared', () => calls.push('earlier'));
    offEarlier();
    events.on('cookie-cleared', () => calls.push('later'));
    offEarlier();
    expect(events.wants('cookie-cleared')).toBe(true);
    events.emit(cleared);
    expect(calls).toEqual(['later']);
  });

  it('keeps calling the other listeners when one throws, and does not throw itself', () => {
    const events = new SessionEvents(new ManualClock());
    const calls: string[] = [];
    events.on('cookie-cleared', () => {
      throw new Error('broken listener');
    });
    events.on('cookie-cleared', () => calls.push('typed'));
    events.on('*', () => {
      throw new Error('broken too');
    });
    events.on('*', () => calls.push('every'));
    expect(() => events.emit(cleared)).not.toThrow();
    expect(calls).toEqual(['typed', 'every']);
  });

  it('reads no clock when nobody listens', () => {
    let reads = 0;
    const events = new SessionEvents({ now: () => ++reads });
    events.on('session-destroyed', () => {});
    events.emit(cleared);
    expect(reads).toBe(0);
    events.emit(destroyed);
    expect(reads).toBe(1);
  });
});
