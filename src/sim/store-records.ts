/**
 * Reads every record a store holds, expired ones included, for the Lab's record inspector, through
 * the store's optional `all()` (every shipped store has it; a reader's store may not).
 */
import type { BaseSessionStore, SessionRecord } from '../session/index.ts';

export interface ReadRecordsOptions {
  /** How the store is named to the reader, for error messages. */
  label: string;
  /** Real ms to wait for a store's `all()`. */
  timeoutMs: number;
}

/** The store's records; null when it does not list them (it offers no `all()`, which is optional). */
export async function readRecords(store: BaseSessionStore<any>, options: ReadRecordsOptions): Promise<SessionRecord[] | null> {
  if (typeof store.all !== 'function') return null;
  const found: unknown = await withTimeout(Promise.resolve().then(() => store.all!()), options);
  if (!Array.isArray(found)) throw new Error(`${options.label}.all() returned ${typeof found}, not an array of records.`);
  return found as SessionRecord[];
}

function withTimeout<T>(work: Promise<T>, options: ReadRecordsOptions): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${options.label}.all() did not answer within ${options.timeoutMs} ms.`)), options.timeoutMs);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
