/**
 * What the playground's status line says when a store of the reader's hung: which method, that the
 * store was stopped, where the Lab runs now, and what to do. Pure: facts in, words out.
 */

/** How a store hung: a loop that blocked the server, or a promise that never settled. */
export type HangKind = 'blocked' | 'never-settled';

export interface Hang {
  /** The store's label, e.g. `BrokenStore (run 2)`. */
  label: string;
  /** The method it hung in, when known. */
  method: string | null;
  kind: HangKind;
}

/** The status after a hang: `fallback` is where the Lab runs now, in a sentence's words (served-stores.ts `Fallback.described`). */
export function hangStatus(hang: Hang, fallback: string): string {
  const what =
    hang.kind === 'never-settled'
      ? `${hang.label} hung: ${hang.method ?? 'a method'}() never settled, so the store was stopped.`
      : `${hang.label} stopped answering${hang.method ? ` inside ${hang.method}()` : ''}, so the store was stopped.`;
  return `${what} The Lab now runs on ${fallback}. Fix the code and press Run.`;
}

/** The status at start, when the code in the editor is the code that hung when it last ran: it is not run by itself. */
export function hungAtStartStatus(method: string | null): string {
  return `Not run: this code stopped answering${method ? ` inside ${method}()` : ''} when it last ran, so the Lab runs on its built-in MemoryStore. Fix the code and press Run.`;
}

/** The status while Run checks checks code that hung: the checks run it in a worker of their own, the Lab does not. */
export function checkingHungStatus(label: string, labStore: string): string {
  return `${label} is checked in a worker of its own, not in the Lab: it stopped answering there, so the Lab stays on ${labStore}. Press Run to serve it there again.`;
}
