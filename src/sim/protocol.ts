/**
 * The contract between the simulated server (src/sim) and the Lab's user interface
 * (src/components): what the UI can ask of a running simulation, and the events it can show.
 * Everything the timeline and the sequence diagram draw comes from `SimEvent`s, in order.
 */
import type { SessionEvent, SessionRecord } from '../session/index.ts';

/** Which store the simulated server runs on. */
export type StoreChoice =
  /**
   * Durable: survives a server restart and a page reload (the browser's IndexedDB), and every server
   * behind the balancer shares it. `lastWriteWins` drops its compare-and-set, as `memory` does.
   */
  | { kind: 'indexeddb'; lastWriteWins?: boolean }
  /**
   * Development only: gone when the server restarts. `lastWriteWins` drops MemoryStore's
   * compare-and-set, so concurrent changes to one session overwrite each other (as with a store
   * written from FluidAuth's docs).
   */
  | { kind: 'memory'; lastWriteWins?: boolean }
  /** A store that misbehaves on purpose, to show what the Session does about it. */
  | { kind: 'faulty'; fault: 'hang' | 'throw' }
  /**
   * A store class from an ES module the page provides (the playground compiles one). The module is
   * imported inside the server worker; `exportName` defaults to the first exported class that has
   * the five store methods.
   */
  | { kind: 'module'; url: string; exportName?: string; label: string };

/**
 * A store choice as server events report it: the choice itself, as data, without a module's URL (a
 * blob: URL means nothing to a reader, and a page must not fetch it again on an event's word).
 */
export type ReportedStore = Exclude<StoreChoice, { kind: 'module' }> | Omit<Extract<StoreChoice, { kind: 'module' }>, 'url'>;

/** How many server processes run behind the simulated load balancer. One is the default: no balancer to speak of. */
export type ServerCount = 1 | 2 | 3;

/**
 * How the load balancer picks a server for a request. `round-robin`: each running server in turn.
 * `sticky`: the first answer pins the browser to a server with a cookie of the balancer's own
 * (`BALANCER_COOKIE`), and later requests go there while it runs.
 */
export type BalancerPolicy = 'round-robin' | 'sticky';

/** How recent the demo app wants a sign-in before a sensitive action (changing the email address). */
export const FRESH_SIGN_IN_MS = 5 * 60_000;

/** The cookie the sticky balancer pins a browser to a server with (its value: the server's number). */
export const BALANCER_COOKIE = 'lb-server';

/**
 * A simulated browser: each has its own cookie jar, user agent and address. One (`laptop`) is the
 * default; a Lab with several lets the reader sign in from each, and stage attacks from `attacker`.
 */
export type BrowserId = 'laptop' | 'phone' | 'attacker';

/** One server process behind the balancer, numbered from 1. */
export interface ServerState {
  id: number;
  /** `stopped`: taken out of service by hand; the balancer sends it nothing. */
  state: 'running' | 'stopped';
}

export interface LabOptions {
  store: StoreChoice;
  /** Server processes behind the load balancer. Default 1. Each has its own memory; IndexedDB is shared by all. */
  servers?: ServerCount;
  /** How the load balancer picks a server when there are several. Default 'round-robin'. */
  balancer?: BalancerPolicy;
  /** The simulated browsers, each with its own jar; the first is where the page's requests go out from at start. Default `['laptop']`. */
  browsers?: BrowserId[];
  /** The site's base path, ending in "/" (import.meta.env.BASE_URL). */
  base: string;
  /** Session options for the simulated app; defaults: sessionDuration 30 min, cleanInterval 5 min. */
  sessionDuration?: number;
  cleanInterval?: number;
  /** A request the server has not answered after this many ms gets a 504 and a server restart. Default 3000. */
  requestTimeoutMs?: number;
  /** IndexedDB database name, so several Labs on one origin never share records unless they mean to. Default 'session-lab-demo'. */
  database?: string;
}

/** A cookie as the simulated browser holds it. */
export interface JarCookie {
  name: string;
  value: string;
  domain: string;
  path: string;
  httpOnly: boolean;
  secure: boolean;
  sameSite: 'strict' | 'lax' | 'none' | 'unset';
  /** ISO time it expires on the virtual clock, or null for a browser-session cookie. */
  expires: string | null;
}

interface Stamp {
  /** A number unique within one Lab, increasing in the order events happened. */
  seq: number;
  /** Virtual time, ms since the epoch. */
  at: number;
}

