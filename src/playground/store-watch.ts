/**
 * Watches the Lab's events for what the reader's store does there: a store call it answered for a
 * request makes it a store that worked (served-stores.ts); a problem goes to Output; a store that hung (a loop that
 * blocked the server, or a promise that never settled) is stopped, its code is kept from running
 * again by itself (the draft remembers it), and the server goes to a store that worked, or to the
 * Lab's own MemoryStore, said plainly in the status line (hang-words.ts).
 */
import type { SimEvent, StoreChoice } from '../sim/protocol.ts';
import type { HungCode } from '../editor/drafts.ts';
import type { StatusTone } from '../editor/editor-controls.ts';
import { hangStatus, type Hang } from './hang-words.ts';
import type { Problem } from './playground-messages.ts';
import type { ReaderProblems } from './reader-problems.ts';
import type { ServedStores } from './served-stores.ts';

export interface StoreWatchHost {
  stores: ServedStores;
  problems: ReaderProblems;
  /** Whether the Lab's server runs a store of the reader's now. */
  servingReaderCode(): boolean;
  /** Runs the Lab's server on `choice`; true when it serves it now. */
  useStore(choice: StoreChoice, label: string): Promise<boolean>;
  /** Keeps `hung` with the draft. */
  markHung(hung: HungCode): void;
  logProblem(problem: Problem): void;
  status(text: string, tone: StatusTone): void;
}

export class StoreWatch {
  readonly #host: StoreWatchHost;

  constructor(host: StoreWatchHost) {
    this.#host = host;
  }

  /** Follows one of the Lab's events. Resolves once a fall-back it started is done (for tests; the page does not wait). */
  onEvent(event: SimEvent): Promise<void> {
    const { stores, problems } = this.#host;
    const serving = this.#host.servingReaderCode();
    const call = event.kind === 'session' && event.event.type === 'store-call' && serving ? event.event : null;
    // A store has worked once it answered for a request: a clean() the server runs at start is no request.
    if (call?.outcome === 'ok' && event.kind === 'session' && event.requestId !== null) stores.answered();
    // Read before the problem: a restart makes the problems forget the calls under way.
    const stuck = problems.stuckMethod();
    const problem = problems.problem(event, serving);
    if (!problem) return Promise.resolve();
    // A store that failed while serving is no store to fall back to.
    if (event.kind === 'session') stores.currentFailed();
    this.#host.logProblem(problem);
    if (event.kind === 'server' && event.step === 'timeout') return this.#fallBack({ label: event.store, method: stuck, kind: 'blocked' });
    if (call?.outcome === 'timeout' && stores.current) return this.#fallBack({ label: stores.current.label, method: call.method, kind: 'never-settled' });
    return Promise.resolve();
  }

  /** A store of the reader's hung: it is stopped, never run again by itself, and the server goes to a store that worked. */
  async #fallBack(hang: Hang): Promise<void> {
    const { stores } = this.#host;
    if (stores.current?.label !== hang.label) return; // stopped already
    const next = stores.fallbackFor(hang.label);
    const code = stores.hung(hang.label);
    if (code !== undefined) this.#host.markHung({ code, method: hang.method });
    if (await this.#host.useStore(next.choice, next.label)) stores.fellBackTo(next.choice);
    else stores.release();
    this.#host.status(hangStatus(hang, next.described), 'error');
  }
}
