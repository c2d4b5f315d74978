/**
 * One simulated server process: a dedicated module Web Worker running server-worker.ts, and the
 * page's side of talking to it. Every call has a deadline; every message from the worker is checked
 * against the protocol (server-message-schemas.ts) before it is used, because the worker runs a
 * reader's code. The host (server-host.ts) decides what to do when a process hangs or fails.
 */
import type { SessionEvent } from '../session/index.ts';
import { isBooted, parseFromServer, replyValue } from './server-message-schemas.ts';
import { storeLabel, type ServerConfig, type ToServer, type WireRequest } from './server-messages.ts';
import type { StoreChoice } from './protocol.ts';
import type { ClockState } from './virtual-clock.ts';
/**
 * Real ms a server worker's own code may take to load (a cold dev server transforms it first). The
 * store's set-up after that gets the request deadline: a reader's constructor is the reader's code.
 */
const BOOT_TIMEOUT_MS = 15_000;

/** Why a call to the server got no answer. */
export type CallFailure = 'timeout' | 'gone' | 'failed';

export class ServerCallError extends Error {
  readonly failure: CallFailure;
  constructor(failure: CallFailure, message: string) {
    super(message);
    this.failure = failure;
  }
}

/** A message to the server that gets a reply, before the host numbers it. */
export type Call = { type: 'clock'; clock: ClockState } | { type: 'request'; request: WireRequest } | { type: 'records' } | { type: 'secrets'; secrets: string[] } | { type: 'reset' };

/** How the value of each call's reply is checked. */
const REPLY_VALUES: Record<Call['type'], { check(value: unknown): unknown; misfit: string }> = {
  request: { check: replyValue.response, misfit: 'The server answered with a response the page cannot use.' },
  records: {
    check: replyValue.records,
    misfit: 'The store listed something that is not session records (sessionId, userId and expires as strings, everything else JSON).',
  },
  clock: { check: replyValue.none, misfit: 'The server answered the clock change with a value.' },
  secrets: { check: replyValue.none, misfit: 'The server answered the new secrets with a value.' },
  reset: { check: replyValue.count, misfit: 'The server answered the reset with something other than how many records it deleted.' },
};

interface Pending {
  /** The reply's value as the call expects it, or undefined when it does not fit; and what to say then. */
  value: { check(value: unknown): unknown; misfit: string };
  resolve(value: unknown): void;
  reject(error: ServerCallError): void;
  timer: ReturnType<typeof setTimeout>;
}

/** What a server process tells whoever runs it. */
export interface ProcessObserver {
  /** A call missed its deadline: the process is hung. */
  unresponsive(process: ServerProcess, what: string, timeoutMs: number): void;
  /** Server code failed where no request waited for it. */
  fault(process: ServerProcess, detail: string): void;
  /** `happenedAt`: the real time it happened in the worker (server-messages.ts). */
  sessionEvent(event: SessionEvent, requestId: number | null, happenedAt: number): void;
}

/** One server worker: one "process", from start to stop. */
export class ServerProcess {
  readonly choice: StoreChoice;
  readonly label: string;
  readonly #worker: Worker;
  /** The host's end of the worker's private channel. */
  readonly #port: MessagePort;
  readonly #observer: ProcessObserver;
  /** The worker's end, until `start` hands it over. */
  #workerEnd: MessagePort | null;
  #hasBooted = false;
  /** What the first dropped message was: one report per process is enough. */
  #droppedNote: string | null = null;
  /** Whether the host serves calls with this process (until then, reports wait). */
  #serving = false;
  readonly #pending = new Map<number, Pending>();
  #ids = 0;
  #stopped = false;
  #starting: ((outcome: string | null) => void) | null = null;
  #booted: () => void = () => {};

