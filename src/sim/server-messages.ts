/**
 * What the server host (the page) and the server worker say to each other. Internal to src/sim: the
 * Lab UI talks to `SimController` (protocol.ts), never to these messages.
 */
import type { SessionEvent, SessionRecord } from '../session/index.ts';
import type { ReportedStore, StoreChoice } from './protocol.ts';
import type { ClockState } from './virtual-clock.ts';

/** How the server worker is set up; the same on every restart. */
export interface ServerConfig {
  store: StoreChoice;
  /** The site's base path, ending in "/": the app's routes live under `${base}api/`. */
  base: string;
  /** The signing secrets: the first signs, all verify. */
  secrets: string[];
  sessionDuration: number;
  /** Virtual ms between clean runs. */
  cleanInterval: number;
  /** Real ms before the Session gives up on a store call (and answers 503). */
  storeTimeout: number;
  /** The IndexedDB database of the `indexeddb` store. */
  database: string;
}

/** A request as it crosses to the worker. The cookie travels beside it: browsers drop Cookie from Requests. */
export interface WireRequest {
  /** The Lab's number for the request: the Session events it causes carry it. */
  id: number;
  method: string;
  url: string;
  headers: [string, string][];
  body: ArrayBuffer | null;
  cookie: string | null;
  /** The address the request comes from (the connection's peer, as the balancer sees it); unknown without. */
  ip?: string;
  /**
   * A tab of the two-tabs demo whose twin runs on another server: both carry this token, and each
   * waits for the other before saving its session (server-worker.ts, two-tabs.ts).
   */
  meet?: string;
}

/** A response as it comes back. Set-Cookie travels beside it: browsers drop it from Responses. */
export interface WireResponse {
  status: number;
  statusText: string;
  headers: [string, string][];
  body: ArrayBuffer | null;
  setCookie: string | null;
}

/** Messages to the worker. Those with an `id` get exactly one `reply` with that id. */
export type ToServer =
  | { type: 'start'; config: ServerConfig; clock: ClockState }
  /** The clock changed; the reply comes after any clean run the new time made due. */
  | { type: 'clock'; id: number; clock: ClockState }
  | { type: 'request'; id: number; request: WireRequest }
  /** New signing secrets; the reply comes once requests after it use them (the store stays as it is). */
  | { type: 'secrets'; id: number; secrets: string[] }
  /** Every record in the store, expired ones included, for the inspector. */
  | { type: 'records'; id: number }
  /** Deletes every record in the store; the reply is how many there were. */
  | { type: 'reset'; id: number };

/** Messages from the worker. */
export type FromServer =
  /** The worker's code has loaded and runs: from here on, setting the store up is the store's business. */
  | { type: 'booted' }
  | { type: 'ready'; store: string }
  /** The store could not be set up; `detail` says why, for the reader. */
  | { type: 'failed'; detail: string }
  | { type: 'reply'; id: number; ok: true; value: WireResponse | SessionRecord[] | number | null }
  | { type: 'reply'; id: number; ok: false; error: string }
  /**
   * A Session event, with the request it belongs to (null for clean runs), and the real time it
   * happened (`performance.timeOrigin + performance.now()`, comparable across workers).
   */
  | { type: 'event'; event: SessionEvent; requestId: number | null; happenedAt: number }
  /** An error no request was waiting for, thrown by server code (a reader's store, usually). */
  | { type: 'fault'; detail: string };

/** How a store choice is named in events and messages. */
export function storeLabel(choice: StoreChoice): string {
  switch (choice.kind) {
    case 'indexeddb':
      return choice.lastWriteWins ? 'IndexedDB (last write wins)' : 'IndexedDB';
    case 'memory':
      return choice.lastWriteWins ? 'MemoryStore (last write wins)' : 'MemoryStore';
    case 'faulty':
      return choice.fault === 'hang' ? 'Faulty store (hangs)' : 'Faulty store (throws)';
    case 'module':
      return choice.label;
  }
}

/** A store choice as server events carry it: the same data, a module's URL left out. */
export function reportedStore(choice: StoreChoice): ReportedStore {
  if (choice.kind !== 'module') return { ...choice };
  const { url: _url, ...reported } = choice;
  return reported;
}

/** The store fields of a `server` event: the choice as data, and its display name. */
export function serverEventStore(choice: StoreChoice): { storeChoice: ReportedStore; store: string } {
  return { storeChoice: reportedStore(choice), store: storeLabel(choice) };
}
