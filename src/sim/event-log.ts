/**
 * The Lab's ordered record of what happened: every request, response, Session event, server step,
 * clock change and jar change, numbered in the order it happened and stamped with virtual time.
 * The UI's timeline and sequence diagram are drawn from it.
 */
import type { Clock } from '../session/index.ts';
import type { SimEvent } from './protocol.ts';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** An event before the log numbers and stamps it. */
export type UnstampedEvent = DistributiveOmit<SimEvent, 'seq' | 'at'>;

/** Receives each new event, or null when only time moved on (a clock tick). */
export type EventListener = (event: SimEvent | null) => void;

export class EventLog {
  readonly #clock: Clock;
  readonly #events: SimEvent[] = [];
  readonly #listeners = new Set<EventListener>();
  /** Announcements waiting for the one under way to reach every listener. */
  readonly #queue: (SimEvent | null)[] = [];

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Numbers, stamps, keeps and announces `event`. */
  add(event: UnstampedEvent): SimEvent {
    const stamped = { ...event, seq: this.#events.length + 1, at: this.#clock.now() } as SimEvent;
    this.#events.push(stamped);
    this.#announce(stamped);
    return stamped;
  }

  /** Every event so far, oldest first. */
  all(): readonly SimEvent[] {
    return this.#events;
  }

  /** Tells listeners that time moved on, with no new event. */
  tick(): void {
    this.#announce(null);
  }

  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Tells every listener, in order. A listener that causes an event (reading the jar can expire a
   * cookie) does not get it announced ahead of the one it is handling: that one waits its turn.
   */
  #announce(event: SimEvent | null): void {
    this.#queue.push(event);
    if (this.#queue.length > 1) return; // an announcement is under way; it drains the queue
    while (this.#queue.length > 0) {
      const next = this.#queue[0]!;
      for (const listener of this.#listeners) {
        try {
          listener(next);
        } catch (error) {
          // A listener is the UI drawing the event; its bug must not stop the simulation.
          console.error('Session Lab: an event listener threw', error);
        }
      }
      this.#queue.shift();
    }
  }
}