  constructor(observer: ProcessObserver, choice: StoreChoice) {
    this.#observer = observer;
    this.choice = choice;
    this.label = storeLabel(choice);
    // This exact form lets Vite (site build, dev server, Vitest) bundle the worker as its own module.
    this.#worker = new Worker(new URL('./server-worker.ts', import.meta.url), { type: 'module', name: 'session-lab-server' });
    const channel = new MessageChannel();
    this.#port = channel.port1;
    this.#port.addEventListener('message', (event: MessageEvent<unknown>) => this.#receive(event.data));
    this.#port.start();
    this.#worker.addEventListener('message', (event: MessageEvent<unknown>) => this.#receiveOnWorker(event.data));
    this.#workerEnd = channel.port2;
    this.#worker.addEventListener('error', (event) => {
      event.preventDefault();
      const detail = event.message ? `The server failed: ${event.message}` : 'The server worker could not be loaded.';
      if (this.#starting) this.#starting(detail);
      else this.#observer.fault(this, detail);
    });
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  /** Sets the server up; resolves to null once it is ready, or to why it is not. Never rejects. */
  start(config: ServerConfig, clock: ClockState, timeoutMs: number): Promise<string | null> {
    return new Promise((resolve) => {
      let timer = setTimeout(() => this.#starting?.(`The server worker did not load within ${BOOT_TIMEOUT_MS} ms.`), BOOT_TIMEOUT_MS);
      this.#booted = () => {
        clearTimeout(timer);
        timer = setTimeout(
          () => this.#starting?.(`${this.label} did not start within ${timeoutMs} ms (is its module or constructor stuck in a loop?).`),
          timeoutMs,
        );
      };
      this.#starting = (outcome) => {
        clearTimeout(timer);
        this.#starting = null;
        resolve(outcome);
      };
      // Waits in the worker's message queue until its code has loaded. The port goes with it, once.
      const workerEnd = this.#workerEnd;
      this.#workerEnd = null;
      const start: ToServer = { type: 'start', config, clock };
      this.#worker.postMessage(start, workerEnd ? [workerEnd] : []);
    });
  }

  /** Sends `call` and resolves to the reply; rejects with a `ServerCallError`, at the latest after `timeoutMs`. */
  call<T>(call: Call, timeoutMs: number, what: string): Promise<T> {
    if (this.#stopped) return Promise.reject(new ServerCallError('gone', 'The server has stopped.'));
    const id = ++this.#ids;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new ServerCallError('timeout', `${what} got no answer within ${timeoutMs} ms.`));
        this.#observer.unresponsive(this, what, timeoutMs);
      }, timeoutMs);
      this.#pending.set(id, { value: REPLY_VALUES[call.type], resolve: resolve as (value: unknown) => void, reject, timer });
      const transfer = call.type === 'request' && call.request.body ? [call.request.body] : [];
      this.#post({ ...call, id }, transfer);
    });
  }

  /** Terminates the worker at once (even mid-loop); every call still waiting fails as `gone`. */
  stop(why: string): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#worker.terminate();
    this.#port.close();
    this.#starting?.(why);
    for (const [id, pending] of this.#pending) {
      clearTimeout(pending.timer);
      this.#pending.delete(id);
      pending.reject(new ServerCallError('gone', why));
    }
  }

  /** The worker's own channel: its first word, then nothing the host listens to. */
  #receiveOnWorker(data: unknown): void {
    if (this.#stopped) return;
    if (!this.#hasBooted && isBooted(data)) {
      this.#hasBooted = true;
      this.#booted();
      return;
    }
    this.#dropped('Server code posted a message of its own to the page; it was ignored');
  }

  /** The private channel: every message is checked before it is used. */
  #receive(data: unknown): void {
    if (this.#stopped) return;
    const message = parseFromServer(data);
    if (message === null) {
      this.#dropped('The server sent the page a message that does not fit the protocol; it was ignored');
      return;
    }
    switch (message.type) {
      case 'ready':
        this.#starting?.(null);
        return;
      case 'failed':
        this.#starting?.(message.detail);
        return;
      case 'reply': {
        const pending = this.#pending.get(message.id);
        if (!pending) return; // answered too late: the caller already got a timeout
        clearTimeout(pending.timer);
        this.#pending.delete(message.id);
        if (!message.ok) return pending.reject(new ServerCallError('failed', message.error));
        const value = pending.value.check(message.value);
        if (value === undefined) pending.reject(new ServerCallError('failed', pending.value.misfit));
        else pending.resolve(value);
        return;
      }
      case 'event':
        this.#observer.sessionEvent(message.event, message.requestId, message.happenedAt);
        return;
      case 'fault':
        this.#observer.fault(this, message.detail);
        return;
    }
  }

  #post(message: ToServer, transfer: Transferable[] = []): void {
    this.#port.postMessage(message, transfer);
  }

  /**
   * Marks this process as the one that serves: from now on what it drops is reported at once, and
   * what it dropped while starting is reported now.
   */
  serve(): void {
    this.#serving = true;
    if (this.#droppedNote !== null) this.#observer.fault(this, this.#droppedNote);
  }

  /** Reports the first message dropped; later ones are dropped quietly (a flood must not flood the timeline). */
  #dropped(what: string): void {
    if (this.#droppedNote !== null) return;
    this.#droppedNote = `${what}, and so is anything else that does not come from the server itself`;
    if (this.#serving) this.#observer.fault(this, this.#droppedNote);
  }
}