export type SimEvent = Stamp &
  (
    | {
        kind: 'request';
        id: number;
        method: string;
        path: string;
        /** Names of the cookies the browser sent. */
        cookies: string[];
        /** The server the balancer sent it to; only when several servers run. Null: none was running. */
        server?: number | null;
        /** The two-tabs demo's request: the server each tab went to, in tab order; only when several servers run. */
        tabs?: [number | null, number | null];
        /** The browser that sent it; only when the Lab has several. */
        browser?: BrowserId;
      }
    | {
        kind: 'response';
        id: number;
        /** The server that answered; only when several servers run. Null: the balancer answered itself. */
        server?: number | null;
        /** The two-tabs demo's answer: the server each tab went to, in tab order; only when several servers run. */
        tabs?: [number | null, number | null];
        /** The browser it went back to; only when the Lab has several. */
        browser?: BrowserId;
        status: number;
        /** The Set-Cookie header the server sent (value shortened for display), or null. */
        setCookie: string | null;
        /** Wall-clock time the server took. */
        durationMs: number;
      }
    /** A Session event from the server (store calls, session steps, cookie steps, clean runs). */
    | {
        kind: 'session';
        event: SessionEvent;
        /** The request it belongs to, when there is one. */
        requestId: number | null;
        /** The server it happened on; only when several servers run. */
        server?: number;
      }
    | {
        kind: 'server';
        /**
         * `secret-rotated`: a new secret signs, the earlier ones still verify; `secrets-retired`: only
         * the newest verifies; `stopped`: taken out of service (its process, and its memory, are gone).
         */
        step: 'started' | 'restarted' | 'stopped' | 'timeout' | 'crashed' | 'secret-rotated' | 'secrets-retired';
        /** Which server; only when several servers run. */
        server?: number;
        /** The store the step concerns: which kind, and its variant (`lastWriteWins`, `fault`, a module's `label`). */
        storeChoice: ReportedStore;
        /** The store's name for display (`MemoryStore`, a reader's module label). Word UI text from `storeChoice`. */
        store: string;
        detail?: string;
      }
    | { kind: 'clock'; step: 'jump' | 'pause' | 'resume'; byMs?: number }
    /** The load balancer changed: how many servers it spreads requests over, or its policy. */
    | { kind: 'balancer'; servers: ServerCount; policy: BalancerPolicy }
    /**
     * A simulated browser's jar changed: a cookie stored, replaced, removed, expired on the virtual
     * clock, edited by hand (as in the browser's developer tools), or planted there from another
     * browser's jar (`from`).
     */
    | {
        kind: 'jar';
        step: 'stored' | 'removed' | 'expired' | 'rejected' | 'edited' | 'planted';
        name: string;
        detail?: string;
        /** Whose jar; only when the Lab has several browsers. */
        browser?: BrowserId;
        /** Where a planted cookie came from. */
        from?: BrowserId;
      }
    /** The Lab started over: every browser's jar and the store were emptied. */
    | { kind: 'reset'; removed: number }
  );

export type SimEventKind = SimEvent['kind'];

/** What the Lab UI can do with a running simulation. */
export interface SimController {
  readonly options: Readonly<LabOptions>;
  /** Virtual now, ms since the epoch. */
  now(): number;
  readonly paused: boolean;
  jump(ms: number): Promise<void>;
  pause(): void;
  resume(): void;
  /** The simulated browsers, in order. */
  readonly browsers: readonly BrowserId[];
  /** The browser the page's requests go out from (and whose jar `cookies()` shows). */
  readonly browser: BrowserId;
  /** Makes `browser` the one the page's requests go out from, from the next request on. Throws when the Lab has no such browser. */
  useBrowser(browser: BrowserId): void;
  /** A jar (the current browser's by default) as the browser sees it (HttpOnly cookies included: this is the browser's view, not page script's). */
  cookies(browser?: BrowserId): JarCookie[];
  /**
   * Changes the value of the current browser's cookie called `name`, by hand, as anyone can in their
   * own browser's developer tools (a `jar` event with step `edited`). Throws when the jar has no such
   * cookie or the value is not a valid cookie value.
   */
  editCookie(name: string, value: string): void;
  /**
   * Copies the cookie called `name` from browser `from`'s jar into browser `to`'s (a `jar` event with
   * step `planted`): the attacker's move in session fixation. Throws when `from` has no such cookie.
   */
  plantCookie(name: string, options: { from: BrowserId; to: BrowserId }): void;
  /**
   * Starts over: empties every browser's jar and deletes every session in the store, also those
   * earlier page loads left in IndexedDB (a `reset` event). Resolves once the store is empty.
   */
  startFresh(): Promise<void>;
  /** How many secrets the server accepts; the newest signs. */
  readonly secrets: number;
  /** Deploys a new signing secret; the earlier ones still verify, so nobody is signed out. */
  rotateSecret(): Promise<void>;
  /** Keeps only the newest secret: cookies still signed with an earlier one are rejected from now on. */
  retireOldSecrets(): Promise<void>;
  /**
   * The store's records, now, as server `server` (default: the first running one) sees them; null when
   * the store does not list its records (it offers no all()).
   */
  records(server?: number): Promise<SessionRecord[] | null>;
  /** The servers behind the balancer, in order. */
  readonly servers: readonly ServerState[];
  readonly balancer: BalancerPolicy;
  /** Runs `count` servers: new ones start on the current store and secrets; the highest-numbered stop first. */
  setServers(count: ServerCount): Promise<void>;
  setBalancer(policy: BalancerPolicy): void;
  /** Takes server `id` out of service: its process ends, with whatever it kept in memory. */
  stopServer(id: number): Promise<void>;
  /** Starts stopped server `id` again, as a new process. */
  startServer(id: number): Promise<void>;
  /** Every event so far, in order. */
  events(): readonly SimEvent[];
  /** Calls `listener` for each new event (and after clock ticks); returns an unsubscribe function. */
  subscribe(listener: (event: SimEvent | null) => void): () => void;
  /** Restarts server `id`, or every running server when no id is given (a deploy). */
  restartServer(id?: number): Promise<void>;
  setStore(store: StoreChoice): Promise<void>;
  /** Stops the worker and the network interception. */
  dispose(): Promise<void>;
}
