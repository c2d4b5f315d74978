/**
 * The Lab's ordered record of what happened: every request, response, Session event, server step,
 * clock change and jar change, numbered in the order it happened and stamped with virtual time.
 * The UI's timeline and sequence diagram are drawn from it.
 *
 * Several servers are several workers, and the page takes their messages in the order it gets round
 * to them, not the order they were sent: while it is busy, one worker's whole batch can come before
 * the other's, and the timeline would show a write refused before the write that refused it. So the
 * Session events of a request, when they name their server, wait (`addFromServer`) until the page
 * records an event of its own (the response, at the latest), and are then numbered in the order they
 * happened: by their own virtual time, then by the real time the worker took. Each server's own
 * events keep the order it sent them in, and a refused write comes after the write that refused it,
 * even when a worker the machine starved for a moment stamped that write later.
 */
import type { Clock } from '../session/index.ts';
import type { SimEvent } from './protocol.ts';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** An event before the log numbers and stamps it. */
export type UnstampedEvent = DistributiveOmit<SimEvent, 'seq' | 'at'>;

/** Receives each new event, or null when only time moved on (a clock tick). */
export type EventListener = (event: SimEvent | null) => void;

/**
 * How a server hands its events on: a Session event comes with the real time it happened in the
 * worker (`performance.timeOrigin + performance.now()`), a server step without one.
 */
export type EventReport = (event: UnstampedEvent, happenedAt?: number) => void;

/** A server's event waiting for its place. */
interface Held {
  event: UnstampedEvent;
  /** Virtual time it reached the page: its stamp, as if it had been added then. */
  at: number;
  /** Its own virtual time, then the real time it happened: the order it is numbered in. */
  key: [number, number];
}

/**
 * Real ms a held event waits at most for the page's next event: a request that never answers ends
 * in the page's own 504, so this only bounds the wait when a late event comes after its response.
 */
const HOLD_LIMIT_MS = 1000;

export class EventLog {
  readonly #clock: Clock;
  readonly #events: SimEvent[] = [];
  readonly #listeners = new Set<EventListener>();
  /** Announcements waiting for the one under way to reach every listener. */
  readonly #queue: (SimEvent | null)[] = [];
  /** Held server events, per server, each list in the order its server sent them. */
  readonly #held = new Map<number, Held[]>();
  #holdTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Numbers, stamps, keeps and announces `event`, after the server events still waiting for their place. */
  add(event: UnstampedEvent): SimEvent {
    this.flush();
    return this.#record(event, this.#clock.now());
  }

  /**
   * An event from a server, which happened at real time `happenedAt` there. A Session event of a
   * request that names its server (several run) waits for the page's next event, so that the
   * events of several servers are numbered in the order they happened; any other is added at once.
   */
  addFromServer(event: UnstampedEvent, happenedAt: number): void {
    if (event.kind !== 'session' || event.server === undefined || event.requestId === null) {
      this.add(event);
      return;
    }
    const list = this.#held.get(event.server) ?? [];
    list.push({ event, at: this.#clock.now(), key: [event.event.at, happenedAt] });
    this.#held.set(event.server, list);
    this.#holdTimer ??= setTimeout(() => this.flush(), HOLD_LIMIT_MS);
  }

  /**
   * Adds the held server events, earliest first: each time, the earliest of the servers' next events,
   * so that each server's own events keep their order.
   */
  flush(): void {
    clearTimeout(this.#holdTimer);
    this.#holdTimer = undefined;
    for (;;) {
      let next: Held[] | undefined;
      for (const list of this.#held.values()) {
        if (list.length > 0 && (!next || before(list[0]!.key, next[0]!.key))) next = list;
      }
      if (!next) break;
      next = this.#writerFirst(next);
      const { event, at } = next.shift()!;
      this.#record(event, at);
    }
    this.#held.clear();
  }

  /**
   * A write refused (a compareAndSet that missed) happened after the write that refused it, whatever
   * the clocks say: a worker the machine starved for a moment stamps its events late. So when
   * `next` starts with a refused write and another server still holds a write that went through on
   * the same session, that server's next event goes first.
   */
  #writerFirst(next: Held[]): Held[] {
    const key = refusedWriteKey(next[0]!.event);
    if (key === null) return next;
    for (const list of this.#held.values()) {
      if (list !== next && list.some((held) => isWriteThrough(held.event, key))) return list;
    }
    return next;
  }

  #record(event: UnstampedEvent, at: number): SimEvent {
    const stamped = { ...event, seq: this.#events.length + 1, at } as SimEvent;
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

/** Whether `a` sorts before `b`: by virtual time, then by real time (a tie goes to the server whose events came first). */
function before(a: readonly [number, number], b: readonly [number, number]): boolean {
  return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
}

/** The session a refused write (compareAndSet that missed) was about, or null for any other event. */
function refusedWriteKey(event: UnstampedEvent): string | null {
  if (event.kind !== 'session') return null;
  const inner = event.event;
  return inner.type === 'store-call' && inner.method === 'compareAndSet' && inner.result === 'miss' ? inner.key : null;
}

/** Whether `event` is a write that went through (compareAndSet that hit) on session `key`. */
function isWriteThrough(event: UnstampedEvent, key: string): boolean {
  if (event.kind !== 'session') return false;
  const inner = event.event;
  return inner.type === 'store-call' && inner.method === 'compareAndSet' && inner.result === 'hit' && inner.key === key;
}
