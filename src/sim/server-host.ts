/**
 * The page's side of the simulated server: starts the server worker, passes requests to it, and
 * keeps the page safe from it. Every call has a deadline; a worker that misses one is treated as hung
 * (a reader's `while (true) {}` blocks only the worker), answered for (504), stopped and started
 * again. The page never waits on the worker without a deadline.
 *
 * Restarting is what a server restart is: a new process. Sessions in a MemoryStore are gone
 * afterwards; sessions in IndexedDB are still there.
 *
 * Changing the store starts a server on the new store beside the running one and switches over
 * only once it is ready. A store that fails to load (a reader's module that throws, say) is reported
 * as a `crashed` server event and the running server, with its sessions, simply stays.
 *
 * The worker runs a reader's code, so what it posts is untrusted: the host talks to it over a
 * MessagePort of its own (handed over with `start`), checks every message's shape on arrival
 * (server-message-schemas.ts), and drops, and reports, what does not fit. Only its first word,
 * `booted`, comes on the worker's own channel; anything later there is someone else talking.
 */
import type { SessionEvent, SessionRecord } from '../session/index.ts';
import type { EventReport, UnstampedEvent } from './event-log.ts';
import type { StoreChoice } from './protocol.ts';
import { serverEventStore, storeLabel, type ServerConfig, type WireRequest, type WireResponse } from './server-messages.ts';
import { ServerCallError, ServerProcess, type CallFailure, type ProcessObserver } from './server-process.ts';
import type { ClockState } from './virtual-clock.ts';

export interface ServerHostOptions {
  /** The server's set-up, the store aside. */
  config: Omit<ServerConfig, 'store'>;
  store: StoreChoice;
  /** Real ms the server has to answer a call (a request, a query), and to set its store up once its code has loaded. */
  timeoutMs: number;
  /** The clock's current state, for a server that starts. */
  clock: () => ClockState;
  /** Receives the server's events (`server`, `session`; a session event with the real time it happened). */
  report: EventReport;
}

/** A response from the simulated server, and how long (real ms) it took. */
export interface ServerAnswer extends WireResponse {
  durationMs: number;
}


/**
 * Runs the simulated server and stands between it and the page.
 *
 * @example
 * const host = await ServerHost.start({ config, store: { kind: 'memory' }, timeoutMs: 3000, clock: () => clock.state(), report });
 * const request = { id: 1, method: 'GET', url: 'http://localhost/api/account', headers: [], body: null, cookie: null };
 * const answer = await host.request(request, 'GET /api/account'); // status, headers, body, setCookie
 */
export class ServerHost {
  readonly #options: ServerHostOptions;
  /** The process that serves calls; while a restart runs, the one that will. */
  #serving: Promise<ServerProcess>;
  /** The process behind `#serving`, once known. */
  #process: ServerProcess | null = null;
  /** Settles `#serving` while it waits for a process. */
  #waiting: { resolve(process: ServerProcess): void; reject(error: ServerCallError): void } | null = null;
  /** Restarts and store changes, one after the other. */
  #changes: Promise<unknown> = Promise.resolve();
  #disposed = false;
  /** The signing secrets every server gets; `setSecrets` changes them. */
  #secrets: string[];
  /** How its processes reach the host. */
  readonly #observer: ProcessObserver = {
    unresponsive: (process, what, timeoutMs) => this.#unresponsive(process, what, timeoutMs),
    // An error in server code that no request waited for. The server keeps running.
    fault: (process, detail) => {
      if (process !== this.#process) return;
      this.#report({ kind: 'server', step: 'crashed', ...serverEventStore(process.choice), detail: `${detail} (the server keeps running).` });
    },
    sessionEvent: (event, requestId, happenedAt) => this.#report({ kind: 'session', event, requestId }, happenedAt),
  };

