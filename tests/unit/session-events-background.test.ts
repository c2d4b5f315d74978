/**
 * `SessionEvents.background()`: a failure of work no caller waits for reaches a listener as a
 * `background-error` event, or the console when nobody listens; never nowhere.
 */
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { SessionEvents, type SessionEvent } from 'sessionlab';
import { ManualClock } from '../support/harness.ts';

describe('SessionEvents.background', () => {
  let said: MockInstance<typeof console.error>;
  beforeEach(() => {
    said = vi.spyOn(console, 'error').mockImplementation(() => {});
  });
  afterEach(() => said.mockRestore());

  describe('when someone listens for background-error', () => {
    it('hands the listener the failure itself when it is an Error, stamped with the clock, and says nothing on the console', () => {
      const clock = new ManualClock();
      const events = new SessionEvents(clock);
      const seen: SessionEvent[] = [];
      events.on('background-error', (event) => seen.push(event));
      const failure = new TypeError('store went away');
      events.background(failure);
      expect(seen).toEqual([{ type: 'background-error', error: failure, at: clock.now() }]);
      expect((seen[0] as { error: Error }).error).toBe(failure);
      expect(said).not.toHaveBeenCalled();
    });

    it('wraps a failure that is not an Error in one that names it and keeps it as its cause', () => {
      const events = new SessionEvents(new ManualClock());
      const errors: Error[] = [];
      events.on('background-error', (event) => errors.push(event.error));
      const failure = { code: 'EOF' };
      events.background('connection reset');
      events.background(failure);
      expect(errors).toHaveLength(2);
      expect(errors[0]).toBeInstanceOf(Error);
      expect(errors[0]!.message).toBe('connection reset');
      expect(errors[0]!.cause).toBe('connection reset');
      expect(errors[1]!.cause).toBe(failure);
    });

    it('counts a listener of every event type as listening', () => {
      const events = new SessionEvents(new ManualClock());
      const seen: string[] = [];
      events.on('*', (event) => seen.push(event.type));
      events.background(new Error('disk on fire'));
      expect(seen).toEqual(['background-error']);
      expect(said).not.toHaveBeenCalled();
    });
  });

  describe('when nobody listens for background-error', () => {
    it('says the failure on the console, once, with the Error itself', () => {
      const events = new SessionEvents(new ManualClock());
      const heard: string[] = [];
      events.on('cookie-cleared', (event) => heard.push(event.type));
      const failure = new Error('disk on fire');
      events.background(failure);
      expect(heard).toEqual([]);
      expect(said).toHaveBeenCalledTimes(1);
      expect(said.mock.calls[0]![0]).toMatch(/^sessionlab: work in the background failed/);
      expect(said.mock.calls[0]![1]).toBe(failure);
    });

    it('says a failure that is not an Error as an Error that keeps it as its cause', () => {
      const events = new SessionEvents(new ManualClock());
      events.background(42);
      expect(said).toHaveBeenCalledTimes(1);
      const error = said.mock.calls[0]![1] as Error;
      expect(error).toBeInstanceOf(Error);
      expect(error.message).toBe('42');
      expect(error.cause).toBe(42);
    });
  });
});
