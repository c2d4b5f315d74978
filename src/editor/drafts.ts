/**
 * The reader's code, kept per page in the browser's IndexedDB (through idb), so it survives reloads
 * and a closed tab. One record per page key; each language keeps its own code.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { PlaygroundLanguage } from './editor-language.ts';

const DATABASE = 'sessionlab-playground';
const STORE = 'drafts';

export interface Draft {
  /** The language shown last. */
  language: PlaygroundLanguage;
  code: Partial<Record<PlaygroundLanguage, string>>;
  /** ISO time of the last save. */
  savedAt: string;
  /**
   * The code came from a share link, the reader kept it, and has not run it yet: it is shown, never
   * run, when the page opens (whoever sent the link is unknown).
   */
  fromLink?: true;
  /**
   * The code that hung the Lab's server when it last ran (`language` + newline + source), and the
   * method it hung in: the page does not run it by itself when it opens with that code.
   */
  hung?: HungCode;
}

/** Code that hung when it ran: see `Draft.hung`. */
export interface HungCode {
  code: string;
  method: string | null;
}

interface DraftSchema extends DBSchema {
  drafts: { key: string; value: Draft };
}

export class DraftStore {
  #db: Promise<IDBPDatabase<DraftSchema>> | null = null;

  /** The draft saved for `key`, or null (also when IndexedDB is unavailable, e.g. a private window that refuses it). */
  async load(key: string): Promise<Draft | null> {
    try {
      return (await (await this.#open()).get(STORE, key)) ?? null;
    } catch {
      return null;
    }
  }

  /** Saves the draft; resolves once it is written. Rejects when IndexedDB refuses. */
  async save(key: string, draft: Draft): Promise<void> {
    await (await this.#open()).put(STORE, draft, key);
  }

  #open(): Promise<IDBPDatabase<DraftSchema>> {
    this.#db ??= openDB<DraftSchema>(DATABASE, 1, {
      upgrade(db) {
        db.createObjectStore(STORE);
      },
    });
    return this.#db;
  }
}