  private constructor(options: ServerHostOptions) {
    this.#options = options;
    this.#secrets = [...options.config.secrets];
    // Calls wait until the first server is ready.
    this.#serving = new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
    });
    this.#serving.catch(() => {});
  }

  /** Starts the server. A store that fails to load is reported, and the server runs on a MemoryStore instead. */
  static async start(options: ServerHostOptions): Promise<ServerHost> {
    const host = new ServerHost(options);
    host.#serve(await host.#launchOrFallBack(options.store, 'started'));
    return host;
  }

  /** The store the server runs on. */
  get store(): StoreChoice {
    return this.#process?.choice ?? this.#options.store;
  }

  /**
   * Passes `request` to the server and resolves to its answer. Never rejects: no answer in time is a
   * 504 (and a restart), a server that stopped before answering a 502, a server-side failure a 500.
   */
  async request(request: WireRequest, what: string): Promise<ServerAnswer> {
    const started = performance.now();
    try {
      const process = await this.#serving;
      const answer = await process.call<WireResponse>({ type: 'request', request }, this.#options.timeoutMs, what);
      return { ...answer, durationMs: performance.now() - started };
    } catch (error) {
      const failure = error instanceof ServerCallError ? error.failure : 'failed';
      const message = error instanceof Error ? error.message : String(error);
      return { ...gatewayAnswer(failure, message), durationMs: performance.now() - started };
    }
  }

  /** Every record in the store, expired ones included. */
  /** null when the store does not list its records (it offers no all()). */
  async records(): Promise<SessionRecord[] | null> {
    const process = await this.#serving;
    return process.call<SessionRecord[] | null>({ type: 'records' }, this.#options.timeoutMs, 'Reading the records');
  }

  /** Deletes every record in the store; resolves to how many there were. */
  async reset(): Promise<number> {
    const process = await this.#serving;
    return process.call<number>({ type: 'reset' }, this.#options.timeoutMs, 'Emptying the store');
  }

  /** Tells the server the clock changed; resolves after the clean run that made due, if any. */
  async clock(clock: ClockState): Promise<void> {
    const process = await this.#serving;
    await process.call<null>({ type: 'clock', clock }, this.#options.timeoutMs, 'The clock change');
  }

  /** Stops the server and starts it again on the same store. */
  restart(): Promise<void> {
    return this.#change(async () => {
      const previous = this.#process;
      if (!previous || this.#disposed) return;
      this.#hold();
      previous.stop('The server was restarted before it answered.');
      await this.#relaunch(previous.choice);
    });
  }

  /** Runs the server on another store; keeps the running one when the new store fails to load. */
  setStore(choice: StoreChoice): Promise<void> {
    return this.#change(async () => {
      const previous = this.#process;
      if (!previous || this.#disposed) return;
      const next = new ServerProcess(this.#observer, choice);
      const problem = await next.start(this.#config(choice), this.#options.clock(), this.#options.timeoutMs);
      if (this.#disposed) return next.stop('The Lab was closed.');
      if (problem !== null) {
        next.stop(problem);
        this.#report({ kind: 'server', step: 'crashed', ...serverEventStore(next.choice), detail: `${problem} Kept ${previous.label} running.` });
        return;
      }
      this.#serve(next);
      previous.stop('The server moved to another store before it answered.');
      this.#report({ kind: 'server', step: 'restarted', ...serverEventStore(next.choice), detail: `Now running on ${next.label}.` });
    });
  }

  /**
   * Gives the running server new signing secrets (the first signs, all verify), as a deployment
   * with new configuration would; servers started later get them too. The store, and every session
   * in it, stays. Rejects, changing nothing, when the server does not take them in time.
   */
  setSecrets(secrets: string[]): Promise<void> {
    return this.#change(async () => {
      const process = this.#process;
      if (process && !this.#disposed) await process.call<null>({ type: 'secrets', secrets }, this.#options.timeoutMs, 'Changing the secrets');
      // Only once the server took them: a server that hung instead restarts on the secrets it had.
      this.#secrets = [...secrets];
    });
  }

  /** Stops the server for good. */
  dispose(): void {
    this.#process?.stop('The Lab was closed.');
    this.#fail('The Lab was closed.');
    this.#disposed = true;
  }

  /** A call to `process` missed its deadline: the server is hung. Reports it and restarts. */
  #unresponsive(process: ServerProcess, what: string, timeoutMs: number): void {
    if (process !== this.#process || process.stopped || this.#disposed) return;
    this.#report({
      kind: 'server',
      step: 'timeout',
      ...serverEventStore(process.choice),
      detail: `${what} got no answer within ${timeoutMs} ms; the server is restarted.`,
    });
    // Stop it now, not when the change gets its turn: calls still waiting on it end at once.
    process.stop(`The server was restarted: ${what} got no answer within ${timeoutMs} ms.`);
    this.#hold();
    void this.#change(async () => {
      // A store change that finished meanwhile has already replaced it.
      if (this.#process === process) await this.#relaunch(process.choice);
    }).catch(() => {}); // #relaunch reports its failure
  }

  /** Starts the server again after a stop; when it cannot start at all, calls fail instead of waiting. */
  async #relaunch(choice: StoreChoice): Promise<void> {
    if (this.#disposed) return;
    try {
      this.#serve(await this.#launchOrFallBack(choice, 'restarted'));
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      this.#report({ kind: 'server', step: 'crashed', ...serverEventStore(choice), detail: why });
      this.#fail(why);
      throw error;
    }
  }

  /** Starts a server on `choice`; when that store fails, reports why and starts one on a MemoryStore. */
  async #launchOrFallBack(choice: StoreChoice, step: 'started' | 'restarted'): Promise<ServerProcess> {
    const process = new ServerProcess(this.#observer, choice);
    const problem = await process.start(this.#config(choice), this.#options.clock(), this.#options.timeoutMs);
    if (problem === null) {
      this.#report({ kind: 'server', step, ...serverEventStore(process.choice) });
      return process;
    }
    process.stop(problem);
    const memory: StoreChoice = { kind: 'memory' };
    this.#report({ kind: 'server', step: 'crashed', ...serverEventStore(process.choice), detail: `${problem} Running on ${storeLabel(memory)} instead.` });
    const fallback = new ServerProcess(this.#observer, memory);
    const fallbackProblem = await fallback.start(this.#config(memory), this.#options.clock(), this.#options.timeoutMs);
    if (fallbackProblem !== null) {
      fallback.stop(fallbackProblem);
      throw new Error(`The simulated server could not start: ${fallbackProblem}`);
    }
    this.#report({ kind: 'server', step, ...serverEventStore(fallback.choice) });
    return fallback;
  }

  /** Calls wait from now on until `#serve` names the next process (or `#fail` says there is none). */
  #hold(): void {
    if (this.#waiting) return;
    this.#serving = new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
    });
    this.#serving.catch(() => {}); // observed by the calls that wait on it
  }

  #serve(process: ServerProcess): void {
    if (this.#disposed) {
      process.stop('The Lab was closed.');
      return;
    }
    this.#process = process;
    this.#serving = Promise.resolve(process);
    this.#waiting?.resolve(process);
    this.#waiting = null;
    process.serve();
  }

  /** No server can run: every call fails (as a 502) instead of waiting. */
  #fail(why: string): void {
    const error = new ServerCallError('gone', why);
    this.#serving = Promise.reject(error);
    this.#serving.catch(() => {});
    this.#waiting?.reject(error);
    this.#waiting = null;
  }

  #change(change: () => Promise<void>): Promise<void> {
    const run = this.#changes.then(change);
    this.#changes = run.catch(() => {});
    return run;
  }

  #config(store: StoreChoice): ServerConfig {
    return { ...this.#options.config, secrets: this.#secrets, store };
  }

  #report(event: UnstampedEvent, happenedAt?: number): void {
    if (!this.#disposed) this.#options.report(event, happenedAt);
  }
}

/** What the page gets when the server does not answer: a gateway's answer, as a proxy would give. */
function gatewayAnswer(failure: CallFailure, message: string): WireResponse {
  const [status, statusText] = failure === 'timeout' ? [504, 'Gateway Timeout'] : failure === 'gone' ? [502, 'Bad Gateway'] : [500, 'Internal Server Error'];
  return {
    status,
    statusText,
    headers: [['content-type', 'application/json'], ['cache-control', 'no-store']],
    body: new TextEncoder().encode(JSON.stringify({ error: message })).buffer as ArrayBuffer,
    setCookie: null,
  };
}
