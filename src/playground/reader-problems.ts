/**
 * Watches the Lab's events and the server's store calls for what concerns the reader's store, and
 * turns what went wrong into a Problem (playground-messages.ts): the method, the line, what to do.
 */
import type { SimEvent } from '../sim/protocol.ts';
import type { RuntimeReport } from '../checks/check-protocol.ts';
import { findMethodLine, problemOf, type Problem } from './playground-messages.ts';

export interface ReaderProblemsOptions {
  /** The code in the editor now. */
  code(): string;
  /** Where the server runs after the store labelled `hung` (null: the one served now) hung, in a sentence's words. */
  fallback(hung: string | null): string;
}

export class ReaderProblems {
  readonly #options: ReaderProblemsOptions;
  /** Labels of the reader's stores (one per Run). */
  readonly #labels = new Set<string>();
  /** Store calls the server has started and not finished, by "run:id". */
  readonly #serverCalls = new Map<string, string>();

  constructor(options: ReaderProblemsOptions) {
    this.#options = options;
  }

  /** A store of the reader's, by the label the Lab will name it by. */
  readerStore(label: string): void {
    this.#labels.add(label);
  }

  /** Follows a report of a store call starting or finishing in the server; false for other reports. */
  call(report: RuntimeReport): boolean {
    if (report.type === 'call') {
      if (report.source === 'server') this.#serverCalls.set(`${report.run}:${report.id}`, report.method);
      return true;
    }
    if (report.type === 'return') {
      this.#serverCalls.delete(`${report.run}:${report.id}`);
      return true;
    }
    return false;
  }

  /** The problem of the reader's store that `event` reports, or null. `servingReader`: the server runs a store of the reader's. */
  problem(event: SimEvent, servingReader: boolean): Problem | null {
    if (event.kind === 'server' && (event.step === 'restarted' || event.step === 'started')) this.#serverCalls.clear();
    // Store calls concern the reader only while the server runs the reader's store.
    if (event.kind === 'session' && !servingReader) return null;
    return problemOf(event, {
      isReaderStore: (label) => this.#labels.has(label),
      methodLine: (method) => findMethodLine(this.#options.code(), method),
      stuckMethod: () => this.stuckMethod(),
      fallback: () => this.#options.fallback(event.kind === 'server' ? event.store : null),
    });
  }

  /** The store method the server was inside when it stopped answering, if known. */
  stuckMethod(): string | null {
    return [...this.#serverCalls.values()].at(-1) ?? null;
  }
}
